import { useEffect, useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { Box, type Editor, useEditor, useValue } from 'tldraw'
import type { Journey } from '../../model/index.ts'
import { useWorkspaceData, useWorkspaceUi } from '../workspace-context.tsx'
import { boxesByActor } from './map-boxes.ts'
import '../panels/workshop-panels.css'

/** Radius of a numbered stop, in screen pixels. */
const STOP = 15

/**
 * The resident journey chosen in the Journeys panel, drawn over the map as a numbered,
 * highlighted path between its actors' boxes. Steps at a place not on the map are listed on
 * the card but not drawn. Rendered by tldraw as its `InFrontOfTheCanvas` component, inside
 * <Tldraw>, which is inside the WorkspaceProvider: so both the workspace context and tldraw's
 * editor context reach it.
 */
export function JourneyOverlay() {
  const { shownJourneyId, showJourney } = useWorkspaceUi()
  const journey = useWorkspaceData((snapshot) =>
    shownJourneyId ? snapshot.journeys.find((each) => each.id === shownJourneyId) : undefined,
  )
  const actors = useWorkspaceData((snapshot) => snapshot.actors)
  const names = useMemo(() => new Map(actors.map((actor) => [actor.id, actor.name])), [actors])
  // Someone removed the journey while it was shown here.
  useEffect(() => {
    if (shownJourneyId && !journey) showJourney(null)
  }, [shownJourneyId, journey, showJourney])
  if (!journey) return null
  return <JourneyPath journey={journey} names={names} onHide={() => showJourney(null)} />
}

interface Stop {
  readonly number: number
  /** The actor's box on screen (viewport pixels). */
  readonly box: Rect
  /** Where the step's number sits: on the box's top-left corner, fanned out for repeat visits. */
  readonly x: number
  readonly y: number
  readonly fellThrough: boolean
}

interface Rect {
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

/** Each step's actor box on the current page (the one nearest the previous stop), in page space. */
function stepBoxes(editor: Editor, actorIds: readonly (string | undefined)[]): (Box | null)[] {
  const boxesOf = boxesByActor(editor)
  let previous: Box | null = null
  return actorIds.map((actorId) => {
    const candidates = actorId ? (boxesOf.get(actorId) ?? []) : []
    if (candidates.length === 0) return null
    const from = previous
    const nearest: Box = from
      ? candidates.reduce((best, box) =>
          box.center.dist(from.center) < best.center.dist(from.center) ? box : best,
        )
      : (candidates[0] as Box)
    previous = nearest
    return nearest
  })
}

/**
 * Moves the camera so the journey's boxes fit in the part of the map the card and the toolbars
 * leave free, never zooming in past 100%.
 */
function fitJourney(editor: Editor, boxes: readonly Box[], top: number): void {
  if (boxes.length === 0) return
  const bounds = Box.Common([...boxes]).expandBy(24)
  const viewport = editor.getViewportScreenBounds()
  // The map toolbar and tldraw's tools take the bottom: two rows of them on a narrow screen.
  const inset = { top, bottom: viewport.w < 600 ? 190 : 150, left: 24, right: 24 }
  const width = Math.max(80, viewport.w - inset.left - inset.right)
  const height = Math.max(80, viewport.h - inset.top - inset.bottom)
  const zoom = Math.max(0.1, Math.min(1, width / bounds.w, height / bounds.h))
  editor.setCamera(
    {
      x: -bounds.x + (inset.left + (width - bounds.w * zoom) / 2) / zoom,
      y: -bounds.y + (inset.top + (height - bounds.h * zoom) / 2) / zoom,
      z: zoom,
    },
    { animation: { duration: 300 } },
  )
}

/** Where a ray from the middle of a box towards (dx, dy) leaves it, `gap` pixels out. */
function edgeOf(box: Rect, ux: number, uy: number, gap: number): { x: number; y: number } {
  const cx = box.x + box.w / 2
  const cy = box.y + box.h / 2
  const t = Math.min(
    ux === 0 ? Number.POSITIVE_INFINITY : (box.w / 2 + gap) / Math.abs(ux),
    uy === 0 ? Number.POSITIVE_INFINITY : (box.h / 2 + gap) / Math.abs(uy),
  )
  return { x: cx + ux * t, y: cy + uy * t }
}

function JourneyPath({
  journey,
  names,
  onHide,
}: {
  journey: Journey
  names: ReadonlyMap<string, string>
  onHide: () => void
}) {
  const { t } = useTranslation()
  const editor = useEditor()
  const cardRef = useRef<HTMLElement>(null)
  const actorIds = journey.steps.map((step) => step.actorId)
  const key = actorIds.join(' ')
  // Re-computed when the camera moves or any box moves, so the path follows the map.
  const rects = useValue(
    'journey boxes',
    () =>
      stepBoxes(
        editor,
        key.split(' ').map((id) => id || undefined),
      ).map((box): Rect | null => {
        if (!box) return null
        const topLeft = editor.pageToViewport(box.point)
        const zoom = editor.getZoomLevel()
        return { x: topLeft.x, y: topLeft.y, w: box.w * zoom, h: box.h * zoom }
      }),
    [editor, key],
  )
  const viewportWidth = useValue('viewport width', () => editor.getViewportScreenBounds().w, [editor])

  // Fit the journey's actors in view when it is first shown (not on every later change).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when another journey is shown
  useEffect(() => {
    const card = cardRef.current
    fitJourney(
      editor,
      stepBoxes(editor, actorIds).filter((box): box is Box => box !== null),
      card ? card.offsetTop + card.offsetHeight + 16 : 150,
    )
  }, [editor, journey.id])

  const stops: Stop[] = []
  const visits = new Map<string, number>()
  journey.steps.forEach((step, index) => {
    const box = rects[index]
    if (!box) return
    // Steps at a box already visited (they came back): the numbers line up along its top.
    const spot = `${Math.round(box.x)},${Math.round(box.y)}`
    const repeat = visits.get(spot) ?? 0
    visits.set(spot, repeat + 1)
    stops.push({
      number: index + 1,
      box,
      x: box.x + repeat * (STOP * 2 + 6),
      y: box.y,
      fellThrough: step.fellThrough,
    })
  })
  const notDrawn = journey.steps
    .map((step, index) => ({ step, number: index + 1 }))
    .filter(({ number }) => !rects[number - 1])

  return (
    <div className="journey-overlay" data-testid="journey-overlay">
      <svg className="journey-overlay__path" aria-hidden="true">
        <defs>
          <marker
            id="journey-overlay-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="5"
            markerHeight="5"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" className="journey-overlay__arrowhead" />
          </marker>
          <marker
            id="journey-overlay-arrow-fell"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="5"
            markerHeight="5"
            orient="auto-start-reverse"
          >
            <path
              d="M0,0 L10,5 L0,10 z"
              className="journey-overlay__arrowhead journey-overlay__arrowhead--fell"
            />
          </marker>
        </defs>
        {stops.map((stop) => (
          <rect
            key={`box-${stop.number}`}
            x={stop.box.x - 5}
            y={stop.box.y - 5}
            width={stop.box.w + 10}
            height={stop.box.h + 10}
            rx={14}
            className={`journey-overlay__box ${stop.fellThrough ? 'journey-overlay__box--fell' : ''}`}
          />
        ))}
        {stops.slice(1).map((stop, index) => {
          const from = stops[index] as Stop
          const dx = stop.box.x + stop.box.w / 2 - (from.box.x + from.box.w / 2)
          const dy = stop.box.y + stop.box.h / 2 - (from.box.y + from.box.h / 2)
          const length = Math.hypot(dx, dy)
          if (length < 1) return null
          const [ux, uy] = [dx / length, dy / length]
          const start = edgeOf(from.box, ux, uy, 8)
          const end = edgeOf(stop.box, -ux, -uy, 10)
          // The boxes touch or overlap: no room for a line between them.
          if ((end.x - start.x) * ux + (end.y - start.y) * uy < 12) return null
          const line = { x1: start.x, y1: start.y, x2: end.x, y2: end.y }
          // After a step where they fell through, the path is where nobody was holding them.
          const gap = from.fellThrough
          return (
            <g key={`${from.number}-${stop.number}`}>
              <line {...line} className="journey-overlay__halo" />
              <line
                {...line}
                className={`journey-overlay__segment ${gap ? 'journey-overlay__segment--fell' : ''}`}
                markerEnd={`url(#journey-overlay-arrow${gap ? '-fell' : ''})`}
              />
            </g>
          )
        })}
        {stops.map((stop) => (
          <g
            key={stop.number}
            className={`journey-overlay__stop ${stop.fellThrough ? 'journey-overlay__stop--fell' : ''}`}
            data-testid="journey-stop"
            data-step={stop.number}
            data-fell-through={stop.fellThrough || undefined}
            transform={`translate(${stop.x} ${stop.y})`}
          >
            {stop.fellThrough && <circle r={STOP + 6} className="journey-overlay__ring" />}
            <circle r={STOP} className="journey-overlay__dot" />
            <text className="journey-overlay__number" textAnchor="middle" dy="0.35em">
              {stop.number}
            </text>
            {stop.fellThrough && (
              <text
                className="journey-overlay__label"
                x={stop.x + 140 > viewportWidth ? -(STOP + 8) : STOP + 8}
                textAnchor={stop.x + 140 > viewportWidth ? 'end' : 'start'}
                y={-STOP + 2}
              >
                {t('journeys.fellThroughTag')}
              </text>
            )}
          </g>
        ))}
      </svg>
      <section ref={cardRef} className="journey-overlay__card" aria-label={t('journeys.overlay.label')}>
        <div className="journey-overlay__title">
          <strong className="journey-overlay__name">{journey.title}</strong>
          <button type="button" className="journey-overlay__hide" onClick={onHide}>
            {t('journeys.overlay.hide')}
          </button>
        </div>
        <p className="journey-overlay__summary">
          {t('journeys.overlay.drawn', { drawn: stops.length, count: journey.steps.length })}
          {stops.some((stop) => stop.fellThrough) && (
            <>
              {' · '}
              <span className="journey-overlay__key journey-overlay__key--fell">
                {t('journeys.overlay.key')}
              </span>
            </>
          )}
        </p>
        {notDrawn.length > 0 && (
          <p className="journey-overlay__summary">
            {t('journeys.overlay.notOnMap', {
              list: notDrawn
                .map(
                  ({ step, number }) =>
                    `${number}. ${(step.actorId && names.get(step.actorId)) || step.place || t('journeys.somewhere')}`,
                )
                .join('; '),
            })}
          </p>
        )}
      </section>
    </div>
  )
}
