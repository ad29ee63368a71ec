// Folds the SQLite WAL back into the database file (a PASSIVE checkpoint) on a thread of its own,
// started by the writer (sqlite-writer.mjs). SQLite's automatic checkpoint runs inside the commit
// that crosses its threshold, on the writer's thread: with synchronous=NORMAL it syncs the WAL,
// copies its pages into the database and syncs that, and every commit (so every relay) waits
// behind it; on a disk busy with other work each sync can take a tenth of a second. A PASSIVE
// checkpoint takes no lock the writer needs, so here the writer goes on committing meanwhile.
//
// Plain JavaScript, like the writer (built to dist/server/sqlite-checkpointer.js).
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

/** @type {{ file: string, intervalMs: number }} */
const { file, intervalMs } = workerData
const db = new Database(file)
db.pragma('synchronous = NORMAL')
db.pragma('busy_timeout = 5000')

const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {
    // Busy or failing now: the next turn tries again, and the writer's own automatic
    // checkpoint (at a higher threshold) still bounds the WAL.
  }
}, intervalMs)

parentPort?.on('message', (message) => {
  if (message !== 'close') return
  clearInterval(timer)
  db.close()
  parentPort?.postMessage('closed')
})
