/**
 * `npm run bench:cluster`: the workshop load (bench/workshop.ts) spread over three instances in
 * cluster mode (PostgreSQL + Redis), against one instance in cluster mode and one embedded
 * (SQLite) instance, in the same run. Reports fan-out latency, the latency of deliveries that
 * crossed instances against those that did not (the cost of the Redis hop), and server CPU per
 * 1,000 deliveries summed over every instance, each with its ratio to the embedded instance.
 *
 * Needs BENCH_DATABASE_URL (or DATABASE_URL) and BENCH_REDIS_URL (or REDIS_URL); says so and
 * exits when either is missing. Uses a schema and a key prefix of its own, removed afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { acceptServerMessages, cpuMs, freePort, quantile, waitForPort } from './proc.ts'
import { fmt, printComparison, type Row } from './report.ts'

const DATABASE_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || ''
const REDIS_URL = process.env.BENCH_REDIS_URL || process.env.REDIS_URL || ''
if (!DATABASE_URL || !REDIS_URL) {
  console.log(
    'bench:cluster needs PostgreSQL and Redis: set BENCH_DATABASE_URL (or DATABASE_URL) and BENCH_REDIS_URL (or REDIS_URL), e.g. postgres://postgres@127.0.0.1:5432/test and redis://127.0.0.1:6379. Nothing was measured.',
  )
  process.exit(0)
}

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const ROOMS = env('BENCH_ROOMS', 4)
const CLIENTS = env('BENCH_CLIENTS', 24)
const DRAGGERS = env('BENCH_DRAGGERS', 3)
const SECONDS = env('BENCH_SECONDS', 8)
const RATE = 30
const root = join(import.meta.dirname, '..')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const now = () => performance.timeOrigin + performance.now()

function startInstance(port: number, dataDir: string, extra: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    ['dist/server/main.js', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: '',
        REDIS_URL: '',
        LOG_LEVEL: 'warn',
        OPEN_ACCESS: '1',
        MAX_CONNECTIONS_PER_IP: '100000',
        IP_MESSAGES_PER_SECOND: '1e9',
        IP_MESSAGE_BURST: '1e9',
        ...extra,
      },
      stdio: 'ignore',
    },
  )
}

interface Figures {
  p50: number
  p99: number
  sameP50: number
  crossP50: number
  crossP99: number
  delivered: number
  expected: number
  cpuMsPer1000: number
}

async function run(instances: number, cluster: boolean): Promise<Figures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'network-map-bench-cluster-'))
  const schema = `nm_bench_${randomBytes(4).toString('hex')}`
  const extra: Record<string, string> = cluster
    ? { DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_URL, REDIS_PREFIX: `nmbench:${schema}:` }
    : {}
  const ports: number[] = []
  const children: ChildProcess[] = []
  try {
    for (let i = 0; i < instances; i++) {
      const port = await freePort()
      ports.push(port)
      children.push(startInstance(port, dataDir, extra))
      // The first creates the schema before the others start.
      if (i === 0) await waitForPort(port)
    }
    await Promise.all(ports.map(waitForPort))
    const same: number[] = []
    const cross: number[] = []
    const rooms: { p: WebsocketProvider; at: number }[][] = []
    for (let r = 0; r < ROOMS; r++) {
      const clients = Array.from({ length: CLIENTS }, (_, index) => {
        const at = index % instances
        const p = acceptServerMessages(
          new WebsocketProvider(`ws://127.0.0.1:${ports[at]}/sync`, `workshop-${r}`, new Y.Doc(), {
            WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
            disableBc: true,
          }),
        )
        return { p, at }
      })
      rooms.push(clients)
      clients.forEach(({ p, at }, index) => {
        p.awareness.setLocalState({ user: { name: `Participant ${index}` } })
        if (index < DRAGGERS) return
        p.doc.getMap('canvas').observe((event) => {
          const received = now()
          for (const key of event.keysChanged) {
            const shape = p.doc.getMap<{ sentAt: number; from: number }>('canvas').get(key)
            if (shape) (shape.from === at ? same : cross).push(received - shape.sentAt)
          }
        })
      })
    }
    await Promise.all(
      rooms.flat().map(({ p }) => (p.synced ? undefined : new Promise((resolve) => p.once('sync', resolve)))),
    )
    await sleep(1000)
    same.length = 0
    cross.length = 0
    const pids = children.map((child) => child.pid as number)
    const cpuBefore = pids.reduce((sum, pid) => sum + cpuMs(pid), 0)
    const ticks = SECONDS * RATE
    for (let tick = 0; tick < ticks; tick++) {
      const started = now()
      for (const clients of rooms) {
        for (let d = 0; d < DRAGGERS; d++) {
          const { p, at } = clients[d] as { p: WebsocketProvider; at: number }
          p.doc.getMap('canvas').set(`shape:${d}`, { x: tick, y: d * 100, sentAt: now(), from: at })
          p.awareness.setLocalStateField('cursor', { x: tick, y: d })
        }
      }
      await sleep(Math.max(0, 1000 / RATE - (now() - started)))
    }
    await sleep(1500)
    const cpu = pids.reduce((sum, pid) => sum + cpuMs(pid), 0) - cpuBefore
    for (const { p } of rooms.flat()) p.destroy()
    const all = [...same, ...cross]
    return {
      p50: quantile(all, 0.5),
      p99: quantile(all, 0.99),
      sameP50: quantile(same, 0.5),
      crossP50: quantile(cross, 0.5),
      crossP99: quantile(cross, 0.99),
      delivered: all.length,
      expected: ROOMS * DRAGGERS * ticks * (CLIENTS - DRAGGERS),
      cpuMsPer1000: (cpu / all.length) * 1000,
    }
  } finally {
    for (const child of children) child.kill('SIGKILL')
    await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))))
    rmSync(dataDir, { recursive: true, force: true })
    if (cluster) {
      const client = new pg.Client({ connectionString: DATABASE_URL })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    }
  }
}

console.log(
  `Workshop load: ${ROOMS} rooms x ${CLIENTS} clients, ${DRAGGERS} dragging per room at ${RATE}/s for ${SECONDS}s; clients spread round-robin over the instances.`,
)
const runs: [string, number, boolean][] = [
  ['one instance, embedded (SQLite)', 1, false],
  ['one instance, cluster mode (PostgreSQL + Redis)', 1, true],
  ['three instances, cluster mode (PostgreSQL + Redis)', 3, true],
]
const results: [string, Figures][] = []
for (const [name, instances, cluster] of runs) {
  process.stdout.write(`running ${name}...\n`)
  results.push([name, await run(instances, cluster)])
}
const base = results[0]?.[1] as Figures
const rows: Row<Figures>[] = [
  ['fan-out latency p50 (ms)', (f) => f.p50, 2],
  ['fan-out latency p99 (ms)', (f) => f.p99, 2],
  ['  same instance as the sender, p50 (ms)', (f) => f.sameP50, 2],
  ['  through Redis (another instance), p50 (ms)', (f) => f.crossP50, 2],
  ['  through Redis (another instance), p99 (ms)', (f) => f.crossP99, 2],
  ['updates delivered', (f) => f.delivered, 0],
  ['  of expected', (f) => f.expected, 0],
  ['CPU of all instances per 1,000 deliveries (ms)', (f) => f.cpuMsPer1000, 2],
]
printComparison(results, base, 'embedded', rows)
const three = results[2]?.[1]
if (three)
  console.log(
    `\nThe Redis hop: a delivery to another instance takes ${fmt(three.crossP50 - three.sameP50)} ms more (p50) than one on the sender's own instance.`,
  )
process.exit(0)
