import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { actorNoteKey, notesMap } from '../../model/document.ts'
import { Workspace } from '../../model/index.ts'
import type { EarlyState } from '../../sync-server/early-state.ts'
import { Rooms } from '../../sync-server/rooms.ts'
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'
import type { Role } from '../../sync-server/write-rules.ts'
import { rawSocket, startTestServer, storedDoc, tempDataDir, waitFor } from './helpers.ts'

/**
 * A room with a stored snapshot answers a client that has nothing from the stored bytes while
 * its doc is built (sync-server/early-state.ts), and "synced" still means everything the server
 * has, migrated. Real server in token mode on loopback, real providers and sockets, real SQLite;
 * each room is written into the server's store before anyone connects, as a compaction leaves it.
 */

type TestServer = Awaited<ReturnType<typeof startTestServer>>

let server: TestServer
const cleanups: (() => void)[] = []

beforeAll(async () => {
  server = await startTestServer({ openAccess: false, roomIdleMs: 300 })
})
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})
afterAll(async () => {
  await server.stop()
})

let roomCount = 0
const freshRoom = (name: string) => `${name}-${++roomCount}-${Date.now().toString(36)}`

const tokenFor = async (room: string, role: Role) => server.auth.issue({ room, role, expiresIn: 3600 })

/** A map of `actors` actors, its whole state as one update, and the doc it came from. */
function storedMap(actors: number): { doc: Y.Doc; workspace: Workspace; ids: string[] } {
  const doc = new Y.Doc()
  const workspace = new Workspace(doc)
  const ids = Array.from(
    { length: actors },
    (_, i) => workspace.addActor({ kind: 'organisation', name: `Org ${i}` }).id,
  )
  return { doc, workspace, ids }
}

/** Writes a room into the server's store: `snapshot` as a compaction leaves it, then `rows`. */
async function storeRoom(
  room: string,
  snapshot: Uint8Array,
  rows: readonly Uint8Array[] = [],
): Promise<void> {
  const store = openSqliteStore({ dataDir: server.dataDir })
  try {
    const seq = await store.append(room, [snapshot])
    await store.compact(room, snapshot, seq)
    if (rows.length > 0) await store.append(room, rows)
  } finally {
    await store.close()
  }
}

/** The edits made by `edit` on `doc`, as one update. */
function editOf(doc: Y.Doc, edit: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc)
  edit()
  return Y.encodeStateAsUpdate(doc, before)
}

const syncFrame = (sub: number, payload: Uint8Array) => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, sub)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}
const EMPTY_STEP_1 = syncFrame(0, new Uint8Array([0]))

/** The sync messages among frames received, in order: sub-type (0 step 1, 1 step 2, 2 update) and payload. */
function syncMessages(frames: readonly Uint8Array[]): { sub: number; payload: Uint8Array }[] {
  return frames
    .filter((frame) => frame[0] === 0)
    .map((frame) => {
      const decoder = decoding.createDecoder(frame)
      decoding.readVarUint(decoder)
      return { sub: decoding.readVarUint(decoder), payload: decoding.readVarUint8Array(decoder) }
    })
}

/** What a raw client has after applying every update and step 2 it was sent, in order. */
function applied(frames: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  for (const { sub, payload } of syncMessages(frames)) if (sub !== 0) Y.applyUpdate(doc, payload)
  return doc
}

const names = (doc: Y.Doc) =>
  new Workspace(doc)
    .actors()
    .map((actor) => actor.name)
    .sort()

/** A stock provider with a token, recording the refusals the server sends it. */
function stockProvider(room: string, token: string, doc = new Y.Doc()) {
  const provider = new WebsocketProvider(server.wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token, messages: 'access' },
  })
  const refusals: { code: string }[] = []
  const handlers = provider.messageHandlers as unknown as ((e: unknown, d: decoding.Decoder) => void)[]
  handlers[9] = (_encoder, decoder) => refusals.push(JSON.parse(decoding.readVarString(decoder)))
  handlers[10] = () => undefined
  cleanups.push(() => provider.destroy())
  return { provider, doc, refusals }
}

