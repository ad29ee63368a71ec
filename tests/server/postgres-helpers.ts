import { randomBytes } from 'node:crypto'
import { type AddressInfo, connect, createServer, type Socket } from 'node:net'
import pg from 'pg'

/**
 * The PostgreSQL the tests use: `TEST_DATABASE_URL` (what `.ci/run` sets, so it never leaks into
 * servers the other tests start), else `DATABASE_URL`. Unset, the PostgreSQL tests are skipped
 * and say so.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || ''

/** True when there is no PostgreSQL to test against; warns once per file with the reason. */
export function withoutPostgres(what: string): boolean {
  if (TEST_DATABASE_URL) return false
  console.warn(
    `Skipping ${what}: set TEST_DATABASE_URL (or DATABASE_URL), e.g. postgres://postgres@127.0.0.1:5432/test, to run them (.ci/run does).`,
  )
  return true
}

/** A schema of its own for one test, so parallel runs and files never see each other's rows. */
export function freshSchemaName(): string {
  return `nm_test_${process.pid}_${randomBytes(4).toString('hex')}`
}

/** Runs one statement on a short-lived connection of its own (for setup, cleanup and sabotage). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  client.on('error', () => undefined)
  await client.connect()
  try {
    return (await client.query<R>(text, values)).rows
  } finally {
    await client.end()
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
}

/** Ends every connection of stores opened with this application name, as a crashing network would. */
export async function terminateConnections(applicationName: string): Promise<number> {
  const rows = await adminQuery<{ ended: boolean }>(
    `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
     WHERE application_name = $1 AND pid <> pg_backend_pid()`,
    [applicationName],
  )
  return rows.filter((row) => row.ended).length
}

/**
 * A TCP relay to a real service (the test PostgreSQL unless another URL is given, e.g. Redis),
 * which a test can cut and restore: an outage of that service for whoever connects through the
 * relay, without stopping the one PostgreSQL or Redis that other tests share.
 */
export async function outageProxy(serviceUrl: string = TEST_DATABASE_URL): Promise<{
  url: () => string
  cut: () => Promise<void>
  restore: () => Promise<void>
  close: () => Promise<void>
}> {
  const target = new URL(serviceUrl)
  const defaultPort = target.protocol.startsWith('redis') ? 6379 : 5432
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || defaultPort), target.hostname || '127.0.0.1')
    sockets.add(client).add(upstream)
    const end = () => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  await listen(0)
  const port = (server.address() as AddressInfo).port
  const cut = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      for (const socket of sockets) socket.destroy()
      sockets.clear()
    })
  }
  return {
    url: () => {
      const url = new URL(serviceUrl)
      url.hostname = '127.0.0.1'
      url.port = String(port)
      return url.toString()
    },
    cut,
    restore: () => listen(port),
    close: async () => {
      if (server.listening) await cut()
    },
  }
}
