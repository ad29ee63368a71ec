/** Prints benchmark figures side by side with their ratio to a reference run. */

/** A figure with `digits` decimals, or "n/a" when it could not be measured. */
export const fmt = (value: number, digits = 2): string =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a'

/** One printed row: its label, how to read it from a run's figures, and its decimals. */
export type Row<F> = readonly [label: string, pick: (figures: F) => number, digits: number]

/**
 * Prints each run's figures, one row per measure, each with its ratio to `reference` (a run of
 * the same benchmark in the same process, so machine noise affects both alike).
 */
export function printComparison<F>(
  results: readonly (readonly [string, F])[],
  reference: F,
  referenceName: string,
  rows: readonly Row<F>[],
): void {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2
  console.log('')
  for (const [name, figures] of results) {
    console.log(`## ${name}`)
    for (const [label, pick, digits] of rows) {
      const ratio = pick(reference) === 0 ? Number.NaN : pick(figures) / pick(reference)
      console.log(
        `  ${label.padEnd(width)} ${fmt(pick(figures), digits).padStart(10)}   ratio to ${referenceName} ${fmt(ratio)}`,
      )
    }
  }
}
