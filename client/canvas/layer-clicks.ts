import { type Editor, type TLEventInfo, type TLShapeId, Vec } from 'tldraw'
import type { CanvasScope } from './canvas-scope.ts'

/** A pointer that moves further than this between down and up drew a selection box: not a click. */
const CLICK_SLOP = 4

/**
 * A click on a box the link layer draws (a large map zoomed out, where boxes are not tldraw
 * shapes: see bindShapeWindow) selects it, as a click on a tldraw box would, with Shift adding
 * to the selection. The box is taken into the store first (CanvasScope's `pin`), and the window
 * keeps it while it is selected, so it can then be dragged, deleted or opened in the inspector.
 *
 * Handled on the pointer's release, after tldraw's own handling of a click on the empty canvas
 * (which clears the selection).
 */
export function bindLayerClicks(editor: Editor, scope: CanvasScope): () => void {
  let down: Vec | null = null
  const onEvent = (info: TLEventInfo) => {
    if (info.type !== 'pointer' || info.button !== 0) return
    if (info.name === 'pointer_down') {
      const onCanvas = info.target === 'canvas' && editor.getCurrentToolId() === 'select'
      down = onCanvas ? Vec.From(info.point) : null
      return
    }
    if (info.name !== 'pointer_up' || !down) return
    const clicked = Vec.Dist(down, info.point) <= CLICK_SLOP
    down = null
    if (!clicked) return
    const boxId = layerBoxAt(scope, editor.inputs.getCurrentPagePoint())
    if (!boxId) return
    scope.pin([boxId])
    const id = boxId as TLShapeId
    if (!editor.getShape(id)) return
    if (info.shiftKey) editor.select(...editor.getSelectedShapeIds(), id)
    else editor.select(id)
  }
  editor.on('event', onEvent)
  return () => {
    editor.off('event', onEvent)
  }
}

/** The box drawn on the layer at this page point (the last of those there, drawn on top), if any. */
function layerBoxAt(scope: CanvasScope, point: { x: number; y: number }): string | undefined {
  let found: string | undefined
  for (const [boxId, box] of scope.boxBounds) {
    if (point.x < box.x || point.x > box.x + box.w || point.y < box.y || point.y > box.y + box.h) continue
    if (scope.drawnAsBox(boxId)) found = boxId
  }
  return found
}
