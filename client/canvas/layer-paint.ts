import type { BoxRects, GroupLines } from './layer-drawing.ts'

/**
 * Painting the link layer's lines and plain boxes on a 2D canvas, in page coordinates. No tldraw
 * here: the map's preview is painted with it before tldraw has loaded (PreviewMap.tsx), as the
 * link layer paints it, and the map, once it has (link-layer.tsx).
 */

/** A page area (tldraw's Box is one). */
export interface PageArea {
  readonly minX: number
  readonly minY: number
  readonly maxX: number
  readonly maxY: number
}

/**
 * The lines are one device pixel wide, whatever the zoom: Skia (Chromium's canvas) draws a stroke
 * no wider than a pixel as a hairline, without building the outline of 20,000 strokes to fill;
 * measured, a 1.5 pixel stroke made each redraw of a zoomed-out borough several times slower.
 */
const LINE_ALPHA = 0.7
/** The funding lens's band under a funding line: the colour of FundingWidths' bands (insight.css). */
const BAND_COLOUR = '#15803d'
const BAND_ALPHA = 0.3
/**
 * Funding bands are as wide as FundingWidths draws them under real arrows (page pixels, 3-36),
 * but never thinner on screen than at this zoom: below it (a borough zoomed out to 5%) a band in
 * page pixels would be a hair, and the widths the lens is for could not be told apart.
 */
const BAND_FLOOR_ZOOM = 0.15

/** How a line or a band is stroked: its colour and opacity, and its thickness in page pixels. */
export interface Stroke {
  readonly colour: string
  readonly alpha: number
  readonly thickness: number
}

/** A line of this colour, one device pixel wide at this scale (page pixels to device pixels). */
export function lineStroke(colour: string, scale: number): Stroke {
  return { colour, alpha: LINE_ALPHA, thickness: 1 / scale }
}

/** The funding lens's band of this width (page pixels, rounded), at this zoom. */
export function bandStroke(width: number, zoom: number): Stroke {
  return {
    colour: BAND_COLOUR,
    alpha: BAND_ALPHA,
    thickness: (Math.round(width) * Math.max(zoom, BAND_FLOOR_ZOOM)) / zoom,
  }
}

/**
 * Does the line whose x1 y1 x2 y2 start at `coords[i]` come near the area? (Its bounding box
 * meets it.)
 */
function lineMeets(area: PageArea, coords: readonly number[], i: number): boolean {
  const x1 = coords[i] as number
  const y1 = coords[i + 1] as number
  const x2 = coords[i + 2] as number
  const y2 = coords[i + 3] as number
  return (
    Math.max(x1, x2) >= area.minX &&
    Math.min(x1, x2) <= area.maxX &&
    Math.max(y1, y2) >= area.minY &&
    Math.min(y1, y2) <= area.maxY
  )
}

/** Strokes the lines that come near the area, with the funding lens's bands under them. */
export function paintLines(
  context: CanvasRenderingContext2D,
  lines: readonly GroupLines[],
  area: PageArea,
  zoom: number,
  scale: number,
): void {
  // The funding lens's bands first, under the lines: one path per width (in whole pixels).
  const byWidth = new Map<number, number[]>()
  for (const { bands } of lines) {
    for (let i = 0; i < bands.length; i += 5) {
      if (!lineMeets(area, bands, i)) continue
      const key = Math.round(bands[i + 4] as number)
      let list = byWidth.get(key)
      if (!list) {
        list = []
        byWidth.set(key, list)
      }
      list.push(...(bands.slice(i, i + 4) as number[]))
    }
  }
  context.lineCap = 'round'
  for (const [w, coords] of byWidth) {
    setStroke(context, bandStroke(w, zoom))
    strokeLines(context, coords)
  }

  context.lineCap = 'butt'
  const colours = new Set<string>()
  for (const group of lines) for (const colour of group.byColour.keys()) colours.add(colour)
  for (const colour of colours) {
    setStroke(context, lineStroke(colour, scale))
    context.beginPath()
    for (const group of lines) {
      const coords = group.byColour.get(colour)
      if (!coords) continue
      for (let i = 0; i < coords.length; i += 4) {
        if (!lineMeets(area, coords, i)) continue
        context.moveTo(coords[i] as number, coords[i + 1] as number)
        context.lineTo(coords[i + 2] as number, coords[i + 3] as number)
      }
    }
    context.stroke()
  }
}

/** Fills and outlines the plain boxes that come near the area, one path for each look. */
export function paintBoxes(
  context: CanvasRenderingContext2D,
  rects: BoxRects,
  area: PageArea,
  scale: number,
): void {
  context.lineWidth = 1 / scale
  for (const { fill, border, alpha, rects: coords } of rects.byLook.values()) {
    context.globalAlpha = alpha
    context.beginPath()
    for (let i = 0; i < coords.length; i += 4) {
      const x = coords[i] as number
      const y = coords[i + 1] as number
      const w = coords[i + 2] as number
      const h = coords[i + 3] as number
      if (x > area.maxX || y > area.maxY || x + w < area.minX || y + h < area.minY) continue
      context.rect(x, y, w, h)
    }
    context.fillStyle = fill
    context.fill()
    context.strokeStyle = border
    context.stroke()
  }
}

function setStroke(context: CanvasRenderingContext2D, { colour, alpha, thickness }: Stroke): void {
  context.strokeStyle = colour
  context.globalAlpha = alpha
  context.lineWidth = thickness
}

/** Strokes lines given as x1 y1 x2 y2 quadruples, in one path. */
function strokeLines(context: CanvasRenderingContext2D, coords: readonly number[]): void {
  context.beginPath()
  for (let i = 0; i < coords.length; i += 4) {
    context.moveTo(coords[i] as number, coords[i + 1] as number)
    context.lineTo(coords[i + 2] as number, coords[i + 3] as number)
  }
  context.stroke()
}
