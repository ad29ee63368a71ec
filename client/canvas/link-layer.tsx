import { useEffect, useRef } from 'react'
import { Box, type Computed, computed, type Editor, react, useEditor } from 'tldraw'
import type { ActorKind, LinkKind } from '../../model/index.ts'
import { fundingWidths } from '../insight/lens.ts'
import { lensAtom, lensDataAtom, lensViewSignal } from '../insight/lens-state.ts'
import { type ActorShape, LOW_DETAIL_ZOOM, lowDetailOf } from './actor-shape.tsx'
import {
  ALL_ARROWS_UP_TO,
  ALL_BOXES_UP_TO,
  type BoxBounds,
  type CanvasScope,
  type ShapeWindow,
  scopeOfStore,
} from './canvas-scope.ts'
import { HotLines } from './hot-lines.ts'
import { type BoxRects, type GroupLines, previewDrawing } from './layer-drawing.ts'
import { bandStroke, lineStroke, paintBoxes, paintLines } from './layer-paint.ts'
import { ACTOR_STYLES, LINE_COLOURS } from './styles.ts'

/**
 * On a large map, at most this many links are tldraw arrows at once (those near the view): a
 * screenful of arrows with heads and captions. The rest are lines in the link layer.
 */
export const MAX_ARROW_SHAPES = 1200
/** On a large map, at most this many boxes are tldraw shapes at once (those nearest the view's middle). */
export const MAX_BOX_SHAPES = 1000
/** The view moved: wait this long for it to settle before changing which shapes are tldraw's. */
const SETTLE_MS = 150

/**
 * Which boxes and links are tldraw shapes on a large map, chosen again each time the view
 * settles.
 *
 * Measured on a 5,000-actor, 20,000-link map (npm run bench:canvas): 20,000 arrow shapes in
 * tldraw's store take minutes to mount and every pan frame then walks them, while the same links
 * as one layer of lines cost little to draw and nothing to pan (the layer moves with the
 * canvas). The boxes likewise: with all 5,000 in the store a drag cost 47 ms of the page per
 * frame (tldraw hit-tests every shape of the page on each move) and a zoomed-out frame drew
 * 5,000 elements. So: zoomed out (below LOW_DETAIL_ZOOM, where names, arrowheads and captions
 * cannot be read) no box and no link is a tldraw shape, all are drawn on the layer; zoomed in,
 * the boxes in or near the view (up to MAX_BOX_SHAPES, nearest the middle first) and the links
 * between two of them (up to MAX_ARROW_SHAPES) become tldraw shapes, which a person can read,
 * select, drag and re-bind; the rest stay on the layer. What is selected stays a shape. On a
 * small map (CanvasScope's 'auto') every box and link is a shape, as before.
 */
