/**
 * `npm run bench`: a workshop load against this server, the reference y-websocket server
 * (@y/websocket-server 0.1.1), Hocuspocus (@hocuspocus/server 3, bench/hocuspocus-server.mjs,
 * with its own provider) and a bare relay (bench/bare-relay.mjs: no Yjs, no storage, the floor),
 * one after the other in each of BENCH_ROUNDS rounds (3), reporting the median of each figure
 * over the rounds and its ratio to the bare relay, then to the reference, then a summary against
 * the goals of issue 19. Figures vary with the machine; the ratios are what to compare.
 * BENCH_BASELINE=<checkout> adds that checkout's built server (its dist/server/main.js) as one
 * more target, so a change is measured before and after in the same run (with
 * BENCH_BASELINE_SYNC, full by default, as its SQLITE_SYNC).
 *
 * Load: ROOMS rooms of CLIENTS providers each; DRAGGERS clients per room move a shape at
 * 30 updates/s (and their cursor, as presence) for SECONDS. Every receiver records the latency
 * from the dragger's write to its own doc seeing it. Then SMALL_ROOMS small rooms of 3 clients,
 * each client writing once a second (at its own phase) for SMALL_SECONDS: latency and CPU per
 * delivery with many rooms, and the memory those rooms take.
 *
 * Our server runs as it ships, with invite links required: every client connects with a
 * participant's token (the reference ignores it), so each update is traced to the parts of the
 * document it touches and checked against the role, as in a real workshop.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider'
import { WebSocket } from 'ws'
import type { Awareness } from 'y-protocols/awareness'
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
import { fmt, printComparison, type Row } from './report.ts'

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const ROOMS = env('BENCH_ROOMS', 4)
const CLIENTS = env('BENCH_CLIENTS', 25)
const DRAGGERS = env('BENCH_DRAGGERS', 3)
const SECONDS = env('BENCH_SECONDS', 10)
const RATE = 30
const SMALL_ROOMS = env('BENCH_SMALL_ROOMS', 500)
const SMALL_CLIENTS = 3
const SMALL_SECONDS = env('BENCH_SMALL_SECONDS', 10)
const ROUNDS = env('BENCH_ROUNDS', 3)

interface Target {
  readonly name: string
  /** Which provider its clients use: the stock y-websocket one, or Hocuspocus's own. */
  readonly client: 'y-websocket' | 'hocuspocus'
  start(port: number, dataDir: string): ChildProcess
}

const root = join(import.meta.dirname, '..')
/**
 * The V8 flags `npm start` gives the server (the checkout's package.json's start script), so the
 * bench runs it as deployed: a baseline checkout with its own.
 */
