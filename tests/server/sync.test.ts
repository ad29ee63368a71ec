import { join } from 'node:path'
import Database from 'better-sqlite3'
import * as encoding from 'lib0/encoding'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { Workspace } from '../../model/index.ts'
import { provider, rawSocket, startTestServer, synced, waitFor } from './helpers.ts'

type TestServer = Awaited<ReturnType<typeof startTestServer>>

let server: TestServer
const providers: WebsocketProvider[] = []
const open = (room: string, doc?: Y.Doc) => {
  const p = provider(server.wsUrl, room, doc)
  providers.push(p)
  return p
}

beforeEach(async () => {
  server = await startTestServer({ maxMessageBytes: 64 * 1024, messagesPerSecond: 50, messageBurst: 100 })
})
afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy()
  await server.stop()
})

/** Rows and snapshot stored for a room, read straight from the SQLite file. */
function storedRows(room: string): { updates: number; snapshot: boolean; bytes: number } {
  const db = new Database(join(server.dataDir, 'workspaces.sqlite'), { readonly: true })
  try {
    const updates = db
      .prepare('SELECT count(*) AS n, coalesce(sum(length(data)), 0) AS b FROM updates WHERE room = ?')
      .get(room) as {
      n: number
      b: number
    }
    const snapshot = db.prepare('SELECT length(data) AS b FROM snapshots WHERE room = ?').get(room) as
      | { b: number }
      | undefined
    return { updates: updates.n, snapshot: snapshot !== undefined, bytes: updates.b + (snapshot?.b ?? 0) }
  } finally {
    db.close()
  }
}

const names = (doc: Y.Doc) =>
  new Workspace(doc)
    .actors()
    .map((actor) => actor.name)
    .sort()

async function exportJson(room: string): Promise<unknown> {
  const response = await fetch(`${server.httpUrl}/api/rooms/${room}/export?format=json`)
  return response.json()
}

