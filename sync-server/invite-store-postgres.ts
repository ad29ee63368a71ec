import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { type InviteRow, type InviteStore, inviteFromRow } from './invite-store.ts'
import {
  checkedSchema,
  describeDatabase,
  openPool,
  type PostgresOptions,
  prepareSchema,
  runStatement,
  StorageError,
} from './storage/postgres.ts'

/**
 * Invites in PostgreSQL, beside the workspaces (the same schema, created by the same ordered
 * migrations): with several instances behind a balancer, an invite made on one admits its holder
 * on every other, and a withdrawal counts everywhere at the next check. Loaded only when
 * `DATABASE_URL` is set, like the rest of the PostgreSQL code.
 */

/** The PostgreSQL invite store: the `InviteStore` methods, plus what only a shared store can do. */
export interface PostgresInviteStore extends InviteStore {
  /**
   * The signing secret kept in the database: made once, by whichever instance asks first, and
   * the same for every instance after (so instances with separate data directories accept each
   * other's tokens). Used only when `SECRET` is not given.
   */
  sharedSecret(): Promise<string>
  /**
   * Keeps `value` as the signing secret if the database has none yet (moving a server's
   * workspaces here from its data directory, so the links it made keep working). Says whether
   * it was adopted, was the one already kept, or differs from it.
   */
  adoptSecret(value: string): Promise<'adopted' | 'same' | 'different'>
  /** The signing secret kept in the database, or null if none was made yet (nothing is made). */
  keptSecret(): Promise<string | null>
}

/** The name of the signing secret's row in `secrets`. */
const SIGNING_SECRET = 'invite-signing'
/** The invite store's pool: it answers one short query per connection attempt or API call. */
const POOL_SIZE = 4

/**
 * Opens the invite store on `DATABASE_URL`'s database, creating or migrating the schema first
 * (under the same advisory lock as the workspaces' store, so whichever opens first migrates).
 * Rejects with a message naming the database, never its password, when it cannot be reached.
 */
export async function openPostgresInviteStore(options: PostgresOptions): Promise<PostgresInviteStore> {
  const schema = checkedSchema(options.schema)
  const where = describeDatabase(options.url)
  const pool = openPool(
    {
      ...options,
      poolSize: options.poolSize ?? POOL_SIZE,
      applicationName: options.applicationName ?? 'network-map invites',
    },
    where,
  )
  let closed = false
  const run = <R extends pg.QueryResultRow>(what: string, text: string, values: unknown[]) =>
    runStatement<R>(pool, { where, what, log: options.log, isClosed: () => closed }, text, values)
  await prepareSchema(pool, schema, where)

  const table = `${schema}.invites`
  return {
    async add(invite) {
      await run(
        'record an invite',
        `INSERT INTO ${table} (jti, room, role, label, created_at, expires_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          invite.jti,
          invite.room,
          invite.role,
          invite.label,
          invite.createdAt,
          invite.expiresAt,
          invite.revokedAt,
        ],
      )
    },
    async get(jti) {
      const { rows } = await run<InviteRow>('look up an invite', `SELECT * FROM ${table} WHERE jti = $1`, [
        jti,
      ])
      return rows[0] ? inviteFromRow(rows[0]) : null
    },
    async all() {
      const { rows } = await run<InviteRow>(
        'list every invite',
        `SELECT * FROM ${table} ORDER BY created_at, jti`,
        [],
      )
      return rows.map(inviteFromRow)
    },
    async list(room) {
      const { rows } = await run<InviteRow>(
        "list a room's invites",
        `SELECT * FROM ${table} WHERE room = $1 ORDER BY created_at DESC, jti`,
        [room],
      )
      return rows.map(inviteFromRow)
    },
    async revoke(room, jti, at) {
      // One statement: withdrawn once (a second withdrawal keeps the first time), and only for
      // the room named, so a facilitator of one workspace cannot withdraw another's invites.
      const { rows } = await run<InviteRow>(
        'withdraw an invite',
        `UPDATE ${table} SET revoked_at = coalesce(revoked_at, $1) WHERE jti = $2 AND room = $3 RETURNING *`,
        [at, jti, room],
      )
      return rows[0] ? inviteFromRow(rows[0]) : null
    },
    async exclusive(name, task) {
      // A session-level advisory lock on a connection of its own, held while `task` runs on the
      // pool's others: instances starting together take turns (e.g. at the operator link).
      const client = await pool.connect().catch((error: Error) => {
        throw new StorageError(`PostgreSQL (${where}) gave no connection for a lock: ${error.message}`, {
          cause: error,
        })
      })
      let lost: Error | undefined
      const onError = (error: Error) => {
        lost = error
      }
      client.on('error', onError)
      const key = `network-map ${schema} ${name}`
      try {
        await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key])
        try {
          return await task()
        } finally {
          await client
            .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key])
            .catch((error: Error) => {
              lost ??= error
            })
        }
      } finally {
        client.off('error', onError)
        // A connection that failed is dropped, and with it the lock (PostgreSQL ends a session's locks).
        client.release(lost)
      }
    },
    async sharedSecret() {
      // Two statements, not one: in READ COMMITTED each sees what committed before it began, so
      // the SELECT sees the row whichever instance's INSERT won the race.
      await run(
        'make the signing secret',
        `INSERT INTO ${schema}.secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
        [SIGNING_SECRET, randomBytes(32).toString('base64url')],
      )
      const { rows } = await run<{ value: string }>(
        'read the signing secret',
        `SELECT value FROM ${schema}.secrets WHERE name = $1`,
        [SIGNING_SECRET],
      )
      const value = rows[0]?.value ?? ''
      if (value.length < 32) {
        throw new StorageError(
          `the signing secret in ${schema}.secrets (${where}) is unusable (under 32 characters); delete its row to make a new one`,
        )
      }
      return value
    },
    async keptSecret() {
      const { rows } = await run<{ value: string }>(
        'read the signing secret',
        `SELECT value FROM ${schema}.secrets WHERE name = $1`,
        [SIGNING_SECRET],
      )
      return rows[0]?.value ?? null
    },
    async adoptSecret(value) {
      const { rowCount } = await run(
        'keep the signing secret',
        `INSERT INTO ${schema}.secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
        [SIGNING_SECRET, value],
      )
      if (rowCount === 1) return 'adopted'
      const { rows } = await run<{ value: string }>(
        'read the signing secret',
        `SELECT value FROM ${schema}.secrets WHERE name = $1`,
        [SIGNING_SECRET],
      )
      return rows[0]?.value === value ? 'same' : 'different'
    },
    async close() {
      if (closed) return
      closed = true
      await pool.end()
    },
  }
}
