// The SQLite store's writer (see sqlite.ts): a worker thread that owns the connection every
// write goes through, so a commit's fsync (synchronous=FULL) blocks this thread, not the
// server's event loop. The server's thread keeps relaying presence and other rooms' updates
// meanwhile; an update is still relayed only once its commit here has returned.
//
// With `saved` (the default), commits are NORMAL (in the WAL, safe if the process dies, not yet
// through a power cut) and the WAL is made durable apart from them (wal-sync.mjs): when asked
// (a client's "saved" acknowledgement waits for that) and at the latest `syncIntervalMs` after a
// commit. The fsync runs on libuv's thread pool, so this thread keeps committing meanwhile:
// a busy disk's fsync delays acknowledgements, never a relay.
//
// Requests that arrive while a commit is running are committed together in the next one (one
// transaction, one fsync), each in a savepoint of its own, so one that fails (a constraint, a
// full disk) fails alone and the others still commit. Each request is answered after the
// transaction that holds it has committed.
//
// Plain JavaScript, so the same file runs from the sources (tests) and from dist/server (the
// build lists it as an entry point) without a TypeScript loader in the worker.
import { existsSync } from 'node:fs'
import { parentPort, Worker, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { WalSync } from './wal-sync.mjs'

/**
 * Where the checkpointer's code is: beside this file, in the sources (.mjs) or built (.js, an
 * entry of its own in scripts/build.mjs).
 */
function checkpointerFile() {
  const built = new URL('./sqlite-checkpointer.js', import.meta.url)
  return existsSync(built) ? built : new URL('./sqlite-checkpointer.mjs', import.meta.url)
}

/** @type {{ file: string, synchronous: 'full' | 'saved' | 'normal', syncIntervalMs: number }} */
const { file, synchronous, syncIntervalMs } = workerData
/** How often the checkpointer folds the WAL (a few hundred pages a second under a workshop's load). */
const CHECKPOINT_INTERVAL_MS = 1000
const db = new Database(file)
db.pragma('journal_mode = WAL')
db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`)
db.pragma('busy_timeout = 5000')
// The WAL is folded back into the database by a thread of its own (sqlite-checkpointer.mjs), so
// the checkpoint's syncs never hold up a commit here. SQLite's own checkpoint, in the commit that
// crosses its threshold, is left only as a bound (10,000 pages: 40 MiB) should that thread fall
// behind or fail.
db.pragma('wal_autocheckpoint = 10000')
const checkpointer = new Worker(checkpointerFile(), {
  workerData: { file, intervalMs: CHECKPOINT_INTERVAL_MS },
})
checkpointer.unref()
// Without it the WAL is still bounded (above): a failure there must not end the writer.
checkpointer.on('error', () => undefined)

const insertUpdate = db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)')
const selectSnapshotSeq = db.prepare('SELECT upto_seq FROM snapshots WHERE room = ?')
const upsertSnapshot = db.prepare(
  `INSERT INTO snapshots (room, data, upto_seq, updated_at) VALUES (?, ?, ?, ?)
   ON CONFLICT (room) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq, updated_at = excluded.updated_at`,
)
const deleteUpdates = db.prepare('DELETE FROM updates WHERE room = ? AND seq <= ?')
const insertSnapshot = db.prepare(
  `INSERT INTO saved_snapshots (room, id, name, created_at, by_id, by_name, by_role, auto, data)
   VALUES (@room, @id, @name, @createdAt, @byId, @byName, @byRole, @auto, @data)
   ON CONFLICT (room, id) DO NOTHING`,
)
const upsertPreview = db.prepare(
  `INSERT INTO previews (room, data, updated_at) VALUES (?, ?, ?)
   ON CONFLICT (room) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
)
const insertHistory = db.prepare(
  `INSERT INTO history (id, room, at, by_id, by_name, by_role, changes)
   VALUES (@id, @room, @at, @byId, @byName, @byRole, @changes)
   ON CONFLICT (id) DO NOTHING`,
)

/** @param {string} room @param {readonly import('./doc-store.ts').HistoryEntry[]} entries */
function writeHistory(room, entries) {
  for (const entry of entries) {
    insertHistory.run({
      id: entry.id,
      room,
      at: entry.at,
      byId: entry.by?.id ?? null,
      byName: entry.by?.name ?? null,
      byRole: entry.by?.role ?? null,
      changes: JSON.stringify(entry.changes),
    })
  }
}