describe('sync with stock y-websocket providers', () => {
  it('several providers converge, and a late joiner gets everything', async () => {
    const [a, b, c] = [open('thames'), open('thames'), open('thames')]
    await Promise.all([a, b, c].map((p) => synced(p)))
    new Workspace(a.doc).addActor({ kind: 'organisation', name: 'Food Bank' })
    new Workspace(b.doc).addActor({ kind: 'funder', name: 'Community Fund' })
    new Workspace(c.doc).addActor({ kind: 'resident-group', name: 'Tenants Association' })
    const all = ['Community Fund', 'Food Bank', 'Tenants Association']
    await waitFor(() => [a, b, c].every((p) => names(p.doc).join() === all.join()), 10_000, 'convergence')

    const late = open('thames')
    await synced(late)
    expect(names(late.doc)).toEqual(all)
  })

  it('tells a client it is synced only once it has everything the server has', async () => {
    const writer = open('loaded-first')
    await synced(writer)
    const ws = new Workspace(writer.doc)
    for (let i = 0; i < 50; i++) ws.addActor({ kind: 'organisation', name: `Org ${i}` })
    await waitFor(() => storedRows('loaded-first').updates + Number(storedRows('loaded-first').snapshot) > 0)
    writer.destroy()
    await waitFor(() => !server.rooms.isLoaded('loaded-first'), 5000, 'room to unload')

    // The room is now only on disk: a new client's first "synced" must already include it all.
    const reader = open('loaded-first')
    const countAtSync = await new Promise<number>((resolve) =>
      reader.once('sync', () => resolve(names(reader.doc).length)),
    )
    expect(countAtSync).toBe(50)
  })

  it('relays presence, and removes it when a client leaves', async () => {
    const [a, b] = [open('presence'), open('presence')]
    await Promise.all([synced(a), synced(b)])
    a.awareness.setLocalStateField('user', { name: 'Amina', colour: '#d33' })
    const seesAmina = () =>
      [...b.awareness.getStates().values()].some((state) => state.user?.name === 'Amina')
    await waitFor(seesAmina, 5000, 'presence to arrive')
    const late = open('presence')
    await synced(late)
    await waitFor(
      () => [...late.awareness.getStates().values()].some((s) => s.user?.name === 'Amina'),
      5000,
      'late joiner to see presence',
    )
    a.destroy()
    await waitFor(() => !seesAmina(), 5000, 'presence to go')
  })

  it('merges edits made offline when the client reconnects', async () => {
    const [a, b] = [open('offline'), open('offline')]
    await Promise.all([synced(a), synced(b)])
    a.disconnect()
    new Workspace(a.doc).addActor({ kind: 'space', name: 'Community Hall' })
    new Workspace(b.doc).addActor({ kind: 'role', name: 'Link worker' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(names(b.doc)).toEqual(['Link worker'])
    a.connect()
    await waitFor(() => names(a.doc).length === 2 && names(b.doc).length === 2, 5000, 'offline merge')
  })

  it('unloads an idle room after compacting it, and reloads it intact', async () => {
    const a = open('idle')
    await synced(a)
    const ws = new Workspace(a.doc)
    for (let i = 0; i < 20; i++) ws.addActor({ kind: 'organisation', name: `Org ${i}` })
    await waitFor(() => storedRows('idle').updates >= 1)
    expect(server.rooms.isLoaded('idle')).toBe(true)
    a.destroy()
    await waitFor(() => !server.rooms.isLoaded('idle'), 5000, 'room to unload')
    expect(storedRows('idle')).toMatchObject({ updates: 0, snapshot: true })
    expect(server.rooms.loaded).toBe(0)

    const b = open('idle')
    await synced(b)
    expect(names(b.doc)).toHaveLength(20)
    expect(server.rooms.isLoaded('idle')).toBe(true)
  })

  it('keeps rooms apart', async () => {
    const [a, b] = [open('room-one'), open('room-two')]
    await Promise.all([synced(a), synced(b)])
    new Workspace(a.doc).addActor({ kind: 'funder', name: 'Only in one' })
    await waitFor(() => storedRows('room-one').updates > 0)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(names(b.doc)).toEqual([])
  })
})

describe('HTTP', () => {
  it('reports health', async () => {
    const a = open('health')
    await synced(a)
    const response = await fetch(`${server.httpUrl}/healthz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ status: 'ok', rooms: 1, connections: 1, storage: 'ok' })
  })

  it('exports a room as the model’s dataset', async () => {
    const a = open('export-me')
    await synced(a)
    const ws = new Workspace(a.doc)
    const fund = ws.addActor({ kind: 'funder', name: 'Fund' })
    const bank = ws.addActor({ kind: 'organisation', name: 'Food Bank' })
    ws.connect({ from: fund.id, to: bank.id, kind: 'funding', amount: 5000 })
    await waitFor(async () => ((await exportJson('export-me')) as { links?: unknown[] }).links?.length === 1)
    const dataset = (await exportJson('export-me')) as {
      actors: { name: string }[]
      links: { amount: number }[]
    }
    expect(dataset.actors.map((actor) => actor.name).sort()).toEqual(['Food Bank', 'Fund'])
    expect(dataset.links[0]?.amount).toBe(5000)
  })

  it('answers clearly for unknown rooms, formats and bad ids', async () => {
    expect((await fetch(`${server.httpUrl}/api/rooms/never-made/export?format=json`)).status).toBe(404)
    const badFormat = await fetch(`${server.httpUrl}/api/rooms/x/export?format=pdf`)
    expect(badFormat.status).toBe(400)
    expect(await badFormat.json()).toMatchObject({ error: 'unknown format "pdf"' })
    expect((await fetch(`${server.httpUrl}/api/rooms/..%2F..%2Fetc/export`)).status).toBe(400)
    expect(server.rooms.loaded).toBe(0)
  })
})

/** Frames the stock provider never sends. */
const frame = (...parts: ((encoder: encoding.Encoder) => void)[]) => {
  const encoder = encoding.createEncoder()
  for (const part of parts) part(encoder)
  return encoding.toUint8Array(encoder)
}
const syncUpdate = (payload: Uint8Array) =>
  frame(
    (e) => encoding.writeVarUint(e, 0),
    (e) => encoding.writeVarUint(e, 2),
    (e) => encoding.writeVarUint8Array(e, payload),
  )
const GARBAGE_UPDATE = new Uint8Array([3, 250, 1, 255, 255, 255, 255, 15, 7, 7, 7, 1, 2])

describe('bad input costs only the offending connection', () => {
  /**
   * Sets up a room with two honest providers and some stored data, runs `attack`, and checks
   * that the honest providers still sync with each other and the stored data did not change.
   */
  async function expectContained(attack: () => Promise<void>) {
    const [a, b] = [open('workshop'), open('workshop')]
    await Promise.all([synced(a), synced(b)])
    new Workspace(a.doc).addActor({ kind: 'organisation', name: 'Before' })
    await waitFor(() => names(b.doc).length === 1)
    await a.doc.transact(() => undefined)
    await waitFor(() => storedRows('workshop').updates > 0)
    const storedBefore = storedRows('workshop')
    const datasetBefore = await exportJson('workshop')

    await attack()

    expect(storedRows('workshop')).toEqual(storedBefore)
    expect(await exportJson('workshop')).toEqual(datasetBefore)
    new Workspace(b.doc).addActor({ kind: 'organisation', name: 'After' })
    await waitFor(() => names(a.doc).join() === 'After,Before', 5000, 'honest clients to keep syncing')
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200)
  }

  it('a text frame: 1003', async () => {
    await expectContained(async () => {
      const { socket, closed } = await rawSocket(server.wsUrl, 'workshop')
      socket.send('{"hello":"world"}')
      expect(await closed).toMatchObject({ code: 1003, reason: expect.stringMatching(/text frames/) })
    })
  })

  it('an unknown message type: 1002', async () => {
    await expectContained(async () => {
      const { socket, closed } = await rawSocket(server.wsUrl, 'workshop')
      socket.send(new Uint8Array([9, 1, 2]))
      expect(await closed).toMatchObject({
        code: 1002,
        reason: expect.stringMatching(/unknown message type 9/),
      })
    })
  })

  it('a truncated message: 1002', async () => {
    await expectContained(async () => {
      const { socket, closed } = await rawSocket(server.wsUrl, 'workshop')
      socket.send(new Uint8Array([0]))
      expect((await closed).code).toBe(1002)
    })
  })

  it('a garbage update: 1007, never stored or relayed', async () => {
    expect(() => Y.decodeUpdate(GARBAGE_UPDATE)).toThrow()
    await expectContained(async () => {
      const { socket, closed } = await rawSocket(server.wsUrl, 'workshop')
      socket.send(syncUpdate(GARBAGE_UPDATE))
      expect(await closed).toMatchObject({ code: 1007, reason: 'the update does not decode' })
    })
  })

  it('malformed presence: 1002', async () => {
    await expectContained(async () => {
      const { socket, closed } = await rawSocket(server.wsUrl, 'workshop')
      const badState = frame(
        (e) => encoding.writeVarUint(e, 1),
        (e) =>
          encoding.writeVarUint8Array(
            e,
            frame(
              (i) => encoding.writeVarUint(i, 1),
              (i) => encoding.writeVarUint(i, 42),
              (i) => encoding.writeVarUint(i, 1),
              (i) => encoding.writeVarString(i, '{not json'),
            ),
          ),
      )
      socket.send(badState)
      expect((await closed).code).toBe(1002)
    })
  })

  it('a frame over the size limit: 1009', async () => {
    await expectContained(async () => {
      const { socket, closed } = await rawSocket(server.wsUrl, 'workshop')
      socket.send(new Uint8Array(100 * 1024))
      expect((await closed).code).toBe(1009)
    })
  })

  it('a flood of messages: 1008', async () => {
    await expectContained(async () => {
      const { socket, closed } = await rawSocket(server.wsUrl, 'workshop')
      for (let i = 0; i < 300; i++) socket.send(new Uint8Array([3]))
      expect(await closed).toMatchObject({ code: 1008, reason: expect.stringMatching(/too many messages/) })
    })
  })

  it.each([
    ['path traversal', '..%2F..%2Fetc%2Fpasswd'],
    ['a very long id', 'a'.repeat(65)],
    ['spaces', 'a%20b'],
    ['a NUL byte', 'a%00b'],
    ['broken percent-encoding', '%E0%A4%A'],
    ['unicode look-alikes', 'w%D0%BErkshop'],
    ['nothing', ''],
  ])('a hostile room id (%s): 4400, nothing loaded', async (_, room) => {
    await expectContained(async () => {
      const { closed } = await rawSocket(server.wsUrl, room)
      expect(await closed).toMatchObject({
        code: 4400,
        reason: expect.stringMatching(/invalid workspace id/),
      })
      expect(server.rooms.loaded).toBe(1)
    })
  })

  it('a connection storm: every socket is served or refused, nobody else notices', async () => {
    await expectContained(async () => {
      const sockets = await Promise.allSettled(
        Array.from({ length: 300 }, (_, i) => rawSocket(server.wsUrl, `storm-${i % 30}`)),
      )
      expect(sockets.filter((result) => result.status === 'fulfilled').length).toBeGreaterThan(250)
      for (const result of sockets) if (result.status === 'fulfilled') result.value.socket.close()
      await waitFor(() => server.connectionCount() === 2, 10_000, 'storm sockets to close')
    })
  })
})

describe('presence relaying', () => {
  it('relays a presence change once, not the echoes the stock provider sends back', async () => {
    const sender = await rawSocket(server.wsUrl, 'echo')
    const listener = await rawSocket(server.wsUrl, 'echo')
    await waitFor(() => sender.received.length > 0 && listener.received.length > 0)
    const awareness = (clock: number) =>
      frame(
        (e) => encoding.writeVarUint(e, 1),
        (e) =>
          encoding.writeVarUint8Array(
            e,
            frame(
              (i) => encoding.writeVarUint(i, 1),
              (i) => encoding.writeVarUint(i, 777),
              (i) => encoding.writeVarUint(i, clock),
              (i) => encoding.writeVarString(i, JSON.stringify({ user: { name: 'Amina' } })),
            ),
          ),
      )
    const before = listener.received.length
    sender.socket.send(awareness(1))
    sender.socket.send(awareness(1))
    sender.socket.send(awareness(1))
    sender.socket.send(awareness(2))
    await waitFor(() => listener.received.length >= before + 2)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(listener.received.length - before).toBe(2)
    sender.socket.close()
    listener.socket.close()
  })
})

describe('saving', () => {
  it('answers a presence query only after every update sent before it is stored', async () => {
    const p = open('ack')
    await synced(p)
    const before = storedRows('ack').updates
    const socket = p.ws as unknown as {
      send(data: Uint8Array): void
      addEventListener: WebSocket['addEventListener']
    }
    const answered = new Promise<number>((resolve) => {
      socket.addEventListener('message', (event: MessageEvent) => {
        const bytes = new Uint8Array(event.data as ArrayBuffer)
        if (bytes[0] === 1) resolve(storedRows('ack').updates)
      })
    })
    const ws = new Workspace(p.doc)
    for (let i = 0; i < 10; i++) ws.addActor({ kind: 'organisation', name: `Org ${i}` })
    socket.send(new Uint8Array([3]))
    expect(await answered).toBeGreaterThanOrEqual(before + 10)
  })
})

describe('HTTPS', () => {
  it('serves the same protocol over TLS with a self-signed certificate kept in the data directory', async () => {
    const secure = await startTestServer({ https: true })
    try {
      expect(secure.certificate?.fingerprint).toMatch(/^[0-9A-F:]+$/i)
      const dispatcher = await import('node:https')
      const status = await new Promise<number>((resolve, reject) => {
        dispatcher
          .get(`https://127.0.0.1:${secure.port}/healthz`, { rejectUnauthorized: false }, (res) =>
            resolve(res.statusCode ?? 0),
          )
          .on('error', reject)
      })
      expect(status).toBe(200)
      const { existsSync, statSync } = await import('node:fs')
      const key = join(secure.dataDir, 'tls', 'key.pem')
      expect(existsSync(key)).toBe(true)
      expect(statSync(key).mode & 0o077).toBe(0)
    } finally {
      await secure.stop()
    }
  })
})