describe('a stored room answers a client with nothing from its stored snapshot', () => {
  it('sends the snapshot as it is, then, once built, the rows after it and the migration as step 2', async () => {
    const room = freshRoom('early')
    const map = storedMap(300)
    // An actor whose note is missing: the server's migration gives it one when the room loads.
    const [first, second] = map.ids as [string, string]
    notesMap(map.doc).delete(actorNoteKey(first))
    const snapshot = Y.encodeStateAsUpdate(map.doc)
    const row = editOf(map.doc, () =>
      map.workspace.update('actor', second, { name: 'Renamed after the snapshot' }),
    )
    await storeRoom(room, snapshot, [row])

    const { token } = await tokenFor(room, 'viewer')
    const client = await rawSocket(server.wsUrl, `${room}?token=${token}`)
    cleanups.push(() => client.socket.close())
    client.socket.send(EMPTY_STEP_1)
    await waitFor(() => syncMessages(client.received).some((m) => m.sub === 1), 10_000, 'step 2')

    // The stored bytes as they are, sent before the room's doc was built (its step 1 comes as
    // it joins), then step 2 with the rest.
    const messages = syncMessages(client.received)
    expect(messages.map((m) => m.sub)).toEqual([2, 0, 1])
    expect(Buffer.from(messages[0]?.payload as Uint8Array).equals(Buffer.from(snapshot))).toBe(true)
    const doc = applied(client.received)
    expect(names(doc)).toHaveLength(300)
    expect(names(doc)).toContain('Renamed after the snapshot')
    expect(notesMap(doc).get(actorNoteKey(first))).toBeInstanceOf(Y.XmlFragment)
  })

  it('a stock provider is told synced only with everything, its edits made meanwhile kept and relayed', async () => {
    const room = freshRoom('meanwhile')
    const map = storedMap(1000)
    await storeRoom(room, Y.encodeStateAsUpdate(map.doc))
    const [a, b] = await Promise.all([tokenFor(room, 'facilitator'), tokenFor(room, 'facilitator')])
    const writer = stockProvider(room, a.token)
    const watcher = stockProvider(room, b.token)
    // The writer edits as soon as the snapshot is in, before it is told synced.
    let editedBeforeSynced: boolean | null = null
    writer.doc.once('update', () => {
      editedBeforeSynced = !writer.provider.synced
      new Workspace(writer.doc, { authorId: a.invite.jti }).addActor({
        kind: 'funder',
        name: 'Added while loading',
      })
    })
    await waitFor(() => writer.provider.synced && watcher.provider.synced, 20_000, 'both to sync')
    expect(editedBeforeSynced).toBe(true)
    expect(names(writer.doc)).toHaveLength(1001)
    await waitFor(() => names(watcher.doc).includes('Added while loading'), 10_000, 'the edit to be relayed')
    expect(names(watcher.doc)).toHaveLength(1001)
    await waitFor(async () => names(await storedDoc(server.dataDir, room)).includes('Added while loading'))
  })

  it('holds writes sent while the room loads for the write rules: a refused one is still refused', async () => {
    const room = freshRoom('held')
    const map = storedMap(50)
    const snapshot = Y.encodeStateAsUpdate(map.doc)
    await storeRoom(room, snapshot)
    const participant = await tokenFor(room, 'participant')
    const viewer = await tokenFor(room, 'viewer')
    // Edits made on a replica of the stored state, sent in the same breath as step 1.
    const replica = () => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, snapshot)
      return doc
    }
    const allowedDoc = replica()
    const allowed = editOf(allowedDoc, () =>
      new Workspace(allowedDoc, { authorId: participant.invite.jti }).addActor({
        kind: 'funder',
        name: 'A participant’s actor',
      }),
    )
    const agendaDoc = replica()
    const refusedByRole = editOf(agendaDoc, () =>
      agendaDoc.getMap('agenda').set('sneaked', new Y.Map([['title', 'Not allowed']])),
    )
    const viewerDoc = replica()
    const refusedViewer = editOf(viewerDoc, () =>
      new Workspace(viewerDoc).addActor({ kind: 'funder', name: 'A viewer’s actor' }),
    )

    const send = async (token: string, updates: Uint8Array[]) => {
      const client = await rawSocket(server.wsUrl, `${room}?token=${token}&messages=access`)
      cleanups.push(() => client.socket.close())
      client.socket.send(EMPTY_STEP_1)
      for (const update of updates) client.socket.send(syncFrame(2, update))
      return client
    }
    const [p, v] = await Promise.all([
      send(participant.token, [allowed, refusedByRole]),
      send(viewer.token, [refusedViewer]),
    ])
    const refusals = (frames: Uint8Array[]) => frames.filter((frame) => frame[0] === 9)
    await waitFor(
      () => refusals(p.received).length === 1 && refusals(v.received).length === 1,
      10_000,
      'refusals',
    )
    // Each was sent the stored snapshot as it is first (while the room was built, or by the built
    // room for one whose step 1 came after the build had started).
    for (const client of [p, v]) expect(syncMessages(client.received).find((m) => m.sub !== 0)?.sub).toBe(2)

    await waitFor(async () => names(await storedDoc(server.dataDir, room)).includes('A participant’s actor'))
    const stored = await storedDoc(server.dataDir, room)
    expect(names(stored)).not.toContain('A viewer’s actor')
    expect(stored.getMap('agenda').has('sneaked')).toBe(false)
    // The viewer is sent the participant's accepted actor, and nothing refused.
    await waitFor(() => names(applied(v.received)).includes('A participant’s actor'), 10_000, 'the relay')
    expect(names(applied(v.received))).not.toContain('A viewer’s actor')
  })

  it('a client with nothing joining a loaded room gets the snapshot and everything since', async () => {
    const room = freshRoom('loaded')
    const map = storedMap(100)
    const snapshot = Y.encodeStateAsUpdate(map.doc)
    await storeRoom(room, snapshot)
    const facilitator = await tokenFor(room, 'facilitator')
    const first = stockProvider(room, facilitator.token)
    await waitFor(() => first.provider.synced, 10_000, 'the first to sync')
    const ws = new Workspace(first.doc, { authorId: facilitator.invite.jti })
    ws.addActor({ kind: 'funder', name: 'Added once loaded' })
    ws.removeActor(map.ids[0] as string)
    // The edits are stored (and so relayed a moment after) before the late client comes: it
    // receives them in its step 2, not relayed ahead of it.
    await waitFor(
      async () => {
        const stored = names(await storedDoc(server.dataDir, room))
        return stored.includes('Added once loaded') && stored.length === 100
      },
      10_000,
      'the edits',
    )

    const { token } = await tokenFor(room, 'viewer')
    const late = await rawSocket(server.wsUrl, `${room}?token=${token}`)
    cleanups.push(() => late.socket.close())
    // Asked once the room is built (its step 1 has come) and the edits are in it.
    await waitFor(() => syncMessages(late.received).some((m) => m.sub === 0), 10_000, 'the join')
    late.socket.send(EMPTY_STEP_1)
    await waitFor(() => syncMessages(late.received).some((m) => m.sub === 1), 10_000, 'step 2')
    const messages = syncMessages(late.received).filter((m) => m.sub !== 0)
    expect(Buffer.from(messages[0]?.payload as Uint8Array).equals(Buffer.from(snapshot))).toBe(true)
    expect(messages[1]?.sub).toBe(1)
    expect(names(applied(late.received))).toEqual(names(first.doc))
    expect(names(first.doc)).toContain('Added once loaded')
    expect(names(first.doc)).toHaveLength(100)
  })
})

