import { useMemo } from 'react'
import { type Computed, computed, type Editor, react, type TLStore, useEditor, useValue } from 'tldraw'
import type { LinkKind } from '../../model/index.ts'
import { lensDataAtom, lensViewSignal } from '../insight/lens-state.ts'
import { type ActorShape, lowDetailOf } from './actor-shape.tsx'
import { ALL_ARROWS_UP_TO, type CanvasScope } from './canvas-scope.ts'

/** The canvas scope each store is bound with (shapes and layers find it through their editor's store). */
export const scopeOfStore = new WeakMap<TLStore, CanvasScope>()

/**
 * On a large map, at most this many links are tldraw arrows at once (those near the view): a
 * screenful of arrows with heads and captions. The rest are lines in the link layer.
 */
export const MAX_ARROW_SHAPES = 1200
/** The view moved: wait this long for it to settle before changing which arrows are shapes. */
const SETTLE_MS = 150

/**
 * Which links are tldraw arrows on a large map, chosen again each time the view settles.
 *
 * Measured on a 5,000-actor, 20,000-link map (npm run bench:canvas): 20,000 arrow shapes in
 * tldraw's store take minutes to mount and every pan frame then walks them, while the same links
 * as one layer of lines cost little to draw and nothing to pan (the layer moves with the
 * canvas). So: zoomed out (below LOW_DETAIL_ZOOM, where arrowheads and captions cannot be read)
 * no link is an arrow shape; zoomed in, the links with a box in or near the view (both ends
 * first) become arrows, up to MAX_ARROW_SHAPES, so the ones a person can read, select and
 * re-bind are real arrows; the others stay lines. On a small map (CanvasScope's 'auto') every
 * link is an arrow, as before.
 */
export function bindArrowWindow(editor: Editor, scope: CanvasScope): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const choose = () => {
    timer = undefined
    if (scope.arrowsInScope() <= ALL_ARROWS_UP_TO) return scope.setArrowWindow('auto')
    if (lowDetailOf(editor).get()) return scope.setArrowWindow(new Set())
    const view = editor.getViewportPageBounds().clone()
    view.expandBy(Math.max(view.w, view.h) / 2)
    const near = (boxId: string | undefined) => {
      const box = boxId
        ? (editor.store.unsafeGetWithoutCapture(boxId as ActorShape['id']) as ActorShape)
        : undefined
      if (!box) return false
      return (
        box.x < view.maxX &&
        box.x + box.props.w > view.minX &&
        box.y < view.maxY &&
        box.y + box.props.h > view.minY
      )
    }
    const both: string[] = []
    const one: string[] = []
    for (const [arrowId, ends] of scope.ends) {
      if (!scope.arrowEndsIn(arrowId)) continue
      const start = near(ends.start)
      const end = near(ends.end)
      if (start && end) both.push(arrowId)
      else if (start || end) one.push(arrowId)
    }
    scope.setArrowWindow(new Set([...both, ...one].slice(0, MAX_ARROW_SHAPES)))
  }
  const stop = react('arrow window', () => {
    editor.getViewportPageBounds()
    lowDetailOf(editor).get()
    scope.version.get()
    clearTimeout(timer)
    timer = setTimeout(choose, SETTLE_MS)
  })
  return () => {
    stop()
    clearTimeout(timer)
  }
}

/**
 * Line colours by link kind: tldraw's light theme colours of each kind's arrow (styles.ts). No
 * dashes: measured, dashing 2,000 lines made each pan frame of a zoomed-out map take 0.9 s in
 * Chromium's software rasteriser, against 0.06 s for solid lines; the full arrows, near the view,
 * keep their kind's dash.
 */
const LINE_COLOURS: Record<LinkKind, string> = {
  referral: '#4465e9',
  funding: '#099268',
  partnership: '#ae3ec9',
  commissioning: '#e16919',
  membership: '#9fa8b2',
  'information-sharing': '#4ba1f1',
  disconnect: '#e03131',
}

/**
 * The lines are split into this many groups by arrow id, each redrawn on its own: moving a box
 * redraws only the groups holding its lines (a few hundred lines), not all 20,000.
 */
const GROUPS = 64

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

const groupSignals = new WeakMap<CanvasScope, Computed<LineEnds[][]>>()
/** The links drawn as lines, in their groups; recomputed only when what is in scope changes. */
function lineGroups(scope: CanvasScope): Computed<LineEnds[][]> {
  let signal = groupSignals.get(scope)
  if (!signal) {
    signal = computed('link line groups', () => {
      scope.version.get()
      const groups: LineEnds[][] = Array.from({ length: GROUPS }, () => [])
      for (const [arrowId, ends] of scope.ends) {
        if (!ends.start || !ends.end || !scope.drawnAsLine(arrowId)) continue
        groups[groupOf(arrowId)]?.push({
          arrowId,
          linkId: scope.arrows.get(arrowId),
          start: ends.start,
          end: ends.end,
        })
      }
      return groups
    })
    groupSignals.set(scope, signal)
  }
  return signal
}

/** Link kinds by id, once per change of the links. */
const linkKinds = computed('link kinds', () => {
  const kinds = new Map<string, LinkKind>()
  for (const link of lensDataAtom.get()?.links ?? []) kinds.set(link.id, link.kind)
  return kinds
})

/**
 * The links that are not tldraw arrows (see bindArrowWindow), drawn as straight lines between
 * the centres of the boxes their arrows are bound to, coloured and dashed by kind, under the
 * boxes. Rendered as tldraw's `OnTheCanvas`, in page space, so panning and zooming move the
 * layer as a whole and redraw no line; a lens that hides links hides their lines too.
 */
export function LinkLines() {
  const editor = useEditor()
  const scope = scopeOfStore.get(editor.store)
  if (!scope) return null
  return (
    <svg className="link-lines" aria-hidden="true" data-testid="link-lines">
      {Array.from({ length: GROUPS }, (_, group) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the groups are fixed, numbered slots
        <LineGroup key={group} editor={editor} scope={scope} group={group} />
      ))}
    </svg>
  )
}

function LineGroup({ editor, scope, group }: { editor: Editor; scope: CanvasScope; group: number }) {
  const signal = useMemo(
    () =>
      computed(`link lines ${group}`, () => {
        const lines = lineGroups(scope).get()[group] ?? []
        const view = lensViewSignal.get()
        const kinds = linkKinds.get()
        const paths = new Map<string, string[]>()
        for (const line of lines) {
          if (view.filtering && (!line.linkId || !view.shownLinks.has(line.linkId))) continue
          // Each box read here is a dependency: moving it redraws this group only.
          const a = editor.getShape(line.start as ActorShape['id']) as ActorShape | undefined
          const b = editor.getShape(line.end as ActorShape['id']) as ActorShape | undefined
          if (!a || !b) continue
          const kind = (line.linkId && kinds.get(line.linkId)) || 'ghost'
          let parts = paths.get(kind)
          if (!parts) {
            parts = []
            paths.set(kind, parts)
          }
          parts.push(
            `M${Math.round(a.x + a.props.w / 2)} ${Math.round(a.y + a.props.h / 2)}L${Math.round(b.x + b.props.w / 2)} ${Math.round(b.y + b.props.h / 2)}`,
          )
        }
        return [...paths].map(([kind, parts]) => ({ kind, d: parts.join('') }))
      }),
    [editor, scope, group],
  )
  const paths = useValue(signal)
  return (
    <>
      {paths.map(({ kind, d }) => (
        <path key={kind} d={d} data-kind={kind} stroke={LINE_COLOURS[kind as LinkKind] ?? '#9ca3af'} />
      ))}
    </>
  )
}
