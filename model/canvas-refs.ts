import type * as Y from 'yjs'

/**
 * What the model knows of the canvas: only enough to take a removed actor's boxes and a removed
 * link's arrows off every map. The `canvas` map holds tldraw records as plain JSON under their
 * ids; the model reads them without tldraw.
 */

/** The tldraw shape type of an actor box (`props.actorId` names the actor). */
export const ACTOR_SHAPE_TYPE = 'actor'

interface CanvasRecord {
  readonly id?: string
  readonly typeName?: string
  readonly type?: string
  readonly props?: { readonly actorId?: unknown }
  readonly meta?: { readonly linkId?: unknown }
  readonly fromId?: string
  readonly toId?: string
}

/** An actor's box on a page of the canvas: which actor it shows, and where it stands. */
export interface ActorBox {
  readonly key: string
  readonly actorId: string
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

interface BoxRecord {
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
 * Every actor box placed on a page, in the order of their keys (so an actor's first box is the
 * one with the lowest id, as its links' arrows take). Boxes inside another shape are left out,
 * their position being relative to it; a number missing or broken reads as tldraw's default.
 */
export function actorBoxes(canvas: Y.Map<unknown>): ActorBox[] {
  const boxes: ActorBox[] = []
  for (const key of [...canvas.keys()].sort()) {
    const record = canvas.get(key) as BoxRecord | undefined
    if (typeof record !== 'object' || record === null) continue
    if (record.typeName !== 'shape' || record.type !== ACTOR_SHAPE_TYPE) continue
    if (typeof record.parentId !== 'string' || !record.parentId.startsWith('page:')) continue
    const actorId = record.props?.actorId
    if (typeof actorId !== 'string') continue
    boxes.push({
      key,
      actorId,
      x: finite(record.x, 0),
      y: finite(record.y, 0),
      w: finite(record.props?.w, 200),
      h: finite(record.props?.h, 96),
    })
  }
  return boxes
}

/**
 * The keys of the canvas records that showed removed actors and links: actor boxes, arrows
 * drawing a removed link or bound to a removed box, and every binding to or from a removed
 * shape (a dangling binding would otherwise fail tldraw's validation on every device).
 */
export function canvasKeysShowing(
  canvas: Y.Map<unknown>,
  removed: { readonly actorIds: ReadonlySet<string>; readonly linkIds: ReadonlySet<string> },
): string[] {
  if (removed.actorIds.size === 0 && removed.linkIds.size === 0) return []
  const shapes = new Set<string>()
  const bindings: [string, CanvasRecord][] = []
  for (const [key, value] of canvas.entries()) {
    const record = value as CanvasRecord
    if (typeof record !== 'object' || record === null) continue
    if (record.typeName === 'binding') bindings.push([key, record])
    else if (record.typeName !== 'shape') continue
    else if (record.type === ACTOR_SHAPE_TYPE && removed.actorIds.has(record.props?.actorId as string))
      shapes.add(key)
    else if (record.type === 'arrow' && removed.linkIds.has(record.meta?.linkId as string)) shapes.add(key)
  }
  // An arrow bound to a removed box drew one of its links: it goes with the box.
  for (const [, binding] of bindings) {
    if (binding.type === 'arrow' && binding.fromId && binding.toId && shapes.has(binding.toId)) {
      const arrow = canvas.get(binding.fromId) as CanvasRecord | undefined
      if (arrow?.type === 'arrow') shapes.add(binding.fromId)
    }
  }
  const keys = [...shapes]
  for (const [key, binding] of bindings) {
    if ((binding.fromId && shapes.has(binding.fromId)) || (binding.toId && shapes.has(binding.toId)))
      keys.push(key)
  }
  return keys
}
