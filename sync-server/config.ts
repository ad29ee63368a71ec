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
  /** SQLite's durability: 'full' survives power loss, 'normal' only a crash of the process. */
  sqliteSync: z.enum(['full', 'normal']).default('full'),
  /** The largest WebSocket frame accepted; a larger one closes that connection (1009). */
  maxMessageBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
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
    .default(16 * 1024 * 1024),
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
  /** Origins allowed to open a WebSocket; empty allows any (browsers send Origin, scripts may not). */
  allowedOrigins: z.array(z.string()).default([]),
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
  'max-message-bytes': 'MAX_MESSAGE_BYTES',
  'max-connections': 'MAX_CONNECTIONS',
  'allowed-origins': 'ALLOWED_ORIGINS',
} as const

const camel = (flag: string) => flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())

/**
 * Reads the configuration: a command-line flag wins over the environment variable, which wins
 * over the default. Returns the error text for a bad value instead of starting half-configured.
 */
export function readConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): { ok: true; value: Config } | { ok: false; error: string } {
  let flags: Record<string, string | undefined>
  try {
    flags = parseArgs({
      args: [...argv],
      options: Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' }])),
      strict: true,
    }).values as Record<string, string | undefined>
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
  const raw: Record<string, unknown> = {}
  for (const [flag, variable] of Object.entries(FLAGS)) {
    const value = flags[flag] ?? env[variable]
    if (value !== undefined && value !== '') raw[camel(flag)] = value
  }
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
