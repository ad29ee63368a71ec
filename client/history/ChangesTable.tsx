import type { TFunction } from 'i18next'
import { useId } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import {
  ACTOR_DECLARATION,
  type Comparison,
  describeFieldChange,
  type FieldChange,
  LINK_DECLARATION,
} from '../../model/change/index.ts'
import type { Domain, Link } from '../../model/index.ts'
import type { RecordDeclaration } from '../../model/records/record.ts'
import { choiceLabel, fieldLabel, fieldOf, setLabel } from '../i18n/declared-words.ts'
import { intlLocale } from '../i18n/i18n.ts'
import { isolated } from './snapshot-words.ts'

type Mark = 'added' | 'removed' | 'changed'

interface Row {
  readonly key: string
  readonly kind: 'actor' | 'link'
  readonly mark: Mark
  readonly what: string
  readonly id: string
  readonly details: readonly { label: string; before?: string; after: string }[]
}

/** A link as people read it: "From → To" by the actors' names (↔ both ways), in the interface's language. */
export function linkEndsWords(
  link: Pick<Link, 'from' | 'to' | 'direction'>,
  names: ReadonlyMap<string, string>,
  t: TFunction,
): string {
  const ends = {
    from: isolated(names.get(link.from) ?? link.from),
    to: isolated(names.get(link.to) ?? link.to),
  }
  return link.direction === 'mutual'
    ? t('changes.table.linkEndsMutual', ends)
    : t('changes.table.linkEnds', ends)
}

/** "Housing Office → Youth Club (referral)". */
const linkWhat = (link: Link, names: ReadonlyMap<string, string>, t: TFunction) =>
  t('changes.table.linkWhat', {
    ends: linkEndsWords(link, names, t),
    kind: setLabel('linkKinds', link.kind).toLocaleLowerCase(intlLocale()),
  })

/** A list in the interface's language: "a, b and c" as its own punctuation has it. */
const listWords = (items: readonly string[]) =>
  new Intl.ListFormat(intlLocale(), { type: 'unit' }).format(items)

/**
 * A field's value before or after a change, in the interface's language: nothing, a yes or no, and
 * the labels the declaration gives its choices in the chosen language; any other value (a name, a
 * number, an amount, text) as the model shows it (`shown`).
 */
function valueWords(
  kind: RecordDeclaration,
  key: string,
  value: unknown,
  shown: string,
  t: TFunction,
): string {
  const field = fieldOf(kind, key)
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0))
    return t('changes.table.noValue')
  if (typeof value === 'boolean') return value ? t('forms.yes') : t('forms.no')
  if (field?.meta.labels) {
    if (typeof value === 'string') return choiceLabel(field, value)
    if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      return listWords(value.map((item) => choiceLabel(field, item)))
  }
  return shown === '(none)' ? t('changes.table.noValue') : shown
}

/**
 * What changed between the two states of a comparison, as a table: one row per actor or link
 * added, removed or changed, a changed one with each field's value before and after (labels
 * and choices in the declarations' words for the chosen language); then the new links across domains and the
 * disconnects resolved.
 */
