import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Editor, getArrowBindings, type TLArrowShape, useEditor, useValue } from 'tldraw'
import { useAtomInAddress } from '../address-atom.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'
import { InsightEngine } from './engine.ts'
import {
  DEFAULT_LENS,
  fundingWidths,
  lensFromSearch,
  lensNeedsInsight,
  lensToSearch,
  sameLens,
} from './lens.ts'
import { insightDemand, lensAtom, lensDataAtom, lensViewSignal, setLens } from './lens-state.ts'
import './insight.css'

/**
 * What a lens needs beside the map, mounted once with it (as part of tldraw's
 * `InFrontOfTheCanvas`, so it sees both the workspace and the editor): the lens read from and
 * written to the address, the map's data and measures kept up to date for it, the shown journey
 * kept in step with the journey lens, and a key to what the lens shows.
 */
export function LensLayer() {
  useAtomInAddress('lens', lensAtom, lensFromSearch, lensToSearch, DEFAULT_LENS)
  useLensData()
  useJourneyInStep()
  return <LensKey />
}

/** Feeds the lens the workspace's records, and the measures while a lens or the panel wants them. */
function useLensData(): void {
  const { workspace } = useWorkspaceUi().connection
  const [engine, setEngine] = useState<InsightEngine | null>(null)
  useEffect(() => {
    const feed = () =>
      lensDataAtom.set({
        actors: workspace.actors(),
        links: workspace.links(),
        journeys: workspace.journeys(),
      })
    feed()
    const stop = workspace.onChange((change) => {
      if (change.changed.has('actors') || change.changed.has('links') || change.changed.has('journeys'))
        feed()
    })
    const started = new InsightEngine(workspace)
    setEngine(started)
    return () => {
      stop()
      started.destroy()
      setEngine(null)
      lensDataAtom.set(null)
    }
  }, [workspace])
  const wanted = useValue(
    'measures wanted',
    () => insightDemand.get() > 0 || lensNeedsInsight(lensAtom.get()),
    [],
  )
  useEffect(() => engine?.setActive(wanted), [engine, wanted])
}

/**
 * The journey lens and the journey drawn on the map (JourneyOverlay) are one thing: showing a
 * journey from the Journeys panel switches to its lens (so a link to it can be shared), hiding it
 * leaves the lens, and a link naming a journey shows it once the journey has loaded.
 */
function useJourneyInStep(): void {
  const { shownJourneyId, showJourney } = useWorkspaceUi()
  const lens = useValue(lensAtom)
  const known = useValue(
    'lens journey loaded',
    () => !!lens.journey && !!lensDataAtom.get()?.journeys.some((journey) => journey.id === lens.journey),
    [lens.journey],
  )
  const lastShown = useRef(shownJourneyId)
  const lastLens = useRef(lens)
  useEffect(() => {
    const shownChanged = shownJourneyId !== lastShown.current
    const lensChanged = !sameLens(lens, lastLens.current)
    lastShown.current = shownJourneyId
    lastLens.current = lens
    if (shownChanged) {
      if (shownJourneyId && shownJourneyId !== lens.journey)
        setLens({ show: 'journey', journey: shownJourneyId })
      else if (!shownJourneyId && lens.show === 'journey') setLens({ show: 'all' })
      return
    }
    if (lens.show === 'journey') {
      if (known && lens.journey !== shownJourneyId) showJourney(lens.journey)
    } else if (lensChanged && shownJourneyId) showJourney(null)
  }, [shownJourneyId, showJourney, lens, known])
}

