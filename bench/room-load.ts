/**
 * `npm run bench:room-load`: how long a stored borough-sized map (5,000 actors, 20,000 links)
 * takes to open, and what holding it costs the server, against a small room in the same run.
 *
 * The maps are written straight into the server's SQLite store before it starts (an update
 * this large is over the server's 4 MiB per-update limit, so no client could send it in one
 * piece), in the two shapes a room is found in: compacted to one snapshot (every room that was
 * unloaded), and as a snapshot followed by 499 small update rows (a room just short of its
 * compaction after 500 rows, or whose server was killed). Then for each room a stock
 * y-websocket provider connects to the server (its own process, as it ships) and two times are
 * measured: from connecting until the whole stored map has arrived (the server's part: the
 * DocStore load and sending the stored snapshot, see sync-server/early-state.ts), and until the
 * provider's `synced` (the client applying the map, and the step 2 the server sends once its
 * Y.Doc is built and checked); then a second provider with nothing joins the loaded room. The
 * server's RSS is read before and after (after a second to settle), each room on a fresh server
 * (`NODE_FLAGS` are passed to it, e.g. `--cpu-prof`). The same phases are then timed in this
 * process, one by one, to say where the time goes, and a room is loaded here to read what it
 * holds on the heap. Figures vary with the machine; compare the ratios to the small room.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { pino } from 'pino'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { migrateDocument, Workspace } from '../model/index.ts'
import { configWith } from '../sync-server/config.ts'
import { type Peer, Room, type RoomOptions } from '../sync-server/room.ts'
import { openSqliteStore } from '../sync-server/storage/sqlite.ts'
import { acceptServerMessages, freePort, memoryMiB, waitForPort } from './proc.ts'
import { printComparison, type Row } from './report.ts'
import { syntheticDataset } from './synthetic.ts'

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const ACTORS = env('BENCH_ACTORS', 5000)
const LINKS = env('BENCH_LINKS', 20_000)
const SMALL_ACTORS = 20
const SMALL_LINKS = 40
/** Update rows after the snapshot in the "uncompacted" shape: one short of a compaction. */
const TAIL_ROWS = 499

const root = join(import.meta.dirname, '..')
/** A room as the server's defaults make it. */
const ROOM_OPTIONS: RoomOptions = configWith({})
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A map's whole state as one update (what a compaction stores), and a few edits after it. */
function storedMap(actors: number, links: number): { snapshot: Uint8Array; tail: Uint8Array[] } {
  const doc = new Y.Doc()
  const workspace = new Workspace(doc)
  workspace.load(syntheticDataset(actors, links))
  const snapshot = Y.encodeStateAsUpdate(doc)
  // Later edits, each its own row, as the server stores them: renames of actors in turn.
  const tail: Uint8Array[] = []
  const collect = (update: Uint8Array) => tail.push(update)
  doc.on('update', collect)
  const ids = workspace.snapshot().actors.map((actor) => actor.id)
  for (let i = 0; i < TAIL_ROWS; i++) {
    const id = ids[i % ids.length] as string
    workspace.update('actor', id, { area: `Edited area ${i}` })
  }
  doc.off('update', collect)
  doc.destroy()
  return { snapshot, tail }
}

interface Figures {
  /** From the provider's creation until the server's answer has arrived whole, before the provider applies it, ms. */
  connectToMapMs: number
  /** From the provider's creation to its `synced`, ms. */
  connectToSyncedMs: number
  /** The same for a second provider with nothing, once the room is loaded, ms. */
  lateJoinerSyncedMs: number
  rssBeforeMiB: number
  rssAfterMiB: number
  storedMiB: number
  /** The same phases in this process, ms. */
  storeLoadMs: number
  applyMs: number
  migrateMs: number
  encodeMs: number
  /** Answering a client with nothing once the room is loaded: the snapshot's frame and what came after it, ms. */
  answerEmptyMs: number
  /** A room loaded in this process: the JS heap it holds, and its buffers outside the heap, MiB. */
  roomHeapMiB: number
  roomBuffersMiB: number
}

