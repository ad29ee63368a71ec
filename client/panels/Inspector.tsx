import { type ChangeEvent, type KeyboardEvent, type ReactNode, useId, useState } from 'react'
import {
  ACTOR_KIND_LABELS,
  ACTOR_KINDS,
  type Actor,
  type ActorPatch,
  actorNoteKey,
  DOMAIN_LABELS,
  DOMAINS,
  type Domain,
  LINK_KIND_LABELS,
  LINK_KINDS,
  type Link,
  type LinkPatch,
  notesMap,
  WorkspaceError,
} from '../../model/index.ts'
import { NoteEditor } from '../notes/NoteEditor.tsx'
import { useCan } from '../workshop/permissions.ts'
import { type Selection, useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import './panels.css'

export interface InspectorProps {
  selection: Selection
  onClose: () => void
  onRemoveActor: (actorId: string) => void
  onRemoveLink: (linkId: string) => void
}

/** How a command went, as one field sees it: done, or refused (with a message if it is about that field). */
type Outcome = { ok: true } | { ok: false; message?: string }
type Commit = (text: string) => Outcome

const ACTOR_KIND_OPTIONS = ACTOR_KINDS.map((kind) => [kind, ACTOR_KIND_LABELS[kind]] as const)
const DOMAIN_OPTIONS = DOMAINS.map((domain) => [domain, DOMAIN_LABELS[domain]] as const)
const LINK_KIND_OPTIONS = LINK_KINDS.map((kind) => [kind, LINK_KIND_LABELS[kind]] as const)
const DIRECTION_OPTIONS = [
  ['directed', 'One way (from → to)'],
  ['mutual', 'Both ways (mutual)'],
] as const
const STRENGTH_OPTIONS: Options = [
  ['', 'Not said'],
  ...['1 (weak)', '2', '3', '4', '5 (strong)'].map((label, index) => [String(index + 1), label] as const),
]

/** Edits the selected actor or link; every change is one validated workspace command. */
export function Inspector({ selection, onClose, onRemoveActor, onRemoveLink }: InspectorProps) {
  const snapshot = useSnapshot()
  if (!selection) {
    return (
      <Panel eyebrow="Inspector" title="Nothing selected" onClose={onClose}>
        <p className="inspector__muted">Select an actor or a link on the map or in the table to edit it.</p>
      </Panel>
    )
  }
  if (selection.kind === 'actor') {
    const actor = snapshot.actors.find((candidate) => candidate.id === selection.id)
    if (!actor) return <Removed what="actor" onClose={onClose} />
    return <ActorEditor key={actor.id} actor={actor} onClose={onClose} onRemove={onRemoveActor} />
  }
  const link = snapshot.links.find((candidate) => candidate.id === selection.id)
  if (!link) return <Removed what="link" onClose={onClose} />
  return <LinkEditor key={link.id} link={link} onClose={onClose} onRemove={onRemoveLink} />
}

function Panel(props: {
  eyebrow: string
  title: string
  onClose?: () => void
  error?: string | null
  remove?: { label: string; onClick: () => void }
  children: ReactNode
}) {
  const headingId = useId()
  // A viewer reads the details; every control below the header is disabled for them.
  const canEdit = useCan('edit')
  return (
    <section className="inspector" aria-labelledby={headingId}>
      <header className="inspector__header">
        <h2 id={headingId}>
          <span className="inspector__eyebrow">{props.eyebrow}</span> {props.title}
        </h2>
        {props.onClose && (
          <button
            type="button"
            className="inspector__close"
            aria-label="Close inspector"
            onClick={props.onClose}
          >
            <span aria-hidden="true">×</span>
          </button>
        )}
      </header>
      {props.error && (
        <p role="alert" className="inspector__error">
          {props.error}
        </p>
      )}
      <fieldset className="inspector__body" disabled={!canEdit}>
        {props.children}
      </fieldset>
      {props.remove && canEdit && (
        <div className="inspector__footer">
          <button type="button" className="inspector__danger" onClick={props.remove.onClick}>
            {props.remove.label}
          </button>
        </div>
      )}
    </section>
  )
}

function Removed({ what, onClose }: { what: 'actor' | 'link'; onClose: () => void }) {
  return (
    <Panel eyebrow={what === 'actor' ? 'Actor' : 'Link'} title="Removed">
      <p role="status">{what === 'actor' ? 'This actor was removed.' : 'This link was removed.'}</p>
      <button type="button" aria-label="Close inspector" onClick={onClose}>
        Close
      </button>
    </Panel>
  )
}

/**
 * Runs an update command over some fields of a record. An input issue about one of those
 * fields goes back to the field; anything else goes to the editor's general error line.
 */
function useCommands<T extends object>(record: T) {
  const [general, setGeneral] = useState<string | null>(null)
  const run = (patch: object, command: () => unknown): Outcome => {
    const entries = Object.entries(patch)
    const current = record as Record<string, unknown>
    // Plain values the record already holds: writing them would only add noise to the history.
    if (entries.every(([key, value]) => typeof value !== 'object' && current[key] === value))
      return { ok: true }
    try {
      command()
      setGeneral(null)
      return { ok: true }
    } catch (error) {
      if (error instanceof WorkspaceError && error.code === 'invalid-input') {
        const fields = entries.map(([key]) => key)
        const issue = error.issues.find((candidate) => fields.includes(candidate.path.split('.')[0] ?? ''))
        if (issue) return { ok: false, message: issue.message }
      }
      setGeneral(describe(error))
      return { ok: false }
    }
  }
  return { general, run }
}

function describe(error: unknown): string {
  if (!(error instanceof WorkspaceError)) return `Something went wrong: ${String(error)}`
  if (error.code === 'not-found') return 'Someone else removed this just now.'
  if (error.code === 'newer-schema') {
    return 'This workspace was saved by a newer version of the app: reload the page to keep editing.'
  }
  return error.message.slice(error.command.length + 2)
}

/** How a field's text becomes the value its command is given (the model validates the result). */
const trim = (text: string) => text.trim()
const asIs = (text: string) => text
const upper = (text: string) => text.trim().toUpperCase()
const orNull = (text: string) => text || null

function ActorEditor(props: { actor: Actor; onClose: () => void; onRemove: (actorId: string) => void }) {
  const { actor } = props
  const { connection, select } = useWorkspaceUi()
  const snapshot = useSnapshot()
  const { general, run } = useCommands(actor)
  const update = (patch: ActorPatch) => run(patch, () => connection.workspace.updateActor(actor.id, patch))
  const set =
    (field: keyof ActorPatch, parse: (text: string) => unknown = trim) =>
    (text: string) =>
      update({ [field]: parse(text) } as ActorPatch)
  const names = new Map(snapshot.actors.map((other) => [other.id, other.name]))
  const links = snapshot.links.filter((link) => link.from === actor.id || link.to === actor.id)

  return (
    <Panel
      eyebrow="Actor"
      title={actor.name}
      onClose={props.onClose}
      error={general}
      remove={{ label: 'Remove from dataset', onClick: () => props.onRemove(actor.id) }}
    >
      <Field
        label="Name"
        value={actor.name}
        commit={(text) => (text.trim() ? set('name')(text) : { ok: false, message: 'Enter a name.' })}
      />
      <Field label="Kind" value={actor.kind} options={ACTOR_KIND_OPTIONS} commit={set('kind', asIs)} />
      <CheckboxGroup
        legend="Domains"
        value={actor.domains}
        options={DOMAIN_OPTIONS}
        commit={(domains) => update({ domains: domains as Domain[] })}
      />
      <Field label="Area or ward" value={actor.area} commit={set('area')} />
      <Field
        label="Reach"
        hint="In their own words, e.g. 400 families a year"
        value={actor.reach}
        commit={set('reach')}
      />
      <Field
        label="Summary"
        hint="A sentence or two, used in directory exports"
        control="textarea"
        value={actor.description}
        commit={set('description', asIs)}
      />
      <DescriptionNote actor={actor} />
      <Field label="Website" control="url" value={actor.website} commit={set('website')} />
      <Field label="Contact" value={actor.contact} commit={set('contact')} />
      <Field
        label="Tags"
        hint="Separate tags with commas"
        value={actor.tags.join(', ')}
        commit={(text) => {
          const tags = [...new Set(text.split(',').map((tag) => tag.trim()))].filter(Boolean)
          return tags.join('\n') === actor.tags.join('\n') ? { ok: true } : update({ tags })
        }}
      />
      <Field label="Charity number" value={actor.charityNumber} commit={set('charityNumber', upper)} />
      <Field label="Company number" value={actor.companyNumber} commit={set('companyNumber', upper)} />

      <section className="inspector__links" aria-label="Links of this actor">
        <h3>Links ({links.length})</h3>
        {links.length === 0 && <p className="inspector__muted">No links yet.</p>}
        <ul>
          {links.map((link) => {
            const outgoing = link.from === actor.id
            const other = names.get(outgoing ? link.to : link.from) ?? 'an unknown actor'
            const preposition = link.direction === 'mutual' ? 'with' : outgoing ? 'to' : 'from'
            return (
              <li key={link.id}>
                <button
                  type="button"
                  className="inspector__link-button"
                  onClick={() => select({ kind: 'link', id: link.id })}
                >
                  {LINK_KIND_LABELS[link.kind]} {preposition} <strong>{other}</strong>
                </button>
              </li>
            )
          })}
        </ul>
      </section>
    </Panel>
  )
}

/**
 * The actor's description: a collaborative note (headings, lists, links, mentions), folded away
 * unless it has something in it, so that the inspector stays short. The editor exists only while open.
 */
function DescriptionNote({ actor }: { actor: Actor }) {
  const { connection, select } = useWorkspaceUi()
  const [open, setOpen] = useState(
    () => (notesMap(connection.doc).get(actorNoteKey(actor.id))?.length ?? 0) > 0,
  )
  const hintId = useId()
  return (
    <details className="note-disclosure" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Description</summary>
      {open && (
        <>
          <p id={hintId} className="inspector__hint note-disclosure__hint">
            What they do, for whom, how to reach them; written together. Type @ to mention another actor.
          </p>
          <NoteEditor
            noteKey={actorNoteKey(actor.id)}
            label={`Description of ${actor.name}`}
            describedBy={hintId}
            compact
            onShowActor={(actorId) => select({ kind: 'actor', id: actorId })}
          />
        </>
      )}
    </details>
  )
}

function LinkEditor(props: { link: Link; onClose: () => void; onRemove: (linkId: string) => void }) {
  const { link } = props
  const { connection, select } = useWorkspaceUi()
  const snapshot = useSnapshot()
  const { general, run } = useCommands(link)
  const update = (patch: LinkPatch) => run(patch, () => connection.workspace.updateLink(link.id, patch))
  const set =
    (field: keyof LinkPatch, parse: (text: string) => unknown = trim) =>
    (text: string) =>
      update({ [field]: parse(text) } as LinkPatch)
  const nameOf = (id: string) => snapshot.actors.find((actor) => actor.id === id)?.name ?? 'Unknown actor'
  const ends = [
    ['From', link.from],
    ['To', link.to],
  ] as const

  return (
    <Panel
      eyebrow="Link"
      title={`${nameOf(link.from)} ${link.direction === 'mutual' ? '↔' : '→'} ${nameOf(link.to)}`}
      onClose={props.onClose}
      error={general}
      remove={{ label: 'Remove link', onClick: () => props.onRemove(link.id) }}
    >
      <dl className="inspector__ends">
        {ends.map(([term, actorId]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>
              <button
                type="button"
                className="inspector__link-button"
                onClick={() => select({ kind: 'actor', id: actorId })}
              >
                {nameOf(actorId)}
              </button>
            </dd>
          </div>
        ))}
      </dl>
      <Field label="Kind" value={link.kind} options={LINK_KIND_OPTIONS} commit={set('kind', asIs)} />
      <Field
        label="Direction"
        value={link.direction}
        options={DIRECTION_OPTIONS}
        commit={set('direction', asIs)}
      />
      <Field label="Label" value={link.label} commit={set('label')} />
      <Field
        label="Strength"
        value={link.strength === undefined ? '' : String(link.strength)}
        options={STRENGTH_OPTIONS}
        commit={set('strength', (text) => (text === '' ? null : Number(text)))}
      />
      {link.kind === 'funding' && (
        <fieldset className="inspector__group">
          <legend>Funding</legend>
          <Field
            label="Amount"
            inputMode="decimal"
            value={link.amount === undefined ? '' : String(link.amount)}
            commit={(text) => {
              const cleaned = text.replace(/[£,\s]/g, '')
              const amount = Number(cleaned)
              if (cleaned === '') return update({ amount: null })
              if (Number.isFinite(amount)) return update({ amount })
              return { ok: false, message: 'Enter the amount as a number, e.g. 1500' }
            }}
          />
          <Field
            label="Currency"
            hint="ISO code, e.g. GBP"
            value={link.currency}
            commit={set('currency', upper)}
          />
          <Field
            label="Period start"
            control="date"
            value={link.periodStart ?? ''}
            commit={set('periodStart', orNull)}
          />
          <Field
            label="Period end"
            control="date"
            value={link.periodEnd ?? ''}
            commit={set('periodEnd', orNull)}
          />
          <Field label="Purpose" value={link.purpose} commit={set('purpose')} />
        </fieldset>
      )}
      <Field label="Notes" control="textarea" value={link.notes} commit={set('notes', asIs)} />
    </Panel>
  )
}

// ---- fields ---------------------------------------------------------------------------------

type Options = readonly (readonly [value: string, label: string])[]

/**
 * A field's local draft of a stored value. The draft remembers the value it was made from, so
 * it is dropped as soon as that value changes under it (someone else edited the field); a
 * refused draft is kept, with its message, until the person fixes it.
 */
function useDraft(value: string, commit: Commit) {
  const [draft, setDraft] = useState<{ base: string; text: string; error?: string } | null>(null)
  const live = draft?.base === value ? draft : null
  const text = live ? live.text : value
  return {
    text,
    error: live?.error,
    dirty: live !== null,
    change: (next: string) => setDraft({ base: value, text: next, error: live?.error }),
    revert: () => setDraft(null),
    save: (next: string = text) => {
      if (next === value) return setDraft(null)
      const outcome = commit(next)
      setDraft(outcome.ok ? null : { base: value, text: next, error: outcome.message })
    },
  }
}

/**
 * One labelled control over a draft. Text inputs commit on blur and Enter (Escape drops the
 * draft), text areas on blur, selects and dates as soon as they change.
 */
function Field(props: {
  label: string
  value: string
  commit: Commit
  hint?: string
  control?: 'text' | 'url' | 'date' | 'textarea'
  inputMode?: 'decimal'
  options?: Options
}) {
  const draft = useDraft(props.value, props.commit)
  const id = useId()
  const describedBy = [props.hint && `${id}-hint`, draft.error && `${id}-error`].filter(Boolean).join(' ')
  const common = {
    id,
    value: draft.text,
    'aria-invalid': draft.error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  }
  const onChange = (event: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
    props.options || props.control === 'date'
      ? draft.save(event.currentTarget.value)
      : draft.change(event.currentTarget.value)
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault()
      draft.save()
    } else if (event.key === 'Escape' && draft.dirty) {
      event.stopPropagation()
      draft.revert()
    }
  }
  return (
    <div className="inspector__field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={`${id}-hint`} className="inspector__hint">
          {props.hint}
        </p>
      )}
      {props.options ? (
        <select {...common} onChange={onChange}>
          {props.options.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      ) : props.control === 'textarea' ? (
        <textarea {...common} rows={4} onChange={onChange} onBlur={() => draft.save()} />
      ) : props.control === 'date' ? (
        <input {...common} type="date" onChange={onChange} />
      ) : (
        <input
          {...common}
          type={props.control ?? 'text'}
          inputMode={props.inputMode}
          onChange={onChange}
          onBlur={() => draft.save()}
          onKeyDown={onKeyDown}
        />
      )}
      {draft.error && (
        <p id={`${id}-error`} className="inspector__error">
          {draft.error}
        </p>
      )}
    </div>
  )
}

function CheckboxGroup(props: {
  legend: string
  value: readonly string[]
  options: Options
  commit: (values: string[]) => Outcome
}) {
  const errorId = useId()
  // Kept in the options' order, so a draft compares equal to the stored list however it was ticked.
  const draft = useDraft(props.value.join(','), (text) => props.commit(text ? text.split(',') : []))
  const checked = new Set(draft.text ? draft.text.split(',') : [])
  const toggle = (option: string) => {
    if (!checked.delete(option)) checked.add(option)
    draft.save(
      props.options
        .map(([value]) => value)
        .filter((value) => checked.has(value))
        .join(','),
    )
  }
  return (
    <fieldset
      className="inspector__group inspector__checks"
      aria-invalid={draft.error ? true : undefined}
      aria-describedby={draft.error ? errorId : undefined}
    >
      <legend>{props.legend}</legend>
      {props.options.map(([value, label]) => (
        <label key={value} className="inspector__check">
          <input type="checkbox" checked={checked.has(value)} onChange={() => toggle(value)} />
          {label}
        </label>
      ))}
      {draft.error && (
        <p id={errorId} className="inspector__error">
          {draft.error}
        </p>
      )}
    </fieldset>
  )
}
