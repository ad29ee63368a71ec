import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { Duplex } from 'node:stream'
import { type Logger, pino } from 'pino'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import { EXPORT_FORMATS, exportDataset, isExportFormat } from '../model/formats/index.ts'
import { datasetJsonSchema, Id, toDataset } from '../model/index.ts'
import type { Config } from './config.ts'
import { Connection } from './connection.ts'
import { CLOSE, ProtocolError, readClientMessage } from './protocol.ts'
import { InvalidUpdateError, type Room } from './room.ts'
import { Rooms } from './rooms.ts'
import { serveClient } from './static-files.ts'
import type { DocStore } from './storage/doc-store.ts'
import { openSqliteStore } from './storage/sqlite.ts'
import { type Certificate, loadOrCreateCertificate } from './tls.ts'

export interface RunningServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number
  readonly rooms: Rooms
  readonly log: Logger
  /** The certificate in use when serving HTTPS. */
  readonly certificate: Certificate | null
  /** Open WebSocket connections. */
  connectionCount(): number
  /** Commits every room, closes every connection with a reason, compacts, closes storage. */
  close(): Promise<void>
}

export interface ServerParts {
  /** Storage; the SQLite store in `config.dataDir` when absent. */
  readonly store?: DocStore
  readonly log?: Logger
}

const SYNC_PATH = /^\/sync\/([^/]*)$/
const EXPORT_PATH = /^\/api\/rooms\/([^/]*)\/export$/

/**
 * Starts the HTTP and WebSocket server: `/sync/<room>` speaks the y-websocket protocol,
 * `/healthz` and `/api/rooms/<room>/export` answer JSON, everything else is the built client.
 */
