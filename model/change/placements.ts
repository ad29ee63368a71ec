import type * as Y from 'yjs'
import { ACTOR_SHAPE_TYPE } from '../canvas-refs.ts'

/** Where an actor's box stood on a map: its page position and size. */
export interface Placement {
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

interface ShapeRecord {
  readonly typeName?: unknown
  readonly type?: unknown
  readonly parentId?: unknown
  readonly x?: unknown
  readonly y?: unknown
  readonly props?: { readonly actorId?: unknown; readonly w?: unknown; readonly h?: unknown }
}

const finite = (value: unknown, fallback: number) =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback

/**
 * Where each actor's box stood on a document's canvas (the `canvas` map of tldraw records, read
 * as plain JSON like `canvas-refs.ts` does), by actor id: the first box on a page for an actor
 * with several. Boxes inside another shape (not on a page) are left out, their position being
 * relative to it. Lets a comparison draw a removed actor where it was.
 */
export function actorPlacements(canvas: Y.Map<unknown>): Map<string, Placement> {
  const placements = new Map<string, Placement>()
  const keys = [...canvas.keys()].sort()
  for (const key of keys) {
    const record = canvas.get(key) as ShapeRecord | undefined
    if (typeof record !== 'object' || record === null) continue
    if (record.typeName !== 'shape' || record.type !== ACTOR_SHAPE_TYPE) continue
    if (typeof record.parentId !== 'string' || !record.parentId.startsWith('page:')) continue
    const actorId = record.props?.actorId
    if (typeof actorId !== 'string' || placements.has(actorId)) continue
    placements.set(actorId, {
      x: finite(record.x, 0),
      y: finite(record.y, 0),
      w: finite(record.props?.w, 200),
      h: finite(record.props?.h, 96),
    })
  }
  return placements
}