describe('Rooms hands the stored snapshot over before building the doc', () => {
  it('while the doc is to be built, which waits for a client’s step 1 and for what was sent to leave', async () => {
    const data = tempDataDir()
    cleanups.push(data.remove)
    const store = openSqliteStore({ dataDir: data.dir })
    const map = storedMap(50)
    const [first, second] = map.ids as [string, string]
    notesMap(map.doc).delete(actorNoteKey(first))
    const snapshot = Y.encodeStateAsUpdate(map.doc)
    const row = editOf(map.doc, () => map.workspace.update('actor', second, { name: 'Renamed in a row' }))
    const seq = await store.append('r', [snapshot])
    await store.compact('r', snapshot, seq)
    await store.append('r', [row])
    const rooms = new Rooms(
      store,
      {
        compactAfterRows: 500,
        compactIdleMs: 60_000,
        idleMs: 60_000,
        maxAwarenessStateBytes: 4096,
        maxAwarenessClientsPerPeer: 4,
      },
      pino({ level: 'silent' }),
    )
    const frames: Uint8Array[] = []
    let flushed: () => void = () => undefined
    const peer = {
      role: 'viewer' as const,
      send: (frame: Uint8Array) => void frames.push(frame),
      close: () => undefined,
      sendFlushed: (frame: Uint8Array) => {
        frames.push(frame)
        return new Promise<void>((resolve) => {
          flushed = resolve
        })
      },
    }
    let built = false
    // A client whose step 1 has not come yet: the build waits for it, then for its frame to leave.
    const handed: { snapshot?: EarlyState; stepOneCame?: () => void } = {}
    const loading = rooms
      .acquire('r', (stored) => {
        handed.snapshot = stored
        handed.stepOneCame = stored.expect()
      })
      .then((room) => {
        built = true
        return room
      })
    await waitFor(() => handed.snapshot !== undefined, 5000, 'the stored snapshot')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(built).toBe(false)
    handed.snapshot?.send(peer)
    handed.stepOneCame?.()
    await waitFor(() => frames.length === 1, 5000, 'the snapshot')
    expect(syncMessages(frames)[0]?.sub).toBe(2)
    expect(Buffer.from(syncMessages(frames)[0]?.payload as Uint8Array).equals(Buffer.from(snapshot))).toBe(
      true,
    )
    // Someone else coming meanwhile is handed it too; the build waits for the frame in flight.
    let handedToSecond = false
    const second_ = rooms.acquire('r', () => {
      handedToSecond = true
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(handedToSecond).toBe(true)
    expect(built).toBe(false)
    flushed()
    const room = await loading
    await second_
    // Once built, nobody is handed the stored snapshot any more: the room answers.
    let handedOnceBuilt = false
    await rooms.acquire('r', () => {
      handedOnceBuilt = true
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(handedOnceBuilt).toBe(false)

    room.join(peer, true)
    const doc = applied(frames)
    expect(names(doc)).toContain('Renamed in a row')
    expect(notesMap(doc).get(actorNoteKey(first))).toBeInstanceOf(Y.XmlFragment)
    for (let i = 0; i < 3; i++) rooms.release('r')
    await rooms.closeAll()
    await store.close()
  })
})
