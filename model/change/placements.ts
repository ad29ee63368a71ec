import type * as Y from 'yjs'
import { actorBoxes } from '../canvas-refs.ts'

/** Where an actor's box stood on a map: its page position and size. */
export interface Placement {
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

/**
 * Where each actor's box stood on a document's canvas (the `canvas` map of tldraw records, read
 * as plain JSON like `canvas-refs.ts` does), by actor id: the first box on a page for an actor
 * with several. Boxes inside another shape (not on a page) are left out, their position being
 * relative to it. Lets a comparison draw a removed actor where it was.
 */
export function actorPlacements(canvas: Y.Map<unknown>): Map<string, Placement> {
  const placements = new Map<string, Placement>()
  for (const { actorId, x, y, w, h } of actorBoxes(canvas)) {
    if (!placements.has(actorId)) placements.set(actorId, { x, y, w, h })
  }
  return placements
}
