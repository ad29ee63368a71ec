import Graph from 'graphology'
import { bridgesBetweenDomains, bridgesBetweenSectors } from './analysis/bridges.ts'
import { type Counts, fundingOf } from './analysis/funding.ts'
import { betweennessOf, communities } from './analysis/graph-measures.ts'
import type { ActorMeasures, NetworkInsight } from './analysis/insight.ts'
import { byId, compareText } from './analysis/order.ts'
import type { Dataset } from './dataset-schema.ts'

export type * from './analysis/insight.ts'
export { FUNDING_CURRENCY } from './analysis/insight.ts'
export { SECTOR_LABELS, SECTORS, type Sector, sectorOf } from './analysis/sectors.ts'
export { summaryLines } from './analysis/summary.ts'

/**
 * Network measures of a map, for the insight panel, the graph exports and the report.
 *
 * Ties are all links except disconnects. The "tie graph" is undirected and simple: two actors are
 * joined once however many ties run between them, whichever way, directed or mutual. Betweenness,
 * communities, isolation and density are measured on it. Links that do not join two different
 * actors of the dataset (a valid dataset has none) are left out of everything.
 */

const BROKERS = 10

/** The network measures of a dataset. Pure and deterministic: the same map gives the same answer. */
export function analyse(dataset: Dataset): NetworkInsight {
  // By id, once each (a damaged dataset may repeat one: the last wins).
  const actors = [...new Map(dataset.actors.map((actor) => [actor.id, actor])).values()].sort(byId)
  const actorById = new Map(actors.map((actor) => [actor.id, actor]))
  const links = dataset.links
    .filter((link) => link.from !== link.to && actorById.has(link.from) && actorById.has(link.to))
    .sort(byId)
  const ties = links.filter((link) => link.kind !== 'disconnect')

  const counts = new Map<string, Counts>()
  for (const actor of actors) {
    counts.set(actor.id, {
      degree: 0,
      inDegree: 0,
      outDegree: 0,
      weightedDegree: 0,
      disconnects: 0,
      fundingIn: 0,
      fundingOut: 0,
      fundingOtherCurrencies: 0,
      funders: new Set(),
    })
  }
  const countsOf = (id: string) => counts.get(id) as Counts

  // The undirected, simple tie graph.
  const graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false })
  for (const actor of actors) graph.addNode(actor.id)

  for (const link of links) {
    const from = countsOf(link.from)
    const to = countsOf(link.to)
    if (link.kind === 'disconnect') {
      from.disconnects++
      to.disconnects++
      continue
    }
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
    graph.mergeEdge(link.from, link.to)
  }

  const betweenness = betweennessOf(graph, actors)
  const community = communities(graph, actors)

  const funding = fundingOf(links, actorById, countsOf)

  // Object.fromEntries, not assignment, so that any id (even "__proto__") is an own key.
  const measures: Record<string, ActorMeasures> = Object.fromEntries(
    actors.map((actor): [string, ActorMeasures] => {
      const count = countsOf(actor.id)
      const funders = [...count.funders].sort(compareText)
      return [
        actor.id,
        {
          degree: count.degree,
          inDegree: count.inDegree,
          outDegree: count.outDegree,
          weightedDegree: count.weightedDegree,
          disconnects: count.disconnects,
          betweenness: betweenness.get(actor.id) ?? 0,
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

  const brokers = actors
    .filter((actor) => (measures[actor.id]?.betweenness ?? 0) > 0)
    .sort(
      (a, b) =>
        (measures[b.id]?.betweenness ?? 0) - (measures[a.id]?.betweenness ?? 0) ||
        compareText(a.name, b.name) ||
        byId(a, b),
    )
    .slice(0, BROKERS)
    .map((actor) => actor.id)

  const { domainBridges, quietestDomainPairs } = bridgesBetweenDomains(actors, ties)

  return {
    actors: measures,
    summary: {
      actors: n,
      ties: ties.length,
      disconnects: links.length - ties.length,
      isolated: actors.filter((actor) => measures[actor.id]?.isolated).length,
      communities: [...communitySizes.values()].filter((size) => size > 1).length,
      density: n < 2 ? 0 : graph.size / ((n * (n - 1)) / 2),
      fundingTotal: funding.total,
      fundingOtherCurrencies: funding.otherCurrencies,
    },
    brokers,
    domainBridges,
    quietestDomainPairs,
    sectorBridges: bridgesBetweenSectors(ties, actorById),
    funding: funding.insight,
  }
}
