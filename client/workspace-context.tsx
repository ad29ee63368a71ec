import { createContext, type ReactNode, useCallback, useContext, useRef, useSyncExternalStore } from 'react'
import type { Workspace, WorkspaceSnapshot } from '../model/index.ts'
import type { Participant } from './identity.ts'
import type { ConnectionState, WorkspaceConnection } from './sync/connection.ts'

/** What every part of an open workspace's UI shares. */
export interface WorkspaceUi {
  readonly connection: WorkspaceConnection
  readonly participant: Participant
  /** What is selected now, on the map or in the table. */
  readonly selection: Selection
  /** Selects something on the map (from the table, the inspector, a mention). */
  readonly select: (target: Selection) => void
  /** The resident journey shown on the map as a highlighted path, if any. */
  readonly shownJourneyId: string | null
  readonly showJourney: (journeyId: string | null) => void
}

/** What the person has selected: an actor or a link, by id. */
export type Selection = { kind: 'actor'; id: string } | { kind: 'link'; id: string } | null

const Context = createContext<WorkspaceUi | null>(null)

export function WorkspaceProvider({ value, children }: { value: WorkspaceUi; children: ReactNode }) {
  return <Context.Provider value={value}>{children}</Context.Provider>
}

/** The open workspace's shared UI state; only inside a WorkspaceProvider. */
export function useWorkspaceUi(): WorkspaceUi {
  const value = useContext(Context)
  if (!value) throw new Error('useWorkspaceUi outside a WorkspaceProvider')
  return value
}

/**
 * The workspace's validated snapshot, re-rendering whenever a record changes, local or remote
 * (not for a change to the map's layout or the notes alone: the snapshot stays the same object).
 * A component that shows one part of the workspace should use `useWorkspaceData` instead.
 */
export function useSnapshot(): WorkspaceSnapshot {
  return useWorkspaceData(takeAll)
}
const takeAll = (snapshot: WorkspaceSnapshot) => snapshot

/**
 * The part of the open workspace that `select` picks, re-rendering only when that part changes
 * (its identity, or by `isEqual`). The snapshot keeps each collection's list, and each unchanged
 * record, the same object until it changes, so `(s) => s.links` re-renders only when a link
 * changes and `(s) => s.actors.find(...)` only when that actor does. `select` may build a new
 * value (a count, a filtered list): give `isEqual` then, or it re-renders on every record change.
 */
export function useWorkspaceData<T>(
  select: (snapshot: WorkspaceSnapshot) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  // Inside a provider there is always a workspace, so `select` always gets a snapshot.
  return useWorkspaceSelector(
    useWorkspaceUi().connection.workspace,
    select as (snapshot: WorkspaceSnapshot | undefined) => T,
    isEqual,
  )
}

/**
 * `useWorkspaceData` for a given workspace, outside a WorkspaceProvider (tldraw renders shapes
 * for an image export in a React tree of its own). With no workspace, `select` sees nothing.
 */
export function useWorkspaceSelector<T>(
  workspace: Workspace | undefined,
  select: (snapshot: WorkspaceSnapshot | undefined) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const last = useRef<{ snapshot: WorkspaceSnapshot | undefined; select: unknown; value: T } | null>(null)
  const subscribe = useCallback(
    (listener: () => void) => (workspace ? workspace.onChange(listener) : () => undefined),
    [workspace],
  )
  const read = () => {
    const snapshot = workspace?.snapshot()
    const previous = last.current
    if (previous && previous.snapshot === snapshot && previous.select === select) return previous.value
    const picked = select(snapshot)
    const value = previous && isEqual(previous.value, picked) ? previous.value : picked
    last.current = { snapshot, select, value }
    return value
  }
  return useSyncExternalStore(subscribe, read)
}

/** The connection's state (network, synced, unsaved edits). */
export function useConnectionState(): ConnectionState {
  const { connection } = useWorkspaceUi()
  return useSyncExternalStore(connection.subscribe, connection.state)
}
