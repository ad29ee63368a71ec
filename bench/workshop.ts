/**
 * `npm run bench`: a workshop load against this server, the reference y-websocket server
 * (@y/websocket-server 0.1.1) and a bare relay (bench/bare-relay.mjs: no Yjs, no storage, the
 * floor), one after the other in each of BENCH_ROUNDS rounds (3), reporting the median of each
 * figure over the rounds and its ratio to the bare relay, then to the reference. Figures vary
 * with the machine; the ratios are what to compare.
 *
 * Load: ROOMS rooms of CLIENTS stock providers each; DRAGGERS clients per room move a shape at
 * 30 updates/s (and their cursor, as presence) for SECONDS. Every receiver records the latency
 * from the dragger's write to its own doc seeing it. Then MANY_ROOMS rooms with one small
 * client each measure memory per room.
 *
 * Our server runs as it ships, with invite links required: every client connects with a
 * participant's token (the reference ignores it), so each update is traced to the parts of the
 * document it touches and checked against the role, as in a real workshop.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { Auth, loadSecret } from '../sync-server/auth.ts'
import { openSqliteInviteStore } from '../sync-server/invite-store.ts'
import {
  acceptServerMessages,
  bytesWritten,
  cpuMs,
  freePort,
  groupMemoryMiB,
  memoryMiB,
  quantile,
  waitForPort,
} from './proc.ts'
import { printComparison, type Row } from './report.ts'

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const ROOMS = env('BENCH_ROOMS', 4)
const CLIENTS = env('BENCH_CLIENTS', 25)
const DRAGGERS = env('BENCH_DRAGGERS', 3)
const SECONDS = env('BENCH_SECONDS', 10)
const RATE = 30
const MANY_ROOMS = env('BENCH_MANY_ROOMS', 200)
const ROUNDS = env('BENCH_ROUNDS', 3)

interface Target {
  readonly name: string
  start(port: number, dataDir: string): ChildProcess
}

const root = join(import.meta.dirname, '..')
/** The V8 flags `npm start` gives the server (package.json's start script), so the bench runs it as deployed. */
const startFlags = (() => {
  const start = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start
  return /node ((?:--\S+ )*)dist\/server\/main\.js/.exec(start)?.[1]?.split(' ').filter(Boolean) ?? []
})()
const extraFlags = process.env.NODE_FLAGS?.split(' ').filter(Boolean) ?? []
const nodeFlags = [...startFlags, ...extraFlags]
/** This server as its own process, with the given SQLite durability. */
const ours = (sync: 'full' | 'normal'): Target => ({
  name: `ours (SQLite, synchronous=${sync})`,
  start: (port, dataDir) =>
    spawn(
      process.execPath,
      [
        ...nodeFlags,
        'dist/server/main.js',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--data-dir',
        dataDir,
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          LOG_LEVEL: 'warn',
          SQLITE_SYNC: sync,
          // Every bench client is on this machine: per-address limits would measure themselves.
          MAX_CONNECTIONS_PER_IP: '100000',
          IP_MESSAGES_PER_SECOND: '1e9',
          IP_MESSAGE_BURST: '1e9',
        },
        stdio: 'ignore',
        // A process group of its own, so the group's memory is this server's alone.
        detached: true,
      },
    ),
})

const targets: Target[] = [
  ours('full'),
  ours('normal'),
  {
    name: 'reference @y/websocket-server 0.1.1 (memory only)',
    start: (port) =>
      spawn(process.execPath, [join(root, 'node_modules/@y/websocket-server/src/server.js')], {
        cwd: root,
        env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
        stdio: 'ignore',
        // A process group of its own, so the group's memory is this server's alone.
        detached: true,
      }),
  },
  {
    name: 'bare relay (no Yjs, no storage: the floor)',
    start: (port) =>
      spawn(process.execPath, [join(root, 'bench/bare-relay.mjs')], {
        cwd: root,
        env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
        stdio: 'ignore',
        detached: true,
      }),
  },
]

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let tokens = new Map<string, string>()

