import type { TLRecord, TLShapeId, TLStore } from 'tldraw'
import { ACTOR_SHAPE } from '../../client/canvas/actor-shape.tsx'
import { createMapStore } from '../../client/canvas/map-store.ts'

/**
 * The canvas binding writes in an animation frame, and Node has none: a timer stands in for
 * each frame (`frameMs` apart, for tests that count frames under fake timers).
 */
export function standInAnimationFrames(frameMs = 0): void {
  const g = globalThis as { requestAnimationFrame?: unknown; cancelAnimationFrame?: unknown }
  g.requestAnimationFrame ??= (callback: (time: number) => void) =>
    setTimeout(() => callback(performance.now()), frameMs)
  g.cancelAnimationFrame ??= (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle)
}

/** A map store as the editor leaves it on mounting (a page, its state and camera), and its page. */
export function mountedMapStore(): { store: TLStore; pageId: TLRecord['id'] } {
  const store = createMapStore()
  ;(store as unknown as { ensureStoreIsUsable(): void }).ensureStoreIsUsable()
  const pageId = [...store.query.ids('page').get()][0] as TLRecord['id']
  return { store, pageId }
}

/** An actor's box record on the page, 200 by 96, at the origin unless placed. */
export function actorBox(
  store: TLStore,
  pageId: TLRecord['id'],
  box: { id: TLShapeId; actorId: string; index: string; x?: number; y?: number },
): TLRecord {
  return store.schema.types.shape.create({
    id: box.id,
    type: ACTOR_SHAPE,
    parentId: pageId,
    index: box.index,
    x: box.x ?? 0,
    y: box.y ?? 0,
    props: { w: 200, h: 96, actorId: box.actorId },
  } as never) as TLRecord
}
