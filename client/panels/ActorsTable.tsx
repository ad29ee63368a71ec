import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type Actor,
  type ActorKind,
  actorKind,
  type Domain,
  formatExchanges,
  type Link,
} from '../../model/index.ts'
import { cellText, inputOf, inTableByDefault } from '../forms/field-input.ts'
import { fieldLabel, setOptions } from '../i18n/declared-words.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'
import { ColumnChooser } from './ColumnChooser.tsx'
import { Labelled, Select } from './FilterFields.tsx'
import { RowActions } from './RowActions.tsx'
import { SortHeader } from './SortHeader.tsx'
import { TableSection } from './TableSection.tsx'
import { labelOf } from './table-labels.ts'
import { type Sort, sorted } from './table-sort.ts'

/** A declared field's key, or the count of links. */
type ActorColumn = string

/** Rows are keyed by record id (stable functions, so the table's index of keys is kept). */
const actorKey = (actor: Actor) => actor.id

/** The actor fields a table can show as columns: everything a form can, but long texts. */
const ACTOR_COLUMNS = actorKind.fields.filter(
  (field) => !['hidden', 'long-text'].includes(inputOf(field)) && field.key !== 'name',
)

/** The actors: filtered by words, kind and domain, sorted by any column shown, the columns chosen. */
export function ActorsTable(props: {
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
