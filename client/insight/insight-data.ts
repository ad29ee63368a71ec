import type {
  FunderTotal,
  FundingFlow,
  FundingInsight,
  FundingNode,
  NetworkInsight,
} from '../../model/analysis.ts'
import {
  type Actor,
  DATASET_FORMAT,
  DATASET_VERSION,
  type Dataset,
  type Domain,
  type Link,
  type WorkspaceSnapshot,
} from '../../model/index.ts'

/**
 * What the insight panel lists, worked out from a (possibly slightly older) insight and the
 * map as it is now. Pure, so the bench can time it: it runs on the page's thread each update.
 */

/** The fields of an actor the measures read (model/analysis.ts); the rest stay on the page. */
type MeasuredActor = Pick<Actor, 'id' | 'name' | 'kind' | 'domains'>
/** The fields of a link the measures read. */
type MeasuredLink = Pick<
  Link,
  'id' | 'from' | 'to' | 'kind' | 'direction' | 'strength' | 'amount' | 'currency'
>

const measuredActor = ({ id, name, kind, domains }: Actor): MeasuredActor => ({ id, name, kind, domains })
const measuredLink = ({ id, from, to, kind, direction, strength, amount, currency }: Link): MeasuredLink => ({
  id,
  from,
  to,
  kind,
  direction,
  strength,
  amount,
  currency,
})

/**
 * What the measures are worked out from: the workspace's actors and links with only the fields
 * `analyse` reads (descriptions, contacts and notes stay behind, so a third as much crosses to
 * the worker), everything else empty. Typed as a Dataset because `analyse` takes one; the unit
 * tests check that the measures of this input equal those of the whole dataset, so a field
 * `analyse` starts to read cannot be forgotten here unnoticed.
 */
export function analysisInput(snapshot: Pick<WorkspaceSnapshot, 'meta' | 'actors' | 'links'>): Dataset {
  return {
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    meta: snapshot.meta,
    actors: snapshot.actors.map(measuredActor) as Actor[],
    links: snapshot.links.map(measuredLink) as Link[],
    themes: [],
    quickWins: [],
    journeys: [],
    emergingModels: [],
    agenda: [],
    facilitation: { voteBudget: 5 },
    notes: { workshop: '', actors: {} },
  }
}

const sameDomains = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((domain, i) => domain === b[i])

/**
 * Do two analysis inputs give the same measures? False when any measured field differs, so an
 * edit to a description or a contact (or a moved box) never sends the map to the worker again.
 */
export function sameAnalysisInput(a: Dataset, b: Dataset): boolean {
  if (a.actors.length !== b.actors.length || a.links.length !== b.links.length) return false
  for (let i = 0; i < a.actors.length; i++) {
    const x = a.actors[i] as Actor
    const y = b.actors[i] as Actor
    if (x.id !== y.id || x.name !== y.name || x.kind !== y.kind || !sameDomains(x.domains, y.domains))
      return false
  }
  for (let i = 0; i < a.links.length; i++) {
    const x = a.links[i] as Link
    const y = b.links[i] as Link
    if (
      x.id !== y.id ||
      x.from !== y.from ||
      x.to !== y.to ||
      x.kind !== y.kind ||
      x.direction !== y.direction ||
      x.strength !== y.strength ||
      x.amount !== y.amount ||
      x.currency !== y.currency
    )
      return false
  }
  return true
}

/** The figure beside a name, for the panel to word in the person's language. */
export type RankedDetail =
  /** A broker's betweenness, estimated when the measures were sampled. */
  | { readonly kind: 'betweenness'; readonly value: number; readonly sampled: boolean }
  /** A funder's total and how many it funds. */
  | { readonly kind: 'funds'; readonly amount: number; readonly recipients: number }
  /** The one funder an actor depends on, by name (null: no longer on the map). */
  | { readonly kind: 'onlyFrom'; readonly funder: string | null }
  | null

export interface RankedActor {
  readonly id: string
  readonly name: string
  /** The figure beside the name. */
  readonly detail: RankedDetail
}

export interface RankedDomainPair {
  readonly a: Domain
  readonly b: Domain
  readonly ties: number
}

