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
