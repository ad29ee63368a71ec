import pg from 'pg'
import {
  type DocStore,
  type HistoryEntry,
  personFromColumns,
  type SnapshotInfo,
  type StoredDoc,
} from './doc-store.ts'

/** Where pool and connection troubles are reported; a pino logger fits. */
export interface StoreLog {
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database`, as in `DATABASE_URL`. */
  readonly url: string
  /** The schema holding this server's tables; created on start if missing. */
  readonly schema?: string
  /** Connections kept by this instance. Group commit keeps at most one append per room in flight. */
  readonly poolSize?: number
  /** How long to wait for a connection (a new one, or a free one from the pool) before giving up. */
  readonly connectTimeoutMs?: number
  /** The server cancels (and rolls back) any statement running longer than this. */
  readonly statementTimeoutMs?: number
  /** Names this store's connections in `pg_stat_activity`. */
  readonly applicationName?: string
  readonly log?: StoreLog
}

/** The schema used when none is configured: the tables stay out of the way of anything else in the database. */
export const DEFAULT_SCHEMA = 'network_map'
const DEFAULT_POOL_SIZE = 10
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000
const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000
/** Close connections idle this long, so a quiet server holds few. */
const IDLE_TIMEOUT_MS = 30_000
/** Waits before trying again on a fresh connection after a connection-level failure. */
const RETRY_DELAYS_MS = [50, 250] as const

/** PostgreSQL could not be reached, or went away and did not come back within the retries. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError'
}

/** PostgreSQL answered, but refused or failed the statement (permissions, disk full, a bug). */
export class StorageError extends Error {
  override name = 'StorageError'
}

/**
 * The schema, as an ordered list of migrations. Append only: never edit one that has shipped.
 * Versions rise by one; the server applies those the database lacks when it starts.
 *
 * Sequence numbers are per room, taken from a counter row in `rooms` that each append
 * increments: the increment locks that row until the append commits, so two writers of the same
 * room (there should be only one, but an instance that has lost its lease may not know yet) take
 * turns, and a row with a lower number is always committed before one with a higher number is
 * visible. A shared bigserial would not promise that: a transaction holding number 10 can commit
 * after one holding 11, and a compaction that has seen 11 would hide 10 forever.
 */
const MIGRATIONS: readonly { version: number; name: string; up: (schema: string) => string }[] = [
  {
    version: 1,
    name: 'update log, snapshots, per-room sequence',
    up: (s) => `
      CREATE TABLE ${s}.rooms (
        room     text PRIMARY KEY,
        last_seq bigint NOT NULL
      ) WITH (fillfactor = 70);
      CREATE TABLE ${s}.updates (
        room text   NOT NULL,
        seq  bigint NOT NULL,
        data bytea  NOT NULL,
        PRIMARY KEY (room, seq)
      );
      CREATE TABLE ${s}.snapshots (
        room       text        PRIMARY KEY,
        upto_seq   bigint      NOT NULL,
        data       bytea       NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    // Invites beside the workspaces, so a link works on whichever instance a balancer picks and
    // a withdrawal counts on all of them. Times are epoch milliseconds, as in the SQLite store.
    // `secrets` holds the token signing secret when SECRET is not given: made once by whichever
    // instance starts first, then read by all (see invite-store-postgres.ts).
    version: 2,
    name: 'invites and the signing secret',
    up: (s) => `
      CREATE TABLE ${s}.invites (
        jti        text   PRIMARY KEY,
        room       text   NOT NULL,
        role       text   NOT NULL,
        label      text   NOT NULL DEFAULT '',
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        revoked_at bigint
      );
      CREATE INDEX invites_by_room ON ${s}.invites (room, created_at DESC);
      CREATE TABLE ${s}.secrets (
        name       text        PRIMARY KEY,
        value      text        NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    // Named snapshots a facilitator saves (and the server saves before a restore), and who
    // changed which records: one row per person per committed batch, written by the same
    // statement as the batch's updates. Times are epoch milliseconds; `n` orders rows of one
    // millisecond.
    version: 3,
    name: 'saved snapshots and history',
    up: (s) => `
      CREATE TABLE ${s}.saved_snapshots (
        room       text    NOT NULL,
        id         text    NOT NULL,
        n          bigserial,
        name       text    NOT NULL,
        created_at bigint  NOT NULL,
        by_id      text,
        by_name    text,
        by_role    text,
        auto       boolean NOT NULL,
        data       bytea   NOT NULL,
        PRIMARY KEY (room, id)
      );
      CREATE TABLE ${s}.history (
        n       bigserial PRIMARY KEY,
        id      text   NOT NULL UNIQUE,
        room    text   NOT NULL,
        at      bigint NOT NULL,
        by_id   text,
        by_name text,
        by_role text,
        changes jsonb  NOT NULL
      );
      CREATE INDEX history_by_room ON ${s}.history (room, n DESC);
    `,
  },
  {
    // Each room's map preview (model/map-preview.ts), sent ahead of its document to a device
    // opening it with nothing.
    version: 4,
    name: 'map previews',
    up: (s) => `
      CREATE TABLE ${s}.previews (
        room       text        PRIMARY KEY,
        data       bytea       NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
]
for (const [index, migration] of MIGRATIONS.entries()) {
  if (migration.version !== index + 1)
    throw new Error(`migration ${migration.name} must be version ${index + 1}`)
}
/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length

/**
 * The PostgreSQL store: the durable update log and snapshots for one or more server instances.
 * Creates or migrates its schema before resolving, under an advisory lock so that instances
 * starting together take turns. Every append, load and compaction is a single statement, so each
 * is atomic and costs one round trip. A connection that fails (PostgreSQL restarted, a backend
 * terminated, an idle connection cut) is retried on a fresh one; when PostgreSQL stays away the
 * promise rejects with a `StorageUnavailableError` naming the server (never its password), and
 * the process carries on.
 */
export async function openPostgresStore(options: PostgresOptions): Promise<DocStore> {
  const schema = checkedSchema(options.schema)
  const where = describeDatabase(options.url)
  const pool = openPool(options, where)
  const q = (name: string) => `${schema}.${name}`
  let closed = false
  const run = <R extends pg.QueryResultRow>(what: string, text: string, values: unknown[], retry = true) =>
    runStatement<R>(pool, { where, what, log: options.log, isClosed: () => closed }, text, values, retry)

  await prepareSchema(pool, schema, where)

  /** One statement's part that writes history entries given as a JSON array. */
  function insertHistorySql(room: string, entries: string): string {
    return `INSERT INTO ${q('history')} (id, room, at, by_id, by_name, by_role, changes)
      SELECT e->>'id', ${room}, (e->>'at')::bigint, e->'by'->>'id', e->'by'->>'name', e->'by'->>'role', e->'changes'
      FROM jsonb_array_elements(${entries}::jsonb) AS e
      ON CONFLICT (id) DO NOTHING`
  }

  // Each statement below is atomic on its own, and sees one snapshot of the database.
  const appendSql = `
    WITH counter AS (
      INSERT INTO ${q('rooms')} AS r (room, last_seq) VALUES ($1, $2)
      ON CONFLICT (room) DO UPDATE SET last_seq = r.last_seq + excluded.last_seq
      RETURNING last_seq
    ), inserted AS (
      INSERT INTO ${q('updates')} (room, seq, data)
      SELECT $1, counter.last_seq - $2 + u.ord, u.data
      FROM counter, unnest($3::bytea[]) WITH ORDINALITY AS u(data, ord)
    ), history AS (
      ${insertHistorySql('$1', '$4')}
    )
    SELECT last_seq FROM counter`
  const addHistorySql = insertHistorySql('$1', '$2')
  const saveSnapshotSql = `
    INSERT INTO ${q('saved_snapshots')} (room, id, name, created_at, by_id, by_name, by_role, auto, data)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (room, id) DO NOTHING`
  const listSnapshotsSql = `
    SELECT id, name, created_at, by_id, by_name, by_role, auto FROM ${q('saved_snapshots')}
    WHERE room = $1 ORDER BY created_at DESC, n DESC`
  const snapshotStateSql = `SELECT data FROM ${q('saved_snapshots')} WHERE room = $1 AND id = $2`
  const loadSql = `
    SELECT 0 AS part, upto_seq AS seq, data FROM ${q('snapshots')} WHERE room = $1
    UNION ALL
    SELECT 1, seq, data FROM ${q('updates')}
    WHERE room = $1 AND seq > coalesce((SELECT upto_seq FROM ${q('snapshots')} WHERE room = $1), 0)
    ORDER BY part, seq`
  // The snapshot is included only when it has folded rows above $2 (they are gone from the log).
  const loadSinceSql = `
    WITH snap AS (SELECT upto_seq, data FROM ${q('snapshots')} WHERE room = $1)
    SELECT 0 AS part, upto_seq AS seq, data FROM snap WHERE upto_seq > $2
    UNION ALL
    SELECT 1, seq, data FROM ${q('updates')}
    WHERE room = $1 AND seq > greatest($2, coalesce((SELECT upto_seq FROM snap), 0))
    ORDER BY part, seq`
  // The snapshot only ever moves forward: an older compaction finishing late changes nothing.
  const compactSql = `
    WITH snapshot AS (
      INSERT INTO ${q('snapshots')} AS s (room, upto_seq, data) VALUES ($1, $2, $3)
      ON CONFLICT (room) DO UPDATE SET upto_seq = excluded.upto_seq, data = excluded.data, updated_at = now()
      WHERE s.upto_seq <= excluded.upto_seq
      RETURNING upto_seq
    )
    DELETE FROM ${q('updates')} WHERE room = $1 AND seq <= (SELECT upto_seq FROM snapshot)`
  const savePreviewSql = `
    INSERT INTO ${q('previews')} (room, data) VALUES ($1, $2)
    ON CONFLICT (room) DO UPDATE SET data = excluded.data, updated_at = now()`
  const loadPreviewSql = `SELECT data FROM ${q('previews')} WHERE room = $1`
  const pendingSql = `
    SELECT count(*)::int AS n FROM ${q('updates')}
    WHERE room = $1 AND seq > coalesce((SELECT upto_seq FROM ${q('snapshots')} WHERE room = $1), 0)`
  const roomsSql = `SELECT room FROM ${q('rooms')} UNION SELECT room FROM ${q('snapshots')} ORDER BY room`

  return {
    async load(room): Promise<StoredDoc> {
      const { rows } = await run<{ part: number; seq: string; data: Buffer }>('load room', loadSql, [room])
      let snapshot: Uint8Array | null = null
      const updates: Uint8Array[] = []
      let lastSeq = 0
      for (const row of rows) {
        if (row.part === 0) snapshot = new Uint8Array(row.data)
        else updates.push(new Uint8Array(row.data))
        lastSeq = Number(row.seq)
      }
      return { snapshot, updates, lastSeq }
    },
    async loadSince(room, afterSeq): Promise<StoredDoc> {
      const { rows } = await run<{ part: number; seq: string; data: Buffer }>(
        'load recent updates',
        loadSinceSql,
        [room, afterSeq],
      )
      let snapshot: Uint8Array | null = null
      const updates: Uint8Array[] = []
      let lastSeq = afterSeq
      for (const row of rows) {
        if (row.part === 0) snapshot = new Uint8Array(row.data)
        else updates.push(new Uint8Array(row.data))
        lastSeq = Number(row.seq)
      }
      return { snapshot, updates, lastSeq }
    },
    async append(room, updates, history = []) {
      if (updates.length === 0) throw new StorageError('append needs at least one update')
      // A retry after a connection failure may store a batch that did commit a second time;
      // Yjs updates are idempotent, so a duplicate row costs space until compaction, nothing else.
      const { rows } = await run<{ last_seq: string }>('append updates', appendSql, [
        room,
        updates.length,
        updates.map((update) => Buffer.from(update.buffer, update.byteOffset, update.byteLength)),
        JSON.stringify(history),
      ])
      return Number(rows[0]?.last_seq)
    },
    async saveSnapshot(room, info: SnapshotInfo, state) {
      await run('save a snapshot', saveSnapshotSql, [
        room,
        info.id,
        info.name,
        info.createdAt,
        info.createdBy?.id ?? null,
        info.createdBy?.name ?? null,
        info.createdBy?.role ?? null,
        info.auto,
        Buffer.from(state.buffer, state.byteOffset, state.byteLength),
      ])
    },
    async listSnapshots(room) {
      const { rows } = await run<{
        id: string
        name: string
        created_at: string
        by_id: string | null
        by_name: string | null
        by_role: string | null
        auto: boolean
      }>('list snapshots', listSnapshotsSql, [room])
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        createdAt: Number(row.created_at),
        createdBy: personFromColumns(row.by_id, row.by_name, row.by_role),
        auto: row.auto,
      }))
    },
    async snapshotState(room, id) {
      const { rows } = await run<{ data: Buffer }>('read a snapshot', snapshotStateSql, [room, id])
      return rows[0] ? new Uint8Array(rows[0].data) : null
    },
    async history(room, query) {
      const values: unknown[] = [room, query.limit]
      let filter = ''
      if (query.record !== undefined) {
        values.push(query.record)
        filter += ` AND changes @> jsonb_build_array(jsonb_build_object('id', $${values.length}::text))`
      }
      if (query.by !== undefined) {
        values.push(query.by)
        filter += ` AND by_id = $${values.length}`
      }
      const { rows } = await run<{
        id: string
        at: string
        by_id: string | null
        by_name: string | null
        by_role: string | null
        changes: HistoryEntry['changes']
      }>(
        'read history',
        `SELECT id, at, by_id, by_name, by_role, changes FROM ${q('history')}
         WHERE room = $1${filter} ORDER BY n DESC LIMIT $2`,
        values,
      )
      return rows.map((row) => ({
        id: row.id,
        at: Number(row.at),
        by: personFromColumns(row.by_id, row.by_name, row.by_role),
        changes: row.changes,
      }))
    },
    async addHistory(room, entries) {
      if (entries.length === 0) return
      await run('add history', addHistorySql, [room, JSON.stringify(entries)])
    },
    async compact(room, state, uptoSeq) {
      await run('compact room', compactSql, [
        room,
        uptoSeq,
        Buffer.from(state.buffer, state.byteOffset, state.byteLength),
      ])
    },
    async savePreview(room, preview) {
      await run('save a map preview', savePreviewSql, [
        room,
        Buffer.from(preview.buffer, preview.byteOffset, preview.byteLength),
      ])
    },
    async loadPreview(room) {
      const { rows } = await run<{ data: Buffer }>('read a map preview', loadPreviewSql, [room])
      return rows[0] ? new Uint8Array(rows[0].data) : null
    },
    async pendingRows(room) {
      const { rows } = await run<{ n: number }>('count pending rows', pendingSql, [room])
      return rows[0]?.n ?? 0
    },
    async rooms() {
      const { rows } = await run<{ room: string }>('list rooms', roomsSql, [])
      return rows.map((row) => row.room)
    },
    async check() {
      // One try: a health check should answer for now, quickly, not after the retries.
      await run('answer a health check', 'SELECT 1', [], false)
    },
    async close() {
      if (closed) return
      closed = true
      await pool.end()
    },
  }
}

