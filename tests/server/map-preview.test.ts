import * as decoding from 'lib0/decoding'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { ACTOR_SHAPE_TYPE } from '../../model/canvas-refs.ts'
import { canvasMap } from '../../model/document.ts'
import { Workspace } from '../../model/index.ts'
import { decodePreview, encodePreview, type MapPreview, previewOfDoc } from '../../model/map-preview.ts'
import { PREVIEW_FROM_BOXES } from '../../sync-server/early-state.ts'
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'
import { rawSocket, startTestServer, waitFor } from './helpers.ts'

/**
 * A device opening a large map with nothing is sent the map's preview (model/map-preview.ts)
 * just before the document, if it asked for our own messages, so it can draw the map first. The
 * preview is kept beside the room's log, made when a room without one is built and again at each
 * compaction. Real server on loopback, real sockets and providers, real SQLite.
 */

type TestServer = Awaited<ReturnType<typeof startTestServer>>

let server: TestServer
const cleanups: (() => void)[] = []

beforeAll(async () => {
  server = await startTestServer({ roomIdleMs: 300, compactIdleMs: 300 })
})
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})
afterAll(async () => {
  await server.stop()
})

let roomCount = 0
const freshRoom = (name: string) => `${name}-${++roomCount}-${Date.now().toString(36)}`

/** A map of `actors` organisations in a row, each with a box, each linked to the next. */
function boxedMap(actors: number): Y.Doc {
  const doc = new Y.Doc()
  const workspace = new Workspace(doc)
  const ids = Array.from(
    { length: actors },
    (_, i) => workspace.addActor({ kind: 'organisation', name: `Org ${i}` }).id,
  )
  ids.forEach((actorId, i) => {
    addBox(doc, actorId, i * 300, 0)
    if (i > 0) workspace.connect({ from: ids[i - 1] as string, to: actorId, kind: 'referral' })
  })
  return doc
}

function addBox(doc: Y.Doc, actorId: string, x: number, y: number): void {
  const id = `shape:box-${actorId}`
  canvasMap(doc).set(id, {
    id,
    typeName: 'shape',
    type: ACTOR_SHAPE_TYPE,
    parentId: 'page:page',
    index: 'a1',
    x,
    y,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    props: { w: 200, h: 96, actorId },
    meta: {},
  })
}

/** Puts a room in the server's store as a compaction leaves it, with or without its preview. */
async function storeRoom(room: string, doc: Y.Doc, preview: MapPreview | null): Promise<void> {
  const store = openSqliteStore({ dataDir: server.dataDir })
  try {
    const snapshot = Y.encodeStateAsUpdate(doc)
    await store.compact(room, snapshot, await store.append(room, [snapshot]))
    if (preview) await store.savePreview?.(room, encodePreview(preview))
  } finally {
    await store.close()
  }
}

async function storedPreview(room: string): Promise<MapPreview | null> {
  const store = openSqliteStore({ dataDir: server.dataDir })
  try {
    const bytes = await store.loadPreview?.(room)
    return bytes ? decodePreview(bytes) : null
  } finally {
    await store.close()
  }
}

const EMPTY_STEP_1 = new Uint8Array([0, 0, 1, 0])

/** The message types of the frames received, with a sync message's sub-type (0.2 is an update). */
const kinds = (frames: readonly Uint8Array[]) =>
  frames.map((frame) => (frame[0] === 0 ? `sync ${frame[1]}` : String(frame[0])))

function previewIn(frames: readonly Uint8Array[]): MapPreview | null {
  const frame = frames.find((each) => each[0] === 12)
  if (!frame) return null
  const decoder = decoding.createDecoder(frame)
  decoding.readVarUint(decoder)
  return decodePreview(decoding.readVarUint8Array(decoder))
}

async function openRaw(room: string, ownMessages: boolean) {
  const client = await rawSocket(server.wsUrl, ownMessages ? `${room}?messages=access` : room)
  cleanups.push(() => client.socket.close())
  client.socket.send(EMPTY_STEP_1)
  await waitFor(() => kinds(client.received).includes('sync 1'), 10_000, 'step 2')
  return client
}

