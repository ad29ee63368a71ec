import {
  ArrowBindingHintOverlayUtil,
  type Editor,
  SelectionForegroundOverlayUtil,
  ShapeHandleOverlayUtil,
  ShapeIndicatorOverlayUtil,
  type TLAnyOverlayUtilConstructor,
} from 'tldraw'

/** Is a drag of shapes (tldraw's translating) under way? A signal that changes at its start and end only. */
const translating = (editor: Editor): boolean => editor.isIn('select.translating')

/*
 * tldraw draws its overlays (selection handles, shape outlines, hints) on one canvas, cleared and
 * drawn again whenever the list of active overlays is recomputed. During a drag these four draw
 * nothing, but each asked a question of the moving shape before saying so (its bounds, its
 * handles, its record), so the list was recomputed on every frame and the canvas, cleared each
 * time, handed to the compositor as a new bitmap of the whole map: about a third of a
 * millisecond of the page's thread per frame of a borough drag (bench:canvas, BENCH_TRACE). Each
 * asks whether a drag is under way first, which does not change while the shapes move.
 */

/** The selection's box and handles: tldraw shows none during a drag. */
class SelectionForegroundWhileDragging extends SelectionForegroundOverlayUtil {
  override isActive(): boolean {
    return !translating(this.editor) && super.isActive()
  }
}

/** A shape's own handles (an arrow's ends): tldraw shows none during a drag. */
class ShapeHandlesWhileDragging extends ShapeHandleOverlayUtil {
  override isActive(): boolean {
    return !translating(this.editor) && super.isActive()
  }
}

/** Outlines: during a drag tldraw outlines only the shapes hinted as places to drop into. */
class ShapeIndicatorsWhileDragging extends ShapeIndicatorOverlayUtil {
  override isActive(): boolean {
    return !translating(this.editor) || this.editor.getHintingShapeIds().length > 0
  }
}

/** An arrow's binding hints, which a drag shows only when the one shape dragged is an arrow. */
class ArrowBindingHintsWhileDragging extends ArrowBindingHintOverlayUtil {
  override isActive(): boolean {
    if (translating(this.editor)) {
      const id = this.editor.getOnlySelectedShapeId()
      // Its type, read without depending on the record that each frame of the drag replaces.
      if (!id || this.editor.store.unsafeGetWithoutCapture(id)?.type !== 'arrow') return false
    }
    return super.isActive()
  }
}

/** tldraw's overlays, four of them quiet while shapes are dragged (they replace tldraw's by type). */
export const overlayUtils: TLAnyOverlayUtilConstructor[] = [
  SelectionForegroundWhileDragging,
  ShapeHandlesWhileDragging,
  ShapeIndicatorsWhileDragging,
  ArrowBindingHintsWhileDragging,
]
