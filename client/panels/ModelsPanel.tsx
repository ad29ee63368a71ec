import { type FormEvent, useId, useState } from 'react'
import type { EmergingModel, Theme } from '../../model/index.ts'
import type { Wording } from '../forms/explain.ts'
import { useCan, useMayRemove } from '../workshop/permissions.ts'
import { useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import {
  commitField,
  EditToggle,
  FormError,
  RemoveButton,
  StoredField,
  TextField,
  ThemeField,
  useAttempt,
} from './workshop-shared.tsx'

const WORDING: Wording = {
  link: 'Enter a web address starting with https:// (or http://), or leave it empty.',
}

/** Emerging models: examples of good practice elsewhere worth copying (name, where, why, link). */
export function ModelsPanel() {
  const snapshot = useSnapshot()
  const canEdit = useCan('edit')
  const mayRemove = useMayRemove()
  const headingId = useId()
  const models = [...snapshot.emergingModels].sort((a, b) => a.name.localeCompare(b.name))
  return (
    <section className="wb models" aria-labelledby={headingId}>
      <h2 id={headingId}>Emerging models</h2>
      <p className="hint">
        Good practice elsewhere that is worth copying here: a pilot, another borough’s way of working.
      </p>
      {models.length === 0 ? (
        <p className="wb-empty">No examples yet.</p>
      ) : (
        <ul className="models__list">
          {models.map((model) => (
            <ModelCard key={model.id} model={model} themes={snapshot.themes} mayRemove={mayRemove(model)} />
          ))}
        </ul>
      )}
      {canEdit && <AddModel themes={snapshot.themes} />}
    </section>
  )
}

/** The address as a person reads it: the host and path, without the scheme. */
function shownAddress(link: string): string {
  try {
    const url = new URL(link)
    return `${url.host}${url.pathname === '/' ? '' : url.pathname}`
  } catch {
    return link
  }
}

function ModelCard(props: { model: EmergingModel; themes: readonly Theme[]; mayRemove: boolean }) {
  const { model } = props
  const { connection } = useWorkspaceUi()
  const canEdit = useCan('edit')
  const [editing, setEditing] = useState(false)
  const { refusal, attempt } = useAttempt()
  const headingId = useId()
  const themeFieldId = useId()
  const theme = props.themes.find((candidate) => candidate.id === model.themeId)
  const update = (field: keyof EmergingModel, value: string) =>
    commitField(field, () => connection.workspace.updateEmergingModel(model.id, { [field]: value }), WORDING)
  return (
    <li className="card models__model" aria-labelledby={headingId}>
      <h3 id={headingId}>{model.name}</h3>
      {(model.where || theme) && (
        <p className="hint">
          {model.where && <span>{model.where}</span>}
          {model.where && theme && ' · '}
          {theme && <span>Theme: {theme.title}</span>}
        </p>
      )}
      {model.why && <p className="models__why">{model.why}</p>}
      {model.link && (
        <p>
          <a href={model.link} target="_blank" rel="noopener noreferrer" className="models__link">
            {shownAddress(model.link)}
            <span className="visually-hidden"> (about {model.name}, opens in a new tab)</span>
          </a>
        </p>
      )}
      {canEdit && (
        <div className="row row--end">
          <EditToggle editing={editing} onToggle={() => setEditing(!editing)} describedBy={headingId} />
        </div>
      )}
      {editing && canEdit && (
        <div className="wb-options">
          <StoredField label="Name" value={model.name} commit={(text) => update('name', text.trim())} />
          <StoredField label="Where" value={model.where} commit={(text) => update('where', text.trim())} />
          <StoredField
            label="Why it matters here"
            multiline
            value={model.why}
            commit={(text) => update('why', text)}
          />
          <StoredField
            label="Link"
            type="url"
            value={model.link}
            commit={(text) => update('link', text.trim())}
          />
          <ThemeField
            id={themeFieldId}
            label="Theme it answers"
            value={model.themeId}
            themes={props.themes}
            onChange={(themeId) =>
              attempt(() => connection.workspace.updateEmergingModel(model.id, { themeId }))
            }
          />
          {props.mayRemove && (
            <div className="row row--end">
              <RemoveButton
                label="Remove example"
                onRemove={() => attempt(() => connection.workspace.removeEmergingModel(model.id))}
              />
            </div>
          )}
          <FormError refusal={refusal} />
        </div>
      )}
    </li>
  )
}

function AddModel({ themes }: { themes: readonly Theme[] }) {
  const { connection } = useWorkspaceUi()
  const empty = { name: '', where: '', why: '', link: '', themeId: '' }
  const [draft, setDraft] = useState(empty)
  const { refusal, attempt } = useAttempt(WORDING)
  const themeFieldId = useId()
  const headingId = useId()
  const set = (field: keyof typeof empty) => (value: string) => setDraft({ ...draft, [field]: value })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    // The workspace writes this person's author id on it (see WorkspaceConnection.authorId).
    const added = attempt(() => {
      connection.workspace.addEmergingModel({
        name: draft.name.trim(),
        where: draft.where.trim(),
        why: draft.why.trim(),
        link: draft.link.trim(),
        ...(draft.themeId ? { themeId: draft.themeId } : {}),
      })
    })
    if (added) {
      setDraft(empty)
    }
  }
  return (
    <form className="wb-add card" onSubmit={submit} aria-labelledby={headingId} noValidate>
      <h3 id={headingId}>Add an example</h3>
      <TextField label="Name" value={draft.name} onChange={set('name')} error={refusal.fields.name} />
      <TextField
        label="Where"
        placeholder="e.g. Wigan, or the organisation running it"
        value={draft.where}
        onChange={set('where')}
        error={refusal.fields.where}
      />
      <TextField
        label="Why it matters here"
        multiline
        value={draft.why}
        onChange={set('why')}
        error={refusal.fields.why}
      />
      <TextField
        label="Link (optional)"
        type="url"
        placeholder="https://…"
        value={draft.link}
        onChange={set('link')}
        error={refusal.fields.link}
      />
      {themes.length > 0 && (
        <div className="wb-field">
          <label htmlFor={themeFieldId}>Theme it answers (optional)</label>
          <select
            id={themeFieldId}
            value={draft.themeId}
            onChange={(event) => set('themeId')(event.currentTarget.value)}
          >
            <option value="">None</option>
            {themes.map((theme) => (
              <option key={theme.id} value={theme.id}>
                {theme.title}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="row row--end">
        <button type="submit" className="wb-button wb-button--primary">
          Add example
        </button>
      </div>
      <FormError refusal={refusal} />
    </form>
  )
}