/** A key to the lens in the corner of the map, with a way back to the plain map. */
function LensKey() {
  const { t } = useTranslation()
  const editor = useEditor()
  const view = useValue(lensViewSignal)
  // Folded at first where the map is narrow (a phone, or beside both drawers): it would hide it.
  const mapWidth = useValue('map width', () => editor.getViewportScreenBounds().w, [editor])
  const narrow = mapWidth < 600
  const [unfolded, setUnfolded] = useState<boolean | null>(null)
  const open = unfolded ?? !narrow
  const { lens, legend } = view
  // The journey lens has the journey's own card; a plain map needs no key.
  if (sameLens({ ...lens, journey: null }, DEFAULT_LENS)) return null
  if (lens.show === 'journey' && lens.size === 'none' && lens.colour === 'kind') return null
  const parts = [
    lens.show !== 'all' && t(`insight.lens.show.${lens.show}`),
    lens.size !== 'none' && t(`insight.lens.keySize.${lens.size}`),
    lens.colour !== 'kind' && t(`insight.lens.keyColour.${lens.colour}`),
  ].filter((part): part is string => !!part)
  return (
    <section
      // Below the shown journey's card (top middle, 420 pixels wide) where they would meet.
      className={`map-key lens-key ${lens.show === 'journey' && mapWidth < 980 ? 'lens-key--below-journey' : ''}`}
      aria-label={t('insight.lens.heading')}
      data-testid="lens-key"
    >
      <div className="lens-key__head">
        <button
          type="button"
          className="lens-key__toggle"
          aria-expanded={open}
          onClick={() => setUnfolded(!open)}
          title={open ? t('insight.lens.fold') : t('insight.lens.unfold')}
        >
          <span className="lens-key__title">{t('insight.lens.heading')}</span>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span>
        </button>
        <button type="button" className="lens-key__reset" onClick={() => lensAtom.set(DEFAULT_LENS)}>
          {t('insight.lens.showEverything')}
        </button>
      </div>
      {!open && <p className="lens-key__summary">{parts.join(' · ')}</p>}
      {open && (
        <>
          <ul className="lens-key__parts">
            {parts.map((part) => (
              <li key={part}>{part}</li>
            ))}
          </ul>
          {legend.length > 0 && (
            <ul className="lens-key__legend">
              {legend.map((entry) => (
                <li key={entry.label}>
                  <span
                    className="lens-key__swatch"
                    style={{ background: entry.colour }}
                    aria-hidden="true"
                  />
                  {entry.label}
                </li>
              ))}
            </ul>
          )}
          {lens.show === 'funding' && <p className="lens-key__note">{t('insight.lens.widerLines')}</p>}
        </>
      )}
    </section>
  )
}

/** A funding line to draw, in page coordinates. */
interface FundingLine {
  readonly linkId: string
  readonly x1: number
  readonly y1: number
  readonly x2: number
  readonly y2: number
  readonly width: number
}

/** The centre of the box an arrow's end is bound to, on the page. */
function boundCentre(editor: Editor, shapeId: TLArrowShape['id'] | undefined) {
  if (!shapeId) return null
  return editor.getShapePageBounds(shapeId)?.center ?? null
}

/**
 * Under the funding lens, a band under each funding arrow as wide as its amount, drawn between
 * the centres of the boxes it joins. Rendered as tldraw's `OnTheCanvas`, in page space under the
 * shapes, so it moves and zooms with the map and never covers a box.
 */
export function FundingWidths() {
  const editor = useEditor()
  const funding = useValue('funding lens', () => lensAtom.get().show === 'funding', [])
  const lines = useValue('funding lines', (): FundingLine[] => {
    if (!funding) return []
    const widths = new Map(fundingWidths(lensDataAtom.get()?.links ?? []).map((each) => [each.linkId, each]))
    if (widths.size === 0) return []
    const lines: FundingLine[] = []
    for (const shape of editor.getCurrentPageShapes()) {
      if (shape.type !== 'arrow') continue
      const linkId = shape.meta.linkId
      const width = typeof linkId === 'string' ? widths.get(linkId) : undefined
      if (!width) continue
      const bindings = getArrowBindings(editor, shape as TLArrowShape)
      const from = boundCentre(editor, bindings.start?.toId)
      const to = boundCentre(editor, bindings.end?.toId)
      if (!from || !to) continue
      lines.push({ linkId: width.linkId, x1: from.x, y1: from.y, x2: to.x, y2: to.y, width: width.width })
    }
    return lines
  }, [editor, funding])
  if (lines.length === 0) return null
  return (
    <svg className="lens-funding" aria-hidden="true" data-testid="funding-widths">
      {lines.map((line) => (
        <line
          key={line.linkId}
          data-link-id={line.linkId}
          x1={line.x1}
          y1={line.y1}
          x2={line.x2}
          y2={line.y2}
          strokeWidth={line.width}
        />
      ))}
    </svg>
  )
}
