import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { loadSecret } from './auth.ts'
import type { Config } from './config.ts'
import type { StoreLog } from './storage/postgres.ts'
import { isRole, type Role } from './write-rules.ts'

/** An invite as the server remembers it: enough to list it and to withdraw it. */
export interface Invite {
  /** The token's id (its `jti` claim). */
  readonly jti: string
  readonly room: string
  readonly role: Role
  /** What the facilitator called it ("Tuesday group", "projector"); may be empty. */
  readonly label: string
  /** Epoch milliseconds. */
  readonly createdAt: number
  readonly expiresAt: number
  /** When it was withdrawn, or null while it works. */
  readonly revokedAt: number | null
}

/**
 * Where issued invites are kept. A token is accepted only while its invite is here and not
 * withdrawn, so losing this store fails closed (every link stops working), never open.
 * Async so that a store shared by several servers can stand in for the SQLite one.
 */
export interface InviteStore {
  add(invite: Invite): Promise<void>
  get(jti: string): Promise<Invite | null>
  /** A room's invites, newest first. */
  list(room: string): Promise<Invite[]>
  /** Every invite of every room, oldest first (moving invites between stores). */
  all(): Promise<Invite[]>
  /** Withdraws an invite of `room`; returns it (as withdrawn), or null if the room has no such invite. */
  revoke(room: string, jti: string, at: number): Promise<Invite | null>
  /**
   * Runs `task` while no other server sharing this store runs one under the same name (a store
   * shared by several instances: PostgreSQL's advisory lock). Absent where only one server
   * uses the store at a time.
   */
  exclusive?<T>(name: string, task: () => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** The invite store and the signing key the configuration asks for. */
export interface OpenedAccess {
  readonly invites: InviteStore
  readonly key: Uint8Array
  /** Where the invites and the secret are, for the start-up log (never a password or the secret). */
  readonly description: string
}

/**
 * Invites and the signing key as configured. With `DATABASE_URL`: invites in PostgreSQL beside
 * the workspaces, and the key from `SECRET` or else the one kept in the database (made once),
 * so every instance accepts every other's tokens whatever its data directory. Otherwise
 * `DATA_DIR/access.sqlite`, and `SECRET` or `DATA_DIR/secret`. The server, `npm start`'s link
 * and `npm run invite` all choose through this, so they always agree.
 */
export async function openConfiguredAccess(
  config: Pick<Config, 'databaseUrl' | 'databaseSchema' | 'dataDir' | 'secret'>,
  log?: StoreLog,
): Promise<OpenedAccess> {
  if (!config.databaseUrl) {
    const invites = openSqliteInviteStore(config.dataDir)
    try {
      const secret = loadSecret(config.dataDir, config.secret)
      return {
        invites,
        key: secret.key,
        description: `sqlite ${join(config.dataDir, 'access.sqlite')}, key from ${secret.source}`,
      }
    } catch (error) {
      await invites.close()
      throw error
    }
  }
  // PostgreSQL's client loads only when it is used: the embedded default never needs it.
  const { openPostgresInviteStore } = await import('./invite-store-postgres.ts')
  const { describeDatabase } = await import('./storage/postgres.ts')
  const invites = await openPostgresInviteStore({
    url: config.databaseUrl,
    schema: config.databaseSchema,
    log,
  })
  try {
    const where = `postgresql ${describeDatabase(config.databaseUrl)} schema ${config.databaseSchema}`
    if (config.secret) {
      return {
        invites,
        key: loadSecret(config.dataDir, config.secret).key,
        description: `${where}, key from SECRET`,
      }
    }
    const key = new TextEncoder().encode(await invites.sharedSecret())
    return { invites, key, description: `${where}, key kept in the database` }
  } catch (error) {
    await invites.close()
    throw error
  }
}

/** An invite's row, in either store (PostgreSQL's bigint columns arrive as strings). */
export interface InviteRow {
  jti: string
  room: string
  role: string
  label: string
  created_at: number | string
  expires_at: number | string
  revoked_at: number | string | null
}

/** An invite from its row; a role this version does not know (a newer one's) admits no more than a viewer. */
export const inviteFromRow = (row: InviteRow): Invite => ({
  jti: row.jti,
  room: row.room,
  role: isRole(row.role) ? row.role : 'viewer',
  label: row.label,
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
  revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
})

/**
 * The invites in their own SQLite file, `DATA_DIR/access.sqlite`, apart from the workspaces'
 * store (which may be PostgreSQL), so access and documents can be backed up and moved apart.
 */
export function openSqliteInviteStore(dataDir: string): InviteStore {
  mkdirSync(dataDir, { recursive: true })
  const db = new Database(join(dataDir, 'access.sqlite'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  db.exec(`
    CREATE TABLE IF NOT EXISTS invites (
      jti        TEXT PRIMARY KEY,
      room       TEXT NOT NULL,
      role       TEXT NOT NULL,
      label      TEXT NOT NULL DEFAULT '',
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      revoked_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS invites_by_room ON invites (room, created_at);
  `)
  const insert = db.prepare<[string, string, string, string, number, number, number | null]>(
    'INSERT INTO invites (jti, room, role, label, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const select = db.prepare<[string], InviteRow>('SELECT * FROM invites WHERE jti = ?')
  const selectRoom = db.prepare<[string], InviteRow>(
    'SELECT * FROM invites WHERE room = ? ORDER BY created_at DESC, jti',
  )
  const selectAll = db.prepare<[], InviteRow>('SELECT * FROM invites ORDER BY created_at, jti')
  const revoke = db.prepare<[number, string, string]>(
    'UPDATE invites SET revoked_at = coalesce(revoked_at, ?) WHERE jti = ? AND room = ?',
  )
  let closed = false
  return {
    add: async (invite) => {
      insert.run(
        invite.jti,
        invite.room,
        invite.role,
        invite.label,
        invite.createdAt,
        invite.expiresAt,
        invite.revokedAt,
      )
    },
    get: async (jti) => {
      const row = select.get(jti)
      return row ? inviteFromRow(row) : null
    },
    list: async (room) => selectRoom.all(room).map(inviteFromRow),
    all: async () => selectAll.all().map(inviteFromRow),
    revoke: async (room, jti, at) => {
      revoke.run(at, jti, room)
      const row = select.get(jti)
      return row && row.room === room ? inviteFromRow(row) : null
    },
    close: async () => {
      if (closed) return
      closed = true
      db.close()
    },
  }
}
