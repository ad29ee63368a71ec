import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import {
  type DocStore,
  type HistoryEntry,
  type HistoryQuery,
  personFromColumns,
  type SnapshotInfo,
  type StoredDoc,
} from './doc-store.ts'

/**
 * SQLite's durability, from the strongest relay-side wait to none:
 * - 'full': every commit is synced to disk before it returns, so before it is relayed.
 * - 'saved' (the default): a commit returns once it is in the WAL (synchronous=NORMAL: safe if
 *   the process dies) and is relayed then; the WAL is synced to disk apart, before a client is
 *   told its edits are saved, before a saved snapshot is answered, and at the latest
 *   `syncIntervalMs` after a commit. A power cut can take back only commits not yet
 *   acknowledged as saved, which their senders still hold and send again on reconnecting (as
 *   does every peer that received them).
 * - 'normal': never waits for the disk (SQLite syncs the WAL at its checkpoints): a power cut
 *   may take back commits a client was told were saved.
 */
export type SqliteSync = 'full' | 'saved' | 'normal'

export interface SqliteOptions {
  /** The folder holding `workspaces.sqlite`; created if missing. */
  readonly dataDir: string
  readonly synchronous?: SqliteSync
  /** With 'saved': a commit is synced to disk at the latest this long after it (default 500 ms). */
  readonly syncIntervalMs?: number
}

/** A SQLite store, with what its writer reports about the disk. */
export interface SqliteStore extends DocStore {
  /** Commits (the writer's transactions) not yet known to be on disk, as of the writer's last answer. */
  unsyncedCommits(): number
}

/** How long a commit may stay in the WAL unsynced with 'saved' when no client asks. */
const SYNC_INTERVAL_MS = 500

