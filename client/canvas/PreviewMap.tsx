import { useEffect, useRef, useSyncExternalStore } from 'react'
import type { MapPreview } from '../../model/map-preview.ts'
import type { PreviewReceiver } from '../sync/preview-receiver.ts'
import { previewBounds, previewDrawing } from './layer-drawing.ts'
import { type PageArea, paintBoxes, paintLines } from './layer-paint.ts'

/**
 * As tldraw fits the map in view (Editor.zoomToBounds with fitMap's options): its padding, at
 * most 28% of the width, and its zoom steps' range (5% to 100% for a fit). The map then takes
 * over from the preview in the same place.
 */
const FIT_PADDING = 128
const MIN_ZOOM = 0.05
const MAX_FIT_ZOOM = 1

/**
 * The map's preview, drawn where the map will be while the map's own code (tldraw and the rest
 * of the workspace, a separate script) loads: a device opening a large map with nothing sees
 * its boxes and lines without waiting for that script to run and mount, then for the document.
 * Painted as the link layer paints it, and `data-preview-boxes` counts its boxes as there.
 */
export function PreviewMap({ receiver }: { receiver: PreviewReceiver }) {
  const preview = useSyncExternalStore(
    (listener) => receiver.subscribe(listener),
    () => receiver.received,
  )
  const ref = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const canvas = ref.current
    if (!canvas || !preview) return
    const paint = () => {
      if (paintPreview(canvas, preview)) receiver.painted()
    }
    paint()
    const resized = new ResizeObserver(paint)
    resized.observe(canvas)
    return () => resized.disconnect()
  }, [preview, receiver])
  return (
    <div className="preview-map" aria-hidden="true">
      <canvas ref={ref} />
    </div>
  )
}

/** Paints the preview fitted in the canvas's box; false if there is nothing to paint yet. */
function paintPreview(canvas: HTMLCanvasElement, preview: MapPreview): boolean {
  const bounds = previewBounds(preview)
  const context = canvas.getContext('2d')
  const { clientWidth: width, clientHeight: height } = canvas
  if (!bounds || !context || width === 0 || height === 0) return false
  const inset = Math.min(FIT_PADDING, width * 0.28)
  const fit = Math.min((width - inset) / bounds.w, (height - inset) / bounds.h)
  const zoom = Math.min(MAX_FIT_ZOOM, Math.max(MIN_ZOOM, fit))
  const dpr = window.devicePixelRatio || 1
  canvas.width = Math.ceil(width * dpr)
  canvas.height = Math.ceil(height * dpr)
  const scale = zoom * dpr
  // The page point at the canvas's top left, with the bounds centred.
  const minX = bounds.x - (width / zoom - bounds.w) / 2
  const minY = bounds.y - (height / zoom - bounds.h) / 2
  const area: PageArea = { minX, minY, maxX: minX + width / zoom, maxY: minY + height / zoom }
  context.setTransform(scale, 0, 0, scale, -minX * scale, -minY * scale)
  const { lines, rects } = previewDrawing(preview)
  paintLines(context, [lines], area, zoom, scale)
  paintBoxes(context, rects, area, scale)
  canvas.dataset.previewBoxes = String(rects.count)
  return true
}
