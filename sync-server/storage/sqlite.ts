import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { DocStore, StoredDoc } from './doc-store.ts'

export interface SqliteOptions {
  /** The folder holding `workspaces.sqlite`; created if missing. */
  readonly dataDir: string
  /**
   * SQLite's `synchronous` setting in WAL mode. 'full' (the default) syncs every commit to
   * disk, so a committed update survives a power cut (a venue laptop's battery dying);
   * 'normal' survives a crash of the process but may lose the last commits on power loss.
   */
  readonly synchronous?: 'full' | 'normal'
}

/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous, so each call
 * finishes before the promise is returned; callers still treat it as async so the PostgreSQL
 * store can stand in its place.
 */
export function openSqliteStore({ dataDir, synchronous = 'full' }: SqliteOptions): DocStore {
  mkdirSync(dataDir, { recursive: true })
  const db = new Database(join(dataDir, 'workspaces.sqlite'))
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
  `)

  const selectSnapshot = db.prepare<[string], { data: Buffer; upto_seq: number }>(
    'SELECT data, upto_seq FROM snapshots WHERE room = ?',
  )
  const selectUpdates = db.prepare<[string, number], { seq: number; data: Buffer }>(
    'SELECT seq, data FROM updates WHERE room = ? AND seq > ? ORDER BY seq',
  )
  const insertUpdate = db.prepare<[string, Uint8Array]>('INSERT INTO updates (room, data) VALUES (?, ?)')
  const upsertSnapshot = db.prepare<[string, Uint8Array, number, number]>(
    `INSERT INTO snapshots (room, data, upto_seq, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (room) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq, updated_at = excluded.updated_at`,
  )
  const deleteUpdates = db.prepare<[string, number]>('DELETE FROM updates WHERE room = ? AND seq <= ?')
  const countUpdates = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM updates WHERE room = ? AND seq > ?',
  )

  const selectRooms = db.prepare<[], { room: string }>(
    'SELECT room FROM snapshots UNION SELECT room FROM updates ORDER BY room',
  )

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
  const append = db.transaction((room: string, updates: readonly Uint8Array[]): number => {
    let seq = 0
    for (const update of updates) seq = Number(insertUpdate.run(room, update).lastInsertRowid)
    return seq
  })
  const compact = db.transaction((room: string, state: Uint8Array, uptoSeq: number) => {
    // Never move a snapshot backwards: an older compaction finishing late must not win.
    if (uptoSeq < snapshotSeq(room)) return
    upsertSnapshot.run(room, state, uptoSeq, Date.now())
    deleteUpdates.run(room, uptoSeq)
  })

  return {
    load: async (room) => load(room),
    loadSince: async (room, afterSeq) => loadSince(room, afterSeq),
    append: async (room, updates) => append(room, updates),
    compact: async (room, state, uptoSeq) => {
      compact(room, state, uptoSeq)
    },
    pendingRows: async (room) => countUpdates.get(room, snapshotSeq(room))?.n ?? 0,
    rooms: async () => selectRooms.all().map((row) => row.room),
    check: async () => {
      db.prepare('SELECT 1').get()
    },
    close: async () => {
      if (db.open) db.close()
    },
  }
}
