import { useEffect, useId, useMemo, useState } from 'react'
import { useValue } from 'tldraw'
import { betweennessEstimate, type NetworkSummary } from '../../model/analysis.ts'
import { fileStem } from '../../model/formats/format.ts'
import type { Domain } from '../../model/index.ts'
import type { MapBinding } from '../canvas/map-binding.ts'
import { useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import { insightState } from './engine.ts'
import { FundingSankey } from './FundingSankey.tsx'
import { formatMoney, type InsightLists, insightLists, type RankedActor } from './insight-data.ts'
import {
  COLOUR_BYS,
  COLOUR_LABELS,
  type ColourBy,
  LENS_SHOW_LABELS,
  LENS_SHOWS,
  type LensShow,
  SIZE_LABELS,
  SIZE_MEASURES,
  type SizeMeasure,
} from './lens.ts'
import { insightDemand, setLens, useLens } from './lens-state.ts'
import { MatchesSection } from './MatchesSection.tsx'
import { PartnersSection } from './PartnersSection.tsx'
import './insight.css'

/**
 * The map's network measures (issue #8): the summary figures; ranked lists of brokers, isolated
 * actors, the domains with fewest ties between them, the largest funders and those depending on
 * one funder, each item showing itself on the map; the lens switcher; offers that meet needs and
 * partners for a bid (issue 18); and where the money flows.
 * The measures are worked out off the page's thread, so the panel shows the last ones while a
 * change is being taken in.
 */
export function InsightPanel({ binding, onShowMap }: { binding: MapBinding | null; onShowMap: () => void }) {
  const snapshot = useSnapshot()
  const { select } = useWorkspaceUi()
  const state = useValue(insightState)
  const headingId = useId()

  // While the panel is open, the measures follow the map.
  useEffect(() => {
    insightDemand.update((count) => count + 1)
    return () => {
      insightDemand.update((count) => count - 1)
    }
  }, [])

  const { insight } = state
  const lists = useMemo(
    () => (insight ? insightLists(insight, snapshot.actors, 50) : null),
    [insight, snapshot.actors],
  )

  const showActor = (id: string) => {
    select({ kind: 'actor', id })
    onShowMap()
  }
  const showDomains = (domains: readonly Domain[]) => {
    setLens({ colour: 'domain' })
    if (binding) {
      const ids = snapshot.actors
        .filter((actor) => actor.domains.some((domain) => domains.includes(domain)))
        .flatMap((actor) => binding.shapesOf({ kind: 'actor', id: actor.id }))
      if (ids.length > 0) {
        binding.editor.select(...ids)
        binding.editor.zoomToSelection({ animation: { duration: 200 } })
      }
    }
    onShowMap()
  }

  return (
    <section className="insight" aria-labelledby={headingId} aria-busy={state.updating || !insight}>
      <h2 id={headingId}>Network insight</h2>
      {/* Not a live region: on a busy map it would speak after every edit. */}
      <p className="hint insight__status">
        {state.error
          ? `The measures could not be worked out: ${state.error}`
          : !insight
            ? 'Working out the measures…'
            : state.updating
              ? 'Updating for the latest changes…'
              : `Measured ${state.actors} actor${state.actors === 1 ? '' : 's'}${state.ms !== null ? ` in ${state.ms < 10 ? state.ms.toFixed(1) : Math.round(state.ms)} ms` : ''}.${insight.betweenness.sampled ? ` ${betweennessEstimate(insight.betweenness)}` : ''}`}
      </p>

      {insight && (
        <Figures summary={insight.summary} funders={Object.keys(insight.funding.byFunder).length} />
      )}
      <LensSwitcher journeys={snapshot.journeys} />
      {/* Read from the map itself, not the measures: they need no worker and show at once. */}
      <MatchesSection onActor={showActor} />
      <PartnersSection binding={binding} onActor={showActor} />

      {insight && lists && (
        <>
          <Rankings lists={lists} onActor={showActor} onDomains={showDomains} />
          <section className="insight__section" aria-labelledby={`${headingId}-funding`}>
            <h3 id={`${headingId}-funding`}>Where the funding goes</h3>
            <FundingSankey
              funding={insight.funding}
              total={insight.summary.fundingTotal}
              fileStem={fileStem(snapshot.meta.title)}
            />
          </section>
        </>
      )}
    </section>
  )
}

const compactMoney = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'GBP',
  notation: 'compact',
  maximumSignificantDigits: 3,
})

