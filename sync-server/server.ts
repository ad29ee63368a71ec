import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { Duplex } from 'node:stream'
import { type Logger, pino } from 'pino'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import { DENIAL_REASONS, datasetJsonSchema, Id, toDataset } from '../model/index.ts'
import {
  accessApi,
  clientAddress,
  identify,
  identifyFacilitator,
  redactUrl,
  requestToken,
  sendJson,
} from './access-api.ts'
import { Auth, loadSecret } from './auth.ts'
import { changeApi } from './change-api.ts'
import type { Cluster } from './cluster.ts'
import type { Config } from './config.ts'
import { Connection } from './connection.ts'
import type { EarlyState } from './early-state.ts'
import { type InviteStore, openSqliteInviteStore } from './invite-store.ts'
import { AddressLimits } from './limits.ts'
import {
  accessFrame,
  CLOSE,
  isEmptySyncStep1,
  isSyncStep1,
  isTimeQuery,
  ProtocolError,
  readClientMessage,
  timeFrame,
  wantsOwnMessages,
} from './protocol.ts'
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
  /** Invite tokens: issue, verify, withdraw. */
  readonly auth: Auth
  /** Open WebSocket connections. */
  connectionCount(): number
  /** Commits every room, closes every connection with a reason, compacts, closes storage. */
  close(): Promise<void>
}

export interface ServerParts {
  /** Storage; the SQLite store in `config.dataDir` when absent. */
  readonly store?: DocStore
  /** Issued invites; `DATA_DIR/access.sqlite` when absent. */
  readonly invites?: InviteStore
  /** The key that signs invite tokens; `SECRET` or `DATA_DIR/secret` when absent (see openConfiguredAccess). */
  readonly signingKey?: Uint8Array
  readonly log?: Logger
  /** Cluster mode: share rooms with other instances through Redis (needs a PostgreSQL store). */
  readonly cluster?: Cluster
}

