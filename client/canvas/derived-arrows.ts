import type { IndexKey, TLArrowBinding, TLArrowShape, TLParentId, TLShapeId } from 'tldraw'
import { STORED_LOOK } from './link-arrows.ts'

/**
 * A link's arrow is not stored in the shared canvas: everything it says is derived, on each
 * device, from the link (which actors it joins, its look) and the boxes (where those actors
 * are). A borough's 20,000 arrows and 40,000 bindings were 17 of its 25 MiB (CanvasScope
 * derives them; these are the records it makes).
 *
 * The ids are fixed by the link, so every device derives the same arrow, and a change to the
 * link or its boxes replaces the records in place. Records with these ids are never written to
 * the canvas (store-binding.ts): a bend or a moved caption is this device's own.
 */
const ARROW_PREFIX = 'shape:link-'
const BINDING_PREFIX = 'binding:link-'

/** The derived arrow of a link. */
export const derivedArrowId = (linkId: string): TLShapeId => `${ARROW_PREFIX}${linkId}` as TLShapeId

/** One of the derived bindings of a link's arrow. */
export const derivedBindingId = (linkId: string, terminal: 'start' | 'end'): TLArrowBinding['id'] =>
  `${BINDING_PREFIX}${linkId}-${terminal}` as TLArrowBinding['id']

/** Is this a derived arrow of a link? */
export const isDerivedArrowId = (id: string): boolean => id.startsWith(ARROW_PREFIX)

/** Is this record id derived (an arrow of a link, or one of its bindings), never to be stored? */
export const isDerivedId = (id: string): boolean =>
  id.startsWith(ARROW_PREFIX) || id.startsWith(BINDING_PREFIX)

/**
 * High above the indices tldraw gives boxes (`a1`... for thousands of them), so a derived
 * arrow already lies above both its boxes and tldraw's arrow binding does not re-stack it as
 * it comes in (a re-stack scans every shape on the page).
 */
const DERIVED_INDEX = `n${'0'.repeat(14)}` as IndexKey

/** tldraw's arrow props as a new arrow has them, with the look stored for a link. */
const DERIVED_PROPS: TLArrowShape['props'] = {
  kind: 'arc',
  elbowMidPoint: 0.5,
  fill: 'none',
  bend: 0,
  start: { x: 0, y: 0 },
  end: { x: 2, y: 0 },
  labelPosition: 0.5,
  font: 'draw',
  scale: 1,
  ...STORED_LOOK,
}

/** The derived arrow of a link and its two bindings, from the box of `from` to the box of `to`. */
export function derivedArrowRecords(
  linkId: string,
  startBox: string,
  endBox: string,
  parentId: string,
): [TLArrowShape, TLArrowBinding, TLArrowBinding] {
  const arrowId = derivedArrowId(linkId)
  const binding = (terminal: 'start' | 'end', toId: string): TLArrowBinding => ({
    id: derivedBindingId(linkId, terminal),
    typeName: 'binding',
    type: 'arrow',
    fromId: arrowId,
    toId: toId as TLShapeId,
    props: { terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' },
    meta: {},
  })
  return [
    {
      id: arrowId,
      typeName: 'shape',
      type: 'arrow',
      x: 0,
      y: 0,
      rotation: 0,
      isLocked: false,
      opacity: 1,
      index: DERIVED_INDEX,
      parentId: parentId as TLParentId,
      props: DERIVED_PROPS,
      meta: { linkId },
    },
    binding('start', startBox),
    binding('end', endBox),
  ]
}
