import { useEffect, useSyncExternalStore } from 'react'
import type { MapBinding } from '../canvas/map-binding.ts'
import { useWorkspaceData, useWorkspaceUi } from '../workspace-context.tsx'
import { type AccessState, type Action, mayDo, type Role } from './access.ts'

/** The open workspace's access state (role, refusals), re-rendering when it changes. */
export function useAccess(): AccessState {
  const { access } = useWorkspaceUi().connection
  return useSyncExternalStore(access.subscribe, access.state)
}

/** This person's role in the open workspace; null until known. */
export function useRole(): Role | null {
  return useAccess().role
}

/** May this person do `action` here? Refused at the door means nothing but looking. */
export function useCan(action: Action): boolean {
  return mayDo(useAccess(), action)
}

/**
 * Keeps the map read-only while this person may not change it: a viewer, a refused connection,
 * or a participant while the map is locked for someone else's presentation. The one place that
 * decides; while it lasts, the instance's `isReadonly` is held at true whatever else asks.
 */
export function useReadOnlyMap(binding: MapBinding | null): void {
  const mayEdit = useCan('edit')
  const { workspace } = useWorkspaceUi().connection
  // Re-rendered when the lock changes (it lives in `facilitation`), not for every record.
  useWorkspaceData((snapshot) => snapshot.facilitation)
  const readOnly = !mayEdit || workspace.mapLocked()
  useEffect(() => {
    if (!binding || !readOnly) return
    const { editor } = binding
    editor.updateInstanceState({ isReadonly: true })
    const release = editor.sideEffects.registerBeforeChangeHandler('instance', (_previous, next) =>
      next.isReadonly ? next : { ...next, isReadonly: true },
    )
    return () => {
      release()
      editor.updateInstanceState({ isReadonly: false })
    }
  }, [binding, readOnly])
}
