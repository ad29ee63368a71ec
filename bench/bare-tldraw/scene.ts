import { createShapeId, type Editor, type TLArrowBinding, type TLShapeId, toRichText } from 'tldraw'

/** Each box, about an actor card of the app's map. */
const BOX = { w: 200, h: 96 }
/** The grid's pitch: a small gap between boxes, so about 60 of them meet a 1280x800 view at 100%. */
const PITCH = { x: 210, y: 106 }

/**
 * Lays `boxes` labelled geo rectangles out in a grid centred on the view, as many columns to
 * rows as the view is wide to tall, with arrows bound between neighbours: three into the box
 * nearest the middle (the one to drag, as a box on the app's map has links), and one from every
 * fourth other box to the box on its right. Returns the box to drag, where it is on the page
 * and on screen, and how many boxes meet the view (the grid is a little wider than the view, so
 * the edge columns are in part).
 */
export function addScene(
  editor: Editor,
  boxes: number,
): {
  id: TLShapeId
  page: { x: number; y: number }
  screen: { x: number; y: number; w: number; h: number }
  boxesInView: number
} {
  const view = editor.getViewportPageBounds()
  const columns = Math.max(1, Math.round(Math.sqrt((boxes * (view.w / PITCH.x)) / (view.h / PITCH.y))))
  const rows = Math.ceil(boxes / columns)
  const left = view.center.x - (columns * PITCH.x) / 2
  const top = view.center.y - (rows * PITCH.y) / 2
  const ids: TLShapeId[] = []
  editor.run(() => {
    for (let i = 0; i < boxes; i++) {
      const id = createShapeId(`box-${i}`)
      ids.push(id)
      editor.createShape({
        id,
        type: 'geo',
        x: left + (i % columns) * PITCH.x,
        y: top + Math.floor(i / columns) * PITCH.y,
        props: { geo: 'rectangle', w: BOX.w, h: BOX.h, richText: toRichText(`Actor ${i + 1}`) },
      })
    }
  })
  const middle = Math.min(Math.floor((rows - 1) / 2) * columns + Math.floor(columns / 2), boxes - 1)
  const dragged = ids[middle] as TLShapeId
  const neighbour = (dx: number, dy: number) => {
    const column = (middle % columns) + dx
    return column >= 0 && column < columns ? ids[middle + dy * columns + dx] : undefined
  }
  const pairs: [TLShapeId | undefined, TLShapeId | undefined][] = [
    [neighbour(-1, 0), dragged],
    [neighbour(1, 0), dragged],
    // From below: an arrow from above would end where the drag grabs the box, and take the drag.
    [neighbour(0, 1), dragged],
    ...ids
      .map((id, i) => [id, ids[i + 1]] as [TLShapeId, TLShapeId | undefined])
      .filter(
        ([id, right], i) => i % 4 === 0 && i % columns !== columns - 1 && id !== dragged && right !== dragged,
      ),
  ]
  editor.run(() => {
    pairs.forEach(([from, to], i) => {
      // A small grid's box to drag may lack a neighbour.
      if (!from || !to) return
      const arrow = createShapeId(`arrow-${i}`)
      editor.createShape({ id: arrow, type: 'arrow', x: 0, y: 0 })
      const end = (terminal: 'start' | 'end', toId: TLShapeId) => ({
        type: 'arrow' as const,
        fromId: arrow,
        toId,
        props: { terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false },
      })
      editor.createBindings<TLArrowBinding>([end('start', from), end('end', to)])
    })
  })
  const bounds = editor.getShapePageBounds(dragged)
  if (!bounds) throw new Error('the box to drag has no bounds')
  const corner = editor.pageToScreen(bounds.point)
  const boxesInView = ids.filter((id) => {
    const shape = editor.getShapePageBounds(id)
    return shape !== undefined && view.collides(shape)
  }).length
  return {
    id: dragged,
    page: { x: bounds.x, y: bounds.y },
    screen: { x: corner.x, y: corner.y, w: bounds.w, h: bounds.h },
    boxesInView,
  }
}
