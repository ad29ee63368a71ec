import { useId } from 'react'
import {
  ACTOR_DECLARATION,
  type Comparison,
  describeFieldChange,
  type FieldChange,
  LINK_DECLARATION,
  linkEnds,
} from '../../model/change/index.ts'
import { ACTOR_KIND_LABELS, DOMAIN_LABELS, LINK_KIND_LABELS, type Link } from '../../model/index.ts'
import type { RecordDeclaration } from '../../model/records/record.ts'

type Mark = 'added' | 'removed' | 'changed'
const MARK_LABELS: Record<Mark, string> = { added: 'Added', removed: 'Removed', changed: 'Changed' }

interface Row {
  readonly key: string
  readonly kind: 'actor' | 'link'
  readonly mark: Mark
  readonly what: string
  readonly id: string
  readonly details: readonly { label: string; before?: string; after: string }[]
}

const linkWhat = (link: Link, names: ReadonlyMap<string, string>) =>
  `${linkEnds(link, names)} (${LINK_KIND_LABELS[link.kind].toLowerCase()})`

/**
 * What changed between the two states of a comparison, as a table: one row per actor or link
 * added, removed or changed, a changed one with each field's value before and after (labels
 * and values as the declarations give them); then the new links across domains and the
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
  const { changes, names } = comparison
  const id = useId()
  const fields = (kind: RecordDeclaration, list: readonly FieldChange[], before: object, after: object) =>
    list.map((change) =>
      describeFieldChange(
        kind,
        change,
        before as Record<string, unknown>,
        after as Record<string, unknown>,
        names,
      ),
    )
  const rows: Row[] = [
    ...changes.actors.added.map((actor) => ({
      key: `actor-added-${actor.id}`,
      kind: 'actor' as const,
      mark: 'added' as const,
      what: actor.name,
      id: actor.id,
      details: [
        { label: 'Kind', after: ACTOR_KIND_LABELS[actor.kind] },
        ...(actor.domains.length > 0
          ? [{ label: 'Domains', after: actor.domains.map((domain) => DOMAIN_LABELS[domain]).join(', ') }]
          : []),
      ],
    })),
    ...changes.actors.removed.map((actor) => ({
      key: `actor-removed-${actor.id}`,
      kind: 'actor' as const,
      mark: 'removed' as const,
      what: actor.name,
      id: actor.id,
      details: [{ label: 'Kind', after: ACTOR_KIND_LABELS[actor.kind] }],
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
      what: linkWhat(link, names),
      id: link.id,
      details: [],
    })),
    ...changes.links.removed.map((link) => ({
      key: `link-removed-${link.id}`,
      kind: 'link' as const,
      mark: 'removed' as const,
      what: linkWhat(link, names),
      id: link.id,
      details: [],
    })),
    ...changes.links.changed.map((change) => ({
      key: `link-changed-${change.id}`,
      kind: 'link' as const,
      mark: 'changed' as const,
      what: linkWhat(change.after, names),
      id: change.id,
      details: fields(LINK_DECLARATION, change.fields, change.before, change.after),
    })),
  ]
  const actorRows =
    changes.actors.added.length + changes.actors.removed.length + changes.actors.changed.length
  return (
    <>
      <h4 id={id}>
        {actorRows} actor{actorRows === 1 ? '' : 's'} and {rows.length - actorRows} link
        {rows.length - actorRows === 1 ? '' : 's'} changed
      </h4>
      {rows.length === 0 ? (
        <p className="hint">Nothing on the map changed.</p>
      ) : (
        <div className="history__table-wrap">
          <table className="history__table" aria-labelledby={id} data-testid="changes-table">
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Actor or link</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} data-change={row.mark} data-record-id={row.id}>
                  <td>
                    <span className={`history__badge history__badge--${row.mark}`}>
                      {MARK_LABELS[row.mark]}
                    </span>
                  </td>
                  <th scope="row">
                    {onSelect && row.mark !== 'removed' ? (
                      <button
                        type="button"
                        className="history__record"
                        title="Show on the map"
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
                        {detail.label}:{' '}
                        {detail.before !== undefined && (
                          <>
                            <del className="history__was">{detail.before}</del> →{' '}
                          </>
                        )}
                        {detail.after}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h4>New links across domains ({changes.newLinksAcrossDomains.length})</h4>
      {changes.newLinksAcrossDomains.length === 0 ? (
        <p className="hint">No new ties join different domains.</p>
      ) : (
        <ul data-testid="new-across-domains">
          {changes.newLinksAcrossDomains.map((entry) => (
            <li key={entry.link.id}>
              {linkWhat(entry.link, names)}:{' '}
              {entry.pairs.map(([a, b]) => `${DOMAIN_LABELS[a]} – ${DOMAIN_LABELS[b]}`).join(', ')}
            </li>
          ))}
        </ul>
      )}
      <h4>Disconnects resolved ({changes.disconnectsResolved.length})</h4>
      {changes.disconnectsResolved.length === 0 ? (
        <p className="hint">No disconnect between services was resolved.</p>
      ) : (
        <ul data-testid="disconnects-resolved">
          {changes.disconnectsResolved.map((entry) => (
            <li key={entry.disconnect.id}>
              {names.get(entry.disconnect.from) ?? entry.disconnect.from} –{' '}
              {names.get(entry.disconnect.to) ?? entry.disconnect.to}:{' '}
              {entry.now === 'tied'
                ? `now joined by ${entry.ties.map((tie) => LINK_KIND_LABELS[tie.kind].toLowerCase()).join(', ')}`
                : 'the disconnect was taken off the map'}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
