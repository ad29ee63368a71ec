import type { ReactNode } from 'react'
import type { MapBinding } from '../canvas/map-binding.ts'
import type { Action } from './access.ts'
import { useCan, useReadOnlyMap } from './useAccess.ts'

/** Shows its children only to someone who may do `action`: a role does not see what it cannot do. */
export function Can({ action, children }: { action: Action; children: ReactNode }) {
  return useCan(action) ? children : null
}

/** Keeps the map read-only while this person may not change it (see useReadOnlyMap). */
export function ReadOnlyMap({ binding }: { binding: MapBinding | null }) {
  useReadOnlyMap(binding)
  return null
}