function Figures({ summary, funders }: { summary: NetworkSummary; funders: number }) {
  // [label, value, the value in full where the tile rounds it]
  const figures: [string, string, string?][] = [
    ['Actors', String(summary.actors)],
    ['Ties', String(summary.ties)],
    ['Disconnects', String(summary.disconnects)],
    ['Isolated', String(summary.isolated)],
    ['Communities', String(summary.communities)],
    ['Density', `${(summary.density * 100).toFixed(1)}%`],
    ['Funding', compactMoney.format(summary.fundingTotal), formatMoney(summary.fundingTotal)],
    ['Funders', String(funders)],
  ]
  return (
    <dl className="insight__figures">
      {figures.map(([label, value, full]) => (
        <div key={label} className="insight__figure" title={full}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}

/** A list of actors, each a button that shows it on the map; longer lists fold. */
function ActorList({
  title,
  actors,
  total,
  empty,
  onActor,
  testId,
}: {
  title: string
  actors: readonly RankedActor[]
  total?: number
  empty: string
  onActor: (id: string) => void
  testId: string
}) {
  const id = useId()
  const [all, setAll] = useState(false)
  const shown = all ? actors : actors.slice(0, 5)
  return (
    <section className="insight__section" aria-labelledby={id} data-testid={testId}>
      <h3 id={id}>{title}</h3>
      {actors.length === 0 ? (
        <p className="hint">{empty}</p>
      ) : (
        <ol className="insight__list">
          {shown.map((actor) => (
            <li key={actor.id}>
              <button
                type="button"
                className="insight__item"
                onClick={() => onActor(actor.id)}
                title="Show on the map"
              >
                <span className="insight__name">{actor.name}</span>
                {actor.detail && <span className="insight__detail">{actor.detail}</span>}
              </button>
            </li>
          ))}
        </ol>
      )}
      {actors.length > 5 && (
        <button type="button" className="insight__more" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show ${actors.length - 5} more`}
        </button>
      )}
      {total !== undefined && total > actors.length && (
        <p className="hint">And {total - actors.length} more.</p>
      )}
    </section>
  )
}

function Rankings({
  lists,
  onActor,
  onDomains,
}: {
  lists: InsightLists
  onActor: (id: string) => void
  onDomains: (domains: readonly Domain[]) => void
}) {
  const pairsId = useId()
  return (
    <>
      <ActorList
        title="Top brokers"
        actors={lists.brokers}
        empty="No actor sits between others yet."
        onActor={onActor}
        testId="insight-brokers"
      />
      <ActorList
        title="Isolated actors"
        actors={lists.isolated}
        total={lists.isolatedCount}
        empty="No actor is isolated."
        onActor={onActor}
        testId="insight-isolated"
      />
      <section className="insight__section" aria-labelledby={pairsId} data-testid="insight-domains">
        <h3 id={pairsId}>Least connected domains</h3>
        {lists.quietestDomainPairs.length === 0 ? (
          <p className="hint">Give actors domains to see the silos between them.</p>
        ) : (
          <ol className="insight__list">
            {lists.quietestDomainPairs.slice(0, 5).map((pair) => (
              <li key={`${pair.a}-${pair.b}`}>
                <button
                  type="button"
                  className="insight__item"
                  onClick={() => onDomains([pair.a, pair.b])}
                  title="Select their actors on the map, coloured by domain"
                >
                  <span className="insight__name">{pair.label}</span>
                  <span className="insight__detail">
                    {pair.ties === 0 ? 'no ties' : `${pair.ties} tie${pair.ties === 1 ? '' : 's'}`}
                  </span>
                </button>
              </li>
            ))}
          </ol>
        )}
      </section>
      <ActorList
        title="Largest funders"
        actors={lists.funders}
        empty="No funding links yet."
        onActor={onActor}
        testId="insight-funders"
      />
      <ActorList
        title="Depend on one funder"
        actors={lists.singleFunder}
        total={lists.singleFunderCount}
        empty="Nobody depends on a single funder."
        onActor={onActor}
        testId="insight-single-funder"
      />
    </>
  )
}

/** The lens: which links the map shows, what sizes the boxes' halos and what colours them. */
function LensSwitcher({ journeys }: { journeys: readonly { id: string; title: string }[] }) {
  const lens = useLens()
  const id = useId()
  const [copied, setCopied] = useState<string | null>(null)
  // A link copied before the view changed no longer shows it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: cleared when the lens changes
  useEffect(() => setCopied(null), [lens])
  const sorted = [...journeys].sort((a, b) => a.title.localeCompare(b.title))
  const pickShow = (show: LensShow) => {
    if (show === 'journey') {
      const journey = lens.journey ?? sorted[0]?.id ?? null
      if (journey) setLens({ show, journey })
    } else setLens({ show })
  }
  const copy = async () => {
    const link = location.href
    try {
      // The clipboard needs a secure context: not there on the venue's plain-http network.
      await navigator.clipboard.writeText(link)
      setCopied('Link copied.')
    } catch {
      setCopied(link)
    }
  }
  return (
    <section className="insight__section insight__lens" aria-labelledby={id}>
      <h3 id={id}>Map view</h3>
      <p className="hint">
        Only on this device: others see the map as they choose. The address holds the view, so a link opens it
        as you see it.
      </p>
      <fieldset className="insight__choices">
        <legend>Show on the map</legend>
        {LENS_SHOWS.map((show) => (
          <label key={show} className="insight__choice">
            <input
              type="radio"
              name={`${id}-show`}
              value={show}
              checked={lens.show === show}
              disabled={show === 'journey' && sorted.length === 0}
              onChange={() => pickShow(show)}
            />
            {LENS_SHOW_LABELS[show]}
          </label>
        ))}
      </fieldset>
      {lens.show === 'journey' && sorted.length > 0 && (
        <>
          <label htmlFor={`${id}-journey`}>Journey</label>
          <select
            id={`${id}-journey`}
            value={lens.journey ?? ''}
            onChange={(event) => setLens({ show: 'journey', journey: event.target.value })}
          >
            {sorted.map((journey) => (
              <option key={journey.id} value={journey.id}>
                {journey.title || 'Untitled journey'}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor={`${id}-size`}>Size by (a halo round each box)</label>
      <select
        id={`${id}-size`}
        value={lens.size}
        onChange={(event) => setLens({ size: event.target.value as SizeMeasure })}
      >
        {SIZE_MEASURES.map((measure) => (
          <option key={measure} value={measure}>
            {SIZE_LABELS[measure]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-colour`}>Colour by</label>
      <select
        id={`${id}-colour`}
        value={lens.colour}
        onChange={(event) => setLens({ colour: event.target.value as ColourBy })}
      >
        {COLOUR_BYS.map((colour) => (
          <option key={colour} value={colour}>
            {COLOUR_LABELS[colour]}
          </option>
        ))}
      </select>
      <div className="row insight__lens-actions">
        <button type="button" className="button" onClick={() => void copy()}>
          Copy link to this view
        </button>
        <button
          type="button"
          className="button"
          onClick={() => setLens({ show: 'all', size: 'none', colour: 'kind' })}
        >
          Reset
        </button>
      </div>
      {copied && (
        <p className="hint insight__copied" role="status">
          {copied === 'Link copied.' ? copied : 'Copy this link:'}
          {copied !== 'Link copied.' && (
            <input
              aria-label="Link to this view"
              readOnly
              value={copied}
              onFocus={(event) => event.currentTarget.select()}
            />
          )}
        </p>
      )}
    </section>
  )
}
