/**
 * What every export format produces: one file (a zip where a format is several tables), with
 * the name and media type a browser download or an HTTP response needs.
 */
export interface ExportFile {
  readonly filename: string
  readonly mediaType: string
  readonly body: Uint8Array | string
}

/** One problem found while importing: where (file and 1-based row, header = row 1) and why. */
export interface ImportIssue {
  readonly file?: string
  readonly row?: number
  readonly column?: string
  readonly message: string
}

/** What a reader tells of its progress: how much of the reading is done, from 0 to 1, rising. */
export type ReadProgress = (fraction: number) => void

/** Options of the import readers. */
export interface ReadOptions {
  /** Hears how far the reading has got (the Import dialog's progress bar follows it). */
  readonly onProgress?: ReadProgress
}

/**
 * A reporter of `done` out of `total` items onto the part `from`..`to` of the whole, calling
 * `onProgress` only when a hundredth more is done: checking 20,000 rows reports 100 times, not
 * 20,000 (each report crosses from a worker to the page).
 */
export function progressOver(
  onProgress: ReadProgress | undefined,
  from: number,
  to: number,
  total: number,
): (done: number) => void {
  if (!onProgress) return () => undefined
  let reported = -1
  return (done) => {
    const fraction = from + (to - from) * (total > 0 ? Math.min(1, done / total) : 1)
    if (fraction - reported < 0.01 && done < total) return
    reported = fraction
    onProgress(fraction)
  }
}

/** Turns a workspace title into a safe file name stem: "Riverside Ward map" -> "riverside-ward-map". */
export function fileStem(title: string): string {
  const stem = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
  return stem || 'network-map'
}
