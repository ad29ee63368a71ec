import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Room, RoomLink } from './room.ts'

/**
 * Several server instances serving the same workspaces: PostgreSQL holds every update, Redis
 * carries them between instances. See "Running several instances" in the README.
 *
 * - Every instance with clients in a room holds a Y.Doc for it, loaded from PostgreSQL, and
 *   commits its own clients' updates to PostgreSQL before applying or relaying them (as alone).
 * - It then XADDs each committed group, with its sequence numbers and the instance's id, to the
 *   room's stream `<prefix>room:<id>:updates`. Every instance XREADs the streams of its rooms
 *   from the last id it has seen (one blocking connection for all of them), applies what other
 *   instances committed and relays it to its clients.
 * - PostgreSQL numbers a room's rows densely and in commit order, so a room knows the highest
 *   sequence number up to which it has everything. A gap that stays open (an instance died
 *   between its commit and its XADD; Redis lost entries in a restart) is filled from PostgreSQL,
 *   and so is anything missed while Redis was away (after it returns, and every few seconds).
 *   Redis is a fast path only: losing it delays fan-out between instances, never loses an update.
 * - One instance owns each room at a time (a lease: `SET key id NX PX`, renewed by a
 *   check-and-extend script): the owner migrates an old document on load and compacts the log.
 *   When it dies its lease expires and another instance with clients in the room takes it within
 *   `leaseMs + renewMs`. Compaction reads from PostgreSQL, so two owners at once (a paused one
 *   that has not noticed) would still be safe: the snapshot only moves forward.
 * - Presence goes through `<prefix>room:<id>:awareness`; presence from other instances expires
 *   unless renewed (clients renew every 15 s), so a dead instance's clients disappear.
 * - Withdrawn invites go through `<prefix>invites:revoked` (a stream, read by the same XREAD), so
 *   each instance closes its own connections holding one. The invites themselves are in
 *   PostgreSQL, checked at every connection: a withdrawal whose news is lost still counts at the
 *   holder's next connection, and live connections are checked again when Redis returns.
 */
export interface ClusterOptions {
  /** `redis://[:password@]host:port[/db]`, as in `REDIS_URL`. */
  readonly url: string
  /** Prefixes every key, so several deployments (or test runs) share one Redis. */
  readonly prefix: string
  /** This instance's name in streams and leases; unique per process. */
  readonly instanceId?: string
  readonly log: Logger
  /** How long a lease lasts without renewal. */
  readonly leaseMs?: number
  /** How often leases are renewed (and free ones taken). */
  readonly renewMs?: number
  /** How often each room asks PostgreSQL for anything it missed (faster while Redis is down). */
  readonly catchUpMs?: number
  /** Presence from another instance not renewed in this long is forgotten. */
  readonly presenceTtlMs?: number
  /** Entries kept per update stream (approximate trimming; PostgreSQL has everything anyway). */
  readonly maxUpdateEntries?: number
  readonly maxAwarenessEntries?: number
}

const DEFAULTS = {
  leaseMs: 15_000,
  renewMs: 5_000,
  catchUpMs: 3_000,
  presenceTtlMs: 30_000,
  maxUpdateEntries: 5_000,
  maxAwarenessEntries: 1_000,
}
/** How long one XREAD waits for news before looking again at which rooms to read. */
const BLOCK_MS = 250
const READ_COUNT = 1_000

/** Renews our lease, or takes a free one: 1 renewed, 2 taken, 0 someone else holds it. */
const RENEW_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
return 0`
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`

interface Stream {
  /** The room it belongs to; empty for the instance-wide stream of withdrawn invites. */
  readonly room: string
  readonly kind: 'updates' | 'awareness' | 'revocations'
  /** The last id read (or the position to read after). */
  id: string
}

interface Member {
  room: Room | null
  /** This instance holds the lease until then (ms); 0 when not. */
  ownedUntil: number
}

/** What an instance does about other instances' news of access: see `Cluster.watchAccess`. */
export interface AccessWatcher {
  /** Another instance withdrew this invite (of `room`): close the connections holding it. */
  revoked(jti: string, room: string): void
  /** Redis is back after an outage, when news may have been missed: check live invites again. */
  recheck(): void
}

/** Entries kept in the stream of withdrawn invites: instances read it as it comes, so a few suffice. */
const MAX_REVOCATION_ENTRIES = 1_000

/** The stream of withdrawn invites, one for the whole deployment. */
const revocationsKey = (prefix: string) => `${prefix}invites:revoked`

/** Appends a withdrawal to the stream: fields `i` (who withdrew it), `r` (room), `j` (the invite's id). */
function addRevocation(redis: Redis, prefix: string, from: string, room: string, jti: string) {
  return redis.xadd(
    revocationsKey(prefix),
    'MAXLEN',
    '~',
    MAX_REVOCATION_ENTRIES,
    '*',
    'i',
    from,
    'r',
    room,
    'j',
    jti,
  )
}

