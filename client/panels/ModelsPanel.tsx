import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type EmergingModel,
  type EmergingModelCreate,
  type EmergingModelPatch,
  emergingModelKind,
  type Theme,
} from '../../model/index.ts'
import { RecordForm } from '../forms/RecordForm.tsx'
import { useCan, useMayRemove } from '../workshop/permissions.ts'
import { useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import { EditToggle, FormError, RemoveButton, useAttempt } from './workshop-shared.tsx'

/** Emerging models: examples of good practice elsewhere worth copying (name, where, why, link). */
export function ModelsPanel() {
  const { t } = useTranslation()
  const snapshot = useSnapshot()
  const canEdit = useCan('edit')
  const mayRemove = useMayRemove()
  const headingId = useId()
  const models = [...snapshot.emergingModels].sort((a, b) => a.name.localeCompare(b.name))
  return (
    <section className="wb models" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('models.heading')}</h2>
      <p className="hint">{t('models.hint')}</p>
      {models.length === 0 ? (
        <p className="wb-empty">{t('models.noneYet')}</p>
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
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  const canEdit = useCan('edit')
  const [editing, setEditing] = useState(false)
  const { refusal, attempt } = useAttempt()
  const [general, setGeneral] = useState<string | null>(null)
  const headingId = useId()
  const theme = props.themes.find((candidate) => candidate.id === model.themeId)
  return (
    <li className="card models__model" aria-labelledby={headingId}>
      <h3 id={headingId}>{model.name}</h3>
      {(model.where || theme) && (
        <p className="hint">
          {model.where && <span>{model.where}</span>}
          {model.where && theme && ' · '}
          {theme && <span>{t('models.theme', { theme: theme.title })}</span>}
        </p>
      )}
      {model.why && <p className="models__why">{model.why}</p>}
      {model.link && (
        <p>
          <a href={model.link} target="_blank" rel="noopener noreferrer" className="models__link">
            {shownAddress(model.link)}
            <span className="visually-hidden"> {t('models.linkAbout', { name: model.name })}</span>
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
          <RecordForm
            mode="edit"
            kind={emergingModelKind}
            record={model}
            records={{ themeId: themeChoices(props.themes) }}
            save={(patch) => connection.workspace.updateEmergingModel(model.id, patch as EmergingModelPatch)}
            onRefused={setGeneral}
          />
          {props.mayRemove && (
            <div className="row row--end">
              <RemoveButton
                label={t('models.remove')}
                onRemove={() => attempt(() => connection.workspace.removeEmergingModel(model.id))}
              />
            </div>
          )}
          <FormError refusal={general ? { fields: {}, message: general } : refusal} />
        </div>
      )}
    </li>
  )
}

/** The themes a model may answer, as a form's choices. */
const themeChoices = (themes: readonly Theme[]) => themes.map((theme) => [theme.id, theme.title] as const)

function AddModel({ themes }: { themes: readonly Theme[] }) {
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  // The workspace writes this person's author id on it (see WorkspaceConnection.authorId).
  return (
    <div className="wb-add card">
      <RecordForm
        mode="add"
        kind={emergingModelKind}
        title={t('models.addHeading')}
        headingLevel={3}
        submitLabel={t('models.add')}
        submitClassName="wb-button wb-button--primary"
        records={{ themeId: themeChoices(themes) }}
        create={(input) => connection.workspace.addEmergingModel(input as EmergingModelCreate)}
      />
    </div>
  )
}