export function bindShapeWindow(editor: Editor, scope: CanvasScope): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const choose = () => {
    timer = undefined
    const manyBoxes = scope.boxesInScope() > ALL_BOXES_UP_TO
    const manyArrows = scope.arrowsInScope() > ALL_ARROWS_UP_TO
    if (!manyBoxes && !manyArrows) return scope.setWindow({ boxes: 'auto', arrows: 'auto' })
    const selected = new Set<string>(editor.getSelectedShapeIds())
    const zoomedOut = manyBoxes ? editor.getEfficientZoomLevel() < LOW_DETAIL_ZOOM : lowDetailOf(editor).get()
    if (zoomedOut) {
      const keep = (ids: Iterable<string>) => new Set([...ids].filter((id) => selected.has(id)))
      return scope.setWindow({
        boxes: manyBoxes ? keep(scope.boxes.keys()) : 'auto',
        arrows: keep(scope.ends.keys()),
      })
    }
    const view = editor.getViewportPageBounds().clone()
    const centre = view.center
    view.expandBy(Math.max(view.w, view.h) / 2)
    const meetsView = (box: BoxBounds | undefined) =>
      !!box &&
      box.x < view.maxX &&
      box.x + box.w > view.minX &&
      box.y < view.maxY &&
      box.y + box.h > view.minY
    let boxes: ShapeWindow = 'auto'
    if (manyBoxes) {
      const near: [string, number][] = []
      for (const [boxId, box] of scope.boxBounds) {
        if (!scope.hasBox(boxId) || !meetsView(box)) continue
        near.push([boxId, Math.hypot(box.x + box.w / 2 - centre.x, box.y + box.h / 2 - centre.y)])
      }
      near.sort((a, b) => a[1] - b[1])
      const chosen = new Set(near.slice(0, MAX_BOX_SHAPES).map(([boxId]) => boxId))
      for (const id of selected) if (scope.hasBox(id)) chosen.add(id)
      boxes = chosen
    }
    const shape = (boxId: string | undefined) =>
      boxId !== undefined && (boxes === 'auto' ? scope.hasBox(boxId) : boxes.has(boxId))
    // Only links with both boxes near the view: on a map whose boxes are all shapes, taking the
    // links with one box near it too made a 500-actor map's 100% view 270 arrow shapes, not 13,
    // and a drag there cost 45 ms of the page per frame, not 10 (tldraw walks every shape of the
    // page on each frame of a drag). A link leaving the view is a plain line until both its
    // boxes are near.
    const both: string[] = []
    for (const [arrowId, ends] of scope.ends) {
      if (!scope.arrowEndsIn(arrowId)) continue
      if (selected.has(arrowId) && shape(ends.start) && shape(ends.end)) {
        both.unshift(arrowId)
        continue
      }
      const start = shape(ends.start) && meetsView(scope.boxBounds.get(ends.start as string))
      const end = shape(ends.end) && meetsView(scope.boxBounds.get(ends.end as string))
      if (start && end) both.push(arrowId)
    }
    const arrows = manyArrows ? new Set(both.slice(0, MAX_ARROW_SHAPES)) : 'auto'
    scope.setWindow({ boxes, arrows })
  }
  const stop = react('shape window', () => {
    editor.getViewportPageBounds()
    lowDetailOf(editor).get()
    editor.getSelectedShapeIds()
    scope.version.get()
    clearTimeout(timer)
    timer = setTimeout(choose, SETTLE_MS)
  })
  return () => {
    stop()
    clearTimeout(timer)
  }
}

/** A line whose arrow names no link (a plain drawn arrow between two boxes). */
const GHOST_COLOUR = '#9ca3af'
/** A box the lens fades, as the low-detail box fades it (lensCardStyle). */
const DIMMED_ALPHA = 0.28

/**
 * The lines are split into this many groups by arrow id, each recomputed on its own: moving a
 * box recomputes only the groups holding its lines (a few hundred lines), not all 20,000.
 */
const GROUPS = 64
/**
 * The canvas covers the view and this share of its longer side beyond each edge, so a pan within
 * that margin moves the drawn canvas with the map (tldraw's transform of its page layer) and
 * redraws nothing.
 */
const MARGIN = 0.25
/** A zoom within the drawn area is drawn sharp again once it has rested this long. */
const SHARPEN_MS = 250
/** The performance.measure entry of each redraw of the lines. */
export const LINES_DRAWN = 'link lines drawn'
/** The canvas's bitmap stays under this many pixels (a large, dense screen draws less sharply). */
const MAX_BITMAP_PIXELS = 12_000_000

interface LineEnds {
  readonly arrowId: string
  readonly linkId: string | undefined
  readonly start: string
  readonly end: string
}

const groupOf = (id: string): number => {
  let hash = 0
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0
  return Math.abs(hash) % GROUPS
}

/** The links drawn as lines: in their groups, and apart, those of the selected boxes. */
interface LineSplit {
  readonly groups: readonly (readonly LineEnds[])[]
  readonly hot: readonly LineEnds[]
}

/**
 * The links drawn as lines, split: those joined to a selected box apart (the lines a drag moves,
 * redrawn alone on a small canvas of their own every frame of it), the rest in their groups.
 * Recomputed only when what is in scope or the selection changes, never when a box moves.
 */
