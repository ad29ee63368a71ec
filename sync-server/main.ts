import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { ensureClientBuilt } from './client-build.ts'
import { Cluster, describeRedis } from './cluster.ts'
import { readConfig } from './config.ts'
import { startServer } from './server.ts'
import { openConfiguredStore } from './storage/open.ts'

/**
 * `npm start`: reads the configuration from flags and environment, starts the server, prints
 * the addresses to share with participants, and shuts down cleanly on SIGTERM or SIGINT.
 */
const config = readConfig(process.argv.slice(2), process.env)
if (!config.ok) {
  console.error(`Bad configuration: ${config.error}`)
  process.exit(2)
}
if (process.env.SKIP_CLIENT_BUILD !== '1') {
  await ensureClientBuilt(join(import.meta.dirname, '..'), config.value.clientDir, (message) =>
    process.stdout.write(`${message}\n`),
  )
}
// Several instances share rooms through Redis, and only with PostgreSQL: each instance's SQLite
// file would be a separate truth.
if (config.value.redisUrl && !config.value.databaseUrl) {
  console.error(
    'Bad configuration: REDIS_URL (several instances) needs DATABASE_URL: the instances share their workspaces through PostgreSQL, not SQLite files.',
  )
  process.exit(2)
}
// PostgreSQL when DATABASE_URL is set (its schema migrated first), otherwise SQLite in DATA_DIR.
let server: Awaited<ReturnType<typeof startServer>> | undefined
const storage = await openConfiguredStore(config.value, {
  warn: (details, message) => server?.log.warn(details, message),
  error: (details, message) => server?.log.error(details, message),
}).catch((error: Error) => {
  console.error(`Cannot open storage: ${error.message}`)
  process.exit(1)
})
let cluster: Cluster | undefined
if (config.value.redisUrl) {
  cluster = new Cluster({
    url: config.value.redisUrl,
    prefix: config.value.redisPrefix,
    log: pino({ level: config.value.logLevel, base: undefined }),
  })
  await cluster.start().catch(async (error: Error) => {
    console.error(`Cannot start as one of several instances: ${error.message}`)
    await storage.store.close()
    process.exit(1)
  })
}
server = await startServer(config.value, { store: storage.store, cluster })
const { log } = server
const scheme = config.value.https ? 'https' : 'http'
const addresses =
  config.value.host === '0.0.0.0' || config.value.host === '::'
    ? Object.values(networkInterfaces())
        .flat()
        .filter((net) => net && net.family === 'IPv4')
        .map((net) => `${scheme}://${net?.address}:${server.port}/`)
    : [`${scheme}://${config.value.host}:${server.port}/`]
log.info(
  {
    port: server.port,
    dataDir: config.value.dataDir,
    storage: storage.description,
    ...(cluster ? { redis: describeRedis(config.value.redisUrl ?? ''), instance: cluster.instanceId } : {}),
    addresses,
    access: config.value.openAccess ? 'open' : 'invite links',
  },
  'network map server started',
)
process.stdout.write(`\nNetwork map is running. Share one of these addresses with participants:\n`)
for (const address of addresses) process.stdout.write(`  ${address}\n`)
// Which access mode is on, said plainly: open access lets anyone on the network change anything.
process.stdout.write(
  config.value.openAccess
    ? '\nOPEN ACCESS is on: anyone who can reach this server can open and change every workspace,\n' +
        'as a facilitator. Use it only on a trusted local network.\n'
    : '\nInvite links are needed to open a workspace. The first facilitator gets one with\n' +
        '  npm run invite -- --room <room> --role facilitator\n',
)
if (server.certificate) {
  process.stdout.write(
    `\nHTTPS uses a self-signed certificate: each browser warns once; accept it to continue.\n` +
      `Its fingerprint (SHA-256) is ${server.certificate.fingerprint}\n`,
  )
}
process.stdout.write('\n')

let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down: committing and compacting every open workspace')
    server.close().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  })
}
