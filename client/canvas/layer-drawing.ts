import { type MapPreview, previewBoxKind, previewLineKind } from '../../model/map-preview.ts'
import { ACTOR_STYLES, LINE_COLOURS } from './styles.ts'

/**
 * One group's lines ready to draw, in page coordinates: by colour, four numbers a line
 * (x1 y1 x2 y2), and the funding lens's bands, five numbers each (x1 y1 x2 y2 width).
 */
export interface GroupLines {
  readonly byColour: ReadonlyMap<string, readonly number[]>
  readonly bands: readonly number[]
  readonly count: number
}

/** The boxes the layer draws, by look (fill, border, opacity), four numbers a box (x y w h). */
export interface BoxRects {
  readonly byLook: ReadonlyMap<string, { fill: string; border: string; alpha: number; rects: number[] }>
  readonly count: number
}

/** What the link layer draws of a map's preview: its lines and boxes, as it draws the map's own. */
export interface PreviewDrawing {
  readonly lines: GroupLines
  readonly rects: BoxRects
}

/**
 * A map's preview as the link layer draws a zoomed-out map: each link a line in its kind's
 * colour between its boxes' centres, each box a plain box in its kind's colours (no lens: the
 * lens reads the records, which are not in yet).
 */
export function previewDrawing(preview: MapPreview): PreviewDrawing {
  const { boxes, lines } = preview
  const byColour = new Map<string, number[]>()
  for (let line = 0; line < preview.lineKinds.length; line++) {
    const colour = LINE_COLOURS[previewLineKind(preview, line)]
    let coords = byColour.get(colour)
    if (!coords) {
      coords = []
      byColour.set(colour, coords)
    }
    const a = (lines[line * 2] as number) * 4
    const b = (lines[line * 2 + 1] as number) * 4
    coords.push(
      (boxes[a] as number) + (boxes[a + 2] as number) / 2,
      (boxes[a + 1] as number) + (boxes[a + 3] as number) / 2,
      (boxes[b] as number) + (boxes[b + 2] as number) / 2,
      (boxes[b + 1] as number) + (boxes[b + 3] as number) / 2,
    )
  }
  const byLook = new Map<string, { fill: string; border: string; alpha: number; rects: number[] }>()
  for (let box = 0; box < preview.boxKinds.length; box++) {
    const kind = previewBoxKind(preview, box)
    let look = byLook.get(kind)
    if (!look) {
      const style = ACTOR_STYLES[kind]
      look = { fill: style.background, border: style.border, alpha: 1, rects: [] }
      byLook.set(kind, look)
    }
    look.rects.push(...boxes.subarray(box * 4, box * 4 + 4))
  }
  return {
    lines: { byColour, bands: [], count: preview.lineKinds.length },
    rects: { byLook, count: preview.boxKinds.length },
  }
}

/** The page area a preview's boxes cover, or null if it has none. */
export function previewBounds(preview: MapPreview): { x: number; y: number; w: number; h: number } | null {
  const { boxes } = preview
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  for (let i = 0; i < boxes.length; i += 4) {
    const x = boxes[i] as number
    const y = boxes[i + 1] as number
    minX = Math.min(minX, x)
    minY = Math.min(minY, y)
    maxX = Math.max(maxX, x + (boxes[i + 2] as number))
    maxY = Math.max(maxY, y + (boxes[i + 3] as number))
  }
  return minX <= maxX ? { x: minX, y: minY, w: maxX - minX, h: maxY - minY } : null
}
