import { Box, type Editor } from 'tldraw'
import { ACTOR_SHAPE_TYPE } from '../../model/canvas-refs.ts'
import { type CanvasScope, scopeOfStore } from './canvas-scope.ts'

/**
 * The page area the map covers: the shapes in the store and, on a scoped map, every box in
 * scope (a large map's store holds only the boxes near the view). Null for an empty map.
 */
export function mapBounds(editor: Editor, scope: CanvasScope | undefined): Box | null {
  const inStore = editor.getCurrentPageBounds()
  const inScope = scope?.boundsInScope()
  if (!inScope) return inStore ?? null
  const boxes = Box.From(inScope)
  return inStore ? Box.Common([inStore, boxes]) : boxes
}

/**
 * Fits the map in view, never zooming in past 100% (a map of three boxes should not fill the
 * screen). Says whether there was anything to fit.
 */
export function fitMap(editor: Editor, scope: CanvasScope | undefined, animate = false): boolean {
  const bounds = mapBounds(editor, scope)
  if (!bounds) return false
  editor.zoomToBounds(bounds, {
    targetZoom: 1,
    ...(animate ? { animation: { duration: 300 } } : {}),
  })
  return true
}

/**
 * Every actor box of the map, by actor, in page space: the store's (read as signals, so a box
 * being dragged moves what is drawn from this) and, on a scoped map, those of the canvas index
 * that the store does not hold (a large map zoomed out holds none). For what is drawn over or
 * round boxes: journeys, the marks of a comparison.
 */
export function boxesByActor(editor: Editor): Map<string, Box[]> {
  const boxes = new Map<string, Box[]>()
  const add = (actorId: string, box: Box) => {
    const list = boxes.get(actorId)
    if (list) list.push(box)
    else boxes.set(actorId, [box])
  }
  const held = new Set<string>()
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.type !== ACTOR_SHAPE_TYPE) continue
    const bounds = editor.getShapePageBounds(shape)
    held.add(shape.id)
    if (bounds) add(String((shape.props as { actorId?: unknown }).actorId), bounds)
  }
  const scope = scopeOfStore.get(editor.store)
  if (!scope) return boxes
  scope.version.get()
  scope.layout.get()
  for (const [boxId, actorId] of scope.boxes) {
    const bounds = scope.boxBounds.get(boxId)
    if (bounds && !held.has(boxId) && scope.hasBox(boxId)) add(actorId, Box.From(bounds))
  }
  return boxes
}