function lineSplit(editor: Editor, scope: CanvasScope): Computed<LineSplit> {
  return computed('link line split', () => {
    scope.version.get()
    const selected = new Set<string>(editor.getSelectedShapeIds())
    const groups: LineEnds[][] = Array.from({ length: GROUPS }, () => [])
    const hot: LineEnds[] = []
    for (const [arrowId, ends] of scope.ends) {
      if (!ends.start || !ends.end || !scope.drawnAsLine(arrowId)) continue
      const line = { arrowId, linkId: scope.arrows.get(arrowId), start: ends.start, end: ends.end }
      if (selected.has(ends.start) || selected.has(ends.end)) hot.push(line)
      else groups[groupOf(arrowId)]?.push(line)
    }
    return { groups, hot }
  })
}

/** Link kinds by id, once per change of the links. */
const linkKinds = computed('link kinds', () => {
  const kinds = new Map<string, LinkKind>()
  for (const link of lensDataAtom.get()?.links ?? []) kinds.set(link.id, link.kind)
  return kinds
})

/** Under the funding lens, each funded link's band width in page pixels (null under any other lens). */
const fundingBands = computed('funding bands', (): ReadonlyMap<string, number> | null => {
  if (lensAtom.get().show !== 'funding') return null
  return new Map(fundingWidths(lensDataAtom.get()?.links ?? []).map((each) => [each.linkId, each.width]))
})

/** Some of the lines ready to draw (one group, or the selected boxes'). */
function linesToDraw(
  editor: Editor,
  scope: CanvasScope,
  name: string,
  pick: () => readonly LineEnds[],
): Computed<GroupLines> {
  return computed(name, () => {
    const lines = pick()
    const view = lensViewSignal.get()
    const kinds = linkKinds.get()
    const widths = fundingBands.get()
    const byColour = new Map<string, number[]>()
    const bands: number[] = []
    let count = 0
    for (const line of lines) {
      if (view.filtering && (!line.linkId || !view.shownLinks.has(line.linkId))) continue
      const a = boxPlace(editor, scope, line.start)
      const b = boxPlace(editor, scope, line.end)
      if (!a || !b) continue
      const kind = line.linkId ? kinds.get(line.linkId) : undefined
      const colour = kind ? LINE_COLOURS[kind] : GHOST_COLOUR
      let coords = byColour.get(colour)
      if (!coords) {
        coords = []
        byColour.set(colour, coords)
      }
      const x1 = a.x + a.w / 2
      const y1 = a.y + a.h / 2
      const x2 = b.x + b.w / 2
      const y2 = b.y + b.h / 2
      coords.push(x1, y1, x2, y2)
      const width = line.linkId ? widths?.get(line.linkId) : undefined
      if (width) bands.push(x1, y1, x2, y2, width)
      count++
    }
    return { byColour, bands, count }
  })
}

/**
 * Where a box is: read from the store when the store holds it (each box read is a dependency,
 * so moving it recomputes only what reads it), else from the canvas index (its layout signal).
 */
function boxPlace(editor: Editor, scope: CanvasScope, boxId: string): BoxBounds | undefined {
  if (scope.admitsBox(boxId)) {
    const shape = editor.getShape(boxId as ActorShape['id']) as ActorShape | undefined
    if (shape) return { x: shape.x, y: shape.y, w: shape.props.w, h: shape.props.h }
  }
  scope.layout.get()
  return scope.boxBounds.get(boxId)
}

/** Actor kinds by id, once per change of the actors. */
const actorKinds = computed('actor kinds', () => {
  const kinds = new Map<string, ActorKind>()
  for (const actor of lensDataAtom.get()?.actors ?? []) kinds.set(actor.id, actor.kind)
  return kinds
})

const rectSignals = new WeakMap<CanvasScope, Computed<BoxRects>>()
/**
 * The boxes that are not tldraw shapes (zoomed out on a large map, or far from the view), with
 * their kind's colours and the lens's colour and fading, as the low-detail box draws them.
 */
