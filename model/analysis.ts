import { bridgesBetweenDomains, bridgesBetweenSectors } from './analysis/bridges.ts'
import { type Counts, fundingOf } from './analysis/funding.ts'
import { betweenness as betweennessOf, communities, tieGraphOf } from './analysis/graph-measures.ts'
import type { ActorMeasures, NetworkInsight } from './analysis/insight.ts'
import { byId, compareText } from './analysis/order.ts'
import type { Dataset } from './dataset-schema.ts'
import type { Actor } from './records/actor.ts'

export type * from './analysis/insight.ts'
export { FUNDING_CURRENCY } from './analysis/insight.ts'
export { SECTOR_LABELS, SECTORS, type Sector, sectorOf } from './analysis/sectors.ts'
export { betweennessEstimate, summaryLines } from './analysis/summary.ts'

/**
 * Network measures of a map, for the insight panel, the graph exports and the report.
 *
 * Ties are all links except disconnects. The "tie graph" is undirected and simple: two actors are
 * joined once however many ties run between them, whichever way, directed or mutual. Betweenness,
 * communities, isolation and density are measured on it. Betweenness is exact on small maps and
 * estimated from a seeded sample of actors on large ones (`analysis/betweenness.ts`; the answer's
 * `betweenness` says which). Links that do not join two different actors of the dataset (a valid
 * dataset has none) are left out of everything.
 */

const BROKERS = 10

/** The network measures of a dataset. Pure and deterministic: the same map gives the same answer. */
export function analyse(dataset: Dataset): NetworkInsight {
  // By id, once each (a damaged dataset may repeat one: the last wins).
  const actors = [...new Map(dataset.actors.map((actor) => [actor.id, actor])).values()].sort(byId)
  const actorById = new Map(actors.map((actor) => [actor.id, actor]))
  const index = new Map(actors.map((actor, i) => [actor.id, i]))
  const links = dataset.links.filter(
    (link) => link.from !== link.to && index.has(link.from) && index.has(link.to),
  )
  // Only sums of amounts depend on the order of the links (integer strengths add up the same
  // in any order): the funding links go by id, the rest as they come.
  const fundingLinks = links.filter((link) => link.kind === 'funding').sort(byId)

  const counts: Counts[] = actors.map(() => ({
    degree: 0,
    inDegree: 0,
    outDegree: 0,
    weightedDegree: 0,
    disconnects: 0,
    fundingIn: 0,
    fundingOut: 0,
    fundingOtherCurrencies: 0,
    funders: new Set(),
  }))
  const countsOf = (id: string) => counts[index.get(id) as number] as Counts

  // The ends of each tie, as indices into `actors`, for the tie graph.
  const fromEnds = new Int32Array(links.length)
  const toEnds = new Int32Array(links.length)
  let ties = 0
  for (const link of links) {
    const f = index.get(link.from) as number
    const t = index.get(link.to) as number
    const from = counts[f] as Counts
    const to = counts[t] as Counts
    if (link.kind === 'disconnect') {
      from.disconnects++
      to.disconnects++
      continue
    }
    fromEnds[ties] = f
    toEnds[ties++] = t
    const weight = link.strength ?? 1
    from.degree++
    to.degree++
    from.outDegree++
    to.inDegree++
    if (link.direction === 'mutual') {
      from.inDegree++
      to.outDegree++
    }
    from.weightedDegree += weight
    to.weightedDegree += weight
  }

  const tieFrom = fromEnds.subarray(0, ties)
  const tieTo = toEnds.subarray(0, ties)

  // The undirected, simple tie graph.
  const tieGraph = tieGraphOf(actors.length, tieFrom, tieTo)
  const paths = betweennessOf(tieGraph)
  const community = communities(tieGraph, actors)

  const funding = fundingOf(fundingLinks, actorById, countsOf)

  // Object.fromEntries, not assignment, so that any id (even "__proto__") is an own key.
  const measures: Record<string, ActorMeasures> = Object.fromEntries(
    actors.map((actor, i): [string, ActorMeasures] => {
      const count = counts[i] as Counts
      const funders = [...count.funders].sort(compareText)
      return [
        actor.id,
        {
          degree: count.degree,
          inDegree: count.inDegree,
          outDegree: count.outDegree,
          weightedDegree: count.weightedDegree,
          disconnects: count.disconnects,
          betweenness: paths.values[i] as number,
          community: community.get(actor.id) ?? 0,
          isolated: count.degree === 0,
          fundingIn: count.fundingIn,
          fundingOut: count.fundingOut,
          fundingOtherCurrencies: count.fundingOtherCurrencies,
          funders,
          dependsOnOneFunder: funders.length === 1,
        },
      ]
    }),
  )

  const communitySizes = new Map<number, number>()
  for (const id of community.values()) communitySizes.set(id, (communitySizes.get(id) ?? 0) + 1)
  const n = actors.length

  const brokers = topBrokers(actors, paths.values)

  const { domainBridges, quietestDomainPairs } = bridgesBetweenDomains(actors, tieFrom, tieTo)

  return {
    actors: measures,
    summary: {
      actors: n,
      ties,
      disconnects: links.length - ties,
      isolated: actors.filter((actor) => measures[actor.id]?.isolated).length,
      communities: [...communitySizes.values()].filter((size) => size > 1).length,
      density: n < 2 ? 0 : tieGraph.adjacent.length / 2 / ((n * (n - 1)) / 2),
      fundingTotal: funding.total,
      fundingOtherCurrencies: funding.otherCurrencies,
    },
    brokers,
    betweenness: { sampled: paths.sampled, sources: paths.sources, connected: paths.connected },
    domainBridges,
    quietestDomainPairs,
    sectorBridges: bridgesBetweenSectors(actors, tieFrom, tieTo),
    funding: funding.insight,
  }
}

/** The BROKERS actors of highest betweenness above 0, highest first, equal ones by name then id. */
function topBrokers(actors: readonly Actor[], values: Float64Array): string[] {
  const before = (a: number, b: number) =>
    (values[b] as number) - (values[a] as number) ||
    compareText((actors[a] as Actor).name, (actors[b] as Actor).name) ||
    a - b
  // A short list kept in order as the actors go by: the map's thousands are never all sorted.
  const top: number[] = []
  for (let i = 0; i < actors.length; i++) {
    if (!((values[i] as number) > 0)) continue
    if (top.length === BROKERS && before(i, top[BROKERS - 1] as number) >= 0) continue
    let at = top.length
    while (at > 0 && before(i, top[at - 1] as number) < 0) at--
    top.splice(at, 0, i)
    if (top.length > BROKERS) top.pop()
  }
  return top.map((i) => (actors[i] as Actor).id)
}
