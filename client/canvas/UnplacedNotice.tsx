import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useValue } from 'tldraw'
import { useWorkspaceData } from '../workspace-context.tsx'
import type { MapBinding } from './map-binding.ts'

/**
 * How long an actor must be without a box before the notice shows: the device that adds an
 * actor places its box a frame later, and a remote actor and its box can arrive in separate
 * updates, so a box on its way is not "not placed".
 */
const SETTLE_MS = 1200

const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, index) => id === b[index])

/**
 * Actors in the dataset that have no box on the map (added in the table, by an import, on
 * another device, by the command line), counted over the map with a button that lays them all
 * out. Nothing places them by itself: every device would place its own copy of each box.
 */
export function UnplacedNotice({ binding }: { binding: MapBinding }) {
  const { t } = useTranslation()
  const { editor } = binding
  const actors = useWorkspaceData((snapshot) => snapshot.actors)
  // As a sorted string, so a drag (a change per pointer move) does not re-render this.
  const placedKey = useValue('placed actors', () => [...binding.placedActorIds()].sort().join('\n'), [
    binding,
  ])
  const readOnly = useValue('map read-only', () => editor.getIsReadonly(), [editor])
  // In a sub-map, only its own actors count (and Place all places only them).
  const scopeActors = useValue('sub-map actors', () => binding.actorScope(), [binding])
  const unplaced = useMemo(() => {
    void placedKey
    void scopeActors
    return binding.unplacedActorIds(actors)
  }, [binding, actors, placedKey, scopeActors])

  const [shown, setShown] = useState<readonly string[]>([])
  useEffect(() => {
    if (unplaced.length === 0) {
      if (shown.length > 0) setShown([])
      return
    }
    // Already showing: follow the count at once; new: wait until it has settled.
    if (shown.length > 0) {
      if (!sameIds(shown, unplaced)) setShown(unplaced)
      return
    }
    const timer = setTimeout(() => setShown(unplaced), SETTLE_MS)
    return () => clearTimeout(timer)
  }, [unplaced, shown])

  if (shown.length === 0 || readOnly) return null
  const count = shown.length
  return (
    <section className="unplaced-notice" aria-label={t('unplaced.label')} data-testid="unplaced-notice">
      <p className="unplaced-notice__text" role="status">
        {t('unplaced.count', { count })}
      </p>
      <button
        type="button"
        className="button button--primary"
        onClick={() => {
          binding.placeImported(binding.unplacedActorIds())
        }}
      >
        {t('unplaced.placeAll')}
      </button>
    </section>
  )
}
