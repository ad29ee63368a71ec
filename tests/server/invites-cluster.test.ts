import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { Workspace } from '../../model/index.ts'
import { rawSocket, tempDataDir, waitFor } from './helpers.ts'
import { dropSchema, freshSchemaName, outageProxy, TEST_DATABASE_URL } from './postgres-helpers.ts'

/**
 * Invites across instances: three servers as child processes, each with a data directory of its
 * own, on one PostgreSQL schema and one Redis prefix, in token mode. An invite made on one admits
 * a stock provider on the others; withdrawing it on one closes its connections on all (through
 * Redis) and every door refuses it after (through PostgreSQL), also when the news was lost.
 */
const TEST_REDIS_URL = process.env.TEST_REDIS_URL || process.env.REDIS_URL || ''
const skip = !TEST_DATABASE_URL || !TEST_REDIS_URL
if (skip) {
  console.warn(
    'Skipping the invites-across-instances tests: set TEST_DATABASE_URL (or DATABASE_URL) and TEST_REDIS_URL (or REDIS_URL), e.g. postgres://postgres@127.0.0.1:5432/test and redis://127.0.0.1:6379, to run them (.ci/run does).',
  )
}

const ROOT = join(import.meta.dirname, '../..')
const WITHDRAWN = { code: 4403, reason: 'The facilitator has withdrawn this invite link.' }