const SYNC_PATH = /^\/sync\/([^/]*)$/
/** Timers run at most this far ahead (Node's limit); a later expiry is checked on reconnection. */
const MAX_TIMER_MS = 2 ** 31 - 1
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
    parts.cluster ?? null,
  )
  const connections = new Set<Connection>()
  const startedAt = Date.now()
  let stopping = false
  const invites = parts.invites ?? openSqliteInviteStore(config.dataDir)
  const auth = new Auth(parts.signingKey ?? loadSecret(config.dataDir, config.secret).key, invites)
  const addressLimits = new AddressLimits(config)
  /** Live connections by the invite that opened them, so withdrawing one closes them at once. */
  const byInvite = new Map<string, Set<Connection>>()
  /** Closes this instance's connections holding a withdrawn invite, with the reason the door gives. */
  const closeWithdrawn = (jti: string, room: string) => {
    const denial = { code: CLOSE.forbidden, reason: DENIAL_REASONS.revoked }
    for (const connection of byInvite.get(jti) ?? []) {
      log.info({ room, code: denial.code }, 'closed a connection: its invite was withdrawn')
      connection.close(denial.code, denial.reason)
    }
  }
  const api = accessApi(auth, config, decodeRoom, (invite) => {
    closeWithdrawn(invite.jti, invite.room)
    // The other instances close theirs when they hear of it.
    parts.cluster?.publishRevocation(invite.room, invite.jti)
  })
  const changes = changeApi(auth, config, decodeRoom, store, rooms, log)
  parts.cluster?.watchAccess({
    revoked: closeWithdrawn,
    // News lost while Redis was away: the store has every withdrawal, so ask it about each live invite.
    recheck: () => {
      for (const jti of [...byInvite.keys()]) {
        invites.get(jti).then(
          (invite) => {
            if (invite && invite.revokedAt !== null) closeWithdrawn(jti, invite.room)
          },
          (error) => log.warn({ err: error }, 'could not check a live invite again'),
        )
      }
    },
  })

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handleHttp(req, res).catch((error) => {
      log.error({ err: error, url: redactUrl(req.url) }, 'request failed')
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
    if (
      url.pathname.startsWith('/api/') &&
      ((await api.handle(req, res, url)) || (await changes.handle(req, res, url)))
    )
      return
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
      // Without Redis an instance still serves and saves everything, and instances converge
      // through PostgreSQL, only more slowly: "degraded", but 200, so that a load balancer
      // does not take every instance out at once because of Redis.
      const redis = parts.cluster?.redisStatus
      const healthy = storage === 'ok' && !stopping
      sendJson(res, healthy ? 200 : 503, {
        status: healthy && redis !== 'error' ? 'ok' : stopping ? 'stopping' : 'degraded',
        rooms: rooms.loaded,
        connections: connections.size,
        storage,
        ...(parts.cluster ? { redis, instance: parts.cluster.instanceId } : {}),
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
      // A facilitator's token: the header, or `?token=` for a plain download link (never logged).
      const caller = await identifyFacilitator(
        auth,
        config,
        requestToken(req, url, true),
        decodeRoom(exportMatch[1]) ?? '',
      )
      if (!caller.ok) {
        sendJson(res, caller.status, { error: caller.reason })
        return
      }
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
    // The formats (graph, XML, CSV and zip libraries) load at the first export, not at start:
    // a server that never exports never holds them.
    const { EXPORT_FORMATS, exportDataset, isExportFormat } = await import('../model/formats/index.ts')
    if (!isExportFormat(format)) {
      sendJson(res, 400, { error: `unknown format "${format}"`, formats: Object.keys(EXPORT_FORMATS) })
      return
    }
    const loaded = await rooms.acquire(room)
    try {
      // Committed first: a room whose first updates are still being committed is not empty.
      await loaded.flush()
      if (loaded.isEmpty) {
        sendJson(res, 404, { error: `there is no workspace ${room}` })
        return
      }
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
    if (!originAllowed(origin, req.headers.host, config.allowedOrigins)) {
      log.warn({ origin, remote: req.socket.remoteAddress }, 'refused a WebSocket from an origin not allowed')
      return refuseUpgrade(socket, 403, 'Forbidden')
    }
    if (stopping) return refuseUpgrade(socket, 503, 'Service Unavailable')
    if (connections.size >= config.maxConnections) {
      log.warn({ connections: connections.size }, 'refused a WebSocket: server full')
      return refuseUpgrade(socket, 503, 'Service Unavailable')
    }
    // The token is read here and goes no further than the check: never into a log line.
    const token = url.searchParams.get('token')
    const ownMessages = wantsOwnMessages(url)
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req, decodeRoom(match[1]), token, ownMessages))
  })

  function accept(
    ws: WebSocket,
    req: IncomingMessage,
    room: string | null,
    token: string | null,
    ownMessages: boolean,
  ): void {
    const remote = clientAddress(req, config.trustProxy)
    const connection = new Connection(ws, config, remote)
    connection.quiet = !ownMessages
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
    // One connection serves one workspace (the one in its URL): "rooms per connection" is one.
    const budget = addressLimits.admit(remote)
    if (budget === null) {
      fail(CLOSE.tryAgainLater, 'too many connections from your network address')
      ws.on('close', () => connections.delete(connection))
      return
    }

    let loaded: Room | null = null
    /** The token was checked and the access message sent; the room may still be loading. */
    let admitted = false
    /** Frames held until the room is built (answered in order then). */
    const waiting: Uint8Array[] = []
    /** The room's stored snapshot, while the room is built: sent at once to a client with nothing. */
    let early: EarlyState | null = null
    /** This client was sent the stored snapshot, so the room sends it the rest as it joins. */
    let sentSnapshot = false
    /** Lets the room's build go on once this client's step 1 has come (see EarlyState.expect). */
    let stepOneCame: (() => void) | null = null
    /** Answers a step 1 while the room is built: from the stored snapshot if the client has nothing. */
    const answerEarly = (snapshot: EarlyState, frame: Uint8Array): boolean => {
      const empty = isEmptySyncStep1(frame)
      if (empty) {
        sentSnapshot = true
        snapshot.send(connection)
      }
      // Only after the send is counted, or the build could start before the frame is out.
      stepOneCame?.()
      stepOneCame = null
      return empty
    }
    const sendSnapshot = (snapshot: EarlyState) => {
      if (connection.isClosed) return
      early = snapshot
      const asked = waiting.findIndex(isSyncStep1)
      if (asked === -1) stepOneCame = snapshot.expect()
      else if (answerEarly(snapshot, waiting[asked] as Uint8Array)) waiting.splice(asked, 1)
    }
    const handle = (frame: Uint8Array) => {
      if (connection.isClosed) return
      try {
        const message = readClientMessage(frame)
        if (message.type === 'time-query') {
          connection.send(timeFrame(message.id, Date.now()))
          return
        }
        if (loaded === null) return
        switch (message.type) {
          case 'sync-step-1':
            loaded.answerSyncStep1(connection, message.stateVector)
            break
          case 'update':
            if (message.update.byteLength > config.maxUpdateBytes) {
              fail(CLOSE.messageTooBig, 'update too large')
              break
            }
            loaded.receiveUpdate(connection, message.update, message.forwardable ? frame : null)
            break
          case 'awareness':
            loaded.receiveAwareness(connection, message.update, frame)
            break
          case 'query-awareness': {
            // Answered after every update this connection sent before it is committed and on
            // disk, so a client can use the answer as "everything I sent so far is saved". Not
            // answered if the disk could not be synced: the client keeps them unsaved and asks again.
            const room = loaded
            room.saved().then(
              () => room.sendPresence(connection),
              (error) =>
                log.error({ room: room.name, err: error }, 'could not sync storage for an acknowledgement'),
            )
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
      if (!budget.spend()) return fail(CLOSE.policyViolation, 'too many messages from your network address')
      if (loaded === null && !(admitted && isTimeQuery(frame))) {
        if (early !== null && isSyncStep1(frame) && answerEarly(early, frame)) return
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
    let expiryTimer: NodeJS.Timeout | undefined
    ws.on('close', () => {
      connections.delete(connection)
      addressLimits.release(remote)
      clearTimeout(expiryTimer)
      stepOneCame?.()
      if (connection.inviteId !== null) {
        const live = byInvite.get(connection.inviteId)
        live?.delete(connection)
        if (live?.size === 0) byInvite.delete(connection.inviteId)
      }
      if (acquired) release()
    })

    let acquired = false
    // Who this is, before anything of the workspace is loaded or sent.
    identify(auth, config, token, room)
      .then((caller) => {
        if (connection.isClosed) return false
        if (!caller.ok) {
          fail(caller.status === 401 ? CLOSE.unauthenticated : CLOSE.forbidden, caller.reason)
          return false
        }
        connection.role = caller.role
        const expiresAt = caller.claims ? caller.claims.exp * 1000 : null
        if (caller.claims) {
          connection.inviteId = caller.claims.jti
          const live = byInvite.get(caller.claims.jti)
          if (live) live.add(connection)
          else byInvite.set(caller.claims.jti, new Set([connection]))
          const left = caller.claims.exp * 1000 - Date.now()
          if (left <= MAX_TIMER_MS) {
            expiryTimer = setTimeout(
              () =>
                fail(
                  CLOSE.unauthenticated,
                  'This invite link has expired. Ask the facilitator for a new one.',
                ),
              left,
            )
            expiryTimer.unref()
          }
        }
        // Only to a client that asked: a stock provider would log it as an unknown message.
        if (!connection.quiet) {
          connection.send(
            accessFrame({
              role: caller.role,
              room,
              open: caller.claims === null,
              expiresAt,
              serverTime: Date.now(),
            }),
          )
        }
        admitted = true
        return true
      })
      .then((accepted) => {
        if (!accepted) return
        return rooms.acquire(room, sendSnapshot).then(
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
            early = null
            ready.join(connection, sentSnapshot)
            for (const frame of waiting.splice(0)) handle(frame)
          },
          (error) => {
            log.error({ room, err: error }, 'could not load the workspace')
            fail(CLOSE.tryAgainLater, 'could not load the workspace, try again')
          },
        )
      })
      .catch((error) => {
        log.error({ room, err: error }, 'could not check access')
        fail(CLOSE.tryAgainLater, 'could not check access, try again')
      })
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
    auth,
    connectionCount: () => connections.size,
    close: () => {
      closing ??= (async () => {
        stopping = true
        http.close()
        await rooms.closeAll()
        for (const connection of connections) connection.close(CLOSE.goingAway, 'server shutting down')
        wss.close()
        http.closeAllConnections()
        await parts.cluster?.close()
        await store.close()
        if (!parts.invites) await invites.close()
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

/**
 * May a browser page from `origin` open a WebSocket here? Pages of this server's own origin
 * always may (the Origin names the Host the browser asked for), clients that send no Origin
 * (scripts, tests) may, and so may the origins listed (`*` for any).
 */
function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined || allowed.includes('*') || allowed.includes(origin)) return true
  try {
    return host !== undefined && new URL(origin).host === host
  } catch {
    return false
  }
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}
