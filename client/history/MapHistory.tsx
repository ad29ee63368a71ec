import type { TFunction } from 'i18next'
import { useCallback, useEffect, useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { MapBinding } from '../canvas/map-binding.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'
import { linkEndsWords } from './ChangesTable.tsx'
import {
  changeWords,
  fetchHistory,
  type HistoryEntry,
  historyTime,
  personWords,
  type RecordChange,
} from './history-api.ts'
import type { ServerProblem } from './snapshot-api.ts'
import { serverProblemWords } from './snapshot-words.ts'
import './record-history.css'

/** How many entries the list asks for; "select everything this person added" asks for more. */
const LIST_LIMIT = 200
const PERSON_LIMIT = 500
/** Changes named in one entry before "and N more". */
const SHOWN_CHANGES = 6

/** One person as history names them: by invite (or device) id, or by name where there is none. */
interface Person {
  readonly key: string
  readonly id: string
  readonly words: string
  readonly by: NonNullable<HistoryEntry['by']>
}

const personOf = (by: HistoryEntry['by'], t: TFunction): Person | null =>
  by ? { key: by.id || `name:${by.name}:${by.role}`, id: by.id, words: personWords(by, t), by } : null

/** Why the history could not be had, in a sentence. */
const problemWords = (problem: ServerProblem, t: TFunction) =>
  serverProblemWords(problem, t, t('history.needsConnection'))

/**
 * The whole map's history, newest first: who added, changed and removed which records, as the
 * server recorded it at each commit. Filter by person, and select on the map every actor that
 * person added (still on the map), as a peer mapper offers. Mounted under the Changes tab.
 */
export function MapHistory({ binding, onShowMap }: { binding: MapBinding | null; onShowMap?: () => void }) {
  const { t } = useTranslation()
  const { connection, select } = useWorkspaceUi()
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null)
  const [error, setError] = useState<ServerProblem | null>(null)
  const [personKey, setPersonKey] = useState('')
  /** What "Select everything they added" did, said when shown (so it follows a change of language). */
  const [status, setStatus] = useState<((t: TFunction) => string) | null>(null)
  const headingId = useId()
  const filterId = useId()

  const load = useCallback(async () => {
    const result = await fetchHistory(connection.room, { limit: LIST_LIMIT })
    if (result.ok) {
      setEntries(result.value)
      setError(null)
    } else setError(result.error)
  }, [connection.room])
  useEffect(() => {
    void load()
  }, [load])

  const people = useMemo(() => {
    const found = new Map<string, Person>()
    for (const entry of entries ?? []) {
      const person = personOf(entry.by, t)
      if (person && !found.has(person.key)) found.set(person.key, person)
    }
    return [...found.values()]
  }, [entries, t])
  const person = people.find((each) => each.key === personKey) ?? null
  const shown = (entries ?? []).filter(
    (entry) => person === null || personOf(entry.by, t)?.key === person.key,
  )

  /** Every actor the person added that is still on the map, selected on the canvas. */
  const selectAdded = async (who: Person) => {
    let theirs: HistoryEntry[]
    if (who.id) {
      const result = await fetchHistory(connection.room, { by: who.id, limit: PERSON_LIMIT })
      if (!result.ok) {
        const problem = result.error
        setStatus(() => (t: TFunction) => problemWords(problem, t))
        return
      }
      theirs = result.value
    } else theirs = (entries ?? []).filter((entry) => personOf(entry.by, t)?.key === who.key)
    const added = new Set(
      theirs.flatMap((entry) =>
        entry.changes
          .filter((change) => change.kind === 'actor' && change.change === 'added')
          .map((c) => c.id),
      ),
    )
    const present = new Set(connection.workspace.actors().map((actor) => actor.id))
    const still = [...added].filter((id) => present.has(id))
    const shown = binding ? binding.showOnMap(still.map((id) => ({ kind: 'actor' as const, id }))) : 0
    if (shown > 0) onShowMap?.()
    const gone = added.size - still.length
    const boxes = shown
    const by = who.by
    setStatus(() => (t: TFunction) => {
      const selected = t('history.selected', {
        count: still.length,
        boxes: t('history.boxes', { count: boxes }),
        person: personWords(by, t),
      })
      return gone > 0
        ? t('history.selectedAndRemoved', { selected, removed: t('history.removedSince', { count: gone }) })
        : t('history.selectedSentence', { selected })
    })
  }

  const show = (change: RecordChange) => {
    if (change.kind !== 'actor' && change.kind !== 'link') return
    onShowMap?.()
    select({ kind: change.kind, id: change.id })
  }
  /**
   * The change with the record's name as it is now, where the record is still there: history
   * keeps the name it had when the change was recorded (an actor added from the toolbar is named
   * just after), which is what a removed record keeps.
   */
  const named = (change: RecordChange): RecordChange => {
    const { workspace } = connection
    if (change.kind === 'actor') {
      const name = workspace.actor(change.id)?.name
      return name ? { ...change, label: name } : change
    }
    const link = change.kind === 'link' ? workspace.link(change.id) : undefined
    const from = link && workspace.actor(link.from)?.name
    const to = link && workspace.actor(link.to)?.name
    return link && from && to
      ? {
          ...change,
          label: linkEndsWords(
            link,
            new Map([
              [link.from, from],
              [link.to, to],
            ]),
            t,
          ),
        }
      : change
  }
  const present = (change: RecordChange) =>
    change.change !== 'removed' &&
    (change.kind === 'actor'
      ? connection.workspace.actor(change.id) !== undefined
      : change.kind === 'link' && connection.workspace.link(change.id) !== undefined)

  return (
    <section className="map-history" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('history.heading')}</h3>
      <div className="map-history__controls">
        <label htmlFor={filterId}>
          {t('history.personLabel')}{' '}
          <select id={filterId} value={personKey} onChange={(event) => setPersonKey(event.target.value)}>
            <option value="">{t('history.everyone')}</option>
            {people.map((each) => (
              <option key={each.key} value={each.key}>
                {each.words}
              </option>
            ))}
          </select>
        </label>
        {person && (
          <button type="button" onClick={() => void selectAdded(person)} disabled={binding === null}>
            {t('history.selectAdded')}
          </button>
        )}
        <button type="button" onClick={() => void load()}>
          {t('history.refresh')}
        </button>
      </div>
      <p role="status" className="map-history__muted">
        {status?.(t)}
      </p>
      {error && <p role="alert">{problemWords(error, t)}</p>}
      {entries === null && !error && <p role="status">{t('history.loading')}</p>}
      {entries !== null && shown.length === 0 && <p className="map-history__muted">{t('history.noneYet')}</p>}
      {shown.length > 0 && (
        <ol className="map-history__list" aria-label={t('history.mapList')}>
          {shown.map((entry, index) => (
            // Entries have no id of their own in the API; their order is fixed for one answer.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={index}>
              <time dateTime={new Date(entry.at).toISOString()}>{historyTime(entry.at)}</time>{' '}
              <strong>{personWords(entry.by, t)}</strong>:{' '}
              <ul className="map-history__changes">
                {entry.changes.slice(0, SHOWN_CHANGES).map((change) => (
                  <li key={`${change.kind}/${change.id}`}>
                    {present(change) ? (
                      <button type="button" className="map-history__change" onClick={() => show(change)}>
                        {changeWords(named(change), t)}
                      </button>
                    ) : (
                      changeWords(named(change), t)
                    )}
                  </li>
                ))}
              </ul>
              {entry.changes.length > SHOWN_CHANGES && (
                <span className="map-history__muted">
                  {' '}
                  {t('history.more', { count: entry.changes.length - SHOWN_CHANGES })}
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