const children: ChildProcess[] = []
const cleanups: (() => unknown)[] = []
const providers = new Set<WebsocketProvider>()
afterEach(async () => {
  for (const p of providers) p.destroy()
  providers.clear()
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface Instance {
  readonly child: ChildProcess
  readonly dataDir: string
  readonly httpUrl: string
  readonly wsUrl: string
  /** The facilitator link's token it printed at start. */
  readonly operatorToken: string
}

/**
 * `node dist/server/main.js` in token mode on a data directory of its own, until it has printed
 * its facilitator link. Nothing of the test's own environment decides the store or the secret.
 */
async function spawnInstance(env: Record<string, string>): Promise<Instance> {
  const data = tempDataDir()
  cleanups.push(data.remove)
  const child = spawn(
    process.execPath,
    ['dist/server/main.js', '--host', '127.0.0.1', '--port', '0', '--data-dir', data.dir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OPEN_ACCESS: '0', SECRET: '', PUBLIC_URL: '', LOG_LEVEL: 'info', ...env },
    },
  )
  children.push(child)
  let output = ''
  const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no facilitator link printed: ${output}`)), 20_000)
    const look = (chunk: Buffer) => {
      output += chunk.toString()
      const link = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w.-]+)\n/.exec(output)
      if (link) {
        clearTimeout(timer)
        resolve({ port: Number(link[1]), token: link[2] as string })
      }
    }
    child.stdout?.on('data', look)
    child.stderr?.on('data', look)
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)))
  })
  return {
    child,
    dataDir: data.dir,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
    operatorToken: token,
  }
}

/** The settings every instance of one test shares: a schema and a key prefix of their own. */
function clusterEnv(): Record<string, string> {
  const schema = freshSchemaName()
  cleanups.push(() => dropSchema(schema))
  return {
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: schema,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `nmtest:${randomBytes(4).toString('hex')}:`,
  }
}

/** Three instances; the first creates the schema, the others start together. `redisFor` may route one's Redis elsewhere. */
async function startCluster(
  env: Record<string, string>,
  redisFor: (index: number) => string = () => TEST_REDIS_URL,
): Promise<[Instance, Instance, Instance]> {
  const first = await spawnInstance({ ...env, REDIS_URL: redisFor(0) })
  const rest = await Promise.all([1, 2].map((i) => spawnInstance({ ...env, REDIS_URL: redisFor(i) })))
  return [first, ...rest] as [Instance, Instance, Instance]
}

/** A stock y-websocket provider carrying its token as `?token=`, as the app does. */
function open(instance: Instance, room: string, token: string) {
  const doc = new Y.Doc()
  const p = new WebsocketProvider(instance.wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token },
  })
  const closes: { code: number; reason: string }[] = []
  p.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason })
  })
  providers.add(p)
  return { p, doc, closes }
}

const api = (instance: Instance, path: string, token: string, init: RequestInit = {}) =>
  fetch(`${instance.httpUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  })

/** A new workspace on `instance` (with its operator link), and a participant invite to it. */
async function workspaceWithInvite(instance: Instance): Promise<{
  room: string
  facilitator: string
  invite: { token: string; jti: string }
}> {
  const made = await api(instance, '/api/workspaces', instance.operatorToken, { method: 'POST' })
  expect(made.status).toBe(201)
  const { room, token: facilitator } = (await made.json()) as { room: string; token: string }
  const created = await api(instance, `/api/rooms/${room}/invites`, facilitator, {
    method: 'POST',
    body: JSON.stringify({ role: 'participant', label: 'Table 2' }),
  })
  expect(created.status).toBe(201)
  return { room, facilitator, invite: (await created.json()) as { token: string; jti: string } }
}

/** A fresh connection with `token`: how it was closed (refused at the door), or 'open' if it was not. */
async function doorAnswer(instance: Instance, room: string, token: string) {
  const { socket, closed } = await rawSocket(instance.wsUrl, `${room}?token=${encodeURIComponent(token)}`)
  const answer = await Promise.race([closed, new Promise<'open'>((r) => setTimeout(() => r('open'), 3000))])
  socket.close()
  return answer
}

const names = (doc: Y.Doc) => new Set(new Workspace(doc).actors().map((actor) => actor.name))

describe.skipIf(skip)('invites across instances (PostgreSQL and Redis)', { timeout: 90_000 }, () => {
  it('an invite made on one admits on the others; withdrawn on one, it is closed and refused on all', async () => {
    const cluster = await startCluster(clusterEnv())
    // One signing secret, kept in PostgreSQL: every instance prints the same facilitator link,
    // and none wrote a secret or an invite list into its own data directory.
    expect(new Set(cluster.map((instance) => instance.operatorToken)).size).toBe(1)
    for (const instance of cluster) {
      expect(existsSync(join(instance.dataDir, 'secret'))).toBe(false)
      expect(existsSync(join(instance.dataDir, 'access.sqlite'))).toBe(false)
    }
    const [a, b, c] = cluster
    const { room, facilitator, invite } = await workspaceWithInvite(a)

    // Listed on every instance.
    for (const instance of cluster) {
      const listed = await api(instance, `/api/rooms/${room}/invites`, facilitator)
      expect(listed.status).toBe(200)
      const { invites } = (await listed.json()) as { invites: { jti: string; label: string }[] }
      expect(invites.find((entry) => entry.jti === invite.jti)?.label).toBe('Table 2')
    }

    // The invite admits a stock provider on each instance; they sync with each other.
    const holders = cluster.map((instance) => open(instance, room, invite.token))
    const bystander = open(c, room, facilitator)
    await waitFor(() => [...holders, bystander].every(({ p }) => p.synced), 15_000, 'every provider to sync')
    new Workspace(holders[1]?.doc as Y.Doc).addActor({ kind: 'organisation', name: 'Food bank' })
    await waitFor(
      () => [...holders, bystander].every(({ doc }) => names(doc).has('Food bank')),
      15_000,
      'the edit to reach every instance',
    )

    // Withdrawn on the first: its holders are closed on all three, as on the instance itself.
    const revoked = await api(a, `/api/rooms/${room}/invites/${invite.jti}`, facilitator, {
      method: 'DELETE',
    })
    expect(revoked.status).toBe(200)
    await waitFor(() => holders.every(({ closes }) => closes.length > 0), 10_000, 'every holder to be closed')
    for (const { p, closes } of holders) {
      expect(closes[0]).toEqual(WITHDRAWN)
      // The stock provider does not retry 4400-4499.
      expect(p.shouldConnect).toBe(false)
    }
    expect(bystander.p.wsconnected).toBe(true)
    expect(bystander.closes).toEqual([])

    // And refused at every door.
    for (const instance of [a, b, c])
      expect(await doorAnswer(instance, room, invite.token)).toEqual(WITHDRAWN)
  })

  it('npm run invite with the same settings: its link works on every instance, and --revoke closes it everywhere at once', async () => {
    const env = clusterEnv()
    const cluster = await startCluster(env)
    const cliData = tempDataDir()
    cleanups.push(cliData.remove)
    const cli = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ['dist/server/invite-cli.js', '--data-dir', cliData.dir, ...args],
        {
          cwd: ROOT,
          env: { ...process.env, SECRET: '', PUBLIC_URL: '', ...env },
        },
      )
    const { stdout } = await cli('--room', 'by-cli', '--role', 'viewer', '--host', '127.0.0.1', '--port', '9')
    const token = /#token=(\S+)/.exec(stdout)?.[1] as string
    expect(token).toBeTruthy()
    const holders = cluster.map((instance) => open(instance, 'by-cli', token))
    await waitFor(() => holders.every(({ p }) => p.synced), 15_000, 'every provider to sync')

    const jti = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti as string
    expect((await cli('--room', 'by-cli', '--list')).stdout).toContain(jti)
    const withdrawn = await cli('--room', 'by-cli', '--revoke', jti)
    expect(withdrawn.stdout).toMatch(/closed now/)
    await waitFor(() => holders.every(({ closes }) => closes.length > 0), 10_000, 'every holder to be closed')
    for (const { closes } of holders) expect(closes[0]).toEqual(WITHDRAWN)
    for (const instance of cluster) expect(await doorAnswer(instance, 'by-cli', token)).toEqual(WITHDRAWN)
  })

  it('withdrawn while its instance cannot reach Redis: refused at every door at once, closed everywhere when Redis is back', async () => {
    // Redis cut off for one instance only, through a relay.
    const relay = await outageProxy(TEST_REDIS_URL)
    cleanups.push(relay.close)
    const [a, b, c] = await startCluster(clusterEnv(), (i) => (i === 0 ? relay.url() : TEST_REDIS_URL))
    const { room, facilitator, invite } = await workspaceWithInvite(a)
    const holders = [b, c].map((instance) => open(instance, room, invite.token))
    await waitFor(() => holders.every(({ p }) => p.synced), 15_000, 'the providers to sync')

    await relay.cut()
    await waitFor(
      async () =>
        ((await (await fetch(`${a.httpUrl}/healthz`)).json()) as { redis: string }).redis === 'error',
      10_000,
      'the first instance to notice Redis is gone',
    )
    const revoked = await api(a, `/api/rooms/${room}/invites/${invite.jti}`, facilitator, {
      method: 'DELETE',
    })
    expect(revoked.status).toBe(200)
    // The withdrawal is in PostgreSQL: the others refuse the token at the door already...
    for (const instance of [b, c]) expect(await doorAnswer(instance, room, invite.token)).toEqual(WITHDRAWN)
    // ...while the news waits for Redis: their live connections are still open.
    expect(holders.every(({ closes }) => closes.length === 0)).toBe(true)

    await relay.restore()
    await waitFor(() => holders.every(({ closes }) => closes.length > 0), 20_000, 'the holders to be closed')
    for (const { closes } of holders) expect(closes[0]).toEqual(WITHDRAWN)
  })
})