/** The schema name, checked: it is written into statements, so only plain identifiers pass. */
export function checkedSchema(schema: string | undefined): string {
  const name = schema ?? DEFAULT_SCHEMA
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`invalid PostgreSQL schema name "${name}": lower-case letters, digits and _`)
  }
  return name
}

/**
 * A connection pool set up as every PostgreSQL part of the server needs it: server-side
 * statement timeout, synchronous commits, keep-alive, and a listener for idle connections that
 * die (without one, such an error would crash the process).
 */
export function openPool(options: PostgresOptions, where = describeDatabase(options.url)): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    // A server-side limit: a statement that runs too long is rolled back, so its outcome is
    // known. (A client-side timeout would leave an append that may or may not commit later.)
    statement_timeout: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    // The stores promise "durable when it resolves", whatever the database's default is.
    options: '-c synchronous_commit=on',
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: options.applicationName ?? 'network-map',
  })
  // An idle connection that dies (PostgreSQL restarted, backend terminated) is reported here;
  // the pool has already dropped it.
  pool.on('error', (error) => {
    options.log?.warn(
      { err: error, database: where },
      'a PostgreSQL connection was lost; the next use opens another',
    )
  })
  return pool
}

/** What a statement is for and where it goes, for retries and messages. */
export interface StatementContext {
  /** `host:port/database`, never a password. */
  readonly where: string
  /** What the statement does, for messages: "load room", "revoke an invite". */
  readonly what: string
  readonly log?: StoreLog | undefined
  /** True once the store is closed: no more tries. */
  readonly isClosed: () => boolean
}

