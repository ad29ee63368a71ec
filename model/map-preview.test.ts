import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ACTOR_SHAPE_TYPE } from './canvas-refs.ts'
import { canvasMap } from './document.ts'
import { decodePreview, encodePreview, previewBoxKind, previewLineKind, previewOfDoc } from './map-preview.ts'
import { Workspace } from './workspace.ts'

const box = (id: string, actorId: string, x: number, y: number, parentId = 'page:page') => ({
  id,
  typeName: 'shape',
  type: ACTOR_SHAPE_TYPE,
  parentId,
  x,
  y,
  props: { w: 200, h: 96, actorId },
  meta: {},
})

/** A map of three actors: a food bank with two boxes, a council, and a fund boxed in a frame. */
function mapDoc(): Y.Doc {
  const doc = new Y.Doc()
  const ws = new Workspace(doc, { participantId: 'amina' })
  const food = ws.addActor({ kind: 'organisation', name: 'Food bank' })
  const council = ws.addActor({ kind: 'statutory-service', name: 'Council' })
  const fund = ws.addActor({ kind: 'funder', name: 'Fund' })
  ws.connect({ from: council.id, to: food.id, kind: 'referral' })
  ws.connect({ from: fund.id, to: food.id, kind: 'funding' })
  const canvas = canvasMap(doc)
  canvas.set('shape:food', box('shape:food', food.id, 10, 20))
  canvas.set('shape:food-2', box('shape:food-2', food.id, 900, 20))
  canvas.set('shape:council', box('shape:council', council.id, -300, 400.5))
  canvas.set('shape:fund', box('shape:fund', fund.id, 5, 5, 'shape:frame'))
  canvas.set('shape:note', {
    id: 'shape:note',
    typeName: 'shape',
    type: 'note',
    parentId: 'page:page',
    x: 0,
    y: 0,
  })
  return doc
}

describe('the map preview', () => {
  it('holds every box placed on a page, with its kind, and a line for each link between two boxes', () => {
    const preview = previewOfDoc(mapDoc())
    expect(preview.boxKinds).toHaveLength(3)
    const boxes = Array.from({ length: 3 }, (_, i) => ({
      kind: previewBoxKind(preview, i),
      at: [...preview.boxes.subarray(i * 4, i * 4 + 4)],
    }))
    // In the order of their ids.
    expect(boxes).toEqual([
      { kind: 'statutory-service', at: [-300, 400.5, 200, 96] },
      { kind: 'organisation', at: [10, 20, 200, 96] },
      { kind: 'organisation', at: [900, 20, 200, 96] },
    ])
    // The funding link's fund is boxed only inside a frame: no line. The referral joins the
    // council to the food bank's first box (the lowest id, as its arrow does).
    expect(preview.lineKinds).toHaveLength(1)
    expect(previewLineKind(preview, 0)).toBe('referral')
    expect([...preview.lines]).toEqual([0, 1])
  })

  it('reads back what it wrote, from any view of the bytes', () => {
    const preview = previewOfDoc(mapDoc())
    const bytes = encodePreview(preview)
    expect(bytes.byteLength).toBe(12 + 3 * 17 + 9)
    // At an odd offset in a larger buffer, as it is in a frame.
    const framed = new Uint8Array(bytes.byteLength + 3)
    framed.set(bytes, 3)
    expect(decodePreview(framed.subarray(3))).toEqual(preview)
  })

  it('refuses bytes that are cut short, of another version, or that name what is not there', () => {
    const bytes = encodePreview(previewOfDoc(mapDoc()))
    expect(decodePreview(bytes.subarray(0, bytes.byteLength - 1))).toBeNull()
    expect(decodePreview(new Uint8Array(4))).toBeNull()
    const other = bytes.slice()
    other[0] = 2
    expect(decodePreview(other)).toBeNull()
    const badKind = bytes.slice()
    badKind[12 + 3 * 16 + 8] = 200 // the first box's kind
    expect(decodePreview(badKind)).toBeNull()
    const badLine = bytes.slice()
    new DataView(badLine.buffer).setUint32(12 + 3 * 16, 3, true) // a line from a fourth box
    expect(decodePreview(badLine)).toBeNull()
    const nowhere = bytes.slice()
    new DataView(nowhere.buffer).setFloat32(12, Number.NaN, true)
    expect(decodePreview(nowhere)).toBeNull()
  })

  it('is empty for a map with no boxes', () => {
    const preview = previewOfDoc(new Y.Doc())
    expect(decodePreview(encodePreview(preview))).toEqual(preview)
    expect(preview.boxKinds).toHaveLength(0)
  })
})
