import { useEffect, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import { useWorkspaceData, useWorkspaceUi } from '../workspace-context.tsx'
import { fetchHistory, type HistoryEntry, historyTime, personWords } from './history-api.ts'
import type { ServerProblem } from './snapshot-api.ts'
import { serverProblemWords } from './snapshot-words.ts'
import './record-history.css'

/** How long after the record changes on this device its history is asked for again (the edit is saved by then). */
const REFRESH_AFTER_MS = 800

/**
 * Who changed this actor or link, and when, as the server recorded it (newest first), folded
 * away like the description: asked for only while open, and again after the record changes.
 * History is kept by the server, so it needs a connection; offline it says so.
 */
type Answer = { entries: HistoryEntry[] } | { error: ServerProblem } | null

export function RecordHistory({ kind, id }: { kind: 'actor' | 'link'; id: string }) {
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  // The record itself, so that an edit (here or on another device) brings its history up to date.
  const record = useWorkspaceData((snapshot) =>
    (kind === 'actor' ? snapshot.actors : snapshot.links).find((each) => each.id === id),
  )
  const [open, setOpen] = useState(false)
  const [answer, setAnswer] = useState<Answer>(null)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `record` is a trigger: ask again after it changes
  useEffect(() => {
    if (!open) return
    let current = true
    const timer = setTimeout(
      () => {
        void fetchHistory(connection.room, { record: id, limit: 50 }).then((result) => {
          if (current) setAnswer(result.ok ? { entries: result.value } : { error: result.error })
        })
      },
      answer === null ? 0 : REFRESH_AFTER_MS,
    )
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [open, id, record, connection.room])

  return (
    <details className="record-history" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t('history.summary')}</summary>
      {open && (
        <HistoryList
          answer={answer}
          id={id}
          kind={kind}
          name={record && 'name' in record ? record.name : null}
        />
      )}
    </details>
  )
}

function HistoryList(props: {
  answer: Answer
  id: string
  kind: 'actor' | 'link'
  /** What the record is called now (an actor's name), to say when a change was made under another. */
  name: string | null
}) {
  const { answer, id, kind, name } = props
  const { t } = useTranslation()
  if (answer === null) return <p role="status">{t('history.loadingRecord')}</p>
  if ('error' in answer)
    return <p role="status">{serverProblemWords(answer.error, t, t('history.needsConnection'))}</p>
  if (answer.entries.length === 0) {
    return <p className="record-history__muted">{t(`history.none.${kind}`)}</p>
  }
  return (
    <ol className="record-history__list" aria-label={t(`history.list.${kind}`)}>
      {answer.entries.map((entry, index) => {
        const change = entry.changes.find((each) => each.id === id)
        const others = entry.changes.length - 1
        return (
          // Entries have no id of their own in the API; their order is fixed for one answer.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={index}>
            <time dateTime={new Date(entry.at).toISOString()}>{historyTime(entry.at)}</time>{' '}
            <Trans
              i18nKey={`history.did.${change?.change ?? 'changed'}`}
              values={{ person: personWords(entry.by, t) }}
              components={[<strong key="person" />]}
            />
            {name !== null && change?.label && change.label !== name
              ? ` ${t('history.thenCalled', { name: change.label })}`
              : ''}
            {others > 0 && (
              <span className="record-history__muted"> {t('history.others', { count: others })}</span>
            )}
          </li>
        )
      })}
    </ol>
  )
}
