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

/** Who did something, as the server knew them then: the invite's id, a display name, the invite's role. */
export interface Person {
  /** The invite id (the token's `jti`), or on an open-access device its participant id; null if unknown. */
  readonly id: string | null
  /** The name the person gave their device (shown beside their cursor); '' when unknown. */
  readonly name: string
  readonly role: string
}

/** A person from the three columns the stores keep: no role means nobody was known. */
export function personFromColumns(
  id: string | null,
  name: string | null,
  role: string | null,
): Person | null {
  return role === null ? null : { id, name: name ?? '', role }
}

/** A named copy of a workspace's state, kept apart from its log (never compacted away). */
export interface SnapshotInfo {
  readonly id: string
  readonly name: string
  /** Epoch milliseconds. */
  readonly createdAt: number
  readonly createdBy: Person | null
  /** Saved by the server itself (before a restore), not by a person. */
  readonly auto: boolean
}

/** One record an entry of history added, changed or removed. */
export interface RecordChange {
  /** The kind's key: `actor`, `link`, `themePoint`, `meta`... */
  readonly kind: string
  readonly id: string
  /** What it was called at the time (an actor's name, a link's ends). */
  readonly label: string
  readonly change: 'added' | 'changed' | 'removed'
}

/** What one person's updates of one committed batch did to the records. */
export interface HistoryEntry {
  /** Unique; lets a copy between stores skip entries the target has. */
  readonly id: string
  /** Epoch milliseconds of the commit. */
  readonly at: number
  readonly by: Person | null
  readonly changes: readonly RecordChange[]
}

export interface HistoryQuery {
  /** Only entries that touch this record id. */
  readonly record?: string
  /** Only entries by this person id. */
  readonly by?: string
  /** At most this many, newest first. */
  readonly limit: number
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
   * Commits updates that arrived together, in one transaction: when the promise resolves they
   * survive a crash of this process (and a power cut too unless the store defers that: see
   * `synced`). Returns the sequence number of the last one.
   * `history` (who changed which records by these updates) is written in the same transaction,
   * so history and log never disagree after a crash.
   */
  append(room: string, updates: readonly Uint8Array[], history?: readonly HistoryEntry[]): Promise<number>
  /**
   * Replaces the room's log up to and including `uptoSeq` by `state` (the merged document),
   * in one transaction: readers see either the old rows or the new snapshot, never neither.
   */
  compact(room: string, state: Uint8Array, uptoSeq: number): Promise<void>
  /** How many log rows a room has beyond its snapshot (to decide when to compact). */
  pendingRows(room: string): Promise<number>
  /** Every room with something stored, in name order (for moving a workspace between stores). */
  rooms(): Promise<string[]>
  /**
   * Keeps `state` (a whole document as one Yjs update) under `info.id`, durably. Saving an id
   * the room has already is a no-op (a copy between stores run twice).
   */
  saveSnapshot(room: string, info: SnapshotInfo, state: Uint8Array): Promise<void>
  /** A room's saved snapshots, newest first (without their state). */
  listSnapshots(room: string): Promise<SnapshotInfo[]>
  /** A saved snapshot's state, or null if the room has no such snapshot. */
  snapshotState(room: string, id: string): Promise<Uint8Array | null>
  /** A room's history, newest first. */
  history(room: string, query: HistoryQuery): Promise<HistoryEntry[]>
  /** Adds entries made elsewhere (a copy between stores); ids the room has already are skipped. */
  addHistory(room: string, entries: readonly HistoryEntry[]): Promise<void>
  /**
   * A room is being loaded for editing, so writes will follow: a store that sets something up
   * for its first write (the SQLite writer thread) does it now, not while that write waits.
   * Optional: stores with nothing to set up leave it out.
   */
  /**
   * Keeps a room's map preview (model/map-preview.ts: its boxes and lines, a few hundred KiB
   * for a borough), replacing the last. Derived from the room's doc and sent ahead of it to a
   * device opening the room with nothing, so the device draws the map before the doc is in. A
   * store without it simply sends no preview.
   */
  savePreview?(room: string, preview: Uint8Array): Promise<void>
  /** The room's last saved map preview, or null. */
  loadPreview?(room: string): Promise<Uint8Array | null>
  expectWrites?(): void
  /**
   * Resolves once everything committed before the call survives a power cut as well as a crash
   * of the process; rejects if it could not be made so. For a store that commits first and
   * syncs the disk apart (SQLite's `saved` mode): a client's "saved" acknowledgement waits for
   * it, a relay does not. Stores whose every commit is already on disk leave it out.
   */
  synced?(): Promise<void>
  /** Throws if storage cannot be used (for /healthz). */
  check(): Promise<void>
  close(): Promise<void>
}
