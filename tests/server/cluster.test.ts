import { type ChildProcess, execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { Workspace } from '../../model/index.ts'
import { exited, provider, spawnServer, synced, tempDataDir, waitFor } from './helpers.ts'
import { dropSchema, freshSchemaName, outageProxy, TEST_DATABASE_URL } from './postgres-helpers.ts'

/**
 * Several instances against the machine's real PostgreSQL and Redis: three servers as child
 * processes, stock providers spread across them, then an instance killed with kill -9, Redis
 * restarted, and PostgreSQL cut off. Every edit any client saw must survive and all converge.
 */
const TEST_REDIS_URL = process.env.TEST_REDIS_URL || process.env.REDIS_URL || ''
const skip = !TEST_DATABASE_URL || !TEST_REDIS_URL
if (skip) {
  console.warn(
    'Skipping the cluster tests (several instances): set TEST_DATABASE_URL (or DATABASE_URL) and TEST_REDIS_URL (or REDIS_URL), e.g. postgres://postgres@127.0.0.1:5432/test and redis://127.0.0.1:6379, to run them (.ci/run does).',
  )
}

/** How .ci/run (and this machine) starts Redis: nothing on disk, so a restart empties it. */
const REDIS_START = [
  '--daemonize',
  'yes',
  '--bind',
  '127.0.0.1',
  '-::1',
  '--port',
  '6379',
  '--save',
  '',
  '--appendonly',
  'no',
  '--dir',
  '/var/lib/redis',
  '--logfile',
  '/var/log/redis/ci.log',
]
const redisPort = () => new URL(TEST_REDIS_URL).port || '6379'
const redisUp = () => {
  try {
    return execFileSync('redis-cli', ['-p', redisPort(), 'ping'], { encoding: 'utf8' }).trim() === 'PONG'
  } catch {
    return false
  }
}
async function ensureRedis(): Promise<void> {
  if (redisUp()) return
  execFileSync('redis-server', REDIS_START)
  await waitFor(redisUp, 10_000, 'Redis to start')
}

const children: ChildProcess[] = []
const providers = new Set<WebsocketProvider>()
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const p of providers) p.destroy()
  providers.clear()
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

type Instance = Awaited<ReturnType<typeof spawnServer>>

/** Three (or n) instances on one schema and one key prefix of their own. */
async function startCluster(
  n: number,
  databaseUrl = TEST_DATABASE_URL,
): Promise<Instance[] & { prefix: string }> {
  const schema = freshSchemaName()
  cleanups.push(() => dropSchema(schema))
  const prefix = `nmtest:${randomBytes(4).toString('hex')}:`
  const data = tempDataDir()
  cleanups.push(data.remove)
  const env = {
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: schema,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
  }
  // The first creates the schema; the others start together.
  const first = await spawnServer(data.dir, 0, env)
  const rest = await Promise.all(Array.from({ length: n - 1 }, () => spawnServer(data.dir, 0, env)))
  const all = [first, ...rest]
  for (const instance of all) children.push(instance.child)
  return Object.assign(all, { prefix })
}

/** Which instance holds a room's lease now (its id, from Redis). */
const leaseHolder = (prefix: string, room: string) =>
  execFileSync('redis-cli', ['-p', redisPort(), 'GET', `${prefix}room:${room}:owner`], {
    encoding: 'utf8',
  }).trim()
const instanceId = async (instance: Instance) =>
  ((await (await fetch(`${instance.httpUrl}/healthz`)).json()) as { instance: string }).instance

const open = (instance: Instance, room: string, doc?: Y.Doc) => {
  const p = provider(instance.wsUrl, room, doc)
  providers.add(p)
  return p
}
/** The same device, now talking to another instance (as a proxy would send it after a death). */
const move = (p: WebsocketProvider, instance: Instance, room: string) => {
  p.destroy()
  providers.delete(p)
  return open(instance, room, p.doc)
}
const names = (doc: Y.Doc) => new Set(new Workspace(doc).actors().map((actor) => actor.name))
const sameNames = (docs: Y.Doc[]) => {
  const first = [...names(docs[0] as Y.Doc)].sort().join()
  return docs.every((doc) => [...names(doc)].sort().join() === first)
}
const missing = (expected: Set<string>, doc: Y.Doc) => {
  const have = names(doc)
  return [...expected].filter((name) => !have.has(name))
}
const tick = () => new Promise((resolve) => setImmediate(resolve))

