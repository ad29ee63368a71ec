import type { Direction, Sort } from './table-sort.ts'

/** A column's header: a button that sorts by the column, ascending first, then the other way. */
export function SortHeader<K extends string>(props: {
  label: string
  column: K
  sort: Sort<K>
  onSort: (sort: Sort<K>) => void
}) {
  const active = props.sort.key === props.column
  const next: Direction = active && props.sort.direction === 'ascending' ? 'descending' : 'ascending'
  return (
    <th scope="col" aria-sort={active ? props.sort.direction : undefined}>
      <button
        type="button"
        className="table-view__sort"
        onClick={() => props.onSort({ key: props.column, direction: next })}
      >
        {props.label}
        <span aria-hidden="true" className="table-view__sort-icon">
          {active ? (props.sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  )
}
