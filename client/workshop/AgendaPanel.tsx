import type { TFunction } from 'i18next'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type AgendaItem, WorkspaceError } from '../../model/index.ts'
import { explain } from '../forms/explain.ts'
import { useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import { useCan } from './permissions.ts'

/**
 * The workshop's agenda: the items in order with their planned minutes, the current one marked.
 * The facilitator plans it (add, rename, re-time, reorder, remove) and moves through it; the
 * timer in the session bar starts on an item's minutes when it is made current.
 */
export function AgendaPanel() {
  const { t } = useTranslation()
  const { agenda, facilitation } = useSnapshot()
  const facilitate = useCan('facilitate')
  const total = agenda.reduce((sum, item) => sum + item.minutes, 0)
  return (
    <div className="agenda">
      <h2>{t('agenda.heading')}</h2>
      {agenda.length === 0 ? (
        <p className="hint">{facilitate ? t('agenda.plan') : t('agenda.notSet')}</p>
      ) : (
        <p className="hint">
          {total > 0
            ? t('agenda.itemsInAll', { count: agenda.length, time: formatMinutes(t, total) })
            : t('agenda.items', { count: agenda.length })}
        </p>
      )}
      <ol aria-label={t('agenda.list')}>
        {agenda.map((item, index) => (
          <AgendaRow
            key={item.id}
            item={item}
            index={index}
            count={agenda.length}
            current={facilitation.currentItemId === item.id}
          />
        ))}
      </ol>
      {facilitate && <AddAgendaItem />}
    </div>
  )
}

/** A length of time as the agenda says it: "1 h 30 min", "45 min". */
function formatMinutes(t: TFunction, minutes: number): string {
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  if (hours === 0) return t('agenda.minutes', { count: rest })
  return rest > 0
    ? t('agenda.hoursMinutes', { count: hours, minutes: rest })
    : t('agenda.hours', { count: hours })
}

function useCommand(): [string | null, (action: () => unknown) => boolean] {
  const [error, setError] = useState<string | null>(null)
  const run = (action: () => unknown) => {
    try {
      action()
      setError(null)
      return true
    } catch (caught) {
      if (!(caught instanceof WorkspaceError)) throw caught
      setError(explain(caught))
      return false
    }
  }
  return [error, run]
}

function AgendaRow({
  item,
  index,
  count,
  current,
}: {
  item: AgendaItem
  index: number
  count: number
  current: boolean
}) {
  const { t } = useTranslation()
  const { workspace } = useWorkspaceUi().connection
  const facilitate = useCan('facilitate')
  const [editing, setEditing] = useState(false)
  const [error, run] = useCommand()
  const label =
    item.minutes > 0
      ? t('agenda.itemWithTime', { title: item.title, time: formatMinutes(t, item.minutes) })
      : item.title
  return (
    <li className={`card${current ? ' card--current' : ''}`} aria-current={current ? 'step' : undefined}>
      {editing ? (
        <AgendaForm
          initial={item}
          submitLabel={t('agenda.save')}
          onCancel={() => setEditing(false)}
          onSubmit={(fields) => run(() => workspace.updateAgendaItem(item.id, fields)) && setEditing(false)}
          error={error}
        />
      ) : (
        <div className="row">
          <span className="grow">
            <strong>{t('agenda.number', { number: index + 1 })} </strong>
            {item.title}
            {item.minutes > 0 && <span className="hint"> · {formatMinutes(t, item.minutes)}</span>}
            {current && <span className="hint"> · {t('agenda.now')}</span>}
          </span>
          {facilitate && (
            <>
              <button
                type="button"
                className="icon-button"
                aria-label={current ? t('agenda.restart', { label }) : t('agenda.makeCurrent', { label })}
                onClick={() => run(() => workspace.setCurrentItem(item.id, { startTimer: true }))}
              >
                ▶
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={t('agenda.moveUp', { name: item.title })}
                disabled={index === 0}
                onClick={() => run(() => workspace.moveAgendaItem(item.id, { at: index - 1 }))}
              >
                ↑
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={t('agenda.moveDown', { name: item.title })}
                disabled={index === count - 1}
                onClick={() => run(() => workspace.moveAgendaItem(item.id, { at: index + 1 }))}
              >
                ↓
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={t('agenda.edit', { name: item.title })}
                onClick={() => setEditing(true)}
              >
                ✎
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={t('agenda.remove', { name: item.title })}
                onClick={() => run(() => workspace.removeAgendaItem(item.id))}
              >
                ×
              </button>
            </>
          )}
        </div>
      )}
      {!editing && error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </li>
  )
}

function AddAgendaItem() {
  const { t } = useTranslation()
  const { workspace } = useWorkspaceUi().connection
  const [error, run] = useCommand()
  const [key, setKey] = useState(0)
  return (
    <AgendaForm
      key={key}
      initial={{ title: '', minutes: 10 }}
      submitLabel={t('agenda.add')}
      error={error}
      onSubmit={(fields) => {
        if (run(() => workspace.addAgendaItem(fields))) setKey((n) => n + 1)
      }}
    />
  )
}

function AgendaForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
  error,
}: {
  initial: { title: string; minutes: number }
  submitLabel: string
  onSubmit: (fields: { title: string; minutes: number }) => void
  onCancel?: () => void
  error: string | null
}) {
  const { t } = useTranslation()
  const [title, setTitle] = useState(initial.title)
  const [minutes, setMinutes] = useState(String(initial.minutes))
  const id = `agenda-${useId()}`
  const submit = (event: FormEvent) => {
    event.preventDefault()
    onSubmit({ title: title.trim(), minutes: minutes === '' ? 0 : Number(minutes) })
  }
  return (
    <form className="agenda__form" onSubmit={submit}>
      <label htmlFor={`${id}-title`}>{t('agenda.item')}</label>
      <input
        id={`${id}-title`}
        value={title}
        maxLength={200}
        required
        onChange={(event) => setTitle(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <label htmlFor={`${id}-minutes`}>{t('agenda.minutesLabel')}</label>
      <input
        id={`${id}-minutes`}
        type="number"
        inputMode="numeric"
        min={0}
        max={600}
        step={1}
        value={minutes}
        onChange={(event) => setMinutes(event.target.value)}
      />
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
      <div className="row row--end" style={{ marginTop: 8 }}>
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            {t('shared.cancel')}
          </button>
        )}
        <button type="submit" className="button button--primary">
          {submitLabel}
        </button>
      </div>
    </form>
  )
}
