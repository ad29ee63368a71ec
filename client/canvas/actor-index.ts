import { useCallback, useSyncExternalStore } from 'react'
import type { Actor, Workspace } from '../../model/index.ts'

/**
 * The workspace's actors by id, telling each actor box only about its own actor.
 *
 * Every box subscribing to the workspace itself would be called after every transaction, a drag
 * frame included (5,000 boxes: 5,000 calls a frame), and looking itself up in the actors list
 * is a walk of that list per box (25 million comparisons to draw a borough). Here one listener
 * per workspace reacts only when `actors` changed, and only the boxes whose actor is a different
 * object (the snapshot keeps unchanged records the same object) are told.
 */
export class ActorIndex {
  private list: readonly Actor[]
  private byId = new Map<string, Actor>()
  private readonly listeners = new Map<string, Set<() => void>>()
  private readonly stop: () => void

  constructor(readonly workspace: Workspace) {
    this.list = workspace.snapshot().actors
    this.byId = new Map(this.list.map((actor) => [actor.id, actor]))
    this.stop = workspace.onChange((change) => {
      if (change.changed.has('actors')) this.refresh()
    })
  }

  /** The actor with this id, or undefined if it is not (or no longer) in the dataset. */
  get(id: string): Actor | undefined {
    return this.byId.get(id)
  }

  /** Calls `listener` whenever the actor with this id changes, appears or goes. */
  subscribe(id: string, listener: () => void): () => void {
    let set = this.listeners.get(id)
    if (!set) {
      set = new Set()
      this.listeners.set(id, set)
    }
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0) this.listeners.delete(id)
    }
  }

  private refresh(): void {
    const list = this.workspace.snapshot().actors
    if (list === this.list) return
    const before = this.byId
    this.list = list
    this.byId = new Map(list.map((actor) => [actor.id, actor]))
    for (const [id, set] of this.listeners) {
      if (before.get(id) === this.byId.get(id)) continue
      for (const listener of [...set]) listener()
    }
  }

  destroy(): void {
    this.stop()
    this.listeners.clear()
  }
}

const indexes = new WeakMap<Workspace, ActorIndex>()

/** The one actor index of a workspace (made on first use; it lives as long as the workspace). */
export function actorIndexOf(workspace: Workspace): ActorIndex {
  let index = indexes.get(workspace)
  if (!index) {
    index = new ActorIndex(workspace)
    indexes.set(workspace, index)
  }
  return index
}

/** One actor of the workspace, re-rendering only when that actor changes. */
export function useActor(workspace: Workspace | undefined, actorId: string): Actor | undefined {
  const subscribe = useCallback(
    (listener: () => void) =>
      workspace ? actorIndexOf(workspace).subscribe(actorId, listener) : () => undefined,
    [workspace, actorId],
  )
  return useSyncExternalStore(subscribe, () => (workspace ? actorIndexOf(workspace).get(actorId) : undefined))
}
