import type { TLRecord, TLShapeId } from 'tldraw'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ACTOR_SHAPE } from '../../client/canvas/actor-shape.tsx'
import { ALL_BOXES_UP_TO, CanvasScope } from '../../client/canvas/canvas-scope.ts'
import { derivedArrowId } from '../../client/canvas/derived-arrows.ts'
import { bindStoreToDoc } from '../../client/canvas/store-binding.ts'
import { canvasMap, Workspace } from '../../model/index.ts'
import { actorBox, mountedMapStore, standInAnimationFrames } from './map-store-helpers.ts'

standInAnimationFrames()

const BOXES = ALL_BOXES_UP_TO + 100

/** A shared canvas with more boxes than a store takes in whole, and a link between the first two. */
function largeCanvas() {
  const doc = new Y.Doc()
  const canvas = canvasMap(doc) as Y.Map<TLRecord>
  const { store, pageId } = mountedMapStore()
  const boxId = (n: number) => `shape:box-${n}` as TLShapeId
  doc.transact(() => {
    for (let n = 0; n < BOXES; n++) {
      const record = actorBox(store, pageId, {
        id: boxId(n),
        actorId: `actor-${n}`,
        index: `a1${n.toString(36)}V`,
        x: (n % 40) * 260,
        y: Math.floor(n / 40) * 150,
      })
      canvas.set(record.id, record)
    }
  })
  // One link between the first two boxes' actors: its arrow is derived, nothing of it is stored.
  const workspace = new Workspace(doc)
  workspace.addActor({ id: 'actor-0', kind: 'organisation', name: 'Zero' })
  workspace.addActor({ id: 'actor-1', kind: 'organisation', name: 'One' })
  const link = workspace.connect({ from: 'actor-0', to: 'actor-1', kind: 'referral' })
  const arrowId = derivedArrowId(link.id)
  const scope = new CanvasScope(canvas as never, workspace)
  const rejected: unknown[] = []
  const stop = bindStoreToDoc(store, doc, (bad) => rejected.push(...bad), { scope }).stop
  const held = (type: string) =>
    store.allRecords().filter((record) => record.typeName === 'shape' && record.type === type).length
  return { doc, canvas, store, scope, boxId, arrowId, held, rejected, stop }
}

describe('on a large map only the boxes near the view are tldraw shapes', () => {
  it('holds no box until a window is chosen, then only the boxes in it, and an arrow only with both its boxes', () => {
    const map = largeCanvas()
    // Every box is in scope and drawn by the layer, none is in the store.
    expect(map.scope.boxesInScope()).toBe(BOXES)
    expect(map.held(ACTOR_SHAPE)).toBe(0)
    expect(map.scope.drawnAsBox(map.boxId(5))).toBe(true)
    expect(map.scope.boundsInScope()).toEqual({ x: 0, y: 0, w: 39 * 260 + 200, h: 39 * 150 + 96 })

    map.scope.setWindow({ boxes: new Set([map.boxId(0), map.boxId(2)]), arrows: 'auto' })
    expect(map.held(ACTOR_SHAPE)).toBe(2)
    expect(map.store.has(map.boxId(2))).toBe(true)
    // Its end box 1 is not in the store: the arrow is a line.
    expect(map.held('arrow')).toBe(0)
    expect(map.scope.drawnAsLine(map.arrowId)).toBe(true)

    map.scope.setWindow({ boxes: new Set([map.boxId(0), map.boxId(1)]), arrows: 'auto' })
    expect(map.store.has(map.boxId(2))).toBe(false)
    expect(map.held('arrow')).toBe(1)
    expect(map.scope.drawnAsLine(map.arrowId)).toBe(false)
    expect(map.rejected).toEqual([])
    // The shared canvas holds the boxes only: the arrow and its bindings are this device's.
    expect([...map.canvas.keys()].filter((key) => !key.startsWith('shape:box-'))).toEqual([])
    map.stop()
  })

  it('derives a link’s arrow again when the link moves or goes, and hides a stored arrow naming a link', () => {
    const map = largeCanvas()
    map.scope.setWindow({ boxes: new Set([map.boxId(0), map.boxId(1), map.boxId(2)]), arrows: 'auto' })
    const linkId = map.scope.arrows.get(map.arrowId) as string
    const workspace = new Workspace(map.doc)
    workspace.addActor({ id: 'actor-2', kind: 'organisation', name: 'Two' })
    workspace.reconnect(linkId, { from: 'actor-0', to: 'actor-2' })
    expect(map.scope.ends.get(map.arrowId)).toEqual({ start: map.boxId(0), end: map.boxId(2) })
    const binding = map.store.get(`binding:link-${linkId}-end` as TLRecord['id']) as { toId?: string }
    expect(binding.toId).toBe(map.boxId(2))

    // An arrow stored by an older app for the same link: hidden, never in the store or the index.
    const stored = { ...(map.store.get(map.arrowId) as TLRecord), id: 'shape:old-arrow' } as TLRecord
    map.doc.transact(() => map.canvas.set(stored.id, stored), 'an older device')
    expect(map.store.has(stored.id)).toBe(false)
    expect(map.scope.arrows.has(stored.id)).toBe(false)

    workspace.disconnect(linkId)
    expect(map.scope.arrows.has(map.arrowId)).toBe(false)
    expect(map.held('arrow')).toBe(0)
    expect(map.store.has(`binding:link-${linkId}-end` as TLRecord['id'])).toBe(false)
    expect(map.rejected).toEqual([])
    map.stop()
  })

  it('keeps the place of a box outside the store as another device moves it, without taking it in', () => {
    const map = largeCanvas()
    const layout = map.scope.layout.get()
    const version = map.scope.version.get()
    const moved = { ...(map.canvas.get(map.boxId(7)) as TLRecord), x: 5000, y: 6000 } as TLRecord
    map.doc.transact(() => map.canvas.set(moved.id, moved), 'another device')
    expect(map.scope.boxBounds.get(map.boxId(7))).toEqual({ x: 5000, y: 6000, w: 200, h: 96 })
    expect(map.scope.layout.get()).toBe(layout + 1)
    // A move is not a change of what is in scope.
    expect(map.scope.version.get()).toBe(version)
    expect(map.store.has(map.boxId(7))).toBe(false)
    map.stop()
  })

  it('takes a pinned box in whatever the window, until the window is next chosen', () => {
    const map = largeCanvas()
    map.scope.setWindow({ boxes: new Set(), arrows: new Set() })
    map.scope.pin([map.boxId(9)])
    expect(map.store.has(map.boxId(9))).toBe(true)
    expect(map.scope.drawnAsBox(map.boxId(9))).toBe(false)
    map.scope.setWindow({ boxes: new Set(), arrows: new Set() })
    expect(map.store.has(map.boxId(9))).toBe(false)
    map.stop()
  })
})
