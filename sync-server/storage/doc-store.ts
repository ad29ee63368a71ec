/**
 * Where workspaces live between server runs: an append-only log of Yjs updates per room,
 * folded now and then into one snapshot. Every implementation (SQLite here, PostgreSQL for
 * several instances) passes the same test suite, so the server above it never knows which.
 */
export interface StoredDoc {
  /** The merged state of every update up to `snapshotSeq`, or null if never compacted. */
  readonly snapshot: Uint8Array | null
  /** Updates committed after the snapshot, oldest first. */
  readonly updates: readonly Uint8Array[]
  /** The sequence number of the last update included (0 for a room never written to). */
  readonly lastSeq: number
}

export interface DocStore {
  /** Everything stored for a room. A room never written to loads as empty. */
  load(room: string): Promise<StoredDoc>
  /**
   * What was committed after `afterSeq`: the rows numbered above it, oldest first, with the
   * snapshot as well when a compaction has folded some of those rows into it (applying the
   * snapshot again is harmless: Yjs updates are idempotent). `lastSeq` is the highest included,
   * or `afterSeq` when there is nothing newer. Lets an instance fill a gap in what it has seen.
   */
  loadSince(room: string, afterSeq: number): Promise<StoredDoc>
  /**
   * Commits updates that arrived together, in one transaction, durably: when the promise
   * resolves they survive a crash of this process. Returns the sequence number of the last one.
   */
  append(room: string, updates: readonly Uint8Array[]): Promise<number>
  /**
   * Replaces the room's log up to and including `uptoSeq` by `state` (the merged document),
   * in one transaction: readers see either the old rows or the new snapshot, never neither.
   */
  compact(room: string, state: Uint8Array, uptoSeq: number): Promise<void>
  /** How many log rows a room has beyond its snapshot (to decide when to compact). */
  pendingRows(room: string): Promise<number>
  /** Every room with something stored, in name order (for moving a workspace between stores). */
  rooms(): Promise<string[]>
  /** Throws if storage cannot be used (for /healthz). */
  check(): Promise<void>
  close(): Promise<void>
}
