import { useEffect, useRef } from 'react'
import { useSnapshot } from '../workspace-context.tsx'

/**
 * After an actor's last box is deleted from the map: was that "this organisation is not part
 * of the network" (remove it from the dataset) or "tidy the map" (keep it in the dataset)?
 */
export function LeftMapDialog({
  actorIds,
  onRemove,
  onKeep,
}: {
  actorIds: string[]
  onRemove: (actorIds: string[]) => void
  onKeep: () => void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const actors = useSnapshot().actors.filter((actor) => actorIds.includes(actor.id))
  useEffect(() => {
    dialog.current?.showModal()
  }, [])
  const names = actors.map((actor) => actor.name).join(', ')
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="left-heading" onClose={onKeep}>
      <h2 id="left-heading">Remove from the dataset too?</h2>
      <p>
        <strong>{names}</strong> {actors.length === 1 ? 'is' : 'are'} no longer on the map. Keep{' '}
        {actors.length === 1 ? 'it' : 'them'} in the dataset (and the table), or remove{' '}
        {actors.length === 1 ? 'it' : 'them'} with {actors.length === 1 ? 'its' : 'their'} links?
      </p>
      <div className="dialog__actions">
        {/* "Keep" comes first so that the harmless choice has the focus when the dialog opens. */}
        <button type="button" className="button button--primary" onClick={onKeep}>
          Keep in dataset
        </button>
        <button
          type="button"
          className="button button--danger"
          onClick={() => onRemove(actors.map((actor) => actor.id))}
        >
          Remove from dataset
        </button>
      </div>
    </dialog>
  )
}
