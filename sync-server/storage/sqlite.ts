import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import {
  type DocStore,
  type HistoryEntry,
  type HistoryQuery,
  personFromColumns,
  type SnapshotInfo,
  type StoredDoc,
} from './doc-store.ts'

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

  const insertSnapshot = db.prepare(
    `INSERT INTO saved_snapshots (room, id, name, created_at, by_id, by_name, by_role, auto, data)
     VALUES (@room, @id, @name, @createdAt, @byId, @byName, @byRole, @auto, @data)
     ON CONFLICT (room, id) DO NOTHING`,
  )
  const selectSnapshots = db.prepare<[string], SnapshotRow>(
    `SELECT id, name, created_at, by_id, by_name, by_role, auto FROM saved_snapshots
     WHERE room = ? ORDER BY created_at DESC, rowid DESC`,
  )
  const selectSnapshotState = db.prepare<[string, string], { data: Buffer }>(
    'SELECT data FROM saved_snapshots WHERE room = ? AND id = ?',
  )
  const insertHistory = db.prepare(
    `INSERT INTO history (id, room, at, by_id, by_name, by_role, changes)
     VALUES (@id, @room, @at, @byId, @byName, @byRole, @changes)
     ON CONFLICT (id) DO NOTHING`,
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
  const writeHistory = (room: string, entries: readonly HistoryEntry[]) => {
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
  const addHistory = db.transaction(writeHistory)

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
  const append = db.transaction(
    (room: string, updates: readonly Uint8Array[], history: readonly HistoryEntry[]): number => {
      let seq = 0
      for (const update of updates) seq = Number(insertUpdate.run(room, update).lastInsertRowid)
      writeHistory(room, history)
      return seq
    },
  )
  const compact = db.transaction((room: string, state: Uint8Array, uptoSeq: number) => {
    // Never move a snapshot backwards: an older compaction finishing late must not win.
    if (uptoSeq < snapshotSeq(room)) return
    upsertSnapshot.run(room, state, uptoSeq, Date.now())
    deleteUpdates.run(room, uptoSeq)
  })

  return {
    load: async (room) => load(room),
    loadSince: async (room, afterSeq) => loadSince(room, afterSeq),
    append: async (room, updates, history = []) => append(room, updates, history),
    compact: async (room, state, uptoSeq) => {
      compact(room, state, uptoSeq)
    },
    pendingRows: async (room) => countUpdates.get(room, snapshotSeq(room))?.n ?? 0,
    rooms: async () => selectRooms.all().map((row) => row.room),
    saveSnapshot: async (room, info, state) => {
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
    addHistory: async (room, entries) => {
      addHistory(room, entries)
    },
    check: async () => {
      db.prepare('SELECT 1').get()
    },
    close: async () => {
      if (db.open) db.close()
    },
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
