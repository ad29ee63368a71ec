import { intlLocale } from '../i18n/intl-locale.ts'

export type Direction = 'ascending' | 'descending'
export interface Sort<K extends string> {
  readonly key: K
  readonly direction: Direction
}

const collators = new Map<string, Intl.Collator>()
/** Sorts as the interface's language does (names in any script among them). */
function collator(): Intl.Collator {
  const locale = intlLocale()
  let found = collators.get(locale)
  if (!found) {
    found = new Intl.Collator(locale, { sensitivity: 'base', numeric: true })
    collators.set(locale, found)
  }
  return found
}

/** Rows sorted by a column, ties broken by `tieBreak`, so the order is stable as the data changes. */
export function sorted<T, K extends string>(
  rows: readonly T[],
  value: (row: T) => string | number,
  tieBreak: (row: T) => string,
  sort: Sort<K>,
): T[] {
  const sign = sort.direction === 'ascending' ? 1 : -1
  const compare = (a: string | number, b: string | number) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : collator().compare(String(a), String(b))
  return [...rows].sort(
    (a, b) => sign * (compare(value(a), value(b)) || collator().compare(tieBreak(a), tieBreak(b))),
  )
}
