import { useId } from 'react'
import { WORKSHOP_NOTES } from '../../model/index.ts'
import { useCan } from '../workshop/permissions.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'
import { NoteEditor } from './NoteEditor.tsx'

/**
 * The workshop's running notes, written by everyone at once. A mention of an actor selects it
 * on the map.
 */
export function NotesPanel({ onShowMap }: { onShowMap: () => void }) {
  const { select } = useWorkspaceUi()
  const canEdit = useCan('edit')
  const hintId = useId()
  return (
    <div className="notes-panel">
      <h2>Workshop notes</h2>
      <p className="hint" id={hintId}>
        {canEdit
          ? 'Everyone writes here together; a coloured caret shows who is typing. Type @ to mention an actor.'
          : 'The notes everyone is writing. Select a mentioned actor to see it on the map.'}
      </p>
      <NoteEditor
        noteKey={WORKSHOP_NOTES}
        label="Workshop notes"
        describedBy={hintId}
        onShowActor={(actorId) => {
          select({ kind: 'actor', id: actorId })
          onShowMap()
        }}
      />
    </div>
  )
}