export async function startServer(config: Config, parts: ServerParts = {}): Promise<RunningServer> {
  const log = parts.log ?? pino({ level: config.logLevel, base: undefined })
  const store = parts.store ?? openSqliteStore({ dataDir: config.dataDir, synchronous: config.sqliteSync })
  const rooms = new Rooms(
    store,
    {
      compactAfterRows: config.compactAfterRows,
      compactIdleMs: config.compactIdleMs,
      idleMs: config.roomIdleMs,
      maxAwarenessStateBytes: config.maxAwarenessStateBytes,
      maxAwarenessClientsPerPeer: config.maxAwarenessClientsPerPeer,
    },
    log,
  )
  const connections = new Set<Connection>()
  const startedAt = Date.now()
  let stopping = false

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handleHttp(req, res).catch((error) => {
      log.error({ err: error, url: req.url }, 'request failed')
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' })
      else res.destroy()
    })
  }
  const certificate = config.https ? await loadOrCreateCertificate(config.dataDir) : null
  const http: Server = certificate
    ? (createHttpsServer({ key: certificate.key, cert: certificate.cert }, onRequest) as unknown as Server)
    : createServer(onRequest)
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxMessageBytes,
    perMessageDeflate: false,
  })

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'method not allowed' })
      return
    }
    if (url.pathname === '/healthz') {
      let storage = 'ok'
      try {
        await store.check()
      } catch {
        storage = 'error'
      }
      const healthy = storage === 'ok' && !stopping
      sendJson(res, healthy ? 200 : 503, {
        status: healthy ? 'ok' : stopping ? 'stopping' : 'degraded',
        rooms: rooms.loaded,
        connections: connections.size,
        storage,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      })
      return
    }
    if (url.pathname === '/api/dataset.schema.json') {
      sendJson(res, 200, datasetJsonSchema())
      return
    }
    const exportMatch = EXPORT_PATH.exec(url.pathname)
    if (exportMatch) {
      const redact = ['1', 'true', 'yes'].includes(url.searchParams.get('redact') ?? '')
      await exportRoom(decodeRoom(exportMatch[1]), url.searchParams.get('format') ?? 'json', redact, res)
      return
    }
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/sync/')) {
      sendJson(res, 404, { error: 'not found' })
      return
    }
    serveClient(config.clientDir, req, res)
  }

  async function exportRoom(
    room: string | null,
    format: string,
    redact: boolean,
    res: ServerResponse,
  ): Promise<void> {
    if (room === null) {
      sendJson(res, 400, { error: 'a workspace id is 1 to 64 letters, digits, "-" or "_"' })
      return
    }
    if (!isExportFormat(format)) {
      sendJson(res, 400, { error: `unknown format "${format}"`, formats: Object.keys(EXPORT_FORMATS) })
      return
    }
    const loaded = await rooms.acquire(room)
    try {
      if (loaded.isEmpty) {
        sendJson(res, 404, { error: `there is no workspace ${room}` })
        return
      }
      await loaded.flush()
      const file = exportDataset(toDataset(loaded.doc), format, { redactPersonal: redact })
      const body = typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : Buffer.from(file.body)
      res.writeHead(200, {
        'content-type': file.mediaType,
        'content-length': body.byteLength,
        'content-disposition': `attachment; filename="${file.filename}"`,
        'cache-control': 'no-store',
      })
      res.end(body)
    } finally {
      rooms.release(room)
      // Asking for a workspace that does not exist should not keep an empty one in memory.
      if (loaded.isEmpty && loaded.peerCount === 0) await rooms.unload(room)
    }
  }

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const url = new URL(req.url ?? '/', 'http://localhost')
    const match = SYNC_PATH.exec(url.pathname)
    if (!match) return refuseUpgrade(socket, 404, 'Not Found')
    const origin = req.headers.origin
    if (
      config.allowedOrigins.length > 0 &&
      (origin === undefined || !config.allowedOrigins.includes(origin))
    ) {
      log.warn({ origin, remote: req.socket.remoteAddress }, 'refused a WebSocket from an origin not allowed')
      return refuseUpgrade(socket, 403, 'Forbidden')
    }
    if (stopping) return refuseUpgrade(socket, 503, 'Service Unavailable')
    if (connections.size >= config.maxConnections) {
      log.warn({ connections: connections.size }, 'refused a WebSocket: server full')
      return refuseUpgrade(socket, 503, 'Service Unavailable')
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req, decodeRoom(match[1])))
  })

  function accept(ws: WebSocket, req: IncomingMessage, room: string | null): void {
    const remote = req.socket.remoteAddress ?? 'unknown'
    const connection = new Connection(ws, config, remote)
    connections.add(connection)
    const fail = (code: number, reason: string) => {
      if (connection.isClosed) return
      log.warn({ room, remote, code, reason }, 'closed a connection')
      connection.close(code, reason)
    }
    ws.on('error', (error) => {
      // ws has already closed the socket (1009 for an oversize frame, 1002 for a bad frame).
      log.warn({ room, remote, reason: error.message }, 'closed a connection')
    })
    if (room === null) {
      fail(CLOSE.badRoom, 'invalid workspace id: 1 to 64 letters, digits, "-" or "_"')
      ws.on('close', () => connections.delete(connection))
      return
    }

    let loaded: Room | null = null
    const waiting: Uint8Array[] = []
    const handle = (frame: Uint8Array) => {
      if (connection.isClosed || loaded === null) return
      try {
        const message = readClientMessage(frame)
        switch (message.type) {
          case 'sync-step-1':
            loaded.answerSyncStep1(connection, message.stateVector)
            break
          case 'update':
            loaded.receiveUpdate(connection, message.update, message.forwardable ? frame : null)
            break
          case 'awareness':
            loaded.receiveAwareness(connection, message.update, frame)
            break
          case 'query-awareness': {
            // Answered after every update this connection sent before it is committed, so a
            // client can use the answer as "everything I sent so far is saved".
            const room = loaded
            void room.flush().then(() => room.sendPresence(connection))
            break
          }
        }
      } catch (error) {
        if (error instanceof InvalidUpdateError) fail(CLOSE.invalidPayload, error.message)
        else if (error instanceof ProtocolError) fail(CLOSE.protocolError, error.message)
        else fail(CLOSE.protocolError, `malformed message: ${(error as Error).message}`)
      }
    }

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (connection.isClosed) return
      if (!isBinary) return fail(CLOSE.unsupportedData, 'text frames are not part of the protocol')
      const frame = toBytes(data)
      if (!connection.spend(frame.byteLength))
        return fail(CLOSE.policyViolation, 'too many messages: slow down')
      if (loaded === null) {
        if (waiting.length >= config.maxQueuedWhileLoading)
          return fail(CLOSE.tryAgainLater, 'too many messages while loading')
        waiting.push(frame)
        return
      }
      handle(frame)
    })

    let released = false
    const release = () => {
      if (released) return
      released = true
      if (loaded) loaded.leave(connection)
      rooms.release(room)
    }
    ws.on('close', () => {
      connections.delete(connection)
      if (acquired) release()
    })

    let acquired = false
    rooms.acquire(room).then(
      (ready) => {
        acquired = true
        if (connection.isClosed || ws.readyState !== ws.OPEN) {
          release()
          return
        }
        if (ready.peerCount >= config.maxConnectionsPerRoom) {
          fail(CLOSE.tryAgainLater, 'this workspace is full')
          return
        }
        loaded = ready
        ready.join(connection)
        for (const frame of waiting.splice(0)) handle(frame)
      },
      (error) => {
        log.error({ room, err: error }, 'could not load the workspace')
        fail(CLOSE.tryAgainLater, 'could not load the workspace, try again')
      },
    )
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(config.port, config.host, () => {
      http.off('error', reject)
      resolve()
    })
  })
  const address = http.address()
  const port = typeof address === 'object' && address ? address.port : config.port

  let closing: Promise<void> | null = null
  return {
    port,
    rooms,
    log,
    certificate,
    connectionCount: () => connections.size,
    close: () => {
      closing ??= (async () => {
        stopping = true
        http.close()
        await rooms.closeAll()
        for (const connection of connections) connection.close(CLOSE.goingAway, 'server shutting down')
        wss.close()
        http.closeAllConnections()
        await store.close()
      })()
      return closing
    },
  }
}

/** A room id from the URL, or null when it is not a valid one (too long, odd characters, traversal). */
function decodeRoom(segment: string | undefined): string | null {
  try {
    const room = decodeURIComponent(segment ?? '')
    return Id.safeParse(room).success ? room : null
  } catch {
    return null
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return data
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}
