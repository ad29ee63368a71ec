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
import { useTranslation } from 'react-i18next'
import {
  type Actor,
  type ActorCreate,
  type ActorKind,
  actorKind,
  type Domain,
  type FieldInfo,
  formatExchanges,
  type Link,
  type LinkKind,
  linkKind,
} from '../../model/index.ts'
import { cellText, inputOf, inTableByDefault } from '../forms/field-input.ts'
import { RecordForm } from '../forms/RecordForm.tsx'
import { fieldLabel, fieldOf, setLabel, setOptions } from '../i18n/declared-words.ts'
import { intlLocale } from '../i18n/intl-locale.ts'
import { useCan } from '../workshop/permissions.ts'
import { useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import './panels.css'

export interface TableViewProps {
  placedActorIds: ReadonlySet<string>
  onPlaceOnMap: (actorId: string) => void
  onRemoveActor: (actorId: string) => void
  onRemoveLink: (linkId: string) => void
}

type Direction = 'ascending' | 'descending'
interface Sort<K extends string> {
  readonly key: K
  readonly direction: Direction
}
/** A declared field's key, or the count of links. */
type ActorColumn = string
type LinkColumn = 'from' | 'to' | 'kind'

/** Rows are keyed by record id (stable functions, so the table's index of keys is kept). */
const actorKey = (actor: Actor) => actor.id
const linkKey = (link: Link) => link.id

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
const money = new Map<string, Intl.NumberFormat>()

/** "£1,500.00": a funding amount in its currency (GBP unless the link says otherwise). */
function formatAmount(amount: number, currency: string): string {
  const key = `${intlLocale()} ${currency}`
  let format = money.get(key)
  if (!format) {
    format = new Intl.NumberFormat(intlLocale(), { style: 'currency', currency })
    money.set(key, format)
  }
  return format.format(amount)
}

/** A declared field's label by key, in the interface's language. */
function labelOf(kind: typeof actorKind | typeof linkKind, key: string): string {
  const field = fieldOf(kind, key)
  return field ? fieldLabel(field) : key
}

/** The actors and links of the workspace as filterable, sortable tables, with a quick add form. */
export function TableView({ placedActorIds, onPlaceOnMap, onRemoveActor, onRemoveLink }: TableViewProps) {
  const snapshot = useSnapshot()
  const canEdit = useCan('edit')
  const names = useMemo(
    () => new Map(snapshot.actors.map((actor) => [actor.id, actor.name])),
    [snapshot.actors],
  )
  return (
    <div className="table-view">
      {canEdit && <AddActorForm />}
      <ActorsTable
        actors={snapshot.actors}
        links={snapshot.links}
        placedActorIds={placedActorIds}
        onPlaceOnMap={onPlaceOnMap}
        onRemove={onRemoveActor}
      />
      <LinksTable links={snapshot.links} names={names} onRemove={onRemoveLink} />
    </div>
  )
}

/** The quick add form: an actor's name and kind, from the actor's declaration. */
function AddActorForm() {
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  const [added, setAdded] = useState('')
  return (
    <section className="table-view__add">
      <RecordForm
        mode="add"
        kind={actorKind}
        only={['name', 'kind']}
        initial={{ kind: 'organisation' }}
        title={t('table.addActor')}
        submitLabel={t('table.add')}
        create={(input) => connection.workspace.addActor(input as ActorCreate)}
        onAdded={(input) => setAdded(t('table.added', { name: String(input.name) }))}
      />
      <p role="status" className="table-view__status">
        {added}
      </p>
    </section>
  )
}

/** The actor fields a table can show as columns: everything a form can, but long texts. */
const ACTOR_COLUMNS = actorKind.fields.filter(
  (field) => !['hidden', 'long-text'].includes(inputOf(field)) && field.key !== 'name',
)

function ActorsTable(props: {
  actors: readonly Actor[]
  links: readonly Link[]
  placedActorIds: ReadonlySet<string>
  onPlaceOnMap: (actorId: string) => void
  onRemove: (actorId: string) => void
}) {
  const { t, i18n } = useTranslation()
  const { selection, select } = useWorkspaceUi()
  const id = useId()
  const [query, setQuery] = useState('')
  const [kind, setKind] = useState<ActorKind | ''>('')
  const [domain, setDomain] = useState<Domain | ''>('')
  const [sort, setSort] = useState<Sort<ActorColumn>>({ key: 'name', direction: 'ascending' })
  const [shown, setShown] = useState<ReadonlySet<string>>(
    () => new Set(ACTOR_COLUMNS.filter(inTableByDefault).map((field) => field.key)),
  )
  const columns = ACTOR_COLUMNS.filter((field) => shown.has(field.key))

  // Counted, filtered and sorted only when the data, filters or sort change: scrolling a
  // virtual table re-renders it many times a second, and sorting 5,000 actors each time would
  // make it stutter.
  const linkCounts = useMemo(() => {
    const counts = new Map<string, number>()
    for (const link of props.links) {
      for (const end of [link.from, link.to]) counts.set(end, (counts.get(end) ?? 0) + 1)
    }
    return counts
  }, [props.links])
  // The language words the labels sorted on and how they sort: a new one sorts again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the language is read through i18next
  const rows = useMemo(() => {
    const needle = query.trim().toLocaleLowerCase('en-GB')
    const matches = (actor: Actor) =>
      (!kind || actor.kind === kind) &&
      (!domain || actor.domains.includes(domain)) &&
      [
        actor.name,
        actor.area,
        ...actor.tags,
        formatExchanges(actor.offers),
        formatExchanges(actor.needs),
      ].some((text) => text.toLocaleLowerCase('en-GB').includes(needle))
    const byKey = new Map(ACTOR_COLUMNS.map((field) => [field.key, field]))
    const sortValue = (actor: Actor): string | number => {
      if (sort.key === 'links') return linkCounts.get(actor.id) ?? 0
      const field = byKey.get(sort.key)
      return field ? cellText(field, actor[field.key as keyof Actor]) : actor.name
    }
    return sorted(props.actors.filter(matches), sortValue, (actor) => actor.name, sort)
  }, [props.actors, linkCounts, query, kind, domain, sort, i18n.resolvedLanguage])
  const header = (label: string, column: ActorColumn) => (
    <SortHeader label={label} column={column} sort={sort} onSort={setSort} />
  )

  return (
    <TableSection
      title={t('table.actors')}
      filterLabel={t('table.filterActors')}
      count={t('table.actorsCount', { shown: rows.length, count: props.actors.length })}
      caption={t(`table.actorsCaption.${sort.direction}`, {
        column: sort.key === 'links' ? t('table.links') : labelOf(actorKind, sort.key),
      })}
      filters={
        <>
          <Labelled id={`${id}-search`} label={t('table.search')}>
            <input
              id={`${id}-search`}
              type="search"
              placeholder={t('table.searchPlaceholder')}
              value={query}
              onChange={(event) => setQuery(event.currentTarget.value)}
            />
          </Labelled>
          <Select
            id={`${id}-kind`}
            label={labelOf(actorKind, 'kind')}
            all={t('table.allKinds')}
            value={kind}
            options={setOptions('actorKinds')}
            onChange={(value) => setKind(value as ActorKind | '')}
          />
          <Select
            id={`${id}-domain`}
            label={t('table.domain')}
            all={t('table.allDomains')}
            value={domain}
            options={setOptions('domains')}
            onChange={(value) => setDomain(value as Domain | '')}
          />
          <ColumnChooser fields={ACTOR_COLUMNS} shown={shown} onChange={setShown} />
        </>
      }
      head={
        <>
          {header(labelOf(actorKind, 'name'), 'name')}
          {columns.map((field) => (
            <SortHeader
              key={field.key}
              label={fieldLabel(field)}
              column={field.key}
              sort={sort}
              onSort={setSort}
            />
          ))}
          {header(t('table.links'), 'links')}
          <th scope="col">{t('table.actions')}</th>
        </>
      }
      columns={columns.length + 3}
      empty={
        rows.length > 0 ? null : props.actors.length === 0 ? t('table.noActors') : t('table.noActorsMatch')
      }
      rows={rows}
      rowKey={actorKey}
      selectedKey={selection?.kind === 'actor' ? selection.id : undefined}
      cells={(actor) => (
        <>
          <th scope="row">{actor.name}</th>
          {columns.map((field) => (
            <td key={field.key}>{cellText(field, actor[field.key as keyof Actor])}</td>
          ))}
          <td className="table-view__number">{linkCounts.get(actor.id) ?? 0}</td>
          <RowActions
            subject={actor.name}
            onEdit={() => select({ kind: 'actor', id: actor.id })}
            onPlace={props.placedActorIds.has(actor.id) ? undefined : () => props.onPlaceOnMap(actor.id)}
            onRemove={() => props.onRemove(actor.id)}
          />
        </>
      )}
    />
  )
}

function LinksTable(props: {
  links: readonly Link[]
  names: ReadonlyMap<string, string>
  onRemove: (linkId: string) => void
}) {
  const { t, i18n } = useTranslation()
  const { selection, select } = useWorkspaceUi()
  const id = useId()
  const [kind, setKind] = useState<LinkKind | ''>('')
  const [sort, setSort] = useState<Sort<LinkColumn>>({ key: 'from', direction: 'ascending' })
  const unknown = t('table.unknownActor')
  const nameOf = (actorId: string) => props.names.get(actorId) ?? unknown
  // biome-ignore lint/correctness/useExhaustiveDependencies: the language is read through i18next
  const rows = useMemo(() => {
    const nameOf = (actorId: string) => props.names.get(actorId) ?? unknown
    const sortValue = (link: Link) =>
      sort.key === 'kind' ? setLabel('linkKinds', link.kind) : nameOf(link[sort.key])
    return sorted(
      props.links.filter((link) => !kind || link.kind === kind),
      sortValue,
      (link) => `${nameOf(link.from)}\u0000${nameOf(link.to)}`,
      sort,
    )
  }, [props.links, props.names, kind, sort, unknown, i18n.resolvedLanguage])
  const header = (label: string, column: LinkColumn) => (
    <SortHeader label={label} column={column} sort={sort} onSort={setSort} />
  )

  return (
    <TableSection
      title={t('table.links')}
      filterLabel={t('table.filterLinks')}
      count={t('table.linksCount', { shown: rows.length, count: props.links.length })}
      caption={t(`table.linksCaption.${sort.direction}`, { column: labelOf(linkKind, sort.key) })}
      filters={
        <Select
          id={`${id}-kind`}
          label={labelOf(linkKind, 'kind')}
          all={t('table.allKinds')}
          value={kind}
          options={setOptions('linkKinds')}
          onChange={(value) => setKind(value as LinkKind | '')}
        />
      }
      head={
        <>
          {header(labelOf(linkKind, 'from'), 'from')}
          {header(labelOf(linkKind, 'to'), 'to')}
          {header(labelOf(linkKind, 'kind'), 'kind')}
          <th scope="col">{labelOf(linkKind, 'label')}</th>
          <th scope="col">{labelOf(linkKind, 'amount')}</th>
          <th scope="col">{t('table.actions')}</th>
        </>
      }
      columns={6}
      empty={rows.length > 0 ? null : props.links.length === 0 ? t('table.noLinks') : t('table.noLinksMatch')}
      rows={rows}
      rowKey={linkKey}
      selectedKey={selection?.kind === 'link' ? selection.id : undefined}
      cells={(link) => (
        <>
          <td>{nameOf(link.from)}</td>
          <td>{nameOf(link.to)}</td>
          <td>
            {setLabel('linkKinds', link.kind)}
            {link.direction === 'mutual' && <span className="table-view__muted"> {t('table.mutual')}</span>}
          </td>
          <td>{link.label}</td>
          <td className="table-view__number">
            {link.kind === 'funding' && link.amount !== undefined
              ? formatAmount(link.amount, link.currency)
              : ''}
          </td>
          <RowActions
            subject={t('table.linkSubject', { from: nameOf(link.from), to: nameOf(link.to) })}
            onEdit={() => select({ kind: 'link', id: link.id })}
            onRemove={() => props.onRemove(link.id)}
          />
        </>
      )}
    />
  )
}

/** Rows sorted by a column, ties broken by `tieBreak`, so the order is stable as the data changes. */
function sorted<T, K extends string>(
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
function TableSection<T>(props: {
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

/**
 * Which declared fields the table shows: a disclosure of checkboxes, one per field a table can
 * show, so a field added to actors is offered here without other edits.
 */
function ColumnChooser(props: {
  fields: readonly FieldInfo[]
  shown: ReadonlySet<string>
  onChange: (shown: ReadonlySet<string>) => void
}) {
  const { t } = useTranslation()
  return (
    <details className="table-view__columns">
      <summary>{t('table.columns')}</summary>
      <fieldset>
        <legend className="table-view__vh">{t('table.columnsToShow')}</legend>
        {props.fields.map((field) => (
          <label key={field.key} className="table-view__column-choice">
            <input
              type="checkbox"
              checked={props.shown.has(field.key)}
              onChange={(event) => {
                const next = new Set(props.shown)
                if (event.currentTarget.checked) next.add(field.key)
                else next.delete(field.key)
                props.onChange(next)
              }}
            />
            {fieldLabel(field)}
          </label>
        ))}
      </fieldset>
    </details>
  )
}

function SortHeader<K extends string>(props: {
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

/** A row's buttons; each names its row for screen readers ("Edit Food bank"), not only "Edit". */
function RowActions(props: {
  subject: string
  onEdit: () => void
  onPlace?: () => void
  onRemove: () => void
}) {
  const { t } = useTranslation()
  const hidden = <span className="table-view__vh"> {props.subject}</span>
  const canEdit = useCan('edit')
  return (
    <td className="table-view__actions">
      <button type="button" onClick={props.onEdit}>
        {canEdit ? t('table.edit') : t('table.details')}
        {hidden}
      </button>
      {props.onPlace && canEdit && (
        <button type="button" onClick={props.onPlace}>
          {t('table.placeOnMap')}
          {hidden}
        </button>
      )}
      {canEdit && (
        <button type="button" className="table-view__danger" onClick={props.onRemove}>
          {t('table.remove')}
          {hidden}
        </button>
      )}
    </td>
  )
}

/** The id and error wiring of a control whose message, if any, sits below it. */
function described(id: string, error: string | undefined) {
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  }
}

function Labelled(props: { id: string; label: string; error?: string | undefined; children: ReactNode }) {
  return (
    <div className="table-view__field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.error && (
        <p id={`${props.id}-error`} className="table-view__error">
          {props.error}
        </p>
      )}
    </div>
  )
}

/** A labelled select over [value, label] options; `all` adds a first option with the value ''. */
function Select(props: {
  id: string
  label: string
  value: string
  options: readonly (readonly [value: string, label: string])[]
  all?: string
  error?: string
  onChange: (value: string) => void
}) {
  return (
    <Labelled id={props.id} label={props.label} error={props.error}>
      <select
        {...described(props.id, props.error)}
        value={props.value}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      >
        {props.all !== undefined && <option value="">{props.all}</option>}
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </Labelled>
  )
}
