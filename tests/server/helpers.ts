import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { Workspace } from '../../model/index.ts'
import { type Config, configWith } from '../../sync-server/config.ts'
import { type RunningServer, type ServerParts, startServer } from '../../sync-server/server.ts'
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'

/** A fresh data directory, removed by the returned function. */
export function tempDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'network-map-test-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * A real server on a loopback port with its own SQLite files. It runs in open access mode
 * (connections without a token are facilitators) unless `openAccess: false` is given: the
 * access tests use token mode, the others test everything else without tokens.
 */
export async function startTestServer(
  overrides: Partial<Config> = {},
  parts: ServerParts = {},
): Promise<RunningServer & { dataDir: string; wsUrl: string; httpUrl: string; stop: () => Promise<void> }> {
  const data = overrides.dataDir ? { dir: overrides.dataDir, remove: () => undefined } : tempDataDir()
  const server = await startServer(
    configWith({
      host: '127.0.0.1',
      port: 0,
      dataDir: data.dir,
      logLevel: 'silent',
      roomIdleMs: 200,
      openAccess: true,
      ...overrides,
    }),
    parts,
  )
  return Object.assign(server, {
    dataDir: data.dir,
    wsUrl: `ws://127.0.0.1:${server.port}/sync`,
    httpUrl: `http://127.0.0.1:${server.port}`,
    stop: async () => {
      await server.close()
      data.remove()
    },
  })
}

/**
 * A stock y-websocket provider on a fresh doc (or the one given). It does not ask for the
 * server's own messages (refused, access), so the server sends it none.
 */
export function provider(wsUrl: string, room: string, doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
}

/** Resolves once the provider says it is synced. */
export function synced(p: WebsocketProvider, timeoutMs = 10_000): Promise<void> {
  if (p.synced) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('provider did not sync')), timeoutMs)
    p.once('sync', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

/** Polls until `check` returns true (or throws after the timeout with the last failure). */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await check()) return
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A raw WebSocket to a room, for sending frames the stock provider never would. */
export async function rawSocket(
  wsUrl: string,
  room: string,
  headers: Record<string, string> = {},
): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }>; received: Uint8Array[] }> {
  const socket = new WebSocket(`${wsUrl}/${room}`, { headers })
  const received: Uint8Array[] = []
  socket.on('message', (data) => received.push(new Uint8Array(data as Buffer)))
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
  socket.on('error', () => undefined)
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
  })
  return { socket, closed, received }
}

/**
 * The server as a separate process (for restarts and kill -9), on a given data directory: SQLite
 * there, unless `env` gives it a DATABASE_URL (one in the test's own environment is not passed on).
 * Open access mode unless `env` says `OPEN_ACCESS: '0'`.
 */
export async function spawnServer(
  dataDir: string,
  port = 0,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number; wsUrl: string; httpUrl: string }> {
  const child = spawn(
    process.execPath,
    ['dist/server/main.js', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir],
    {
      cwd: join(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATABASE_URL: '',
        OPEN_ACCESS: '1',
        LOG_LEVEL: 'info',
        ...env,
      },
    },
  )
  const actualPort = await new Promise<number>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      // Not left running behind a failed test: nobody else holds this child.
      child.kill('SIGKILL')
      reject(new Error(`server did not start: ${output}`))
    }, 20_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /"port":(\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)))
  })
  return {
    child,
    port: actualPort,
    wsUrl: `ws://127.0.0.1:${actualPort}/sync`,
    httpUrl: `http://127.0.0.1:${actualPort}`,
  }
}

/** Resolves with a child process's exit code once it has exited (at once if it has). */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode)
    else child.once('exit', (code) => resolve(code))
  })
}

/**
 * The durability scenario every store must survive: one client adds actors as fast as it can
 * while another watches; once the watcher has received `atLeast` of them, the server is killed
 * with SIGKILL. Returns the names the watcher had received by then (frames already in its
 * socket buffer count), with both clients closed.
 */
export async function killMidStream(
  server: { child: ChildProcess; wsUrl: string },
  room: string,
  atLeast = 150,
): Promise<Set<string>> {
  const writer = provider(server.wsUrl, room)
  const observer = provider(server.wsUrl, room)
  try {
    await Promise.all([synced(writer), synced(observer)])
    const ws = new Workspace(writer.doc)
    const names = () => new Set(new Workspace(observer.doc).actors().map((actor) => actor.name))
    let written = 0
    const writing = (async () => {
      while (written < 2000 && server.child.exitCode === null && server.child.signalCode === null) {
        ws.addActor({ kind: 'organisation', name: `Org ${written++}` })
        if (written % 5 === 0) await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    await waitFor(() => names().size >= atLeast, 20_000, 'the observer to receive edits')
    server.child.kill('SIGKILL')
    await exited(server.child)
    await writing
    await new Promise((resolve) => setTimeout(resolve, 200))
    return names()
  } finally {
    writer.destroy()
    observer.destroy()
  }
}

/**
 * A room's document as the SQLite store in `dataDir` holds it, read through a connection of its
 * own: what a refused or accepted write left in storage, whatever any client shows.
 */
export async function storedDoc(dataDir: string, room: string): Promise<Y.Doc> {
  const store = openSqliteStore({ dataDir })
  try {
    const { snapshot, updates } = await store.load(room)
    const doc = new Y.Doc()
    for (const update of snapshot ? [snapshot, ...updates] : updates) Y.applyUpdate(doc, update)
    return doc
  } finally {
    await store.close()
  }
}

/** Resolves once the server has dealt with everything `p` sent so far: it answers a presence query only after that. */
export async function roundTrip(p: WebsocketProvider): Promise<void> {
  const handlers = p.messageHandlers as unknown as ((...args: unknown[]) => void)[]
  const awareness = handlers[1] as (...args: unknown[]) => void
  const answered = new Promise<void>((resolve) => {
    handlers[1] = (...args) => {
      handlers[1] = awareness
      awareness(...args)
      resolve()
    }
  })
  p.ws?.send(new Uint8Array([3]))
  await answered
}
