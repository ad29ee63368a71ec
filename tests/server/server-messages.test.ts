import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { ServerClock } from '../../client/sync/server-clock.ts'
import { timeLeft, Workspace } from '../../model/index.ts'
import type { Role } from '../../sync-server/write-rules.ts'
import { rawSocket, roundTrip, startTestServer, storedDoc, waitFor } from './helpers.ts'

/**
 * The server's own messages (refused, access, time) over real connections: a real server in
 * token mode on loopback, real y-websocket providers, real SQLite. A stock provider never asks
 * for them and so never logs "Unable to compute message"; the app's provider asks (as
 * `?messages=access`) and gets them, the server's clock among them.
 */

type TestServer = Awaited<ReturnType<typeof startTestServer>>

let server: TestServer
const cleanups: (() => void)[] = []

beforeAll(async () => {
  server = await startTestServer({ openAccess: false, roomIdleMs: 500 })
})
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  vi.restoreAllMocks()
})
afterAll(async () => {
  await server.stop()
})

let roomCount = 0
const freshRoom = (name: string) => `${name}-${++roomCount}-${Date.now().toString(36)}`

async function tokenFor(room: string, role: Role): Promise<string> {
  return (await server.auth.issue({ room, role, expiresIn: 3600 })).token
}

/**
 * A real WebSocket that notes the message type of every frame it receives, handed to the
 * provider as its WebSocket class: what the server actually sent, whatever the provider did.
 */
function recordingSocket(types: number[]): typeof globalThis.WebSocket {
  class Recording extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols)
      // The provider asks for ArrayBuffers.
      this.on('message', (data: ArrayBuffer) => types.push(new Uint8Array(data)[0] as number))
    }
  }
  return Recording as unknown as typeof globalThis.WebSocket
}

/** A provider; `app` adds the opt-in the app's provider sends (client/sync/connection.ts). */
function open(room: string, token: string | null, options: { app?: boolean; types?: number[] } = {}) {
  const doc = new Y.Doc()
  const params: Record<string, string> = token ? { token } : {}
  if (options.app) params.messages = 'access'
  const provider = new WebsocketProvider(server.wsUrl, room, doc, {
    WebSocketPolyfill: recordingSocket(options.types ?? []),
    disableBc: true,
    params,
  })
  if (options.app) {
    // The app handles each of its messages (client/access/access.ts, client/sync/server-clock.ts).
    const handlers = provider.messageHandlers as unknown as (() => void)[]
    handlers[9] = handlers[10] = handlers[11] = () => undefined
  }
  cleanups.push(() => provider.destroy())
  return { provider, doc }
}

/** A room's document as storage holds it. */
const stored = (room: string) => storedDoc(server.dataDir, room)

const unknownMessageLogged = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.some((call) => call.some((arg) => String(arg).includes('Unable to compute message')))

describe('a stock provider stays quiet', () => {
  it('a participant syncing, writing, and having a write refused logs nothing and is sent no message of ours', async () => {
    const errors = vi.spyOn(console, 'error')
    const room = freshRoom('stock')
    const owner = open(room, await tokenFor(room, 'facilitator'), { app: true })
    await waitFor(() => owner.provider.synced, 10_000, 'the facilitator to sync')
    new Workspace(owner.doc, { participantId: 'owner' }).addActor({ kind: 'organisation', name: 'Seed' })

    const types: number[] = []
    const stock = open(room, await tokenFor(room, 'participant'), { types })
    await waitFor(() => stock.provider.synced, 10_000, 'the stock provider to sync')
    await waitFor(() => stock.doc.getMap('actors').size === 1, 10_000, 'the seed to arrive')
    // A normal write, then one a participant may not make (the agenda is the facilitator's).
    const participant = new Workspace(stock.doc, { participantId: 'stock' })
    participant.addActor({ kind: 'organisation', name: 'Written by a participant' })
    await roundTrip(stock.provider)
    stock.doc.getMap('agenda').set('sneaked', new Y.Map([['title', 'Not allowed']]))
    await roundTrip(stock.provider)

    // The refusal applied: the agenda item was dropped, the actor kept.
    const saved = await stored(room)
    expect(saved.getMap('agenda').size).toBe(0)
    expect(saved.getMap('actors').size).toBe(2)
    await waitFor(() => owner.doc.getMap('actors').size === 2, 10_000, 'the actor to reach the facilitator')
    expect(owner.doc.getMap('agenda').size).toBe(0)
    // ...and the stock provider was told nothing it cannot read.
    expect(types).toContain(0)
    expect(types.filter((type) => type === 9 || type === 10 || type === 11)).toEqual([])
    expect(unknownMessageLogged(errors)).toBe(false)
  })

  it('is still turned away at the door with a readable reason, and stops retrying', async () => {
    const errors = vi.spyOn(console, 'error')
    const room = freshRoom('door')
    const types: number[] = []
    const stock = open(room, null, { types })
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      stock.provider.once('closed', (event) => resolve(event)),
    )
    expect(closed.code).toBe(4401)
    expect(closed.reason).toMatch(/invite link/)
    expect(stock.provider.shouldConnect).toBe(false)
    expect(types).toEqual([])
    expect(unknownMessageLogged(errors)).toBe(false)
  })
})

