import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { ensureClientBuilt } from './client-build.ts'
import { readConfig } from './config.ts'
import { startServer } from './server.ts'

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
const server = await startServer(config.value)
const { log } = server
const scheme = config.value.https ? 'https' : 'http'
const addresses =
  config.value.host === '0.0.0.0' || config.value.host === '::'
    ? Object.values(networkInterfaces())
        .flat()
        .filter((net) => net && net.family === 'IPv4')
        .map((net) => `${scheme}://${net?.address}:${server.port}/`)
    : [`${scheme}://${config.value.host}:${server.port}/`]
log.info({ port: server.port, dataDir: config.value.dataDir, addresses }, 'network map server started')
process.stdout.write(`\nNetwork map is running. Share one of these addresses with participants:\n`)
for (const address of addresses) process.stdout.write(`  ${address}\n`)
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