describe('the map preview', () => {
  it('goes to a client with nothing that asked for it, just before the stored snapshot', async () => {
    const room = freshRoom('preview')
    const doc = boxedMap(PREVIEW_FROM_BOXES)
    await storeRoom(room, doc, previewOfDoc(doc))

    const client = await openRaw(room, true)
    const received = kinds(client.received)
    // The access message, the preview, the stored snapshot as an update, then the room's step 1
    // and step 2 once it is built.
    expect(received.slice(0, 3)).toEqual(['10', '12', 'sync 2'])
    expect(previewIn(client.received)).toEqual(previewOfDoc(doc))

    // A stock client (no `messages=access`) is never sent it.
    const stock = await openRaw(room, false)
    expect(kinds(stock.received)).not.toContain('12')
  })

  it('is made for a room stored without one when it is built, and sent by the built room', async () => {
    const room = freshRoom('made')
    const doc = boxedMap(PREVIEW_FROM_BOXES)
    await storeRoom(room, doc, null)

    const first = await openRaw(room, true)
    expect(kinds(first.received)).not.toContain('12')
    await waitFor(async () => (await storedPreview(room)) !== null, 10_000, 'the preview to be saved')
    expect(await storedPreview(room)).toEqual(previewOfDoc(doc))

    // The room is built now: a second device with nothing is sent it before its step 2.
    const second = await openRaw(room, true)
    const received = kinds(second.received)
    expect(received.indexOf('12')).toBeGreaterThan(-1)
    expect(received.indexOf('12')).toBeLessThan(received.indexOf('sync 1'))
    expect(previewIn(second.received)?.boxKinds).toHaveLength(PREVIEW_FROM_BOXES)
  })

  it('is kept for a smaller map but not sent: its document comes about as soon', async () => {
    const room = freshRoom('small')
    const doc = boxedMap(PREVIEW_FROM_BOXES - 1)
    await storeRoom(room, doc, previewOfDoc(doc))
    const client = await openRaw(room, true)
    expect(kinds(client.received)).not.toContain('12')
    expect((await storedPreview(room))?.boxKinds).toHaveLength(PREVIEW_FROM_BOXES - 1)
  })

  it('is not sent to a device that already has the map', async () => {
    const room = freshRoom('has-it')
    const doc = boxedMap(PREVIEW_FROM_BOXES)
    await storeRoom(room, doc, previewOfDoc(doc))
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    const provider = new WebsocketProvider(server.wsUrl, room, copy, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      params: { messages: 'access' },
    })
    cleanups.push(() => provider.destroy())
    let previews = 0
    const handlers = provider.messageHandlers as unknown as (() => void)[]
    handlers[10] = () => undefined
    handlers[12] = () => previews++
    await waitFor(() => provider.synced, 10_000, 'synced')
    expect(previews).toBe(0)
  })

  it('is made again when the room compacts, with the boxes placed since', async () => {
    const room = freshRoom('compacted')
    const doc = boxedMap(5)
    await storeRoom(room, doc, previewOfDoc(doc))
    const copy = new Y.Doc()
    const provider = new WebsocketProvider(server.wsUrl, room, copy, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    })
    cleanups.push(() => provider.destroy())
    await waitFor(() => provider.synced, 10_000, 'synced')
    const added = new Workspace(copy).addActor({ kind: 'funder', name: 'A new fund' })
    addBox(copy, added.id, 0, 500)
    // The room compacts once quiet (300 ms here), and keeps the preview of what it then holds.
    await waitFor(async () => (await storedPreview(room))?.boxKinds.length === 6, 10_000, 'a new preview')
    const { boxes } = (await storedPreview(room)) as MapPreview
    const places = Array.from({ length: 6 }, (_, i) => [...boxes.subarray(i * 4, i * 4 + 4)])
    expect(places).toContainEqual([0, 500, 200, 96])
  })
})