/**
 * Runs one statement, retrying connection-level failures on a fresh connection (unless told
 * not to). A failure of the statement itself becomes a `StorageError`; PostgreSQL staying away,
 * a `StorageUnavailableError` naming the server.
 */
export async function runStatement<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  context: StatementContext,
  text: string,
  values: unknown[],
  retry = true,
): Promise<pg.QueryResult<R>> {
  const { where, what } = context
  for (let attempt = 0; ; attempt++) {
    if (context.isClosed()) throw new StorageError(`the PostgreSQL store is closed (${what})`)
    try {
      return await pool.query<R>(text, values)
    } catch (error) {
      if (!isConnectionError(error)) {
        throw new StorageError(`PostgreSQL (${where}) failed to ${what}: ${(error as Error).message}`, {
          cause: error,
        })
      }
      const delay = retry ? RETRY_DELAYS_MS[attempt] : undefined
      if (delay === undefined || context.isClosed()) {
        throw new StorageUnavailableError(
          `PostgreSQL is unreachable (${where}), could not ${what}: ${(error as Error).message}`,
          { cause: error },
        )
      }
      context.log?.warn(
        { err: error, database: where, attempt: attempt + 1 },
        `PostgreSQL connection failed during ${what}; trying again`,
      )
      await new Promise((resolve) => setTimeout(resolve, delay))
    }
  }
}

