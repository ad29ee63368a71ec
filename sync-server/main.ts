import { networkInterfaces } from 'node:os'
import { pino } from 'pino'
import type { Cluster } from './cluster.ts'
import { readConfig } from './config.ts'
import { openConfiguredAccess } from './invite-store.ts'
import { operatorLink, operatorToken } from './operator-link.ts'
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
// Invites and the signing key: beside the workspaces in PostgreSQL (shared by every instance),
// or DATA_DIR/access.sqlite and DATA_DIR/secret.
const access = await openConfiguredAccess(config.value, {
  warn: (details, message) => server?.log.warn(details, message),
  error: (details, message) => server?.log.error(details, message),
}).catch(async (error: Error) => {
  console.error(`Cannot open the invite store: ${error.message}`)
  await storage.store.close()
  process.exit(1)
})
let cluster: Cluster | undefined
if (config.value.redisUrl) {
  // Loaded only in cluster mode: Redis's client costs memory an instance on its own never needs.
  const { Cluster } = await import('./cluster.ts')
  cluster = new Cluster({
    url: config.value.redisUrl,
    prefix: config.value.redisPrefix,
    log: pino({ level: config.value.logLevel, base: undefined }),
  })
  await cluster.start().catch(async (error: Error) => {
    console.error(`Cannot start as one of several instances: ${error.message}`)
    await storage.store.close()
    await access.invites.close()
    process.exit(1)
  })
}
server = await startServer(config.value, {
  store: storage.store,
  cluster,
  invites: access.invites,
  signingKey: access.key,
})
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
    invites: access.description,
    ...(cluster ? { redis: cluster.where, instance: cluster.instanceId } : {}),
    addresses,
    access: config.value.openAccess ? 'open' : 'invite links',
  },
  'network map server started',
)
process.stdout.write(`\nNetwork map is running. Share one of these addresses with participants:\n`)
for (const address of addresses) process.stdout.write(`  ${address}\n`)
// Which access mode is on, said plainly: open access lets anyone on the network change anything.
if (config.value.openAccess) {
  process.stdout.write(
    '\nOPEN ACCESS is on: anyone who can reach this server can open and change every workspace,\n' +
      'as a facilitator. Use it only on a trusted local network.\n',
  )
} else {
  // The person at the machine follows this and is working: no second command to make a first
  // invite. The link is a facilitator's key, printed here and never written to the log.
  const token = await operatorToken(server.auth)
  process.stdout.write(
    '\nInvite links are needed to open a workspace. To start one, open this facilitator link\n' +
      '(keep it to yourself: it lets whoever has it start workspaces and invite people):\n',
  )
  const linkAddresses = config.value.publicUrl ? [config.value.publicUrl] : addresses
  for (const address of linkAddresses) process.stdout.write(`  ${operatorLink(address, token)}\n`)
}
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
    server
      .close()
      // The server closes only what it opened itself; the invite store was opened here.
      .then(() => access.invites.close())
      .then(
        () => process.exit(0),
        (error) => {
          log.error({ err: error }, 'shutdown failed')
          process.exit(1)
        },
      )
  })
}
