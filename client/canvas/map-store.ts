import { createTLStore, defaultBindingUtils, defaultShapeUtils, type TLStore } from 'tldraw'
import { ActorShapeUtil } from './actor-shape.tsx'
import { IdleDrawShapeUtil, IdleGeoShapeUtil } from './idle-patterns.tsx'
import { LinkArrowShapeUtil } from './link-arrows.ts'

/**
 * Our actor box, tldraw's arrow in place of its own (see LinkArrowShapeUtil), and its draw and
 * geo shapes with their pattern fill made once the page is idle (idle-patterns.tsx).
 */
export const shapeUtils = [ActorShapeUtil, LinkArrowShapeUtil, IdleDrawShapeUtil, IdleGeoShapeUtil]

/** Every shape a map's store knows: tldraw's own, ours in place of its arrow. */
export const storeShapeUtils = [
  ...defaultShapeUtils.filter((util) => !shapeUtils.some((ours) => ours.type === util.type)),
  ...shapeUtils,
]

/**
 * A tldraw store for a map: the live map's, a snapshot's, and the ones the benches and tests
 * write a map's canvas through, so all of them validate records with the same shapes.
 */
export function createMapStore(): TLStore {
  return createTLStore({ shapeUtils: storeShapeUtils, bindingUtils: defaultBindingUtils })
}
