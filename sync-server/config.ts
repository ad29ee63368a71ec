import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'

/** Every setting of the server, with its default. Timings and limits are named here, not inline. */
export const ConfigSchema = z.object({
  /** 0.0.0.0 so participants' own devices on the venue network can join. */
  host: z.string().min(1).default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  dataDir: z.string().min(1).default('./data'),
  /** Where the built client is; served at /. */
  clientDir: z.string().min(1).default('./dist/client'),
  /**
   * Serve over HTTPS with a self-signed certificate kept in DATA_DIR/tls. Needed for offline
   * reload on a venue network: browsers only run service workers in a secure context.
   */
  https: z
    .preprocess((value) => value === true || value === '1' || value === 'true', z.boolean())
    .default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * SQLite's durability (see SqliteSync in storage/sqlite.ts): 'saved' relays a commit once it
   * is in the WAL and syncs the disk before telling a client its edits are saved; 'full' syncs
   * every commit before relaying it; 'normal' never waits for the disk.
   */
  sqliteSync: z.enum(['full', 'saved', 'normal']).default('saved'),
  /** PostgreSQL instead of SQLite: `postgres://user:password@host:port/database` (from `DATABASE_URL` only). */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
    .optional(),
  /** The PostgreSQL schema holding the tables; created on start. */
  databaseSchema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _')
    .default('network_map'),
  /**
   * Several instances: `redis://[:password@]host:port` (from `REDIS_URL` only) carries updates
   * and presence between them. Needs `DATABASE_URL` (PostgreSQL holds every update).
   */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .optional(),
  /** Prefixes every Redis key, so several deployments can share one Redis. */
  redisPrefix: z.string().max(64).default('nm:'),
  /**
   * The largest WebSocket frame accepted; a larger one closes that connection (1009). Big enough
   * for a borough's directory imported in one go (5,000 actors and 20,000 links are a 7 MiB
   * update), which a device sends whole, and again whole after editing offline.
   */
  maxMessageBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  maxConnections: z.coerce.number().int().min(1).default(2000),
  maxConnectionsPerRoom: z.coerce.number().int().min(1).default(250),
  messagesPerSecond: z.coerce.number().positive().default(200),
  messageBurst: z.coerce.number().positive().default(400),
  bytesPerSecond: z.coerce
    .number()
    .positive()
    .default(2 * 1024 * 1024),
  maxBufferedBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(32 * 1024 * 1024),
  maxQueuedWhileLoading: z.coerce.number().int().positive().default(64),
  maxAwarenessStateBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024),
  maxAwarenessClientsPerPeer: z.coerce.number().int().positive().default(8),
  /** Fold a room's log into a snapshot after this many rows... */
  compactAfterRows: z.coerce.number().int().positive().default(500),
  /** ...or this long after its last edit. */
  compactIdleMs: z.coerce.number().int().positive().default(10_000),
  /** Unload a room this long after its last connection left. */
  roomIdleMs: z.coerce.number().int().nonnegative().default(5_000),
  /**
   * Origins allowed to open a WebSocket. Empty allows the server's own origin only (the Origin
   * header naming the Host the browser asked for) and clients that send no Origin (scripts);
   * `*` allows any.
   */
  allowedOrigins: z.array(z.string()).default([]),
  /**
   * Open access for a trusted local network: a connection or request without a token counts as
   * a facilitator's. Off by default; tokens that are given are still checked.
   */
  openAccess: z
    .preprocess((value) => value === true || value === '1' || value === 'true', z.boolean())
    .default(false),
  /** The secret that signs invite tokens (from `SECRET` only, never a flag); else DATA_DIR/secret. */
  secret: z.string().min(32, 'SECRET must be at least 32 characters').optional(),
  /** The address invite links start with, e.g. `https://map.example.org`; else the request's own. */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Take the client's address from the last X-Forwarded-For entry (behind one trusted proxy). */
  trustProxy: z
    .preprocess((value) => value === true || value === '1' || value === 'true', z.boolean())
    .default(false),
  /** How long an invite lasts when its maker does not say, in seconds (7 days). */
  inviteSeconds: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 3600),
  /** How long the facilitator token of a newly created workspace lasts, in seconds (a year). */
  creatorSeconds: z.coerce
    .number()
    .int()
    .positive()
    .default(365 * 24 * 3600),
  /** The largest single document update a connection may send; larger closes it (1009). */
  maxUpdateBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  /** Open WebSockets from one address; more are closed (1013). Venues share one address behind NAT. */
  maxConnectionsPerIp: z.coerce.number().int().min(1).default(256),
  /**
   * Messages per second from one address across its connections, on average... The stock
   * provider sends back every presence change it receives, so a busy room's clients each send
   * about as much as the busiest of them: this allows about 100 busy clients behind one address.
   */
  ipMessagesPerSecond: z.coerce.number().positive().default(20_000),
  /** ...and in a burst; past it the connection that overspends is closed (1008). */
  ipMessageBurst: z.coerce.number().positive().default(40_000),
})
export type Config = z.infer<typeof ConfigSchema>