describe('the app’s provider asks, and is told', () => {
  it('its role with the server’s time, and each refusal', async () => {
    const room = freshRoom('app')
    const { provider, doc } = open(room, await tokenFor(room, 'participant'), { app: true })
    const access: Record<string, unknown>[] = []
    const refusals: { code: string }[] = []
    const receivedAt: number[] = []
    const handlers = provider.messageHandlers as unknown as ((e: unknown, d: decoding.Decoder) => void)[]
    handlers[10] = (_encoder, decoder) => {
      receivedAt.push(Date.now())
      access.push(JSON.parse(decoding.readVarString(decoder)))
    }
    handlers[9] = (_encoder, decoder) => refusals.push(JSON.parse(decoding.readVarString(decoder)))
    const before = Date.now()
    await waitFor(() => provider.synced, 10_000, 'the provider to sync')
    expect(access).toHaveLength(1)
    expect(access[0]).toMatchObject({ role: 'participant', room, open: false })
    // The server runs in this process, on this clock: its time lies between asking and hearing.
    expect(access[0]?.serverTime).toBeGreaterThanOrEqual(before)
    expect(access[0]?.serverTime).toBeLessThanOrEqual(receivedAt[0] as number)

    doc.getMap('agenda').set('sneaked', new Y.Map([['title', 'Not allowed']]))
    await waitFor(() => refusals.length === 1, 10_000, 'the refusal')
    expect(refusals[0]?.code).toBe('facilitators-only')
  })

  it('answers a time query with its clock, as soon as the connection is accepted', async () => {
    const room = freshRoom('time')
    const { socket, received } = await rawSocket(
      server.wsUrl,
      `${room}?token=${await tokenFor(room, 'viewer')}&messages=access`,
    )
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 11)
    encoding.writeVarUint(encoder, 42)
    const before = Date.now()
    socket.send(encoding.toUint8Array(encoder))
    await waitFor(() => received.some((frame) => frame[0] === 11), 10_000, 'the answer')
    const after = Date.now()
    socket.close()
    const decoder = decoding.createDecoder(received.find((frame) => frame[0] === 11) as Uint8Array)
    decoding.readVarUint(decoder)
    const answer = JSON.parse(decoding.readVarString(decoder))
    expect(answer.id).toBe(42)
    expect(answer.serverTime).toBeGreaterThanOrEqual(before)
    expect(answer.serverTime).toBeLessThanOrEqual(after)
  })
})

describe('the shared timer runs on the server’s clock', () => {
  it('a facilitator whose clock is 7 minutes slow starts a timer that ends on time by the server', async () => {
    const room = freshRoom('skew')
    const slow = -7 * 60_000
    const facilitator = open(room, await tokenFor(room, 'facilitator'), { app: true })
    // The device's clock is off; the server (this process) keeps Date.now.
    const clock = new ServerClock(facilitator.provider, () => Date.now() + slow)
    cleanups.push(() => clock.destroy())
    await waitFor(() => facilitator.provider.synced, 10_000, 'the facilitator to sync')
    // The access message gives a first estimate; a time query answered on loopback, a closer one.
    await waitFor(() => (clock.offset()?.roundTrip ?? Infinity) < 50, 10_000, 'the clock to settle')
    expect(Math.abs((clock.offset()?.offset ?? 0) + slow)).toBeLessThan(50)

    const workspace = new Workspace(facilitator.doc, { participantId: 'facilitator', now: clock.now })
    const startedAt = Date.now()
    workspace.startTimer({ durationMs: 10 * 60_000 })
    await roundTrip(facilitator.provider)

    const timer = new Workspace(await stored(room)).facilitation().timer
    expect(timer?.endsAt).toBeDefined()
    // On the server's clock, ten minutes from when it was started (not three, as the device's own would say).
    expect(Math.abs((timer?.endsAt as number) - (startedAt + 10 * 60_000))).toBeLessThan(100)

    // A participant whose clock is 3 minutes fast counts down from ten minutes all the same.
    const fast = 3 * 60_000
    const participant = open(room, await tokenFor(room, 'participant'), { app: true })
    const theirClock = new ServerClock(participant.provider, () => Date.now() + fast)
    cleanups.push(() => theirClock.destroy())
    await waitFor(() => (theirClock.offset()?.roundTrip ?? Infinity) < 50, 10_000, 'their clock to settle')
    await waitFor(
      () => new Workspace(participant.doc).facilitation().timer !== undefined,
      10_000,
      'the timer to arrive',
    )
    const left = timeLeft(new Workspace(participant.doc).facilitation().timer, theirClock.now())
    const expected = startedAt + 10 * 60_000 - Date.now()
    expect(Math.abs(left - expected)).toBeLessThan(200)
  })
})