/**
 * Tells running instances that an invite was withdrawn, from outside any of them (`npm run
 * invite -- --revoke` with `REDIS_URL` set): connects, appends to the stream, disconnects.
 * Rejects with a message naming the server (never its password) when Redis cannot be reached.
 */
export async function announceRevocation(
  url: string,
  prefix: string,
  room: string,
  jti: string,
): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    retryStrategy: () => null,
  })
  let lastError: Error | undefined
  redis.on('error', (error: Error) => {
    lastError = error
  })
  try {
    await redis.connect()
    await addRevocation(redis, prefix, `cli-${hostname()}-${process.pid}`, room, jti)
  } catch (error) {
    throw new Error(
      `Redis is unreachable (${describeRedis(url)}): ${(lastError ?? (error as Error)).message}`,
    )
  } finally {
    redis.disconnect()
  }
}

/** `host:port` for logs: never a password. */
export function describeRedis(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.hostname || 'localhost'}:${parsed.port || '6379'}`
  } catch {
    return 'Redis (unparsable REDIS_URL)'
  }
}

export class Cluster implements RoomLink {
  readonly instanceId: string
  private readonly options: typeof DEFAULTS & ClusterOptions
  /** Commands: XADD, leases. Fails fast while disconnected (nothing queues up unseen). */
  private readonly commands: Redis
  /** The blocking XREAD. */
  private readonly reader: Redis
  private readonly members = new Map<string, Member>()
  private readonly streams = new Map<string, Stream>()
  /** Where Redis is, without its password, for logs. */
  readonly where: string
  private healthy = false
  /** The state last logged, so a flapping Redis logs once per change, not per command. */
  private reported: 'ok' | 'error' | null = null
  private closed = false
  private reading: Promise<void> | null = null
  private timers: NodeJS.Timeout[] = []
  private access: AccessWatcher | null = null
  /** Withdrawals not yet announced (Redis was away): sent when it is back. */
  private unannounced: { room: string; jti: string }[] = []

  constructor(options: ClusterOptions) {
    this.options = { ...DEFAULTS, ...options }
    this.instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
    this.where = describeRedis(options.url)
    const common = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
      // Reconnect forever, backing off to 2 s between tries.
      retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
    }
    this.commands = new Redis(options.url, { ...common, connectionName: `nm-${this.instanceId}` })
    this.reader = new Redis(options.url, { ...common, connectionName: `nm-${this.instanceId}-reader` })
    for (const connection of [this.commands, this.reader]) {
      connection.on('error', (error: Error) => this.report('error', error))
      connection.on('close', () => this.report('error', new Error('connection closed')))
    }
    this.commands.on('ready', () => this.onReady())
  }

  /** Connects, or rejects with a message naming the server (never its password). */
  async start(): Promise<void> {
    try {
      await Promise.all([this.commands.connect(), this.reader.connect()])
      await this.commands.ping()
      // Withdrawals from now on: earlier ones are in PostgreSQL, checked at every connection.
      const [last] = await this.commands.xrevrange(revocationsKey(this.options.prefix), '+', '-', 'COUNT', 1)
      this.streams.set(revocationsKey(this.options.prefix), {
        room: '',
        kind: 'revocations',
        id: last?.[0] ?? '0-0',
      })
    } catch (error) {
      this.commands.disconnect()
      this.reader.disconnect()
      const reason = this.lastError?.message ?? (error as Error).message
      throw new Error(`Redis is unreachable (${this.where}): ${reason}`)
    }
    this.healthy = true
    this.reported = 'ok'
    this.reading = this.readLoop()
    this.timers.push(
      setInterval(() => void this.renewLeases(), this.options.renewMs),
      setInterval(() => this.sweep(), 1_000),
    )
    for (const timer of this.timers) timer.unref()
  }

  /** For /healthz. */
  get redisStatus(): 'ok' | 'error' {
    return this.healthy && this.commands.status === 'ready' ? 'ok' : 'error'
  }

  // --- what Rooms calls -----------------------------------------------------------------

  /**
   * Before a room loads from PostgreSQL: try for its lease (so the owner is known before any
   * migration) and note where its streams end, so that reading starts before the load and
   * nothing committed after the load is missed (what is in both is applied twice, harmlessly).
   */
  async prepare(room: string): Promise<void> {
    const member: Member = { room: null, ownedUntil: 0 }
    this.members.set(room, member)
    const now = Date.now()
    let updatesFrom = `${now}-0`
    // Presence of the last half minute, so the people already here are seen at once.
    let awarenessFrom = `${Math.max(0, now - this.options.presenceTtlMs)}-0`
    try {
      const [taken, last] = await Promise.all([
        this.commands.eval(RENEW_SCRIPT, 1, this.key(room, 'owner'), this.instanceId, this.options.leaseMs),
        this.commands.xrevrange(this.key(room, 'updates'), '+', '-', 'COUNT', 1),
      ])
      if (taken === 1 || taken === 2) member.ownedUntil = now + this.options.leaseMs - this.options.renewMs
      updatesFrom = last[0]?.[0] ?? '0-0'
    } catch (error) {
      // Redis is away: read from now once it is back; the catch-up from PostgreSQL fills the rest.
      this.report('error', error as Error)
      awarenessFrom = `${now}-0`
    }
    this.streams.set(this.key(room, 'updates'), { room, kind: 'updates', id: updatesFrom })
    this.streams.set(this.key(room, 'awareness'), { room, kind: 'awareness', id: awarenessFrom })
  }

  /** The room has loaded: what arrives on its streams goes to it from now on. */
  attach(room: Room): void {
    const member = this.members.get(room.name)
    if (member) member.room = room
    // Anything committed between the stream position noted and now is caught up at once.
    void room
      .catchUp()
      .catch((error) => this.options.log.warn({ room: room.name, err: error }, 'catch-up failed'))
  }

  /** The room has unloaded (or failed to load): stop reading it and give up its lease. */
  detach(room: string): void {
    const member = this.members.get(room)
    this.members.delete(room)
    this.streams.delete(this.key(room, 'updates'))
    this.streams.delete(this.key(room, 'awareness'))
    if (member && member.ownedUntil > 0) {
      this.commands.eval(RELEASE_SCRIPT, 1, this.key(room, 'owner'), this.instanceId).catch(() => undefined)
    }
  }

  // --- RoomLink -------------------------------------------------------------------------

  owns(room: string): boolean {
    return (this.members.get(room)?.ownedUntil ?? 0) > Date.now()
  }

  publishUpdate(room: string, fromSeq: number, toSeq: number, update: Uint8Array): void {
    if (this.commands.status !== 'ready') return
    this.commands
      .xadd(
        this.key(room, 'updates'),
        'MAXLEN',
        '~',
        this.options.maxUpdateEntries,
        '*',
        'i',
        this.instanceId,
        'f',
        fromSeq,
        't',
        toSeq,
        'd',
        Buffer.from(update.buffer, update.byteOffset, update.byteLength),
      )
      .catch((error: Error) => this.report('error', error))
  }

  publishAwareness(room: string, update: Uint8Array): void {
    if (this.commands.status !== 'ready') return
    this.commands
      .xadd(
        this.key(room, 'awareness'),
        'MAXLEN',
        '~',
        this.options.maxAwarenessEntries,
        '*',
        'i',
        this.instanceId,
        'd',
        Buffer.from(update.buffer, update.byteOffset, update.byteLength),
      )
      .catch((error: Error) => this.report('error', error))
  }

  /**
   * Tells every other instance that an invite was withdrawn (this one has closed its own
   * connections). While Redis is away the news waits here and goes when it is back; meanwhile
   * the withdrawal is in PostgreSQL, so its holder is refused at any instance's door.
   */
  publishRevocation(room: string, jti: string): void {
    if (this.commands.status !== 'ready') {
      this.holdRevocation(room, jti)
      return
    }
    addRevocation(this.commands, this.options.prefix, this.instanceId, room, jti).catch((error: Error) => {
      this.report('error', error)
      this.holdRevocation(room, jti)
    })
  }

  private holdRevocation(room: string, jti: string): void {
    // Bounded: a very long outage drops the oldest news, never the withdrawals themselves.
    if (this.unannounced.length >= MAX_REVOCATION_ENTRIES) this.unannounced.shift()
    this.unannounced.push({ room, jti })
    this.options.log.warn(
      { room },
      'Redis is unreachable: other instances close that invite’s connections when it is back',
    )
  }

  /** Where news of other instances' withdrawals goes (one watcher: the server). */
  watchAccess(watcher: AccessWatcher): void {
    this.access = watcher
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const timer of this.timers) clearInterval(timer)
    this.reader.disconnect()
    await this.reading?.catch(() => undefined)
    // Leases of rooms still here (Rooms.closeAll detaches them first, normally).
    await Promise.all(
      [...this.members.keys()].map((room) =>
        this.commands
          .eval(RELEASE_SCRIPT, 1, this.key(room, 'owner'), this.instanceId)
          .catch(() => undefined),
      ),
    )
    this.commands.disconnect()
  }

  // --- inside -----------------------------------------------------------------------------

  private key(room: string, what: 'updates' | 'awareness' | 'owner'): string {
    return `${this.options.prefix}room:${room}:${what}`
  }

  private lastError: Error | undefined

  private report(state: 'ok' | 'error', error?: Error): void {
    if (this.closed) return
    if (error) this.lastError = error
    // Before start() has connected, start() itself says what went wrong.
    if (this.reported === null) return
    this.healthy = state === 'ok'
    if (this.reported === state) return
    this.reported = state
    if (state === 'ok')
      this.options.log.info({ redis: this.where }, 'Redis is reachable again; catching up from PostgreSQL')
    else
      this.options.log.error(
        { redis: this.where, reason: error?.message },
        'Redis is unreachable: updates reach other instances through PostgreSQL (slower) until it is back',
      )
  }

  private onReady(): void {
    if (this.reported !== 'error') return
    this.report('ok')
    // Entries lost with Redis (or never written while it was away) are in PostgreSQL.
    for (const member of this.members.values()) void member.room?.catchUp().catch(() => undefined)
    // So are withdrawals whose news may have been lost with it.
    this.access?.recheck()
    for (const { room, jti } of this.unannounced.splice(0)) this.publishRevocation(room, jti)
    void this.renewLeases()
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      const keys = [...this.streams.keys()]
      if (keys.length === 0 || this.reader.status !== 'ready') {
        await sleep(keys.length === 0 ? 50 : 250)
        continue
      }
      let result: unknown
      try {
        result = await this.reader.callBuffer(
          'XREAD',
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...keys,
          ...keys.map((key) => this.streams.get(key)?.id ?? '$'),
        )
      } catch (error) {
        if (this.closed) return
        this.report('error', error as Error)
        await sleep(250)
        continue
      }
      if (this.reported === 'error' && this.commands.status === 'ready') this.onReady()
      if (!Array.isArray(result)) continue
      for (const [rawKey, entries] of result as [Buffer, [Buffer, Buffer[]][]][]) {
        const stream = this.streams.get(rawKey.toString())
        if (!stream) continue
        for (const [rawId, fields] of entries) {
          stream.id = rawId.toString()
          this.deliver(stream, fields)
        }
      }
    }
  }

  private deliver(stream: Stream, fields: Buffer[]): void {
    const values: Record<string, Buffer> = {}
    for (let i = 0; i + 1 < fields.length; i += 2)
      values[(fields[i] as Buffer).toString()] = fields[i + 1] as Buffer
    const source = values.i?.toString()
    if (stream.kind === 'revocations') {
      const jti = values.j?.toString()
      // Our own withdrawals closed our connections already.
      if (jti && source !== this.instanceId) this.access?.revoked(jti, values.r?.toString() ?? '')
      return
    }
    const data = values.d
    const room = this.members.get(stream.room)?.room
    if (!room || !source || !data || source === this.instanceId) return
    if (stream.kind === 'updates') {
      const fromSeq = Number(values.f?.toString())
      const toSeq = Number(values.t?.toString())
      if (!Number.isSafeInteger(fromSeq) || !Number.isSafeInteger(toSeq) || fromSeq > toSeq) return
      room.receiveRemoteUpdate(fromSeq, toSeq, new Uint8Array(data))
    } else {
      room.receiveRemoteAwareness(source, new Uint8Array(data), Number(stream.id.split('-')[0]))
    }
  }

  /** Renews the leases held, takes free ones, and notices lost ones. */
  private async renewLeases(): Promise<void> {
    if (this.commands.status !== 'ready') return
    await Promise.all(
      [...this.members.entries()].map(async ([name, member]) => {
        const now = Date.now()
        try {
          const result = await this.commands.eval(
            RENEW_SCRIPT,
            1,
            this.key(name, 'owner'),
            this.instanceId,
            this.options.leaseMs,
          )
          const wasOwner = member.ownedUntil > now
          if (result === 1 || result === 2) {
            // Counted from before the request, less a renewal period: we stop believing we own
            // it well before the key can expire in Redis.
            member.ownedUntil = now + this.options.leaseMs - this.options.renewMs
            if (!wasOwner && member.room) {
              this.options.log.info({ room: name, instance: this.instanceId }, 'took the lease of a room')
              member.room.becameOwner()
            }
          } else member.ownedUntil = 0
        } catch (error) {
          this.report('error', error as Error)
        }
      }),
    )
  }

  private lastCatchUp = 0
  private lastExpiry = 0

  /** Once a second: expire stale remote presence; now and then ask PostgreSQL for anything missed. */
  private sweep(): void {
    const now = Date.now()
    if (now - this.lastExpiry >= 5_000) {
      this.lastExpiry = now
      for (const member of this.members.values())
        member.room?.expireRemotePresence(now, this.options.presenceTtlMs)
    }
    const every = this.redisStatus === 'ok' ? this.options.catchUpMs : 1_000
    if (now - this.lastCatchUp >= every) {
      this.lastCatchUp = now
      for (const member of this.members.values()) void member.room?.catchUp().catch(() => undefined)
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
