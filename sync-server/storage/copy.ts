import * as Y from 'yjs'
import type { DocStore, StoredDoc } from './doc-store.ts'

export interface CopyOptions {
  /** Merge into rooms the target already has (a Yjs merge: edits on both sides are kept). */
  readonly force?: boolean
  /** Only these rooms; every room of the source when absent. */
  readonly rooms?: readonly string[]
  /** Told about each room as it is done. */
  readonly onRoom?: (outcome: RoomOutcome) => void
}

export type RoomOutcome =
  | {
      readonly room: string
      readonly status: 'copied' | 'merged'
      readonly bytes: number
      /** Named snapshots and history entries carried along (those the target had are skipped). */
      readonly snapshots: number
      readonly history: number
    }
  | { readonly room: string; readonly status: 'skipped'; readonly reason: string }
  | { readonly room: string; readonly status: 'failed'; readonly reason: string }

export interface CopySummary {
  readonly copied: string[]
  readonly merged: string[]
  readonly skipped: string[]
  readonly failed: { room: string; reason: string }[]
  /** Bytes of merged state written. */
  readonly bytes: number
}

/** The whole stored state of a room as one update: snapshot and log merged as CRDT updates. */
export function mergedState(stored: StoredDoc): Uint8Array | null {
  const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : [...stored.updates]
  if (parts.length === 0) return null
  return parts.length === 1 ? (parts[0] as Uint8Array) : Y.mergeUpdates(parts)
}

/**
 * Copies rooms from one store to another, room by room, each as one merged snapshot of its
 * CRDT state (never rebuilt from JSON, so clients that knew the room see the same items, not
 * copies of them). A room the target already has is left alone unless `force`, which merges the
 * two states. Each copy is checked by reading it back. Run it with no server writing to either
 * store: a live room compacting in the target would not know about the rows written here.
 */
export async function copyRooms(
  source: DocStore,
  target: DocStore,
  options: CopyOptions = {},
): Promise<CopySummary> {
  const summary: CopySummary = { copied: [], merged: [], skipped: [], failed: [], bytes: 0 }
  const rooms = options.rooms ?? (await source.rooms())
  let bytes = 0
  for (const room of rooms) {
    let outcome: RoomOutcome
    try {
      outcome = await copyRoom(source, target, room, options.force ?? false)
    } catch (error) {
      outcome = { room, status: 'failed', reason: (error as Error).message }
    }
    if (outcome.status === 'failed') summary.failed.push({ room, reason: outcome.reason })
    else if (outcome.status === 'skipped') summary.skipped.push(room)
    else {
      summary[outcome.status].push(room)
      bytes += outcome.bytes
    }
    options.onRoom?.(outcome)
  }
  return { ...summary, bytes }
}

async function copyRoom(
  source: DocStore,
  target: DocStore,
  room: string,
  force: boolean,
): Promise<RoomOutcome> {
  const state = mergedState(await source.load(room))
  if (state === null) return { room, status: 'skipped', reason: 'nothing stored in the source' }
  const existing = mergedState(await target.load(room))
  if (existing !== null && !force) {
    return { room, status: 'skipped', reason: 'already in the target (--force merges into it)' }
  }
  // Appended first, then folded into a snapshot, so the target never holds a half-written room.
  const seq = await target.append(room, [state])
  const combined = existing === null ? state : Y.mergeUpdates([existing, state])
  await target.compact(room, combined, seq)

  const written = mergedState(await target.load(room))
  if (written === null || !includes(written, state)) {
    throw new Error('the copy read back from the target lacks part of the source')
  }
  const { snapshots, history } = await copyChanges(source, target, room)
  return {
    room,
    status: existing === null ? 'copied' : 'merged',
    bytes: combined.byteLength,
    snapshots,
    history,
  }
}

/** The most history entries a room may have copied (far beyond any workshop's). */
const MAX_HISTORY = 1_000_000

/**
 * A room's named snapshots and history, carried along with it. Each keeps its id, so copying
 * again (or merging into a room the target has) adds only what the target lacks.
 */
async function copyChanges(
  source: DocStore,
  target: DocStore,
  room: string,
): Promise<{ snapshots: number; history: number }> {
  const snapshots = await source.listSnapshots(room)
  // Oldest first, so the target lists them in the same order.
  for (const info of [...snapshots].reverse()) {
    const state = await source.snapshotState(room, info.id)
    if (state !== null) await target.saveSnapshot(room, info, state)
  }
  const history = (await source.history(room, { limit: MAX_HISTORY })).reverse()
  await target.addHistory(room, history)
  const copied = await target.listSnapshots(room)
  if (snapshots.some((info) => !copied.some((other) => other.id === info.id))) {
    throw new Error('the snapshots read back from the target lack one of the source')
  }
  return { snapshots: snapshots.length, history: history.length }
}

/** Does `whole` hold every item of `part`? (Deletions travel with the items' delete sets.) */
function includes(whole: Uint8Array, part: Uint8Array): boolean {
  const missing = Y.decodeUpdate(Y.diffUpdate(part, Y.encodeStateVectorFromUpdate(whole)))
  return missing.structs.length === 0
}