const FLAGS = {
  host: 'HOST',
  port: 'PORT',
  'data-dir': 'DATA_DIR',
  'client-dir': 'CLIENT_DIR',
  'log-level': 'LOG_LEVEL',
  https: 'HTTPS',
  'sqlite-sync': 'SQLITE_SYNC',
  'database-schema': 'DATABASE_SCHEMA',
  'redis-prefix': 'REDIS_PREFIX',
  'max-message-bytes': 'MAX_MESSAGE_BYTES',
  'max-connections': 'MAX_CONNECTIONS',
  'allowed-origins': 'ALLOWED_ORIGINS',
  'open-access': 'OPEN_ACCESS',
  'public-url': 'PUBLIC_URL',
  'trust-proxy': 'TRUST_PROXY',
  'max-update-bytes': 'MAX_UPDATE_BYTES',
  'max-connections-per-ip': 'MAX_CONNECTIONS_PER_IP',
  'ip-messages-per-second': 'IP_MESSAGES_PER_SECOND',
  'ip-message-burst': 'IP_MESSAGE_BURST',
} as const

/** Flags that are switches: `--https`, `--open-access` (their variables take 1 or true). */
const SWITCHES = new Set(['https', 'open-access', 'trust-proxy'])

const camel = (flag: string) => flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())

/**
 * Reads the configuration: a command-line flag wins over the environment variable, which wins
 * over the default. Returns the error text for a bad value instead of starting half-configured.
 */
export function readConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): { ok: true; value: Config } | { ok: false; error: string } {
  let flags: Record<string, string | boolean | undefined>
  try {
    flags = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        Object.keys(FLAGS).map((flag) => [flag, { type: SWITCHES.has(flag) ? 'boolean' : 'string' }]),
      ),
      strict: true,
    }).values as Record<string, string | boolean | undefined>
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
  const raw: Record<string, unknown> = {}
  for (const [flag, variable] of Object.entries(FLAGS)) {
    const value = flags[flag] ?? env[variable]
    if (value !== undefined && value !== '') raw[camel(flag)] = value
  }
  // The signing secret comes from the environment only: a flag would show in the process list.
  if (env.SECRET) raw.secret = env.SECRET
  // So does the database's address, which may hold its password.
  if (env.DATABASE_URL) raw.databaseUrl = env.DATABASE_URL
  if (env.REDIS_URL) raw.redisUrl = env.REDIS_URL
  if (typeof raw.allowedOrigins === 'string') {
    raw.allowedOrigins = raw.allowedOrigins
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean)
  }
  const parsed = ConfigSchema.safeParse(raw)
  if (!parsed.success) {
    return {
      ok: false,
      error: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    }
  }
  return {
    ok: true,
    value: {
      ...parsed.data,
      dataDir: resolve(parsed.data.dataDir),
      clientDir: resolve(parsed.data.clientDir),
    },
  }
}

/** A complete configuration for tests and embedding: defaults with some settings changed. */
export function configWith(overrides: Partial<Config>): Config {
  return { ...ConfigSchema.parse({}), ...overrides }
}
