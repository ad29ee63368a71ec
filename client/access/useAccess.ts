import { useEffect, useSyncExternalStore } from 'react'
import type { MapBinding } from '../canvas/map-binding.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'
import { type AccessState, type Action, can, type Role } from './access.ts'

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
  const { role, denied } = useAccess()
  return action === 'view' || (denied === null && can(role, action))
}

/**
 * Keeps the map read-only for anyone who may not edit (a viewer, or a refused connection),
 * whatever else asks: the instance's `isReadonly` is held at true while that lasts.
 */
export function useReadOnlyMap(binding: MapBinding | null): void {
  const mayEdit = useCan('edit')
  useEffect(() => {
    if (!binding || mayEdit) return
    const { editor } = binding
    editor.updateInstanceState({ isReadonly: true })
    return editor.sideEffects.registerBeforeChangeHandler('instance', (_previous, next) =>
      next.isReadonly ? next : { ...next, isReadonly: true },
    )
  }, [binding, mayEdit])
}