/** What each kind of request does; each runs inside the group's transaction, in a savepoint. */
const operations = {
  /** @param {{ room: string, updates: Uint8Array[], history: import('./doc-store.ts').HistoryEntry[] }} args */
  append({ room, updates, history }) {
    let seq = 0
    for (const update of updates) seq = Number(insertUpdate.run(room, update).lastInsertRowid)
    writeHistory(room, history)
    return seq
  },
  /** @param {{ room: string, state: Uint8Array, uptoSeq: number }} args */
  compact({ room, state, uptoSeq }) {
    // Never move a snapshot backwards: an older compaction finishing late must not win.
    if (uptoSeq < (selectSnapshotSeq.get(room)?.upto_seq ?? 0)) return undefined
    upsertSnapshot.run(room, state, uptoSeq, Date.now())
    deleteUpdates.run(room, uptoSeq)
    return undefined
  },
  /** @param {{ room: string, info: import('./doc-store.ts').SnapshotInfo, state: Uint8Array }} args */
  saveSnapshot({ room, info, state }) {
    insertSnapshot.run({
      room,
      id: info.id,
      name: info.name,
      createdAt: info.createdAt,
      byId: info.createdBy?.id ?? null,
      byName: info.createdBy?.name ?? null,
      byRole: info.createdBy?.role ?? null,
      auto: info.auto ? 1 : 0,
      data: state,
    })
    return undefined
  },
  /** @param {{ room: string, entries: import('./doc-store.ts').HistoryEntry[] }} args */
  addHistory({ room, entries }) {
    writeHistory(room, entries)
    return undefined
  },
  /** @param {{ room: string, preview: Uint8Array }} args */
  savePreview({ room, preview }) {
    upsertPreview.run(room, preview, Date.now())
    return undefined
  },
}

/** One request in a savepoint of its own (a nested better-sqlite3 transaction). */
const runOne = db.transaction((request) => operations[request.op](request.args))

/** @typedef {{ id: number, op: keyof typeof operations | 'sync', args: any }} Request */
/** @typedef {{ id: number, value?: unknown, error?: { message: string, code?: string } }} Reply */

/** The whole group in one transaction: one commit (and one fsync) for all of it. */
const runGroup = db.transaction((/** @type {Request[]} */ group) =>
  group.map((request) => {
    try {
      return { id: request.id, value: runOne(request) }
    } catch (error) {
      return { id: request.id, error: describe(error) }
    }
  }),
)

/** @param {unknown} error */
function describe(error) {
  return error instanceof Error
    ? { message: error.message, code: /** @type {{ code?: string }} */ (error).code }
    : { message: String(error) }
}

/** Groups committed so far, and how many of them are known to be on disk. */
let committed = 0
let durable = 0

/** @param {Reply[]} replies */
function answer(replies) {
  parentPort?.postMessage({ replies, committed, durable })
}

const walSync =
  synchronous === 'saved'
    ? new WalSync(`${file}-wal`, syncIntervalMs, (covered, replies) => {
        durable = Math.max(durable, covered)
        answer(replies)
      })
    : null

/** @type {Request[]} */
let queue = []
let scheduled = false

function commitQueued() {
  scheduled = false
  if (queue.length === 0) return
  const writes = []
  const syncs = []
  for (const request of queue) (request.op === 'sync' ? syncs : writes).push(request)
  queue = []
  /** @type {Reply[]} */
  let replies = []
  if (writes.length > 0) {
    try {
      // BEGIN IMMEDIATE: the write lock is taken (waiting up to busy_timeout) before anything
      // is read. A deferred transaction whose first statement reads (a compaction's) fails at
      // once, without waiting, if another connection to the file wrote since that read.
      replies = runGroup.immediate(writes)
      committed++
      // FULL synced the WAL in the commit itself.
      if (synchronous === 'full') durable = committed
      walSync?.committed(committed)
    } catch (error) {
      // The commit itself failed (the disk, the file): nothing of the group is stored.
      const failed = describe(error)
      replies = writes.map((request) => ({ id: request.id, error: failed }))
    }
  }
  // A sync asked for covers every commit before it (this group's too): answered once a sync
  // of the WAL started after them has finished. Without WalSync there is nothing to wait for.
  if (walSync) for (const request of syncs) walSync.wait(request.id, committed)
  else for (const request of syncs) replies.push({ id: request.id, value: undefined })
  // Only syncs asked for: WalSync answers them.
  if (replies.length > 0) answer(replies)
}

parentPort?.on('message', (/** @type {Request[] | 'close'} */ message) => {
  if (message === 'close') {
    // Whatever was asked for is committed, on disk and answered first; the server then ends
    // this thread.
    commitQueued()
    const finish = () => {
      // The checkpointer's connection is closed first, then this one (the last but the server's
      // reader), which folds what is left of the WAL.
      let once = false
      const closed = () => {
        if (once) return
        once = true
        db.close()
        parentPort?.postMessage('closed')
      }
      if (checkpointer.threadId === -1) return closed()
      checkpointer.once('message', closed)
      checkpointer.once('exit', closed)
      checkpointer.postMessage('close')
    }
    if (walSync) walSync.close(finish)
    else finish()
    return
  }
  queue.push(...message)
  if (scheduled) return
  scheduled = true
  // Every request that came in while the last commit ran joins this one.
  setImmediate(commitQueued)
})
