import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Link, type LinkKind, linkKind } from '../../model/index.ts'
import { setLabel, setOptions } from '../i18n/declared-words.ts'
import { intlLocale } from '../i18n/intl-locale.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'
import { Select } from './FilterFields.tsx'
import { RowActions } from './RowActions.tsx'
import { SortHeader } from './SortHeader.tsx'
import { TableSection } from './TableSection.tsx'
import { labelOf } from './table-labels.ts'
import { type Sort, sorted } from './table-sort.ts'

type LinkColumn = 'from' | 'to' | 'kind'

/** Rows are keyed by record id (stable functions, so the table's index of keys is kept). */
const linkKey = (link: Link) => link.id

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

/** The links: filtered by kind, sorted by either end or the kind, named by their actors' names. */
export function LinksTable(props: {
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
