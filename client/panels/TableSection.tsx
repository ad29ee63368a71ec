import { defaultRangeExtractor, type Range, useVirtualizer } from '@tanstack/react-virtual'
import {
  type KeyboardEvent,
  type FocusEvent as ReactFocusEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react'

/** A row's height before it is measured: a 44px button, its cell's padding and the border. */
const ESTIMATED_ROW_PX = 57
/** Rows drawn beyond each edge of the visible ones, so Tab and the arrows always find a next row. */
const OVERSCAN = 8

/**
 * A headed section holding a table's filters, its live count and the table, virtualised: only the
 * rows in view (and a few either side) are in the DOM, between two spacer rows of the missing
 * rows' height, so a 5,000-row table scrolls smoothly. It stays a real `<table>`: the header is
 * row 1 of `aria-rowcount` (every row, rendered or not) and each rendered row says its
 * `aria-rowindex`, so a screen reader announces "row 2,001 of 5,001". The header sticks to the
 * top of the table's own scroll box.
 *
 * Keyboard: Tab moves through the rendered rows' buttons, and the overscan rows below the view
 * mean the next row is always there to take focus (the browser scrolls it into view, which
 * renders the rows after it). The up and down arrows move to the same button of the row above
 * or below, scrolling it in first if needed. The row holding focus is kept rendered however far
 * the table is scrolled, so focus is never lost with an unmounted row. A row selected elsewhere
 * (on the map, or by its Edit button) is scrolled into view.
 */
export function TableSection<T>(props: {
  title: string
  /** The filters' legend ("Filter actors"). */
  filterLabel: string
  count: string
  caption: string
  filters: ReactNode
  head: ReactNode
  empty: string | null
  /** How many columns the table has, so the empty message spans them all. */
  columns: number
  rows: readonly T[]
  rowKey: (row: T) => string
  /** The key of the selected row, if it is in this table. */
  selectedKey: string | undefined
  cells: (row: T) => ReactNode
}) {
  const id = useId()
  const scrollRef = useRef<HTMLDivElement>(null)
  const headRef = useRef<HTMLTableSectionElement>(null)
  const { rows, rowKey } = props
  const indexOf = useMemo(() => new Map(rows.map((row, index) => [rowKey(row), index])), [rows, rowKey])

  // The row holding focus, by key (its index moves when rows are added, removed or re-sorted).
  const [focusedKey, setFocusedKey] = useState<string>()
  const focusedIndex = useRef<number | undefined>(undefined)
  focusedIndex.current = focusedKey === undefined ? undefined : indexOf.get(focusedKey)
  const rangeExtractor = useCallback((range: Range) => {
    const indexes = defaultRangeExtractor(range)
    const focused = focusedIndex.current
    if (focused === undefined || indexes.includes(focused)) return indexes
    return [...indexes, focused].sort((a, b) => a - b)
  }, [])

  // The header's height: rows start below it, and scrolling to a row must not hide it under it.
  const headHeight = headRef.current?.offsetHeight ?? 45
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    getItemKey: (index) => rowKey(rows[index] as T),
    overscan: OVERSCAN,
    rangeExtractor,
    scrollMargin: headHeight,
    scrollPaddingStart: headHeight,
  })

  // Scroll the selected row into view when the selection changes (or the table opens with one),
  // not whenever the rows change: that would snatch the view back while someone scrolls.
  const selectedIndex = props.selectedKey === undefined ? undefined : indexOf.get(props.selectedKey)
  const selectedIndexRef = useRef(selectedIndex)
  selectedIndexRef.current = selectedIndex
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new selection scrolls.
  useEffect(() => {
    const index = selectedIndexRef.current
    if (index !== undefined) virtualizer.scrollToIndex(index, { align: 'auto' })
  }, [props.selectedKey, virtualizer])

  const onFocus = (event: ReactFocusEvent<HTMLTableSectionElement>) => {
    const row = (event.target as Element).closest<HTMLElement>('tr[data-key]')
    setFocusedKey(row?.dataset.key)
  }
  const onBlur = (event: ReactFocusEvent<HTMLTableSectionElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocusedKey(undefined)
  }

  /** Focuses the `position`th button of row `index`, scrolling the row in and waiting for it first. */
  const focusRow = (index: number, position: number) => {
    const find = () =>
      scrollRef.current?.querySelector<HTMLElement>(`tbody tr[data-index="${index}"]`) ?? null
    const focusIn = (row: HTMLElement) => {
      const buttons = row.querySelectorAll<HTMLButtonElement>('button')
      buttons[Math.min(position, buttons.length - 1)]?.focus()
    }
    const row = find()
    if (row) return focusIn(row)
    virtualizer.scrollToIndex(index, { align: 'auto' })
    let frames = 0
    const retry = () => {
      const found = find()
      if (found) focusIn(found)
      else if (frames++ < 20) requestAnimationFrame(retry)
    }
    requestAnimationFrame(retry)
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 }[event.key]
    if (step === undefined || event.altKey || event.ctrlKey || event.metaKey) return
    const button = event.target as Element
    const row = button.closest<HTMLElement>('tr[data-index]')
    if (!row || button.tagName !== 'BUTTON') return
    const next = Math.max(0, Math.min(rows.length - 1, Number(row.dataset.index) + step))
    event.preventDefault()
    focusRow(next, [...row.querySelectorAll('button')].indexOf(button as HTMLButtonElement))
  }

  const items = virtualizer.getVirtualItems()
  const body: ReactNode[] = []
  // Spacer rows stand in for the rows not drawn, above, between (the kept focused row may be
  // apart from the rest) and below the drawn ones; they are hidden from screen readers.
  const spacer = (key: string, height: number) =>
    height > 0 && (
      // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an empty row with nothing to focus.
      <tr key={key} aria-hidden="true" className="table-view__spacer">
        <td colSpan={props.columns} style={{ height }} />
      </tr>
    )
  let drawnTo = 0
  for (const item of items) {
    const row = rows[item.index] as T
    const key = rowKey(row)
    const selected = key === props.selectedKey
    body.push(spacer(`gap-${item.index}`, item.start - headHeight - drawnTo))
    body.push(
      <tr
        key={key}
        ref={virtualizer.measureElement}
        data-index={item.index}
        data-key={key}
        aria-rowindex={item.index + 2}
        aria-selected={selected}
        className={selected ? 'is-selected' : undefined}
      >
        {props.cells(row)}
      </tr>,
    )
    drawnTo = item.end - headHeight
  }
  body.push(spacer('gap-end', virtualizer.getTotalSize() - drawnTo))

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{props.title}</h2>
      <fieldset className="table-view__filters">
        <legend>{props.filterLabel}</legend>
        {props.filters}
      </fieldset>
      <p className="table-view__count" aria-live="polite">
        {props.count}
      </p>
      <div className="table-view__scroll" ref={scrollRef}>
        <table aria-rowcount={(props.empty ? 1 : rows.length) + 1}>
          <caption className="table-view__vh">{props.caption}</caption>
          <thead ref={headRef}>
            <tr aria-rowindex={1}>{props.head}</tr>
          </thead>
          <tbody onFocus={onFocus} onBlur={onBlur} onKeyDown={onKeyDown}>
            {props.empty && (
              <tr aria-rowindex={2}>
                <td colSpan={props.columns} className="table-view__empty">
                  {props.empty}
                </td>
              </tr>
            )}
            {body}
          </tbody>
        </table>
      </div>
    </section>
  )
}
