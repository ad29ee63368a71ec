import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ACTOR_SHAPE_TYPE, canvasKeysShowing } from './canvas-refs.ts'

/**
 * A `canvas` map built by hand the way client/canvas/store-binding.ts writes it: each tldraw
 * record as plain JSON under its own id.
 */
function canvasOf(records: Record<string, unknown>[]): Y.Map<unknown> {
  const map = new Y.Doc().getMap<unknown>('canvas')
  for (const record of records) map.set(record.id as string, record)
  return map
}

const page = { id: 'page:page', typeName: 'page', name: 'Page 1', index: 'a1', meta: {} }
const box = (id: string, actorId: string) => ({
  id,
  typeName: 'shape',
  type: ACTOR_SHAPE_TYPE,
  parentId: 'page:page',
  props: { w: 200, h: 96, actorId },
  meta: {},
})
const arrow = (id: string, linkId: string | null) => ({
  id,
  typeName: 'shape',
  type: 'arrow',
  parentId: 'page:page',
  props: { kind: 'arc' },
  meta: linkId === null ? {} : { linkId },
})
const bound = (id: string, arrowId: string, shapeId: string, terminal: 'start' | 'end') => ({
  id,
  typeName: 'binding',
  type: 'arrow',
  fromId: arrowId,
  toId: shapeId,
  props: { terminal },
  meta: {},
})

/** Two actors a and b with one box each, an arrow drawing link l from a to b, and c apart. */
const map = () =>
  canvasOf([
    page,
    box('shape:a', 'a'),
    box('shape:b', 'b'),
    box('shape:c', 'c'),
    arrow('shape:l', 'l'),
    bound('binding:l-start', 'shape:l', 'shape:a', 'start'),
    bound('binding:l-end', 'shape:l', 'shape:b', 'end'),
  ])

const none = new Set<string>()
const sorted = (keys: string[]) => [...keys].sort()

describe('canvasKeysShowing', () => {
  it('names nothing when nothing was removed', () => {
    expect(canvasKeysShowing(map(), { actorIds: none, linkIds: none })).toEqual([])
  })

  it('a removed actor takes its boxes, the arrows bound to them and all their bindings', () => {
    const canvas = map()
    canvas.set('shape:a2', box('shape:a2', 'a'))
    expect(sorted(canvasKeysShowing(canvas, { actorIds: new Set(['a']), linkIds: none }))).toEqual([
      'binding:l-end',
      'binding:l-start',
      'shape:a',
      'shape:a2',
      'shape:l',
    ])
  })

  it('a removed link takes its arrows and their bindings, and leaves the boxes', () => {
    const canvas = map()
    canvas.set('shape:l2', arrow('shape:l2', 'l'))
    expect(sorted(canvasKeysShowing(canvas, { actorIds: none, linkIds: new Set(['l']) }))).toEqual([
      'binding:l-end',
      'binding:l-start',
      'shape:l',
      'shape:l2',
    ])
  })

  it('an arrow drawing another link, or none, stays unless it is bound to a removed box', () => {
    const canvas = map()
    canvas.set('shape:free', arrow('shape:free', null))
    canvas.set('shape:m', arrow('shape:m', 'm'))
    canvas.set('binding:m-start', bound('binding:m-start', 'shape:m', 'shape:b', 'start'))
    canvas.set('binding:m-end', bound('binding:m-end', 'shape:m', 'shape:c', 'end'))
    expect(sorted(canvasKeysShowing(canvas, { actorIds: new Set(['c']), linkIds: new Set(['l']) }))).toEqual([
      'binding:l-end',
      'binding:l-start',
      'binding:m-end',
      'binding:m-start',
      'shape:c',
      'shape:l',
      'shape:m',
    ])
  })

  it('a binding of another type to a removed box goes, the shape it comes from stays', () => {
    const canvas = map()
    canvas.set('shape:note', { id: 'shape:note', typeName: 'shape', type: 'geo', props: {}, meta: {} })
    canvas.set('binding:pin', {
      id: 'binding:pin',
      typeName: 'binding',
      type: 'pin',
      fromId: 'shape:note',
      toId: 'shape:c',
      props: {},
      meta: {},
    })
    expect(sorted(canvasKeysShowing(canvas, { actorIds: new Set(['c']), linkIds: none }))).toEqual([
      'binding:pin',
      'shape:c',
    ])
  })

  it('copes with records an old or broken peer left: no props, no meta, dangling bindings, non-objects', () => {
    const canvas = canvasOf([
      page,
      { id: 'shape:bare', typeName: 'shape', type: ACTOR_SHAPE_TYPE },
      { id: 'shape:arrow-bare', typeName: 'shape', type: 'arrow' },
      bound('binding:dangling', 'shape:gone', 'shape:a', 'end'),
      box('shape:a', 'a'),
    ])
    canvas.set('junk', 'not a record')
    canvas.set('null', null)
    expect(sorted(canvasKeysShowing(canvas, { actorIds: new Set(['a']), linkIds: new Set(['l']) }))).toEqual([
      'binding:dangling',
      'shape:a',
    ])
  })

  it('only names keys, leaving the map as it was', () => {
    const canvas = map()
    const before = canvas.toJSON()
    canvasKeysShowing(canvas, { actorIds: new Set(['a', 'b']), linkIds: new Set(['l']) })
    expect(canvas.toJSON()).toEqual(before)
  })
})