/** A participant's token per room, recorded in the data directory the server will use. */
async function participantTokens(dataDir: string, rooms: string[]): Promise<Map<string, string>> {
  const invites = openSqliteInviteStore(dataDir)
  const auth = new Auth(loadSecret(dataDir).key, invites)
  const made = new Map<string, string>()
  for (const room of rooms)
    made.set(room, (await auth.issue({ room, role: 'participant', expiresIn: 3600 })).token)
  await invites.close()
  return made
}

function connect(port: number, room: string): WebsocketProvider {
  const token = tokens.get(room)
  return acceptServerMessages(
    new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, room, new Y.Doc(), {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      params: token ? { token } : {},
    }),
  )
}

async function allSynced(providers: WebsocketProvider[]): Promise<void> {
  await Promise.all(
    providers.map((p) => (p.synced ? undefined : new Promise((resolve) => p.once('sync', resolve)))),
  )
}

const now = () => performance.timeOrigin + performance.now()

interface Figures {
  latencyP50: number
  latencyP99: number
  delivered: number
  expected: number
  cpuMsPer1000: number
  groupIdleMiB: number
  groupAfterLoadMiB: number
  rssAfterLoadMiB: number
  writtenMiBPer1000: number
  memoryPerIdleRoomKiB: number
}

async function run(target: Target): Promise<Figures> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'network-map-bench-'))
  tokens = await participantTokens(dataDir, [
    ...Array.from({ length: ROOMS }, (_, r) => `workshop-${r}`),
    ...Array.from({ length: MANY_ROOMS }, (_, r) => `small-${r}`),
  ])
  const child = target.start(port, dataDir)
  const pid = child.pid as number
  try {
    await waitForPort(port)
    await sleep(2000)
    const groupIdle = groupMemoryMiB(pid)
    const latencies: number[] = []
    const rooms: WebsocketProvider[][] = []
    for (let r = 0; r < ROOMS; r++) {
      const clients = Array.from({ length: CLIENTS }, () => connect(port, `workshop-${r}`))
      rooms.push(clients)
      clients.forEach((client, index) => {
        client.awareness.setLocalState({ user: { name: `Participant ${index}` } })
        if (index < DRAGGERS) return
        client.doc.getMap('canvas').observe((event) => {
          const at = now()
          for (const key of event.keysChanged) {
            const shape = client.doc.getMap<{ sentAt: number }>('canvas').get(key)
            if (shape) latencies.push(at - shape.sentAt)
          }
        })
      })
    }
    await allSynced(rooms.flat())
    await sleep(500)
    latencies.length = 0

    const cpuBefore = cpuMs(pid)
    const writtenBefore = bytesWritten(pid)
    const ticks = SECONDS * RATE
    for (let tick = 0; tick < ticks; tick++) {
      const started = now()
      rooms.forEach((clients) => {
        for (let d = 0; d < DRAGGERS; d++) {
          const dragger = clients[d] as WebsocketProvider
          dragger.doc.getMap('canvas').set(`shape:${d}`, { x: tick, y: d * 100, sentAt: now() })
          dragger.awareness.setLocalStateField('cursor', { x: tick, y: d })
        }
      })
      await sleep(Math.max(0, 1000 / RATE - (now() - started)))
    }
    await sleep(1000)
    const cpu = cpuMs(pid) - cpuBefore
    const written = bytesWritten(pid) - writtenBefore
    const rssAfterLoad = memoryMiB(pid).rss
    const groupAfterLoad = groupMemoryMiB(pid)
    const delivered = latencies.length
    const expected = ROOMS * DRAGGERS * ticks * (CLIENTS - DRAGGERS)
    for (const p of rooms.flat()) p.destroy()
    // Our server unloads a room 5 s after its last client leaves; measure from after that.
    await sleep(7000)

    // Memory per room with many small rooms: one client each, a few records each.
    const before = memoryMiB(pid).rss
    const small = Array.from({ length: MANY_ROOMS }, (_, i) => connect(port, `small-${i}`))
    await allSynced(small)
    small.forEach((p, i) => {
      const actors = p.doc.getMap('actors')
      for (let a = 0; a < 5; a++) actors.set(`a${a}`, { name: `Actor ${a} of room ${i}` })
    })
    await sleep(1500)
    const after = memoryMiB(pid).rss
    for (const p of small) p.destroy()

    return {
      latencyP50: quantile(latencies, 0.5),
      latencyP99: quantile(latencies, 0.99),
      delivered,
      expected,
      cpuMsPer1000: (cpu / delivered) * 1000,
      groupIdleMiB: groupIdle,
      groupAfterLoadMiB: groupAfterLoad,
      rssAfterLoadMiB: rssAfterLoad,
      writtenMiBPer1000: (written / 1024 / 1024 / delivered) * 1000,
      memoryPerIdleRoomKiB: ((after - before) * 1024) / MANY_ROOMS,
    }
  } finally {
    // A profiled server needs a clean exit to write its profile.
    child.kill(extraFlags.length > 0 ? 'SIGTERM' : 'SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

console.log(
  `Workshop load: ${ROOMS} rooms x ${CLIENTS} clients, ${DRAGGERS} dragging per room at ${RATE}/s for ${SECONDS}s; ${MANY_ROOMS} small rooms for memory.`,
)
// BENCH_ONLY=0,2 runs a subset (by index); NODE_FLAGS reach our server's node (e.g. --cpu-prof).
const only = process.env.BENCH_ONLY?.split(',').map(Number)
const chosen = targets.filter((_, index) => only === undefined || only.includes(index))
// Rounds interleave the targets, so a slow spell of the machine weighs on each alike.
const rounds = new Map<Target, Figures[]>(chosen.map((target) => [target, []]))
for (let round = 1; round <= ROUNDS; round++) {
  for (const target of chosen) {
    process.stdout.write(`round ${round}/${ROUNDS}: ${target.name}...\n`)
    rounds.get(target)?.push(await run(target))
  }
}
/** Each figure's median over the rounds. */
function median(runs: readonly Figures[]): Figures {
  const first = runs[0] as Figures
  return Object.fromEntries(
    (Object.keys(first) as (keyof Figures)[]).map((key) => [
      key,
      quantile(
        runs.map((f) => f[key]),
        0.5,
      ),
    ]),
  ) as unknown as Figures
}
const results: [string, Figures][] = chosen.map((target) => [target.name, median(rounds.get(target) ?? [])])
const byName = (part: string) => results.find(([name]) => name.includes(part))?.[1]
const rows: Row<Figures>[] = [
  ['fan-out latency p50 (ms)', (f) => f.latencyP50, 2],
  ['fan-out latency p99 (ms)', (f) => f.latencyP99, 2],
  ['updates delivered', (f) => f.delivered, 0],
  ['  of expected', (f) => f.expected, 0],
  ['server CPU per 1,000 deliveries (ms)', (f) => f.cpuMsPer1000, 2],
  ['process group RSS at idle (MiB)', (f) => f.groupIdleMiB, 1],
  ['process group RSS after load (MiB)', (f) => f.groupAfterLoadMiB, 1],
  ['server RSS after load (MiB)', (f) => f.rssAfterLoadMiB, 1],
  ['bytes written (sockets + disk) per 1,000 deliveries (MiB)', (f) => f.writtenMiBPer1000, 2],
  ['memory per small room (KiB)', (f) => f.memoryPerIdleRoomKiB, 1],
]
const floor = byName('bare relay')
const reference = byName('reference')
console.log(`\nMedians of ${ROUNDS} rounds.`)
if (floor) {
  console.log('\n# Ratios to the bare relay (the floor)')
  printComparison(results, floor, 'the bare relay', rows)
}
if (reference) {
  console.log('\n# Ratios to the reference y-websocket server')
  printComparison(results, reference, 'reference', rows)
}
process.exit(0)
