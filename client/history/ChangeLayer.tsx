import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { type Editor, getArrowBindings, type TLArrowShape, useEditor, useValue } from 'tldraw'
import type { Placement } from '../../model/change/index.ts'
import { boxesByActor } from '../canvas/map-boxes.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'
import { type ChangeHighlight, type ChangeMark, changeHighlightAtom } from './history-state.ts'
import { isolated, snapshotName } from './snapshot-words.ts'
import './history.css'

/** How far a ring stands out from the box it marks, in page pixels. */
const RING = 7

interface Ring {
  readonly actorId: string
  readonly mark: ChangeMark
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

interface Line {
  readonly linkId: string
  readonly mark: ChangeMark | 'removed'
  readonly x1: number
  readonly y1: number
  readonly x2: number
  readonly y2: number
}

const centre = (at: Placement) => ({ x: at.x + at.w / 2, y: at.y + at.h / 2 })

/** The page bounds of each actor's first box on the current page, by actor id. */
function actorBoxes(editor: Editor): Map<string, Placement> {
  const boxes = new Map<string, Placement>()
  for (const [actorId, [first]] of boxesByActor(editor))
    if (first) boxes.set(actorId, { x: first.x, y: first.y, w: first.w, h: first.h })
  return boxes
}

/**
 * A comparison drawn on the map that shows its later state: a green ring round each box of an
 * added actor and a dashed amber one round a changed actor; green and amber bands under added
 * and changed links; and, faint and dashed, the boxes of removed actors where they stood and
 * the links removed. Rendered as tldraw's `OnTheCanvas`, in page space under the shapes, so it
 * moves and zooms with the map and never covers a box (the rings stand out round them).
 */
export function ChangeLayer() {
  const editor = useEditor()
  const highlight = useValue(changeHighlightAtom)
  const drawn = useValue('change marks', (): { rings: Ring[]; lines: Line[] } => {
    if (!highlight) return { rings: [], lines: [] }
    const boxes = actorBoxes(editor)
    const rings: Ring[] = []
    for (const [actorId, box] of boxes) {
      const mark = highlight.actors.get(actorId)
      if (mark) rings.push({ actorId, mark, ...box })
    }
    const lines: Line[] = []
    for (const shape of editor.getCurrentPageShapes()) {
      if (shape.type !== 'arrow') continue
      const linkId = shape.meta.linkId
      const mark = typeof linkId === 'string' ? highlight.links.get(linkId) : undefined
      if (!mark || typeof linkId !== 'string') continue
      const bindings = getArrowBindings(editor, shape as TLArrowShape)
      const from = bindings.start && editor.getShapePageBounds(bindings.start.toId)?.center
      const to = bindings.end && editor.getShapePageBounds(bindings.end.toId)?.center
      if (from && to) lines.push({ linkId, mark, x1: from.x, y1: from.y, x2: to.x, y2: to.y })
    }
    for (const link of highlight.removedLinks) {
      const from = boxes.get(link.from) ?? highlight.placementsBefore.get(link.from)
      const to = boxes.get(link.to) ?? highlight.placementsBefore.get(link.to)
      if (!from || !to) continue
      const a = centre(from)
      const b = centre(to)
      lines.push({ linkId: link.id, mark: 'removed', x1: a.x, y1: a.y, x2: b.x, y2: b.y })
    }
    return { rings, lines }
  }, [editor, highlight])
  if (!highlight) return null
  return (
    <svg className="change-layer page-layer" aria-hidden="true" data-testid="change-layer">
      {drawn.lines.map((line) => (
        <line
          key={`${line.mark}-${line.linkId}`}
          className={`change-line change-line--${line.mark}`}
          data-link-id={line.linkId}
          data-change={line.mark}
          x1={line.x1}
          y1={line.y1}
          x2={line.x2}
          y2={line.y2}
        />
      ))}
      {highlight.removedActors.map((actor) => (
        <g key={actor.id} className="change-ghost" data-actor-id={actor.id} data-change="removed">
          <rect x={actor.at.x} y={actor.at.y} width={actor.at.w} height={actor.at.h} rx={12} />
          <text x={actor.at.x + actor.at.w / 2} y={actor.at.y + actor.at.h / 2}>
            {actor.name}
          </text>
        </g>
      ))}
      {drawn.rings.map((ring) => (
        <rect
          key={ring.actorId}
          className={`change-ring change-ring--${ring.mark}`}
          data-actor-id={ring.actorId}
          data-change={ring.mark}
          x={ring.x - RING}
          y={ring.y - RING}
          width={ring.w + 2 * RING}
          height={ring.h + 2 * RING}
          rx={12 + RING}
        />
      ))}
    </svg>
  )
}

/** How long the marks of a comparison with now wait after an edit before they are worked out again. */
const SETTLES_MS = 300

/** Compared with now, the marks follow the map as people edit it, whether or not the tab is open. */
function useFollowNow(follow: (() => ChangeHighlight) | undefined): void {
  const { workspace } = useWorkspaceUi().connection
  useEffect(() => {
    if (!follow) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const stop = workspace.onChange((change) => {
      if (!change.changed.has('actors') && !change.changed.has('links')) return
      clearTimeout(timer)
      timer = setTimeout(() => {
        if (changeHighlightAtom.get()?.follow === follow) changeHighlightAtom.set(follow())
      }, SETTLES_MS)
    })
    return () => {
      clearTimeout(timer)
      stop()
    }
  }, [workspace, follow])
}

const count = (marks: ReadonlyMap<string, ChangeMark>, mark: ChangeMark) =>
  [...marks.values()].filter((each) => each === mark).length

/** A key to the comparison in the corner of the map (counting actors and links), with a way to stop showing it. */
export function ChangeKey() {
  const { t, i18n } = useTranslation()
  const highlight = useValue(changeHighlightAtom)
  useFollowNow(highlight?.follow)
  if (!highlight) return null
  /** "2 actors, 1 link" after the mark's word. */
  const counts = (actors: number, links: number) => ({
    actors: t('changes.counts.actors', { count: actors }),
    links: t('changes.counts.links', { count: links }),
  })
  // Snapshots by name; one named as the server names its own is said as it (see snapshotName).
  const { before, after } = highlight.title
  const title = t('changes.compare.title', {
    before: isolated(snapshotName({ name: before, auto: true }, t)),
    after: after === null ? t('changes.compare.now') : isolated(snapshotName({ name: after, auto: true }, t)),
  })
  return (
    // The map's own layer is left to right whatever the language: the key reads in the interface's.
    <section
      className="change-key map-key"
      dir={i18n.dir()}
      aria-label={t('changes.key.label')}
      data-testid="change-key"
    >
      <div className="change-key__head">
        <strong>{t('changes.key.title', { title })}</strong>
        <button type="button" className="change-key__hide" onClick={() => changeHighlightAtom.set(null)}>
          {t('changes.key.hide')}
        </button>
      </div>
      <ul className="change-key__legend">
        <li>
          <span className="change-key__swatch change-key__swatch--added" aria-hidden="true" />
          {t('changes.key.added', counts(count(highlight.actors, 'added'), count(highlight.links, 'added')))}
        </li>
        <li>
          <span className="change-key__swatch change-key__swatch--changed" aria-hidden="true" />
          {t(
            'changes.key.changed',
            counts(count(highlight.actors, 'changed'), count(highlight.links, 'changed')),
          )}
        </li>
        <li>
          <span className="change-key__swatch change-key__swatch--removed" aria-hidden="true" />
          {t('changes.key.removed', counts(highlight.removedCount, highlight.removedLinks.length))}
        </li>
      </ul>
    </section>
  )
}
