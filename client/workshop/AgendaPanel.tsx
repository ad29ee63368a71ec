import { type FormEvent, useState } from 'react'
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
  const { agenda, facilitation } = useSnapshot()
  const facilitate = useCan('facilitate')
  const total = agenda.reduce((sum, item) => sum + item.minutes, 0)
  return (
    <div className="agenda">
      <h2>Agenda</h2>
      {agenda.length === 0 ? (
        <p className="hint">
          {facilitate
            ? 'Plan the session: add the items you will work through, with the minutes for each.'
            : 'The facilitator has not set an agenda.'}
        </p>
      ) : (
        <p className="hint">
          {agenda.length} item{agenda.length === 1 ? '' : 's'}
          {total > 0 ? `, ${formatMinutes(total)} in all` : ''}
        </p>
      )}
      <ol aria-label="Agenda items">
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

function formatMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return hours > 0 ? `${hours} h${rest > 0 ? ` ${rest} min` : ''}` : `${rest} min`
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
  const { workspace } = useWorkspaceUi().connection
  const facilitate = useCan('facilitate')
  const [editing, setEditing] = useState(false)
  const [error, run] = useCommand()
  const label = `${item.title}${item.minutes > 0 ? `, ${formatMinutes(item.minutes)}` : ''}`
  return (
    <li className={`card${current ? ' card--current' : ''}`} aria-current={current ? 'step' : undefined}>
      {editing ? (
        <AgendaForm
          initial={item}
          submitLabel="Save"
          onCancel={() => setEditing(false)}
          onSubmit={(fields) => run(() => workspace.updateAgendaItem(item.id, fields)) && setEditing(false)}
          error={error}
        />
      ) : (
        <div className="row">
          <span className="grow">
            <strong>{index + 1}. </strong>
            {item.title}
            {item.minutes > 0 && <span className="hint"> · {formatMinutes(item.minutes)}</span>}
            {current && <span className="hint"> · now</span>}
          </span>
          {facilitate && (
            <>
              <button
                type="button"
                className="icon-button"
                aria-label={current ? `Restart the timer on ${label}` : `Make ${label} the current item`}
                onClick={() => run(() => workspace.setCurrentItem(item.id, { startTimer: true }))}
              >
                ▶
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Move ${item.title} up`}
                disabled={index === 0}
                onClick={() => run(() => workspace.moveAgendaItem(item.id, { at: index - 1 }))}
              >
                ↑
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Move ${item.title} down`}
                disabled={index === count - 1}
                onClick={() => run(() => workspace.moveAgendaItem(item.id, { at: index + 1 }))}
              >
                ↓
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Edit ${item.title}`}
                onClick={() => setEditing(true)}
              >
                ✎
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${item.title}`}
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
  const { workspace } = useWorkspaceUi().connection
  const [error, run] = useCommand()
  const [key, setKey] = useState(0)
  return (
    <AgendaForm
      key={key}
      initial={{ title: '', minutes: 10 }}
      submitLabel="Add item"
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
  const [title, setTitle] = useState(initial.title)
  const [minutes, setMinutes] = useState(String(initial.minutes))
  const id = `agenda-${submitLabel.replace(/\s/g, '-').toLowerCase()}-${initial.title.length}`
  const submit = (event: FormEvent) => {
    event.preventDefault()
    onSubmit({ title: title.trim(), minutes: minutes === '' ? 0 : Number(minutes) })
  }
  return (
    <form className="agenda__form" onSubmit={submit}>
      <label htmlFor={`${id}-title`}>Item</label>
      <input
        id={`${id}-title`}
        value={title}
        maxLength={200}
        required
        onChange={(event) => setTitle(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <label htmlFor={`${id}-minutes`}>Minutes</label>
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
            Cancel
          </button>
        )}
        <button type="submit" className="button button--primary">
          {submitLabel}
        </button>
      </div>
    </form>
  )
}