/** The rooms measured, each with what is stored for it. */
interface Case {
  readonly name: string
  readonly room: string
  readonly snapshot: Uint8Array
  readonly tail: readonly Uint8Array[]
}

const nodeFlags = process.env.NODE_FLAGS?.split(' ').filter(Boolean) ?? []

function startServer(port: number, dataDir: string): ChildProcess {
  return spawn(
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
      env: { ...process.env, LOG_LEVEL: 'warn', OPEN_ACCESS: '1' },
      stdio: 'ignore',
      detached: true,
    },
  )
}

/**
 * A stock provider with nothing, timed from its creation until the first frame carrying
 * document data (a sync update or step 2: the stored snapshot, or the whole state) has arrived,
 * and until `synced`.
 */
async function connectAndSync(
  port: number,
  room: string,
): Promise<{ mapMs: number; syncedMs: number; provider: WebsocketProvider }> {
  const started = performance.now()
  let mapMs = Number.NaN
  /** Notes when the first document data arrives, before the provider's own handler applies it. */
  class Timed extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols)
      // The provider asks for ArrayBuffers.
      this.on('message', (data: ArrayBuffer) => {
        const bytes = new Uint8Array(data, 0, 2)
        if (Number.isNaN(mapMs) && bytes[0] === 0 && (bytes[1] === 1 || bytes[1] === 2))
          mapMs = performance.now() - started
      })
    }
  }
  const provider = acceptServerMessages(
    new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, room, new Y.Doc(), {
      WebSocketPolyfill: Timed as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    }),
  )
  await new Promise((resolve) => provider.once('sync', resolve))
  return { mapMs, syncedMs: performance.now() - started, provider }
}

/** Collects garbage, so heap figures say what is held (V8's gc, exposed for this process). */
const collectGarbage = (() => {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
})()

/** This process's memory once garbage is collected, twice (buffers are let go of a moment after). */
async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  collectGarbage()
  await sleep(200)
  collectGarbage()
  return process.memoryUsage()
}

/** The server's load, phase by phase, in this process: store, apply, migration check, step 2. */
async function phases(dataDir: string, room: string) {
  const store = openSqliteStore({ dataDir })
  const time = async <T>(work: () => T | Promise<T>) => {
    const started = performance.now()
    const value = await work()
    return { ms: performance.now() - started, value }
  }
  const loaded = await time(() => store.load(room))
  const stored = loaded.value
  const doc = new Y.Doc()
  // As Room.load does: the snapshot as it is, then the rows after it merged.
  const apply = await time(() => {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
    if (stored.updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates([...stored.updates]))
  })
  const migrate = await time(() => migrateDocument(doc))
  const encode = await time(() => Y.encodeStateAsUpdate(doc, Y.encodeStateVector(new Y.Doc())))
  doc.destroy()
  await store.close()
  return { storeLoadMs: loaded.ms, applyMs: apply.ms, migrateMs: migrate.ms, encodeMs: encode.ms }
}

/**
 * A room as the server holds it, loaded in this process between two garbage collections: the
 * JS heap it holds and its buffers (the stored snapshot's frame), and how long it takes to
 * answer a client with nothing.
 */
async function roomMemory(dataDir: string, name: string) {
  const store = openSqliteStore({ dataDir })
  const before = await settledMemory()
  const room = await Room.load(name, store, ROOM_OPTIONS, pino({ level: 'silent' }))
  const after = await settledMemory()
  const peer: Peer = { role: 'viewer', send: () => undefined, close: () => undefined }
  const started = performance.now()
  room.answerSyncStep1(peer, Y.encodeStateVector(new Y.Doc()))
  const answerEmptyMs = performance.now() - started
  // Closing would compact the room; its doc is let go instead, the store left as it was.
  room.doc.destroy()
  await store.close()
  return {
    answerEmptyMs,
    roomHeapMiB: (after.heapUsed - before.heapUsed) / 2 ** 20,
    roomBuffersMiB: (after.arrayBuffers - before.arrayBuffers) / 2 ** 20,
  }
}

