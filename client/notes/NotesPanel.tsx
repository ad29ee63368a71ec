import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { WORKSHOP_NOTES } from '../../model/index.ts'
import { useCan } from '../workshop/permissions.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'
import { NoteEditor } from './NoteEditor.tsx'

/**
 * The workshop's running notes, written by everyone at once. A mention of an actor selects it
 * on the map.
 */
export function NotesPanel({ onShowMap }: { onShowMap: () => void }) {
  const { t } = useTranslation()
  const { select } = useWorkspaceUi()
  const canEdit = useCan('edit')
  const hintId = useId()
  return (
    <div className="notes-panel">
      <h2>{t('notes.heading')}</h2>
      <p className="hint" id={hintId}>
        {canEdit ? t('notes.hintEdit') : t('notes.hintRead')}
      </p>
      <NoteEditor
        noteKey={WORKSHOP_NOTES}
        label={t('notes.heading')}
        describedBy={hintId}
        onShowActor={(actorId) => {
          select({ kind: 'actor', id: actorId })
          onShowMap()
        }}
      />
    </div>
  )
}
