// The SQLite store's writer (see sqlite.ts): a worker thread that owns the connection every
// write goes through, so a commit's fsync (synchronous=FULL) blocks this thread, not the
// server's event loop. The server's thread keeps relaying presence and other rooms' updates
// meanwhile; an update is still relayed only once its commit here has returned.
//
// Requests that arrive while a commit is running are committed together in the next one (one
// transaction, one fsync), each in a savepoint of its own, so one that fails (a constraint, a
// full disk) fails alone and the others still commit. Each request is answered after the
// transaction that holds it has committed.
//
// Plain JavaScript, so the same file runs from the sources (tests) and from dist/server (the
// build lists it as an entry point) without a TypeScript loader in the worker.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

/** @type {{ file: string, synchronous: 'full' | 'normal' }} */
const { file, synchronous } = workerData
const db = new Database(file)
db.pragma('journal_mode = WAL')
db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`)
db.pragma('busy_timeout = 5000')

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

/** @typedef {{ id: number, op: keyof typeof operations, args: any }} Request */
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

/** @type {Request[]} */
let queue = []
let scheduled = false

function commitQueued() {
  scheduled = false
  if (queue.length === 0) return
  const group = queue
  queue = []
  /** @type {Reply[]} */
  let replies
  try {
    // BEGIN IMMEDIATE: the write lock is taken (waiting up to busy_timeout) before anything is
    // read. A deferred transaction whose first statement reads (a compaction's) fails at once,
    // without waiting, if another connection to the file wrote since that read.
    replies = runGroup.immediate(group)
  } catch (error) {
    // The commit itself failed (the disk, the file): nothing of the group is stored.
    const failed = describe(error)
    replies = group.map((request) => ({ id: request.id, error: failed }))
  }
  parentPort?.postMessage(replies)
}

parentPort?.on('message', (/** @type {Request[] | 'close'} */ message) => {
  if (message === 'close') {
    // Whatever was asked for is committed and answered first; the server then ends this thread.
    commitQueued()
    db.close()
    parentPort?.postMessage('closed')
    return
  }
  queue.push(...message)
  if (scheduled) return
  scheduled = true
  // Every request that came in while the last commit ran joins this one.
  setImmediate(commitQueued)
})