export function ChangesTable({
  comparison,
  onSelect,
}: {
  comparison: Comparison
  /** Shows an actor or link on the live map; given when the later state is now. */
  onSelect?: (target: { kind: 'actor' | 'link'; id: string }) => void
}) {
  const { t } = useTranslation()
  const { changes, names } = comparison
  const id = useId()
  const fields = (kind: RecordDeclaration, list: readonly FieldChange[], before: object, after: object) =>
    list.map((change) => {
      // Labels and choices in the declaration's words for the chosen language (declared-words.ts).
      const shown = describeFieldChange(
        kind,
        change,
        before as Record<string, unknown>,
        after as Record<string, unknown>,
        names,
      )
      const field = fieldOf(kind, change.key)
      return {
        label: field ? fieldLabel(field) : shown.label,
        before: valueWords(kind, change.key, change.before, shown.before, t),
        after: valueWords(kind, change.key, change.after, shown.after, t),
      }
    })
  const domains = (list: readonly Domain[]) => list.map((domain) => setLabel('domains', domain))
  const rows: Row[] = [
    ...changes.actors.added.map((actor) => ({
      key: `actor-added-${actor.id}`,
      kind: 'actor' as const,
      mark: 'added' as const,
      what: actor.name,
      id: actor.id,
      details: [
        { label: t('changes.table.kind'), after: setLabel('actorKinds', actor.kind) },
        ...(actor.domains.length > 0
          ? [{ label: t('changes.table.domains'), after: listWords(domains(actor.domains)) }]
          : []),
      ],
    })),
    ...changes.actors.removed.map((actor) => ({
      key: `actor-removed-${actor.id}`,
      kind: 'actor' as const,
      mark: 'removed' as const,
      what: actor.name,
      id: actor.id,
      details: [{ label: t('changes.table.kind'), after: setLabel('actorKinds', actor.kind) }],
    })),
    ...changes.actors.changed.map((change) => ({
      key: `actor-changed-${change.id}`,
      kind: 'actor' as const,
      mark: 'changed' as const,
      what: change.after.name,
      id: change.id,
      details: fields(ACTOR_DECLARATION, change.fields, change.before, change.after),
    })),
    ...changes.links.added.map((link) => ({
      key: `link-added-${link.id}`,
      kind: 'link' as const,
      mark: 'added' as const,
      what: linkWhat(link, names, t),
      id: link.id,
      details: [],
    })),
    ...changes.links.removed.map((link) => ({
      key: `link-removed-${link.id}`,
      kind: 'link' as const,
      mark: 'removed' as const,
      what: linkWhat(link, names, t),
      id: link.id,
      details: [],
    })),
    ...changes.links.changed.map((change) => ({
      key: `link-changed-${change.id}`,
      kind: 'link' as const,
      mark: 'changed' as const,
      what: linkWhat(change.after, names, t),
      id: change.id,
      details: fields(LINK_DECLARATION, change.fields, change.before, change.after),
    })),
  ]
  const actorRows =
    changes.actors.added.length + changes.actors.removed.length + changes.actors.changed.length
  return (
    <>
      <h4 id={id}>
        {t('changes.table.summary', {
          count: actorRows,
          links: t('changes.counts.links', { count: rows.length - actorRows }),
        })}
      </h4>
      {rows.length === 0 ? (
        <p className="hint">{t('changes.table.nothing')}</p>
      ) : (
        <div className="history__table-wrap">
          <table className="history__table" aria-labelledby={id} data-testid="changes-table">
            <thead>
              <tr>
                <th scope="col">{t('changes.table.change')}</th>
                <th scope="col">{t('changes.table.what')}</th>
                <th scope="col">{t('changes.table.details')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} data-change={row.mark} data-record-id={row.id}>
                  <td>
                    <span className={`history__badge history__badge--${row.mark}`}>
                      {t(`changes.table.marks.${row.mark}`)}
                    </span>
                  </td>
                  <th scope="row">
                    {onSelect && row.mark !== 'removed' ? (
                      <button
                        type="button"
                        className="history__record"
                        title={t('shared.showOnMap')}
                        onClick={() => onSelect({ kind: row.kind, id: row.id })}
                      >
                        {row.what}
                      </button>
                    ) : (
                      row.what
                    )}
                  </th>
                  <td>
                    {row.details.map((detail) => (
                      <span key={detail.label} className="history__field">
                        {detail.before === undefined ? (
                          <Trans
                            i18nKey="changes.table.field"
                            values={{ label: detail.label, value: detail.after }}
                            components={[<bdi key="label" />, <bdi key="value" />]}
                          />
                        ) : (
                          <Trans
                            i18nKey="changes.table.fieldChange"
                            values={{ label: detail.label, before: detail.before, after: detail.after }}
                            components={[
                              <bdi key="label" />,
                              <del key="before" className="history__was" />,
                              <bdi key="after" />,
                            ]}
                          />
                        )}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h4>{t('changes.table.acrossHeading', { number: changes.newLinksAcrossDomains.length })}</h4>
      {changes.newLinksAcrossDomains.length === 0 ? (
        <p className="hint">{t('changes.table.acrossNone')}</p>
      ) : (
        <ul data-testid="new-across-domains">
          {changes.newLinksAcrossDomains.map((entry) => (
            <li key={entry.link.id}>
              {linkWhat(entry.link, names, t)}:{' '}
              {listWords(
                entry.pairs.map(([a, b]) => {
                  const [first, second] = domains([a, b])
                  return t('changes.table.domainPair', { a: first, b: second })
                }),
              )}
            </li>
          ))}
        </ul>
      )}
      <h4>{t('changes.table.resolvedHeading', { number: changes.disconnectsResolved.length })}</h4>
      {changes.disconnectsResolved.length === 0 ? (
        <p className="hint">{t('changes.table.resolvedNone')}</p>
      ) : (
        <ul data-testid="disconnects-resolved">
          {changes.disconnectsResolved.map((entry) => (
            <li key={entry.disconnect.id}>
              {t('changes.table.domainPair', {
                a: isolated(names.get(entry.disconnect.from) ?? entry.disconnect.from),
                b: isolated(names.get(entry.disconnect.to) ?? entry.disconnect.to),
              })}
              :{' '}
              {entry.now === 'tied'
                ? t('changes.table.nowJoined', {
                    kinds: listWords(
                      entry.ties.map((tie) =>
                        setLabel('linkKinds', tie.kind).toLocaleLowerCase(intlLocale()),
                      ),
                    ),
                  })
                : t('changes.table.takenOff')}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