/**
 * Creates or migrates the schema, for any part that opens its own pool (the workspaces' store,
 * the invite store): whichever comes first migrates, the other finds nothing to do. On failure
 * the pool is ended and the error says whether PostgreSQL was unreachable or refused.
 */
export async function prepareSchema(pool: pg.Pool, schema: string, where: string): Promise<void> {
  try {
    await migrate(pool, schema, where)
  } catch (error) {
    await pool.end().catch(() => undefined)
    if (error instanceof StorageError || !isConnectionError(error)) throw error
    throw new StorageUnavailableError(`PostgreSQL is unreachable (${where}): ${(error as Error).message}`, {
      cause: error,
    })
  }
}

/**
 * Brings the schema up to date in one transaction. The advisory lock makes instances that start
 * together take turns: the first migrates, the others then find nothing to do.
 */
async function migrate(pool: pg.Pool, schema: string, where: string): Promise<void> {
  const client = await pool.connect()
  let failed: unknown
  // A checked-out client has no listener of the pool's; without one a lost connection would crash.
  const onError = (error: Error) => {
    failed = error
  }
  client.on('error', onError)
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `network-map schema ${schema}`,
    ])
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${schema}.schema_version (
        version    integer     PRIMARY KEY,
        name       text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`)
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${schema}.schema_version`,
    )
    const current = rows[0]?.version ?? 0
    if (current > SCHEMA_VERSION) {
      throw new StorageError(
        `the PostgreSQL schema ${schema} (${where}) is at version ${current}, newer than this server knows (${SCHEMA_VERSION}): upgrade the server`,
      )
    }
    for (const migration of MIGRATIONS.slice(current)) {
      await client.query(migration.up(schema))
      await client.query(`INSERT INTO ${schema}.schema_version (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ])
    }
    await client.query('COMMIT')
  } catch (error) {
    failed ??= error
    await client.query('ROLLBACK').catch(() => undefined)
    if (error instanceof StorageError || isConnectionError(error)) throw error
    throw new StorageError(
      `could not create or migrate the PostgreSQL schema ${schema} (${where}): ${(error as Error).message}`,
      {
        cause: error,
      },
    )
  } finally {
    client.off('error', onError)
    client.release(failed instanceof Error ? failed : undefined)
  }
}

/** SQLSTATE classes and Node error codes that mean "the connection", not "the statement". */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300'])
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

/** Is this a failure of the connection (worth a retry on a fresh one), not of the statement? */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    if (code.startsWith('08') || CONNECTION_SQLSTATES.has(code) || CONNECTION_ERRNOS.has(code)) return true
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed|Connection ended/i.test(
    error.message,
  )
}

/** `host:port/database` for messages and logs: never the user's password. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url)
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)'
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${database}`
  } catch {
    return 'PostgreSQL (unparsable DATABASE_URL)'
  }
}
