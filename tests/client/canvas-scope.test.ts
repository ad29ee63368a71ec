import { createShapeId, InstancePageStateRecordType, react, type TLShapeId } from 'tldraw'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { bindSubMapScope, CanvasScope } from '../../client/canvas/canvas-scope.ts'
import { bindStoreToDoc } from '../../client/canvas/store-binding.ts'
import { type SubMap, subMapAtom, WHOLE_MAP } from '../../client/canvas/sub-map.ts'
import { canvasMap, Workspace } from '../../model/index.ts'
import { actorBox, mountedMapStore, standInAnimationFrames } from './map-store-helpers.ts'

standInAnimationFrames()

/** A workspace with a health actor and a housing actor, each with a box, bound as CanvasView binds it. */
function mapWithTwoBoxes() {
  const doc = new Y.Doc()
  const workspace = new Workspace(doc, { participantId: 'test' })
  const health = workspace.addActor({ kind: 'organisation', name: 'Clinic', domains: ['health'] })
  const housing = workspace.addActor({ kind: 'organisation', name: 'Housing office', domains: ['housing'] })
  const { store, pageId } = mountedMapStore()
  const scope = new CanvasScope(canvasMap(doc) as never)
  const binding = bindStoreToDoc(store, doc, undefined, { scope })
  const stopSubMap = bindSubMapScope(scope, workspace)
  const boxOf = (actorId: string, index: string): TLShapeId => {
    const id = createShapeId(actorId)
    store.put([actorBox(store, pageId, { id, actorId, index })])
    return id
  }
  const healthBox = boxOf(health.id, 'a1')
  const housingBox = boxOf(housing.id, 'a2')
  binding.flush()
  return {
    store,
    pageId,
    healthBox,
    housingBox,
    stop: () => {
      stopSubMap()
      binding.stop()
      scope.stop()
    },
  }
}

describe('the canvas scope follows the sub-map', () => {
  afterEach(() => subMapAtom.set(WHOLE_MAP))

  it('takes a hovered box out of the store after the sub-map changes, not inside the reaction, so every reactor hears of it', async () => {
    const map = mapWithTwoBoxes()
    // The pointer rests on the housing box when a health sub-map opens.
    const pageStateId = InstancePageStateRecordType.createId(map.pageId as never)
    const pageState = map.store.get(pageStateId)
    if (!pageState) throw new Error('no page state')
    map.store.put([{ ...pageState, hoveredShapeId: map.housingBox }])
    // Another reactor to the sub-map, as the one that writes it to the address.
    const heard: SubMap[] = []
    const stopHeard = react('heard', () => {
      heard.push(subMapAtom.get())
    })

    // Taking the hovered box out inside the reaction overflowed the stack in tldraw's integrity
    // check, which threw here and ended the reaction before 'heard' ran.
    expect(() => subMapAtom.set({ area: null, domain: 'health' })).not.toThrow()
    expect(heard.at(-1)).toEqual({ area: null, domain: 'health' })
    await Promise.resolve()
    expect(map.store.has(map.housingBox)).toBe(false)
    expect(map.store.has(map.healthBox)).toBe(true)
    expect(map.store.get(pageStateId)?.hoveredShapeId).toBeNull()

    subMapAtom.set(WHOLE_MAP)
    await Promise.resolve()
    expect(map.store.has(map.housingBox)).toBe(true)
    stopHeard()
    map.stop()
  })
})
