import type { Editor } from 'tldraw'

/** How many measurements are kept: every caption on a large map's window of arrows, and more. */
export const MEASURES_KEPT = 4000

type MeasureHtml = Editor['textMeasure']['measureHtml']

/**
 * The fonts a measurement was taken with: which faces have loaded. A face that finishes loading
 * changes it (before tldraw, told by the face's promise, measures again), so a size measured
 * with a fallback font is never given out once the real one is in.
 */
function fontsKey(doc: Document): string {
  let loaded = 0
  for (const face of doc.fonts) if (face.status === 'loaded') loaded++
  return `${doc.fonts.size}/${loaded}`
}

/**
 * Remembers the sizes tldraw measures text at. tldraw measures an arrow's caption again whenever
 * the arrow's geometry changes, and a box dragged with links moves their arrows on every frame:
 * each measurement writes the caption into a hidden element and reads its size back, a forced
 * layout of the whole page (the page had just moved the box), two or three of them per frame.
 * That was 415 ms of a 3 s drag on a 500-actor map, for the same captions at the same sizes.
 * A caption's size depends only on its HTML, the measuring options and the fonts, so it is
 * measured once per set of fonts. Sizes come back as fresh objects: tldraw may keep what it is
 * given.
 */
export function memoiseTextMeasure(editor: Editor): void {
  const measure = editor.textMeasure
  const measureHtml: MeasureHtml = measure.measureHtml.bind(measure)
  const doc = editor.getContainer().ownerDocument
  const kept = new Map<string, ReturnType<MeasureHtml>>()
  measure.measureHtml = (html, opts) => {
    const key = `${fontsKey(doc)}\u0000${JSON.stringify(opts)}\u0000${html}`
    let size = kept.get(key)
    if (size === undefined) {
      size = measureHtml(html, opts)
      // Oldest first out: a Map keeps its keys in the order they came.
      if (kept.size >= MEASURES_KEPT) kept.delete(kept.keys().next().value as string)
      kept.set(key, size)
    }
    return { ...size }
  }
}