async function main() {
  console.log(
    `Room load: a stored map of ${ACTORS} actors and ${LINKS} links against one of ${SMALL_ACTORS} actors and ${SMALL_LINKS} links (SQLite).`,
  )
  const small = storedMap(SMALL_ACTORS, SMALL_LINKS)
  const large = storedMap(ACTORS, LINKS)
  const cases: Case[] = [
    { name: `small room, one snapshot`, room: 'small', snapshot: small.snapshot, tail: [] },
    { name: `${ACTORS}/${LINKS} map, one snapshot`, room: 'large', snapshot: large.snapshot, tail: [] },
    {
      name: `${ACTORS}/${LINKS} map, snapshot + ${TAIL_ROWS} update rows`,
      room: 'large-rows',
      snapshot: large.snapshot,
      tail: large.tail,
    },
  ]

  const dataDir = mkdtempSync(join(tmpdir(), 'network-map-room-load-'))
  const results: [string, Figures][] = []
  try {
    // Stored as the server stores them: the snapshot as a compaction leaves it, then rows.
    const store = openSqliteStore({ dataDir })
    for (const entry of cases) {
      const seq = await store.append(entry.room, [entry.snapshot])
      await store.compact(entry.room, entry.snapshot, seq)
      if (entry.tail.length > 0) await store.append(entry.room, entry.tail)
    }
    await store.close()

    // A fresh server for each room, so each "before" is a server that has held no big room.
    for (const entry of cases) {
      const port = await freePort()
      const child = startServer(port, dataDir)
      const pid = child.pid as number
      try {
        await waitForPort(port)
        await sleep(1500)
        const rssBefore = memoryMiB(pid).rss
        const { mapMs, syncedMs, provider } = await connectAndSync(port, entry.room)
        await sleep(1000)
        const rssAfter = memoryMiB(pid).rss
        const late = await connectAndSync(port, entry.room)
        late.provider.destroy()
        provider.destroy()
        results.push([
          entry.name,
          {
            connectToMapMs: mapMs,
            connectToSyncedMs: syncedMs,
            lateJoinerSyncedMs: late.syncedMs,
            rssBeforeMiB: rssBefore,
            rssAfterMiB: rssAfter,
            storedMiB:
              (entry.snapshot.byteLength + entry.tail.reduce((sum, u) => sum + u.byteLength, 0)) / 2 ** 20,
            ...(await roomMemory(dataDir, entry.room)),
            ...(await phases(dataDir, entry.room)),
          },
        ])
        process.stdout.write(
          `  ${entry.name}: connect to the map ${mapMs.toFixed(0)} ms, to synced ${syncedMs.toFixed(0)} ms\n`,
        )
      } finally {
        child.kill('SIGKILL')
        await new Promise((resolve) => child.once('exit', resolve))
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }

  const reference = results[0]?.[1] as Figures
  const rows: Row<Figures>[] = [
    ['connect to the whole map received (ms)', (f) => f.connectToMapMs, 0],
    ['connect to synced (ms)', (f) => f.connectToSyncedMs, 0],
    ['a second client, connect to synced (ms)', (f) => f.lateJoinerSyncedMs, 0],
    ['server RSS before the room (MiB)', (f) => f.rssBeforeMiB, 1],
    ['server RSS with the room loaded (MiB)', (f) => f.rssAfterMiB, 1],
    ['  growth (MiB)', (f) => f.rssAfterMiB - f.rssBeforeMiB, 1],
    ['stored (MiB)', (f) => f.storedMiB, 2],
    ['phases here: store load (ms)', (f) => f.storeLoadMs, 1],
    ['phases here: merge + apply to a Y.Doc (ms)', (f) => f.applyMs, 1],
    ['phases here: migration check (ms)', (f) => f.migrateMs, 1],
    ['phases here: sync step 2, whole state (ms)', (f) => f.encodeMs, 1],
    ['phases here: loaded room answers a client with nothing (ms)', (f) => f.answerEmptyMs, 1],
    ['a loaded room here: JS heap held (MiB)', (f) => f.roomHeapMiB, 1],
    ['a loaded room here: buffers outside the heap (MiB)', (f) => f.roomBuffersMiB, 1],
  ]
  printComparison(results, reference, 'the small room', rows)
  process.exit(0)
}

await main()