describe.skipIf(skip)('several instances through Redis and PostgreSQL', { timeout: 90_000 }, () => {
  it('clients spread over three instances converge and see each other’s presence', async () => {
    const cluster = await startCluster(3)
    const clients = cluster.flatMap((instance) => [open(instance, 'spread'), open(instance, 'spread')])
    await Promise.all(clients.map((p) => synced(p)))
    clients.forEach((p, i) => {
      p.awareness.setLocalStateField('user', { name: `person ${i}` })
    })
    const expected = new Set<string>()
    for (let round = 0; round < 20; round++) {
      clients.forEach((p, i) => {
        const name = `c${i} r${round}`
        expected.add(name)
        new Workspace(p.doc).addActor({ kind: 'organisation', name })
      })
      await tick()
    }
    await waitFor(
      () => clients.every((p) => missing(expected, p.doc).length === 0),
      20_000,
      'every client to have every edit',
    )
    expect(sameNames(clients.map((p) => p.doc))).toBe(true)
    await waitFor(
      () => clients.every((p) => p.awareness.getStates().size === clients.length),
      10_000,
      'everyone to see everyone’s presence',
    )
    // A client that leaves disappears for the others, on every instance.
    const leaving = clients.pop() as WebsocketProvider
    const id = leaving.awareness.clientID
    leaving.destroy()
    providers.delete(leaving)
    await waitFor(
      () => clients.every((p) => !p.awareness.getStates().has(id)),
      10_000,
      'a departure to be seen everywhere',
    )
    for (const instance of cluster) {
      const health = (await (await fetch(`${instance.httpUrl}/healthz`)).json()) as Record<string, unknown>
      expect(health).toMatchObject({ status: 'ok', storage: 'ok', redis: 'ok' })
    }
  })

  it('kill -9 of an instance mid-edit: its clients move on, nothing anyone saw is lost, all converge', async () => {
    const cluster = await startCluster(3)
    const ids = await Promise.all(cluster.map(instanceId))
    // The first instance a client opens the room on takes its lease; that is the one to kill.
    const first = open(cluster[1] as Instance, 'doomed')
    await synced(first)
    const owner = leaseHolder(cluster.prefix, 'doomed')
    expect(owner).toBe(ids[1])
    first.destroy()
    providers.delete(first)
    const doomed = cluster[1] as Instance
    const [second, third] = [cluster[0], cluster[2]] as [Instance, Instance]
    let clients = [doomed, doomed, second, second, third, third].map((instance) => ({
      instance,
      p: open(instance, 'doomed'),
    }))
    await Promise.all(clients.map(({ p }) => synced(p)))
    let stop = false
    let count = 0
    const writing = (async () => {
      while (!stop) {
        for (const [i, { p }] of clients.entries())
          new Workspace(p.doc).addActor({ kind: 'funder', name: `w${i}-${count}` })
        count++
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })()
    await waitFor(() => clients.every(({ p }) => names(p.doc).size >= 300), 20_000, 'edits to flow')
    doomed.child.kill('SIGKILL')
    await exited(doomed.child)
    const died = Date.now()
    // What any client has seen at the moment of the death (its own edits included).
    const seen = new Set<string>()
    for (const { p } of clients) for (const name of names(p.doc)) seen.add(name)
    // The dead instance's clients reconnect to the others; edits go on meanwhile.
    clients = clients.map(({ instance, p }, i) =>
      instance === doomed
        ? { instance: i === 0 ? second : third, p: move(p, i === 0 ? second : third, 'doomed') }
        : { instance, p },
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    stop = true
    await writing
    await Promise.all(clients.map(({ p }) => synced(p)))
    const everything = new Set<string>()
    for (const { p } of clients) for (const name of names(p.doc)) everything.add(name)
    await waitFor(
      () => clients.every(({ p }) => missing(everything, p.doc).length === 0),
      30_000,
      'all clients to converge after the death',
    )
    for (const { p } of clients) expect(missing(seen, p.doc)).toEqual([])
    // And it is all in PostgreSQL: a newcomer loads it.
    const late = open(third, 'doomed-check')
    await synced(late)
    const fresh = open(second, 'doomed')
    await synced(fresh)
    expect(missing(everything, fresh.doc)).toEqual([])
    // The lease passes to a survivor within its 15 s, plus one 5 s renewal period.
    await waitFor(
      () => [ids[0], ids[2]].includes(leaseHolder(cluster.prefix, 'doomed')),
      25_000,
      'another instance to take the lease',
    )
    console.info(`the lease passed to a survivor ${Date.now() - died} ms after the owner was killed`)
  })

  it('Redis restarted: clients of one instance keep syncing meanwhile, and everyone converges after', async () => {
    const cluster = await startCluster(3)
    const [a, b, c] = cluster as Instance[] as [Instance, Instance, Instance]
    const clients = [
      open(a, 'redis-restart'),
      open(a, 'redis-restart'),
      open(b, 'redis-restart'),
      open(c, 'redis-restart'),
    ]
    await Promise.all(clients.map((p) => synced(p)))
    const [a1, a2] = clients as [WebsocketProvider, WebsocketProvider]
    new Workspace(a1.doc).addActor({ kind: 'organisation', name: 'before' })
    await waitFor(() => clients.every((p) => names(p.doc).has('before')), 10_000, 'the first edit everywhere')
    try {
      execFileSync('redis-cli', ['-p', redisPort(), 'shutdown', 'nosave'], { stdio: 'ignore' })
      await waitFor(() => !redisUp(), 5000, 'Redis to stop')
      const health = (await (await fetch(`${b.httpUrl}/healthz`)).json()) as Record<string, unknown>
      expect(health).toMatchObject({ storage: 'ok' })
      await waitFor(
        async () =>
          ((await (await fetch(`${a.httpUrl}/healthz`)).json()) as { redis: string }).redis === 'error',
        10_000,
        'the outage to show in /healthz',
      )
      for (let i = 0; i < 20; i++)
        new Workspace(a1.doc).addActor({ kind: 'organisation', name: `during ${i}` })
      new Workspace((clients[2] as WebsocketProvider).doc).addActor({ kind: 'funder', name: 'during on b' })
      await waitFor(() => names(a2.doc).has('during 19'), 10_000, 'a client of the same instance to see it')
    } finally {
      await ensureRedis()
    }
    const expected = new Set([
      'before',
      'during on b',
      ...Array.from({ length: 20 }, (_, i) => `during ${i}`),
    ])
    for (let i = 0; i < 5; i++)
      new Workspace((clients[3] as WebsocketProvider).doc).addActor({ kind: 'funder', name: `after ${i}` })
    for (let i = 0; i < 5; i++) expected.add(`after ${i}`)
    await waitFor(
      () => clients.every((p) => missing(expected, p.doc).length === 0),
      20_000,
      'convergence after Redis is back',
    )
    await waitFor(
      async () => ((await (await fetch(`${a.httpUrl}/healthz`)).json()) as { redis: string }).redis === 'ok',
      10_000,
      'Redis to be back in /healthz',
    )
  })

  it('PostgreSQL cut off: editors are told to try again, nobody sees an unsaved edit, all converge once it is back', async () => {
    const proxy = await outageProxy()
    cleanups.push(proxy.close)
    const cluster = await startCluster(3, proxy.url())
    const clients = cluster.map((instance) => open(instance, 'pg-outage'))
    await Promise.all(clients.map((p) => synced(p)))
    const [editor, ...others] = clients as [WebsocketProvider, ...WebsocketProvider[]]
    new Workspace(editor.doc).addActor({ kind: 'funder', name: 'before' })
    await waitFor(() => others.every((p) => names(p.doc).has('before')), 10_000, 'the first edit')
    const closes: number[] = []
    editor.on('connection-close', (event: CloseEvent | null) => {
      if (event) closes.push(event.code)
    })
    await proxy.cut()
    new Workspace(editor.doc).addActor({ kind: 'funder', name: 'during' })
    await waitFor(() => closes.includes(1013), 15_000, 'the editor to be told to try again')
    expect(others.some((p) => names(p.doc).has('during'))).toBe(false)
    await proxy.restore()
    await waitFor(
      () => clients.every((p) => names(p.doc).has('during')),
      20_000,
      'the edit everywhere after the outage',
    )
    expect(sameNames(clients.map((p) => p.doc))).toBe(true)
  })
})