export function openSqliteStore({
  dataDir,
  synchronous = 'saved',
  syncIntervalMs = SYNC_INTERVAL_MS,
}: SqliteOptions): SqliteStore {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'workspaces.sqlite')
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`)
  db.pragma('busy_timeout = 5000')
  db.exec(`
    CREATE TABLE IF NOT EXISTS updates (
      seq  INTEGER PRIMARY KEY AUTOINCREMENT,
      room TEXT NOT NULL,
      data BLOB NOT NULL
    );
    CREATE INDEX IF NOT EXISTS updates_by_room ON updates (room, seq);
    CREATE TABLE IF NOT EXISTS snapshots (
      room       TEXT PRIMARY KEY,
      data       BLOB NOT NULL,
      upto_seq   INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS saved_snapshots (
      room       TEXT NOT NULL,
      id         TEXT NOT NULL,
      name       TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      by_id      TEXT,
      by_name    TEXT,
      by_role    TEXT,
      auto       INTEGER NOT NULL,
      data       BLOB NOT NULL,
      PRIMARY KEY (room, id)
    );
    CREATE TABLE IF NOT EXISTS history (
      n       INTEGER PRIMARY KEY AUTOINCREMENT,
      id      TEXT NOT NULL UNIQUE,
      room    TEXT NOT NULL,
      at      INTEGER NOT NULL,
      by_id   TEXT,
      by_name TEXT,
      by_role TEXT,
      changes TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS history_by_room ON history (room, n);
    CREATE TABLE IF NOT EXISTS previews (
      room       TEXT PRIMARY KEY,
      data       BLOB NOT NULL,
      updated_at INTEGER NOT NULL
    );
  `)

  const selectSnapshot = db.prepare<[string], { data: Buffer; upto_seq: number }>(
    'SELECT data, upto_seq FROM snapshots WHERE room = ?',
  )
  const selectUpdates = db.prepare<[string, number], { seq: number; data: Buffer }>(
    'SELECT seq, data FROM updates WHERE room = ? AND seq > ? ORDER BY seq',
  )
  const countUpdates = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM updates WHERE room = ? AND seq > ?',
  )

  const selectRooms = db.prepare<[], { room: string }>(
    'SELECT room FROM snapshots UNION SELECT room FROM updates ORDER BY room',
  )

  const selectSnapshots = db.prepare<[string], SnapshotRow>(
    `SELECT id, name, created_at, by_id, by_name, by_role, auto FROM saved_snapshots
     WHERE room = ? ORDER BY created_at DESC, rowid DESC`,
  )
  const selectSnapshotState = db.prepare<[string, string], { data: Buffer }>(
    'SELECT data FROM saved_snapshots WHERE room = ? AND id = ?',
  )
  // Four shapes of one query, so each is prepared once: by record, by person, both, neither.
  const historyQueries = new Map(
    [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ].map(([record, by]) => [
      `${record}/${by}`,
      db.prepare<Record<string, unknown>, HistoryRow>(
        `SELECT id, at, by_id, by_name, by_role, changes FROM history h WHERE room = @room
         ${record ? `AND EXISTS (SELECT 1 FROM json_each(h.changes) WHERE json_extract(value, '$.id') = @record)` : ''}
         ${by ? 'AND by_id = @by' : ''}
         ORDER BY n DESC LIMIT @limit`,
      ),
    ]),
  )
  const selectPreview = db.prepare<[string], { data: Buffer }>('SELECT data FROM previews WHERE room = ?')
  const snapshotSeq = (room: string) => selectSnapshot.get(room)?.upto_seq ?? 0

  const load = db.transaction((room: string): StoredDoc => {
    const snapshot = selectSnapshot.get(room)
    const rows = selectUpdates.all(room, snapshot?.upto_seq ?? 0)
    return {
      snapshot: snapshot ? new Uint8Array(snapshot.data) : null,
      updates: rows.map((row) => new Uint8Array(row.data)),
      lastSeq: rows.at(-1)?.seq ?? snapshot?.upto_seq ?? 0,
    }
  })
  const loadSince = db.transaction((room: string, afterSeq: number): StoredDoc => {
    const snapshot = selectSnapshot.get(room)
    const folded = snapshot !== undefined && snapshot.upto_seq > afterSeq
    const rows = selectUpdates.all(room, folded ? snapshot.upto_seq : afterSeq)
    return {
      snapshot: folded ? new Uint8Array(snapshot.data) : null,
      updates: rows.map((row) => new Uint8Array(row.data)),
      lastSeq: rows.at(-1)?.seq ?? (folded ? snapshot.upto_seq : afterSeq),
    }
  })
  const writer = new WriterThread(file, synchronous, syncIntervalMs)
  // Only 'saved' syncs apart from the commits; with 'full' they are on disk already, and
  // 'normal' promises nothing more than a commit.
  const synced = () => (synchronous === 'saved' ? writer.sync() : Promise.resolve())

  return {
    load: async (room) => load(room),
    loadSince: async (room, afterSeq) => loadSince(room, afterSeq),
    append: (room, updates, history = []) =>
      writer.request<number>('append', { room, updates: updates.map(ownBytes), history }),
    compact: (room, state, uptoSeq) =>
      writer.request<void>('compact', { room, state: ownBytes(state), uptoSeq }),
    pendingRows: async (room) => countUpdates.get(room, snapshotSeq(room))?.n ?? 0,
    rooms: async () => selectRooms.all().map((row) => row.room),
    saveSnapshot: async (room, info, state) => {
      await writer.request<void>('saveSnapshot', { room, info, state: ownBytes(state) })
      // A saved snapshot is answered as kept: on disk, as a client's "saved" is.
      await synced()
    },
    listSnapshots: async (room) => selectSnapshots.all(room).map(snapshotFromRow),
    snapshotState: async (room, id) => {
      const row = selectSnapshotState.get(room, id)
      return row ? new Uint8Array(row.data) : null
    },
    history: async (room, query: HistoryQuery) => {
      const statement = historyQueries.get(`${query.record !== undefined}/${query.by !== undefined}`)
      const rows = (statement?.all({ room, record: query.record, by: query.by, limit: query.limit }) ??
        []) as HistoryRow[]
      return rows.map(historyFromRow)
    },
    addHistory: (room, entries) => writer.request<void>('addHistory', { room, entries }),
    savePreview: (room, preview) => writer.request<void>('savePreview', { room, preview: ownBytes(preview) }),
    loadPreview: async (room) => {
      const row = selectPreview.get(room)
      return row ? new Uint8Array(row.data) : null
    },
    expectWrites: () => writer.warm(),
    synced,
    unsyncedCommits: () => writer.unsynced,
    check: async () => {
      db.prepare('SELECT 1').get()
    },
    close: async () => {
      // Every write asked for so far is committed before the connections close.
      await writer.close()
      if (db.open) db.close()
    },
  }
}

/**
 * The bytes alone, in a buffer of their own. Sending a view to the writer copies the whole buffer
 * under it, and an update read off a WebSocket is a view into the socket's read (up to 64 KiB):
 * copying that per append cost the server more than the SQLite insert itself.
 */
function ownBytes(bytes: Uint8Array): Uint8Array {
  // Not `slice()`: a Node Buffer's is a view too.
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes
    : new Uint8Array(bytes)
}

/** What the writer thread is asked to do (see sqlite-writer.mjs), by name. */
type WriteOp = 'append' | 'compact' | 'saveSnapshot' | 'addHistory' | 'savePreview' | 'sync'

/** The writer's answer to one request: its result, or why it failed. */
interface WriteReply {
  readonly id: number
  readonly value?: unknown
  readonly error?: { readonly message: string; readonly code?: string }
}

/** One message from the writer: answers, and how many of its commits are made and on disk. */
interface WriterMessage {
  readonly replies: readonly WriteReply[]
  readonly committed: number
  readonly durable: number
}

/**
 * Where the writer's code is: beside this file in the sources; once built, at dist/server/
 * beside main.js (this module may be bundled into main.js or into a chunk in dist/server/assets).
 */
function writerFile(): string {
  // Not a literal in `new URL`: Vite would take one for an asset to copy.
  const candidates = ['./sqlite-writer.mjs', './sqlite-writer.js', '../sqlite-writer.js']
  for (const candidate of candidates) {
    const path = fileURLToPath(new URL(candidate, import.meta.url))
    if (existsSync(path)) return path
  }
  throw new Error(`the SQLite writer (sqlite-writer.js) is missing beside ${fileURLToPath(import.meta.url)}`)
}

/**
 * The writer thread, started when a room is loaded for editing or at the first write (a store
 * only read, as by `npm run export`, never starts it). It keeps the process alive only while it has writes to answer. If it stops
 * (it should not), the writes waiting on it fail and the next write starts another.
 */
class WriterThread {
  private worker: Worker | null = null
  private readonly waiting = new Map<
    number,
    { resolve: (value: never) => void; reject: (error: Error) => void }
  >()
  private nextId = 1
  private outbox: { id: number; op: WriteOp; args: Record<string, unknown> }[] = []
  private closed = false
  private closing: Promise<void> | null = null
  /** Commits not yet known to be on disk, as the writer last said. */
  unsynced = 0
  /** The sync request in the outbox, shared by every caller until it is posted. */
  private unpostedSync: Promise<void> | null = null

  constructor(
    private readonly file: string,
    private readonly synchronous: SqliteSync,
    private readonly syncIntervalMs: number,
  ) {}

  request<T>(op: WriteOp, args: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the SQLite store is closed'))
    const worker = this.start()
    const id = this.nextId++
    const answer = new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: never) => void, reject })
    })
    if (this.waiting.size === 1) worker.ref()
    // Requests made in one run of this thread (several rooms' group commits) go in one message:
    // each message wakes the writer, which cost more than the copying.
    this.outbox.push({ id, op, args })
    if (this.outbox.length === 1) queueMicrotask(() => this.post())
    return answer
  }

  /**
   * Resolves once everything committed before the call is on disk. Calls in one turn share one
   * request: not yet posted, it still comes after every write asked for before any of them.
   */
  sync(): Promise<void> {
    this.unpostedSync ??= this.request<void>('sync', {})
    return this.unpostedSync
  }

  /**
   * Starts the thread ahead of the first write: starting it (loading better-sqlite3, opening the
   * file) takes a tenth of a second, which the first edits of a workshop would otherwise wait.
   */
  warm(): void {
    if (!this.closed) this.start()
  }

  private post(): void {
    const requests = this.outbox
    this.outbox = []
    this.unpostedSync = null
    if (requests.length > 0) this.worker?.postMessage(requests)
  }

  /** Lets the writer commit what it was asked to, then stops it. */
  close(): Promise<void> {
    this.closed = true
    const worker = this.worker
    if (!worker) return Promise.resolve()
    worker.ref()
    this.closing ??= new Promise<void>((resolve) => {
      worker.once('exit', () => resolve())
      // Answered after every reply before it (a port keeps its order); then it may end.
      worker.on('message', (message) => {
        if (message === 'closed') void worker.terminate()
      })
      this.post()
      worker.postMessage('close')
    })
    return this.closing
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(writerFile(), {
      workerData: { file: this.file, synchronous: this.synchronous, syncIntervalMs: this.syncIntervalMs },
    })
    worker.unref()
    worker.on('message', (message: WriterMessage | 'closed') => {
      if (message === 'closed') return
      this.unsynced = message.committed - message.durable
      for (const reply of message.replies) {
        const waiter = this.waiting.get(reply.id)
        if (!waiter) continue
        this.waiting.delete(reply.id)
        if (reply.error)
          waiter.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }))
        else waiter.resolve(reply.value as never)
      }
      // Not while closing: the writer still has its last sync and its checkpointer to finish,
      // and its news of a sync (which answers nobody) must not let the process end meanwhile.
      if (this.waiting.size === 0 && !this.closed) worker.unref()
    })
    worker.on('error', (error) => this.stopped(worker, error))
    worker.on('exit', (code) =>
      this.stopped(worker, new Error(`the SQLite writer stopped (exit code ${code})`)),
    )
    this.worker = worker
    return worker
  }

  /** The writer has gone: what waited on it failed (its transaction was not committed, or not answered). */
  private stopped(worker: Worker, error: Error): void {
    if (this.worker !== worker) return
    this.worker = null
    // Not sent yet, and their callers are told they failed: never sent to a writer started later.
    this.outbox = []
    this.unpostedSync = null
    for (const waiter of this.waiting.values()) waiter.reject(error)
    this.waiting.clear()
  }
}

interface SnapshotRow {
  id: string
  name: string
  created_at: number
  by_id: string | null
  by_name: string | null
  by_role: string | null
  auto: number
}

interface HistoryRow {
  id: string
  at: number
  by_id: string | null
  by_name: string | null
  by_role: string | null
  changes: string
}

function snapshotFromRow(row: SnapshotRow): SnapshotInfo {
  return {
    id: row.id,
    name: row.name,
    createdAt: Number(row.created_at),
    createdBy: personFromColumns(row.by_id, row.by_name, row.by_role),
    auto: row.auto === 1,
  }
}

function historyFromRow(row: HistoryRow): HistoryEntry {
  return {
    id: row.id,
    at: Number(row.at),
    by: personFromColumns(row.by_id, row.by_name, row.by_role),
    changes: JSON.parse(row.changes),
  }
}