export interface InsightLists {
  readonly brokers: readonly RankedActor[]
  readonly isolated: readonly RankedActor[]
  readonly quietestDomainPairs: readonly RankedDomainPair[]
  readonly funders: readonly RankedActor[]
  readonly singleFunder: readonly RankedActor[]
  /** Each list's full length, where it was cut short. */
  readonly isolatedCount: number
  readonly singleFunderCount: number
}

/** How many of the longer lists (isolated, one funder) the panel shows at first. */
export const LIST_LIMIT = 10
const FUNDERS = 10

const gbp = new Map<string, Intl.NumberFormat>()

/** Money as the panel writes it, in the interface's locale (client/i18n `intlLocale()`). */
export function formatMoney(amount: number, locale = 'en-GB'): string {
  let format = gbp.get(locale)
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 })
    gbp.set(locale, format)
  }
  return format.format(amount)
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'en-GB')

/**
 * The ranked lists of the panel. Actors the insight names but the map no longer has (it was
 * worked out before they were removed) are left out.
 */
export function insightLists(
  insight: NetworkInsight,
  actors: readonly Actor[],
  limit = LIST_LIMIT,
): InsightLists {
  const byId = new Map(actors.map((actor) => [actor.id, actor]))
  const named = (id: string, detail: RankedDetail): RankedActor[] => {
    const actor = byId.get(id)
    return actor ? [{ id, name: actor.name, detail }] : []
  }

  const brokers = insight.brokers.flatMap((id) =>
    named(id, {
      kind: 'betweenness',
      value: insight.actors[id]?.betweenness ?? 0,
      sampled: insight.betweenness.sampled,
    }),
  )

  const isolatedAll = actors
    .filter((actor) => insight.actors[actor.id]?.isolated)
    .sort(byName)
    .map((actor): RankedActor => ({ id: actor.id, name: actor.name, detail: null }))

  const funders = Object.entries(insight.funding.byFunder)
    .flatMap(([id, total]) => {
      const actor = byId.get(id)
      return actor ? [{ actor, total }] : []
    })
    .sort((x, y) => y.total.total - x.total.total || byName(x.actor, y.actor))
    .slice(0, FUNDERS)
    .map(
      ({ actor, total }): RankedActor => ({
        id: actor.id,
        name: actor.name,
        detail: { kind: 'funds', amount: total.total, recipients: total.recipients },
      }),
    )

  const singleAll = actors
    .filter((actor) => insight.actors[actor.id]?.dependsOnOneFunder)
    .sort(byName)
    .map((actor): RankedActor => {
      const funder = insight.actors[actor.id]?.funders[0] ?? ''
      return {
        id: actor.id,
        name: actor.name,
        detail: { kind: 'onlyFrom', funder: byId.get(funder)?.name ?? null },
      }
    })

  return {
    brokers,
    isolated: isolatedAll.slice(0, limit),
    isolatedCount: isolatedAll.length,
    quietestDomainPairs: insight.quietestDomainPairs.map((pair) => ({
      a: pair.a,
      b: pair.b,
      ties: pair.ties,
    })),
    funders,
    singleFunder: singleAll.slice(0, limit),
    singleFunderCount: singleAll.length,
  }
}

const sameRecord = (
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
  same: (x: unknown, y: unknown) => boolean,
) => {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && same(a[key], b[key]))
}

/**
 * Is the money the same in both? Then the newer insight can keep the older one's funding object,
 * and the Sankey is neither laid out nor drawn again (most edits are not to funding).
 */
export function sameFunding(a: FundingInsight, b: FundingInsight): boolean {
  if (a === b) return true
  if (a.flows.length !== b.flows.length || a.nodes.length !== b.nodes.length) return false
  for (let i = 0; i < a.flows.length; i++) {
    const x = a.flows[i] as FundingFlow
    const y = b.flows[i] as FundingFlow
    if (x.source !== y.source || x.target !== y.target || x.amount !== y.amount) return false
  }
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i] as FundingNode
    const y = b.nodes[i] as FundingNode
    if (x.id !== y.id || x.label !== y.label || x.column !== y.column) return false
  }
  return (
    sameRecord(a.byDomain, b.byDomain, (x, y) => x === y) &&
    sameRecord(a.byFunder, b.byFunder, (x, y) => {
      const [p, q] = [x as FunderTotal, y as FunderTotal]
      return p.total === q.total && p.recipients === q.recipients
    })
  )
}