function startFlags(checkout: string): string[] {
  const start = (
    JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start
  return /node ((?:--\S+ )*)dist\/server\/main\.js/.exec(start)?.[1]?.split(' ').filter(Boolean) ?? []
}
const extraFlags = process.env.NODE_FLAGS?.split(' ').filter(Boolean) ?? []
/** This server (or a baseline checkout's, built) as its own process, with the given SQLite durability. */
const ours = (sync: 'full' | 'saved' | 'normal', checkout = root, label = 'ours'): Target => ({
  name: `${label} (SQLite, SQLITE_SYNC=${sync})`,
  client: 'y-websocket',
  start: (port, dataDir) =>
    spawn(
      process.execPath,
      [
        ...startFlags(checkout),
        ...extraFlags,
        join(checkout, 'dist/server/main.js'),
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

const baseline = process.env.BENCH_BASELINE
/** The baseline's SQLITE_SYNC: `full` by default (its default before 'saved'). */
const baselineSync = (process.env.BENCH_BASELINE_SYNC ?? 'full') as 'full' | 'saved' | 'normal'
const targets: Target[] = [
  // As it ships (commits relayed from the WAL, the disk synced before "saved"), and with every
  // commit synced before its relay. The baseline as it shipped before 'saved' (`full`).
  ours('saved'),
  ours('full'),
  ...(baseline ? [ours(baselineSync, baseline, `baseline ${baseline}`)] : []),
  {
    name: 'reference @y/websocket-server 0.1.1 (memory only)',
    client: 'y-websocket',
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
    name: 'Hocuspocus @hocuspocus/server 3.4.4 (memory only)',
    client: 'hocuspocus',
    start: (port) =>
      spawn(process.execPath, [join(root, 'bench/hocuspocus-server.mjs')], {
        cwd: root,
        env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
        stdio: 'ignore',
        detached: true,
      }),
  },
  {
    name: 'bare relay (no Yjs, no storage: the floor)',
    client: 'y-websocket',
    start: (port) =>
      spawn(process.execPath, [join(root, 'bench/bare-relay.mjs')], {
        cwd: root,
        env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
        stdio: 'ignore',
        detached: true,
      }),
  },
]

// Each stock provider listens for the process's exit: hundreds of them are expected here.
process.setMaxListeners(0)

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

/** A bench client, whichever provider it uses. */
interface Client {
  readonly doc: Y.Doc
  readonly awareness: Awareness
  /** Resolves once the provider says it is synced. */
  synced(): Promise<void>
  /**
   * Asks whether everything sent is saved, as the app's SaveTracker does (a presence query);
   * `answered` gets the milliseconds until the next presence message. Stock providers only.
   */
  askSaved?(answered: (ms: number) => void): void
  destroy(): void
}

/** BENCH_ASK=1: each small room's writer asks whether it is saved 250 ms after each write, as the app does. */
const ASK = process.env.BENCH_ASK === '1'

function connect(target: Target, port: number, room: string): Client {
  if (target.client === 'hocuspocus') {
    const provider = new HocuspocusProvider({
      url: `ws://127.0.0.1:${port}`,
      name: room,
      document: new Y.Doc(),
      // Passed on to the socket it makes (Node 20 has no WebSocket of its own).
      WebSocketPolyfill: WebSocket,
    } as HocuspocusProviderConfiguration)
    return {
      doc: provider.document,
      awareness: provider.awareness as Awareness,
      synced: () =>
        provider.isSynced
          ? Promise.resolve()
          : new Promise((resolve) => {
              const done = () => {
                provider.off('synced', done)
                resolve()
              }
              provider.on('synced', done)
            }),
      destroy: () => provider.destroy(),
    }
  }
  const token = tokens.get(room)
  const provider = acceptServerMessages(
    new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, room, new Y.Doc(), {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      params: token ? { token } : {},
    }),
  )
  let asked: { at: number; answered: (ms: number) => void } | null = null
  const handlers = provider.messageHandlers as unknown as ((...args: unknown[]) => void)[]
  const awareness = handlers[1] as (...args: unknown[]) => void
  handlers[1] = (...args) => {
    awareness(...args)
    if (asked) asked.answered(now() - asked.at)
    asked = null
  }
  return {
    doc: provider.doc,
    awareness: provider.awareness,
    synced: () =>
      provider.synced ? Promise.resolve() : new Promise((resolve) => provider.once('sync', () => resolve())),
    askSaved: (answered) => {
      if (asked || provider.ws?.readyState !== WebSocket.OPEN) return
      asked = { at: now(), answered }
      provider.ws.send(new Uint8Array([3]))
    },
    destroy: () => provider.destroy(),
  }
}

async function allSynced(clients: Client[]): Promise<void> {
  await Promise.all(clients.map((client) => client.synced()))
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
  memoryPerSmallRoomKiB: number
  smallLatencyP50: number
  smallLatencyP99: number
  smallDelivered: number
  smallExpected: number
  smallCpuMsPer1000: number
}

/** Records, in `latencies`, how long each change of a shape took from its writer to this client. */
function timeArrivals(client: Client, latencies: number[]): void {
  client.doc.getMap('canvas').observe((event) => {
    // A client's own writes are not deliveries.
    if (event.transaction.local) return
    const at = now()
    for (const key of event.keysChanged) {
      const shape = client.doc.getMap<{ sentAt: number }>('canvas').get(key)
      if (shape) latencies.push(at - shape.sentAt)
    }
  })
}

async function run(target: Target): Promise<Figures> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'network-map-bench-'))
  tokens = await participantTokens(dataDir, [
    ...Array.from({ length: ROOMS }, (_, r) => `workshop-${r}`),
    ...Array.from({ length: SMALL_ROOMS }, (_, r) => `small-${r}`),
  ])
  const child = target.start(port, dataDir)
  const pid = child.pid as number
  try {
    await waitForPort(port)
    await sleep(2000)
    const groupIdle = groupMemoryMiB(pid)
    const latencies: number[] = []
    const rooms: Client[][] = []
    for (let r = 0; r < ROOMS; r++) {
      const clients = Array.from({ length: CLIENTS }, () => connect(target, port, `workshop-${r}`))
      rooms.push(clients)
      clients.forEach((client, index) => {
        client.awareness.setLocalState({ user: { name: `Participant ${index}` } })
        if (index >= DRAGGERS) timeArrivals(client, latencies)
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
          const dragger = clients[d] as Client
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

    // Many small rooms: SMALL_CLIENTS clients each, a few records each (the memory they take),
    // then each client writes once a second, at its own phase, for SMALL_SECONDS.
    const before = memoryMiB(pid).rss
    const smallLatencies: number[] = []
    const savedLatencies: number[] = []
    const small: Client[] = []
    for (let i = 0; i < SMALL_ROOMS; i++) {
      for (let c = 0; c < SMALL_CLIENTS; c++) {
        const client = connect(target, port, `small-${i}`)
        client.awareness.setLocalState({ user: { name: `Participant ${c}` } })
        timeArrivals(client, smallLatencies)
        small.push(client)
      }
    }
    await allSynced(small)
    small.forEach((client, i) => {
      if (i % SMALL_CLIENTS !== 0) return
      const actors = client.doc.getMap('actors')
      for (let a = 0; a < 5; a++) actors.set(`a${a}`, { name: `Actor ${a} of room ${i / SMALL_CLIENTS}` })
    })
    await sleep(1500)
    const after = memoryMiB(pid).rss
    smallLatencies.length = 0
    const smallCpuBefore = cpuMs(pid)
    const slots = 20
    for (let tick = 0; tick < SMALL_SECONDS * slots; tick++) {
      const started = now()
      for (let i = tick % slots; i < small.length; i += slots) {
        const writer = small[i] as Client
        writer.doc.getMap('canvas').set(`shape:${i % SMALL_CLIENTS}`, { x: tick, sentAt: now() })
        if (ASK) setTimeout(() => writer.askSaved?.((ms) => savedLatencies.push(ms)), 250)
      }
      await sleep(Math.max(0, 1000 / slots - (now() - started)))
    }
    await sleep(1000)
    const smallCpu = cpuMs(pid) - smallCpuBefore
    const smallDelivered = smallLatencies.length
    if (ASK)
      console.log(
        `  small rooms: "saved" answered ${savedLatencies.length} times, p50 ${fmt(quantile(savedLatencies, 0.5))} ms, p99 ${fmt(quantile(savedLatencies, 0.99))} ms after asking`,
      )
    for (const client of small) client.destroy()

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
      memoryPerSmallRoomKiB: ((after - before) * 1024) / SMALL_ROOMS,
      smallLatencyP50: quantile(smallLatencies, 0.5),
      smallLatencyP99: quantile(smallLatencies, 0.99),
      smallDelivered,
      smallExpected: small.length * SMALL_SECONDS * (SMALL_CLIENTS - 1),
      smallCpuMsPer1000: (smallCpu / smallDelivered) * 1000,
    }
  } finally {
    // A profiled server needs a clean exit to write its profile.
    child.kill(extraFlags.length > 0 ? 'SIGTERM' : 'SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

console.log(
  `Workshop load: ${ROOMS} rooms x ${CLIENTS} clients, ${DRAGGERS} dragging per room at ${RATE}/s for ${SECONDS}s; then ${SMALL_ROOMS} small rooms x ${SMALL_CLIENTS} clients, each writing 1/s for ${SMALL_SECONDS}s.`,
)
// BENCH_ONLY=0,2 runs a subset (by index); NODE_FLAGS reach our server's node (e.g. --cpu-prof).
const only = process.env.BENCH_ONLY?.split(',').map(Number)
const chosen = targets.filter((_, index) => only === undefined || only.includes(index))
// Rounds interleave the targets, so a slow spell of the machine weighs on each alike.
const rounds = new Map<Target, Figures[]>(chosen.map((target) => [target, []]))
for (let round = 1; round <= ROUNDS; round++) {
  for (const target of chosen) {
    process.stdout.write(`round ${round}/${ROUNDS}: ${target.name}...\n`)
    const figures = await run(target)
    rounds.get(target)?.push(figures)
    process.stdout.write(
      `  p50 ${fmt(figures.latencyP50)} ms, p99 ${fmt(figures.latencyP99)} ms, CPU ${fmt(figures.cpuMsPer1000)} ms per 1,000; small rooms p99 ${fmt(figures.smallLatencyP99)} ms, CPU ${fmt(figures.smallCpuMsPer1000)} ms per 1,000\n`,
    )
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
  ['small rooms: memory per room (KiB)', (f) => f.memoryPerSmallRoomKiB, 1],
  ['small rooms: latency p50 (ms)', (f) => f.smallLatencyP50, 2],
  ['small rooms: latency p99 (ms)', (f) => f.smallLatencyP99, 2],
  ['small rooms: updates delivered', (f) => f.smallDelivered, 0],
  ['small rooms:   of expected', (f) => f.smallExpected, 0],
  ['small rooms: server CPU per 1,000 deliveries (ms)', (f) => f.smallCpuMsPer1000, 2],
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
if (!floor && !reference && results[0]) {
  // A subset without either (BENCH_ONLY): the figures as they are.
  printComparison(results, results[0][1], results[0][0], rows)
}
const hocuspocus = byName('Hocuspocus')
if (floor) {
  // Issue 19's goals: p99 below both peers and at most 1.2x the floor; CPU per delivery at most
  // 1.5x the floor; with many small rooms, CPU per delivery at most 2x the floor.
  console.log('\n# Against the goals (medians; ratios to the floor, p99 also to the peers)')
  const ratio = (a: number, b: number | undefined) => (b === undefined || b === 0 ? 'n/a' : fmt(a / b))
  for (const [name, f] of results) {
    if (f === floor) continue
    console.log(
      `  ${name}: p99 ${fmt(f.latencyP99)} ms = ${ratio(f.latencyP99, floor.latencyP99)}x floor` +
        ` (${ratio(f.latencyP99, reference?.latencyP99)}x reference, ${ratio(f.latencyP99, hocuspocus?.latencyP99)}x Hocuspocus);` +
        ` CPU ${ratio(f.cpuMsPer1000, floor.cpuMsPer1000)}x floor;` +
        ` small rooms CPU ${ratio(f.smallCpuMsPer1000, floor.smallCpuMsPer1000)}x floor, p99 ${ratio(f.smallLatencyP99, floor.smallLatencyP99)}x floor`,
    )
  }
}
process.exit(0)