function boxRects(scope: CanvasScope): Computed<BoxRects> {
  let signal = rectSignals.get(scope)
  if (!signal) {
    signal = computed('box rects', () => {
      scope.version.get()
      scope.layout.get()
      const kinds = actorKinds.get()
      const looks = lensViewSignal.get().actors
      const byLook = new Map<string, { fill: string; border: string; alpha: number; rects: number[] }>()
      let count = 0
      for (const [boxId, actorId] of scope.boxes) {
        if (!scope.drawnAsBox(boxId)) continue
        const box = scope.boxBounds.get(boxId)
        const kind = kinds.get(actorId)
        if (!box || !kind) continue
        const style = ACTOR_STYLES[kind]
        const look = looks.get(actorId)
        const border = look?.colour ?? style.border
        const alpha = look?.dimmed ? DIMMED_ALPHA : 1
        const key = `${style.background} ${border} ${alpha}`
        let entry = byLook.get(key)
        if (!entry) {
          entry = { fill: style.background, border, alpha, rects: [] }
          byLook.set(key, entry)
        }
        entry.rects.push(box.x, box.y, box.w, box.h)
        count++
      }
      return { byLook, count }
    })
    rectSignals.set(scope, signal)
  }
  return signal
}

/**
 * Draws the lines on a `<canvas>` placed in page space over the view and a margin around it:
 * batched into one path per colour (a link kind), redrawn in an animation frame when the lines
 * change (a box moved, a link's kind, the lens), when the view leaves the drawn area, and once a
 * zoom has rested (SHARPEN_MS). A pan or zoom within the margin redraws nothing meanwhile: the
 * canvas moves and scales with the page.
 *
 * Measured against the SVG layer of 20,000 lines it replaces (npm run bench:canvas): the SVG was
 * rasterised again on every frame of a zoomed-out pan, on the CPU, where Chromium has no GPU.
 */
