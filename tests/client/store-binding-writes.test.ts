import { createShapeId, type TLRecord, type TLShapeId, type TLStore } from 'tldraw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { ACTOR_SHAPE } from '../../client/canvas/actor-shape.tsx'
import { createMapStore } from '../../client/canvas/map-store.ts'
import { bindStoreToDoc, type StoreBinding, UPDATE_WRITE_MS } from '../../client/canvas/store-binding.ts'
import { canvasMap } from '../../model/index.ts'

/** One frame at 60 frames a second. */
const FRAME_MS = 16

/** The canvas binding writes in an animation frame; Node has none (the fake timers run this one). */
const g = globalThis as { requestAnimationFrame?: unknown; cancelAnimationFrame?: unknown }
g.requestAnimationFrame ??= (callback: (time: number) => void) =>
  setTimeout(() => callback(performance.now()), FRAME_MS)
g.cancelAnimationFrame ??= (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle)

/**
 * A device's store bound to its document, and a second device's document that hears every update
 * of the first (as the server relays them), with the first's updates counted.
 */
function twoDevices() {
  const doc = new Y.Doc()
  const other = new Y.Doc()
  let writes = 0
  doc.on('update', (update: Uint8Array) => {
    writes++
    Y.applyUpdate(other, update)
  })
  const store = createMapStore()
  // What the editor does on mounting: a page, its state and camera.
  ;(store as unknown as { ensureStoreIsUsable(): void }).ensureStoreIsUsable()
  const binding = bindStoreToDoc(store, doc)
  const pageId = [...store.query.ids('page').get()][0] as TLRecord['id']
  return { store, binding, other, pageId, writes: () => writes }
}

function putBox(store: TLStore, pageId: TLRecord['id'], name: string): TLShapeId {
  const id = createShapeId(name)
  store.put([
    store.schema.types.shape.create({
      id,
      type: ACTOR_SHAPE,
      parentId: pageId,
      index: 'a1',
      x: 0,
      y: 0,
      props: { w: 200, h: 96, actorId: name },
    } as never) as TLRecord,
  ])
  return id
}

/** The person moves the box to x, as a frame of a drag does (the store tells its listeners at once). */
function move(store: TLStore, id: TLShapeId, x: number): void {
  store.update(id, (record) => ({ ...record, x }))
  store._flushHistory()
}

const xOn = (doc: Y.Doc, id: TLShapeId) => (canvasMap(doc).get(id) as { x?: number } | undefined)?.x

describe('the canvas binding writes a drag', () => {
  let binding: StoreBinding | undefined
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'],
    })
  })
  afterEach(() => {
    binding?.stop()
    vi.useRealTimers()
  })

  it('at most every UPDATE_WRITE_MS while it lasts, and its last position once it ends', () => {
    const devices = twoDevices()
    binding = devices.binding
    const { store, other, pageId } = devices
    const box = putBox(store, pageId, 'clinic')
    store._flushHistory()
    vi.advanceTimersByTime(FRAME_MS)
    expect(xOn(other, box)).toBe(0)

    // A second's drag, a move every frame.
    const before = devices.writes()
    for (let frame = 1; frame <= 60; frame++) {
      move(store, box, frame * 5)
      vi.advanceTimersByTime(FRAME_MS)
    }
    const duringDrag = devices.writes() - before
    // The other device saw it move while it lasted, but not 60 times.
    expect(duringDrag).toBeGreaterThanOrEqual(Math.floor((60 * FRAME_MS) / UPDATE_WRITE_MS) - 2)
    expect(duringDrag).toBeLessThanOrEqual(Math.ceil((60 * FRAME_MS) / UPDATE_WRITE_MS) + 1)

    // The drop: written within UPDATE_WRITE_MS of the last move, with nothing more to come.
    vi.advanceTimersByTime(UPDATE_WRITE_MS)
    expect(xOn(other, box)).toBe(300)
    const settled = devices.writes()
    vi.advanceTimersByTime(10 * UPDATE_WRITE_MS)
    expect(devices.writes()).toBe(settled)
  })

  it('writes a record added meanwhile at the next frame, with the moves before it', () => {
    const devices = twoDevices()
    binding = devices.binding
    const { store, other, pageId } = devices
    const box = putBox(store, pageId, 'clinic')
    store._flushHistory()
    vi.advanceTimersByTime(FRAME_MS)
    move(store, box, 10)
    vi.advanceTimersByTime(FRAME_MS)
    move(store, box, 20)
    const added = putBox(store, pageId, 'housing')
    store._flushHistory()
    vi.advanceTimersByTime(FRAME_MS)
    expect(canvasMap(other).has(added)).toBe(true)
    expect(xOn(other, box)).toBe(20)
  })

  it('writes a pending move at once when flushed (before a command that reads the canvas)', () => {
    const devices = twoDevices()
    binding = devices.binding
    const { store, other, pageId } = devices
    const box = putBox(store, pageId, 'clinic')
    store._flushHistory()
    vi.advanceTimersByTime(FRAME_MS)
    move(store, box, 10)
    vi.advanceTimersByTime(FRAME_MS)
    move(store, box, 20)
    binding.flush()
    expect(xOn(other, box)).toBe(20)
  })
})
