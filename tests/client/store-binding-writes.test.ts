import { createShapeId, type TLRecord, type TLShapeId, type TLStore } from 'tldraw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { bindStoreToDoc, type StoreBinding, UPDATE_WRITE_MS } from '../../client/canvas/store-binding.ts'
import { canvasMap } from '../../model/index.ts'
import { actorBox, mountedMapStore, standInAnimationFrames } from './map-store-helpers.ts'

/** One frame at 60 frames a second. */
const FRAME_MS = 16

standInAnimationFrames(FRAME_MS)

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
  const { store, pageId } = mountedMapStore()
  const binding = bindStoreToDoc(store, doc)
  return { store, binding, other, pageId, writes: () => writes }
}

/** Two devices and a box of the first's, written and on the second's document. */
function boxOnTwoDevices() {
  const devices = twoDevices()
  const box = putBox(devices.store, devices.pageId, 'clinic')
  devices.store._flushHistory()
  vi.advanceTimersByTime(FRAME_MS)
  return { ...devices, box }
}

function putBox(store: TLStore, pageId: TLRecord['id'], name: string): TLShapeId {
  const id = createShapeId(name)
  store.put([actorBox(store, pageId, { id, actorId: name, index: 'a1' })])
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
    const devices = boxOnTwoDevices()
    binding = devices.binding
    const { store, other, box } = devices
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
    const devices = boxOnTwoDevices()
    binding = devices.binding
    const { store, other, pageId, box } = devices
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
    const devices = boxOnTwoDevices()
    binding = devices.binding
    const { store, other, box } = devices
    move(store, box, 10)
    vi.advanceTimersByTime(FRAME_MS)
    move(store, box, 20)
    binding.flush()
    expect(xOn(other, box)).toBe(20)
  })
})
