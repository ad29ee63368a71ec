import { Box, type Editor } from 'tldraw'
import { ACTOR_SHAPE_TYPE } from '../../model/canvas-refs.ts'
import { type BoxBounds, type CanvasScope, scopeOfStore } from './canvas-scope.ts'

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

/** One actor box of the map: the actor it shows and where it is on the page. */
export interface MapBox {
  readonly actorId: string
  readonly bounds: BoxBounds
}

/**
 * Every actor box of the map, by shape id, in page space: the store's as the store has them
 * (read as signals, so a box being dragged moves what is drawn from this) and, on a scoped map,
 * the rest from the canvas index (a large map's store holds only the boxes near the view; zoomed
 * out, none). `except` leaves out boxes just removed, which the index may still hold.
 */
export function everyBox(editor: Editor, except: ReadonlySet<string> = new Set()): Map<string, MapBox> {
  const boxes = new Map<string, MapBox>()
  const scope = scopeOfStore.get(editor.store)
  if (scope) {
    scope.version.get()
    scope.layout.get()
    for (const [id, actorId] of scope.boxes) {
      const bounds = scope.boxBounds.get(id)
      if (bounds && scope.hasBox(id) && !except.has(id)) boxes.set(id, { actorId, bounds })
    }
  }
  for (const shape of editor.getCurrentPageShapes()) {
    if (shape.type !== ACTOR_SHAPE_TYPE) continue
    const bounds = editor.getShapePageBounds(shape)
    const actorId = String((shape.props as { actorId?: unknown }).actorId)
    if (bounds) boxes.set(shape.id, { actorId, bounds })
  }
  return boxes
}

/** Every actor box of the map (everyBox), by actor: for journeys and the marks of a comparison. */
export function boxesByActor(editor: Editor): Map<string, Box[]> {
  const boxes = new Map<string, Box[]>()
  for (const { actorId, bounds } of everyBox(editor).values()) {
    const list = boxes.get(actorId)
    if (list) list.push(Box.From(bounds))
    else boxes.set(actorId, [Box.From(bounds)])
  }
  return boxes
}