function drawLines(
  editor: Editor,
  scope: CanvasScope,
  canvas: HTMLCanvasElement,
  hotCanvas: HTMLCanvasElement,
  hotLayer: HTMLElement,
): () => void {
  const split = lineSplit(editor, scope)
  const groups = Array.from({ length: GROUPS }, (_, group) =>
    linesToDraw(editor, scope, `link lines ${group}`, () => split.get().groups[group] ?? []),
  )
  const all = computed('link lines', () => groups.map((group) => group.get()))
  const hot = linesToDraw(editor, scope, 'link lines of the selected boxes', () => split.get().hot)
  const rectsSignal = boxRects(scope)
  const previewed = computed('the map preview drawn', () => {
    const preview = scope.previewShown()
    return preview ? previewDrawing(preview) : null
  })
  // The map's own lines and boxes, or its preview's until the document brings a box.
  const shown = computed('what the layer draws', () => {
    const sketch = previewed.get()
    return sketch
      ? { lines: [sketch.lines], rects: sketch.rects, preview: true }
      : { lines: all.get(), rects: rectsSignal.get(), preview: false }
  })
  const context = canvas.getContext('2d')
  const hotContext = hotCanvas.getContext('2d')
  let frame: number | null = null
  let drawn: { lines: GroupLines[]; rects: BoxRects; zoom: number; area: Box } | null = null
  let hotDrawn: { lines: GroupLines; zoom: number } | null = null
  const hotLines = new HotLines(hotLayer)

  let sharpen: ReturnType<typeof setTimeout> | undefined
  const draw = (sharp = false) => {
    frame = null
    if (!context || !hotContext) return
    drawHot(hotContext)
    const { lines, rects, preview } = shown.get()
    if (!preview) scope.mapDrawn()
    const zoom = editor.getZoomLevel()
    const view = editor.getViewportPageBounds()
    if (drawn && drawn.lines === lines && drawn.rects === rects && drawn.area.contains(view)) {
      if (drawn.zoom === zoom) return
      // Zoomed within the drawn area: the canvas scales with the page meanwhile, and is drawn
      // sharp again once the zoom has rested (a wheel's steps come tens of milliseconds apart).
      if (!sharp) {
        clearTimeout(sharpen)
        sharpen = setTimeout(() => {
          frame ??= requestAnimationFrame(() => draw(true))
        }, SHARPEN_MS)
        return
      }
    }
    const hotLines = hot.get()
    const count = lines.reduce((sum, group) => sum + group.count, hotLines.count)
    const bandCount = lines.reduce((sum, group) => sum + group.bands.length / 5, hotLines.bands.length / 5)
    canvas.dataset.lines = String(count)
    canvas.dataset.bands = String(bandCount)
    // The preview's boxes are not the map's: counted apart, so a test of the map counts its own.
    canvas.dataset.boxes = String(preview ? 0 : rects.count)
    canvas.dataset.previewBoxes = String(preview ? rects.count : 0)
    if (count === 0 && rects.count === 0) {
      drawn = null
      hide(canvas)
      return
    }
    const began = performance.now()
    const area = view.clone().expandBy(Math.max(view.w, view.h) * MARGIN)
    const scale = placeCanvas(canvas, area, zoom)
    // Where the canvas lies on the page, for tests that click a box drawn on it.
    canvas.dataset.area = `${area.minX} ${area.minY} ${area.w} ${area.h}`
    context.setTransform(1, 0, 0, 1, 0, 0)
    context.clearRect(0, 0, canvas.width, canvas.height)
    context.setTransform(scale, 0, 0, scale, -area.minX * scale, -area.minY * scale)
    paintLines(context, lines, area, zoom, scale)
    // The boxes last, over the lines, as tldraw's boxes lie over its arrows' ends.
    paintBoxes(context, rects, area, scale)
    drawn = { lines, rects, zoom, area }
    if (preview) scope.previewPainted()
    // Named for the benches (bench:canvas counts the redraws and their cost).
    performance.measure(LINES_DRAWN, { start: began })
  }

  /**
   * The selected boxes' lines, drawn apart from the rest: a drag redraws these few every frame,
   * where redrawing the whole layer (a software-rastered bitmap the size of the view and its
   * margin, crossed by thousands of lines at 100%) cost most of each frame. As elements moved by
   * the compositor (HotLines), or when there are many (a large selection), on a canvas just big
   * enough for them.
   */
  const drawHot = (hotContext: CanvasRenderingContext2D) => {
    const lines = hot.get()
    const zoom = editor.getZoomLevel()
    if (hotDrawn && hotDrawn.lines === lines && hotDrawn.zoom === zoom) return
    hotDrawn = { lines, zoom }
    // As the canvas strokes them: one device pixel wide, the bands as wide as their amounts.
    const deviceScale = zoom * (window.devicePixelRatio || 1)
    const asElements = hotLines.draw(
      lines,
      (colour) => lineStroke(colour, deviceScale),
      (width) => bandStroke(width, zoom),
    )
    if (asElements) return hide(hotCanvas)
    const view = editor.getViewportPageBounds()
    const area = view.clone().expandBy(Math.max(view.w, view.h) * MARGIN)
    const extent = new Box(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 0, 0)
    let maxX = Number.NEGATIVE_INFINITY
    let maxY = Number.NEGATIVE_INFINITY
    const cover = (coords: readonly number[], step: number) => {
      for (let i = 0; i < coords.length; i += step) {
        extent.x = Math.min(extent.x, coords[i] as number, coords[i + 2] as number)
        extent.y = Math.min(extent.y, coords[i + 1] as number, coords[i + 3] as number)
        maxX = Math.max(maxX, coords[i] as number, coords[i + 2] as number)
        maxY = Math.max(maxY, coords[i + 1] as number, coords[i + 3] as number)
      }
    }
    for (const coords of lines.byColour.values()) cover(coords, 4)
    cover(lines.bands, 5)
    extent.w = maxX - extent.x
    extent.h = maxY - extent.y
    const bounds = lines.count > 0 && Box.Collides(extent, area) ? intersection(extent, area) : null
    if (!bounds) return hide(hotCanvas)
    // Room for the funding bands' width and the lines' own.
    bounds.expandBy(BAND_MAX / 2 + 2 / zoom)
    const scale = placeCanvas(hotCanvas, bounds, zoom)
    hotContext.setTransform(1, 0, 0, 1, 0, 0)
    hotContext.clearRect(0, 0, hotCanvas.width, hotCanvas.height)
    hotContext.setTransform(scale, 0, 0, scale, -bounds.minX * scale, -bounds.minY * scale)
    paintLines(hotContext, [lines], bounds, zoom, scale)
  }

  const stop = react('link lines on the canvas', () => {
    shown.get()
    hot.get()
    editor.getCamera()
    editor.getViewportScreenBounds()
    frame ??= requestAnimationFrame(() => draw())
  })
  return () => {
    stop()
    if (frame !== null) cancelAnimationFrame(frame)
    clearTimeout(sharpen)
  }
}

