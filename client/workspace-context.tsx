import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react'
import type { WorkspaceSnapshot } from '../model/index.ts'
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

/** The workspace's validated snapshot, re-rendering on every change, local or remote. */
export function useSnapshot(): WorkspaceSnapshot {
  const { workspace } = useWorkspaceUi().connection
  return useSyncExternalStore(
    (listener) => workspace.onChange(listener),
    () => workspace.snapshot(),
  )
}

/** The connection's state (network, synced, unsaved edits). */
export function useConnectionState(): ConnectionState {
  const { connection } = useWorkspaceUi()
  return useSyncExternalStore(connection.subscribe, connection.state)
}
