import i18next from 'i18next'
import { useEffect, useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useValue } from 'tldraw'
import type { NetworkSummary } from '../../model/analysis.ts'
import { fileStem } from '../../model/formats/format.ts'
import type { Domain } from '../../model/index.ts'
import type { MapBinding } from '../canvas/map-binding.ts'
import { setLabel } from '../i18n/declared-words.ts'
import { intlLocale } from '../i18n/intl-locale.ts'
import { useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import { insightState } from './engine.ts'
import { FundingSankey } from './FundingSankey.tsx'
import {
  formatMoney,
  type InsightLists,
  insightLists,
  type RankedActor,
  type RankedDetail,
} from './insight-data.ts'
import {
  COLOUR_BYS,
  type ColourBy,
  LENS_SHOWS,
  type LensShow,
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
  const { t } = useTranslation()
  const snapshot = useSnapshot()
  const { select } = useWorkspaceUi()
  const state = useValue(insightState)
  const headingId = useId()
  const locale = intlLocale()
  const count = new Intl.NumberFormat(locale)

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
      binding.showOnMap(
        snapshot.actors
          .filter((actor) => actor.domains.some((domain) => domains.includes(domain)))
          .map((actor) => ({ kind: 'actor' as const, id: actor.id })),
      )
    }
    onShowMap()
  }

  return (
    <section className="insight" aria-labelledby={headingId} aria-busy={state.updating || !insight}>
      <h2 id={headingId}>{t('insight.heading')}</h2>
      {/* Not a live region: on a busy map it would speak after every edit. */}
      <p className="hint insight__status">
        {state.error
          ? t('insight.status.failed', { reason: state.error })
          : !insight
            ? t('insight.status.working')
            : state.updating
              ? t('insight.status.updating')
              : [
                  state.ms !== null
                    ? t('insight.status.measuredIn', {
                        count: state.actors,
                        ms: state.ms < 10 ? state.ms.toFixed(1) : Math.round(state.ms),
                      })
                    : t('insight.status.measured', { count: state.actors }),
                  insight.betweenness.sampled
                    ? t('insight.status.estimated', {
                        sources: count.format(insight.betweenness.sources),
                        connected: count.format(insight.betweenness.connected),
                      })
                    : '',
                ]
                  .filter(Boolean)
                  .join(' ')}
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
            <h3 id={`${headingId}-funding`}>{t('insight.fundingHeading')}</h3>
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

function Figures({ summary, funders }: { summary: NetworkSummary; funders: number }) {
  const { t } = useTranslation()
  const locale = intlLocale()
  const number = new Intl.NumberFormat(locale)
  const compactMoney = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'GBP',
    notation: 'compact',
    maximumSignificantDigits: 3,
  })
  const percent = new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  })
  // [key, label, value, the value in full where the tile rounds it]
  const figures: [string, string, string, string?][] = [
    ['actors', t('insight.figures.actors'), number.format(summary.actors)],
    ['ties', t('insight.figures.ties'), number.format(summary.ties)],
    ['disconnects', t('insight.figures.disconnects'), number.format(summary.disconnects)],
    ['isolated', t('insight.figures.isolated'), number.format(summary.isolated)],
    ['communities', t('insight.figures.communities'), number.format(summary.communities)],
    ['density', t('insight.figures.density'), percent.format(summary.density)],
    [
      'funding',
      t('insight.figures.funding'),
      compactMoney.format(summary.fundingTotal),
      formatMoney(summary.fundingTotal, locale),
    ],
    ['funders', t('insight.figures.funders'), number.format(funders)],
  ]
  return (
    <dl className="insight__figures">
      {figures.map(([key, label, value, full]) => (
        <div key={key} className="insight__figure" title={full}>
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
  const { t } = useTranslation()
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
                title={t('insight.showOnMap')}
              >
                <span className="insight__name">{actor.name}</span>
                {actor.detail && <span className="insight__detail">{detailText(actor.detail)}</span>}
              </button>
            </li>
          ))}
        </ol>
      )}
      {actors.length > 5 && (
        <button type="button" className="insight__more" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('insight.showFewer') : t('insight.showMore', { count: actors.length - 5 })}
        </button>
      )}
      {total !== undefined && total > actors.length && (
        <p className="hint">{t('insight.andMore', { count: total - actors.length })}</p>
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
  const { t } = useTranslation()
  const pairsId = useId()
  return (
    <>
      <ActorList
        title={t('insight.brokers.heading')}
        actors={lists.brokers}
        empty={t('insight.brokers.none')}
        onActor={onActor}
        testId="insight-brokers"
      />
      <ActorList
        title={t('insight.isolated.heading')}
        actors={lists.isolated}
        total={lists.isolatedCount}
        empty={t('insight.isolated.none')}
        onActor={onActor}
        testId="insight-isolated"
      />
      <section className="insight__section" aria-labelledby={pairsId} data-testid="insight-domains">
        <h3 id={pairsId}>{t('insight.domains.heading')}</h3>
        {lists.quietestDomainPairs.length === 0 ? (
          <p className="hint">{t('insight.domains.none')}</p>
        ) : (
          <ol className="insight__list">
            {lists.quietestDomainPairs.slice(0, 5).map((pair) => (
              <li key={`${pair.a}-${pair.b}`}>
                <button
                  type="button"
                  className="insight__item"
                  onClick={() => onDomains([pair.a, pair.b])}
                  title={t('insight.domains.select')}
                >
                  <span className="insight__name">
                    {t('insight.domains.pair', {
                      a: setLabel('domains', pair.a),
                      b: setLabel('domains', pair.b),
                    })}
                  </span>
                  <span className="insight__detail">
                    {pair.ties === 0
                      ? t('insight.domains.noTies')
                      : t('insight.domains.ties', { count: pair.ties })}
                  </span>
                </button>
              </li>
            ))}
          </ol>
        )}
      </section>
      <ActorList
        title={t('insight.funders.heading')}
        actors={lists.funders}
        empty={t('insight.funders.none')}
        onActor={onActor}
        testId="insight-funders"
      />
      <ActorList
        title={t('insight.singleFunder.heading')}
        actors={lists.singleFunder}
        total={lists.singleFunderCount}
        empty={t('insight.singleFunder.none')}
        onActor={onActor}
        testId="insight-single-funder"
      />
    </>
  )
}

/** What `copied` holds once the link is on the clipboard (otherwise the link itself, to copy by hand). */
const COPIED = 'copied'

/** The figure beside a ranked name, in the person's language. */
function detailText(detail: NonNullable<RankedDetail>): string {
  const t = i18next.t
  switch (detail.kind) {
    case 'betweenness': {
      const value = new Intl.NumberFormat(intlLocale(), {
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }).format(detail.value)
      return detail.sampled
        ? t('insight.detail.betweennessAbout', { value })
        : t('insight.detail.betweenness', { value })
    }
    case 'funds':
      return t('insight.detail.funds', {
        amount: formatMoney(detail.amount, intlLocale()),
        count: detail.recipients,
      })
    case 'onlyFrom':
      return detail.funder === null
        ? t('insight.detail.onlyFromGone')
        : t('insight.detail.onlyFrom', { name: detail.funder })
  }
}

/** The lens: which links the map shows, what sizes the boxes' halos and what colours them. */
function LensSwitcher({ journeys }: { journeys: readonly { id: string; title: string }[] }) {
  const { t } = useTranslation()
  const lens = useLens()
  const id = useId()
  const [copied, setCopied] = useState<string | null>(null)
  // A link copied before the view changed no longer shows it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: cleared when the lens changes
  useEffect(() => setCopied(null), [lens])
  const sorted = [...journeys].sort((a, b) => a.title.localeCompare(b.title, intlLocale()))
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
      setCopied(COPIED)
    } catch {
      setCopied(link)
    }
  }
  return (
    <section className="insight__section insight__lens" aria-labelledby={id}>
      <h3 id={id}>{t('insight.lens.heading')}</h3>
      <p className="hint">{t('insight.lens.hint')}</p>
      <fieldset className="insight__choices">
        <legend>{t('insight.lens.showLegend')}</legend>
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
            {t(`insight.lens.show.${show}`)}
          </label>
        ))}
      </fieldset>
      {lens.show === 'journey' && sorted.length > 0 && (
        <>
          <label htmlFor={`${id}-journey`}>{t('insight.lens.journey')}</label>
          <select
            id={`${id}-journey`}
            value={lens.journey ?? ''}
            onChange={(event) => setLens({ show: 'journey', journey: event.target.value })}
          >
            {sorted.map((journey) => (
              <option key={journey.id} value={journey.id}>
                {journey.title || t('insight.lens.untitledJourney')}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor={`${id}-size`}>{t('insight.lens.sizeBy')}</label>
      <select
        id={`${id}-size`}
        value={lens.size}
        onChange={(event) => setLens({ size: event.target.value as SizeMeasure })}
      >
        {SIZE_MEASURES.map((measure) => (
          <option key={measure} value={measure}>
            {t(`insight.lens.size.${measure}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-colour`}>{t('insight.lens.colourBy')}</label>
      <select
        id={`${id}-colour`}
        value={lens.colour}
        onChange={(event) => setLens({ colour: event.target.value as ColourBy })}
      >
        {COLOUR_BYS.map((colour) => (
          <option key={colour} value={colour}>
            {t(`insight.lens.colour.${colour}`)}
          </option>
        ))}
      </select>
      <div className="row insight__lens-actions">
        <button type="button" className="button" onClick={() => void copy()}>
          {t('insight.lens.copy')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => setLens({ show: 'all', size: 'none', colour: 'kind' })}
        >
          {t('insight.lens.reset')}
        </button>
      </div>
      {copied && (
        <p className="hint insight__copied" role="status">
          {copied === COPIED ? t('insight.lens.copied') : t('insight.lens.copyThis')}
          {copied !== COPIED && (
            <input
              aria-label={t('insight.lens.linkToView')}
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