/** The widest funding band in page pixels (FundingWidths' widest). */
const BAND_MAX = 36

/** Where two boxes overlap. */
function intersection(a: Box, b: Box): Box {
  const minX = Math.max(a.minX, b.minX)
  const minY = Math.max(a.minY, b.minY)
  return new Box(minX, minY, Math.min(a.maxX, b.maxX) - minX, Math.min(a.maxY, b.maxY) - minY)
}

function hide(canvas: HTMLCanvasElement): void {
  canvas.width = 0
  canvas.height = 0
  canvas.style.display = 'none'
}

/**
 * Sizes and places a canvas over a page area at this zoom (sharp on the device's pixels, under
 * MAX_BITMAP_PIXELS); returns the scale to draw page coordinates with.
 */
function placeCanvas(canvas: HTMLCanvasElement, area: Box, zoom: number): number {
  const screenPixels = Math.max(1, area.w * zoom * area.h * zoom)
  const dpr = Math.min(window.devicePixelRatio || 1, Math.sqrt(MAX_BITMAP_PIXELS / screenPixels))
  const scale = zoom * dpr
  const width = Math.max(1, Math.ceil(area.w * scale))
  const height = Math.max(1, Math.ceil(area.h * scale))
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width
    canvas.height = height
  }
  canvas.style.display = 'block'
  canvas.style.width = `${area.w}px`
  canvas.style.height = `${area.h}px`
  canvas.style.transform = `translate(${area.minX}px, ${area.minY}px)`
  return scale
}

/**
 * The links that are not tldraw arrows (see bindShapeWindow), drawn as straight lines between
 * the centres of the boxes their arrows are bound to, coloured by kind, and the boxes that are
 * not tldraw shapes, drawn as plain boxes in their kind's colours, under tldraw's shapes, on one
 * `<canvas>` (drawLines). Rendered as tldraw's `OnTheCanvas`, in page space, so it moves with the
 * map; a lens that hides links hides their lines too, and the funding lens widens them as it
 * widens the arrows. `data-lines`, `data-bands` and `data-boxes` say how many it draws, for tests.
 */
export function LinkLines() {
  const editor = useEditor()
  const scope = scopeOfStore.get(editor.store)
  const ref = useRef<HTMLCanvasElement>(null)
  const hotRef = useRef<HTMLCanvasElement>(null)
  const hotLayerRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const canvas = ref.current
    const hotCanvas = hotRef.current
    const hotLayer = hotLayerRef.current
    if (!canvas || !hotCanvas || !hotLayer || !scope) return
    return drawLines(editor, scope, canvas, hotCanvas, hotLayer)
  }, [editor, scope])
  if (!scope) return null
  return (
    <div className="link-lines page-layer" aria-hidden="true">
      <canvas ref={ref} data-testid="link-lines" />
      <canvas ref={hotRef} data-testid="link-lines-selected" />
      {/* The selected boxes' lines as elements (HotLines), which React leaves to it. */}
      <div ref={hotLayerRef} data-testid="link-lines-selected-elements" />
    </div>
  )
}
