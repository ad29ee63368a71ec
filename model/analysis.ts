import Graph from 'graphology'
import louvain from 'graphology-communities-louvain'
import type { Dataset } from './dataset-schema.ts'
import { seededRandom } from './random.ts'
import { type Actor, type ActorKind, DOMAIN_LABELS, DOMAINS, type Domain } from './records/actor.ts'
import type { Link } from './records/link.ts'

/**
 * Network measures of a map, for the insight panel, the graph exports and the report.
 *
 * Ties are all links except disconnects. The "tie graph" is undirected and simple: two actors are
 * joined once however many ties run between them, whichever way, directed or mutual. Betweenness,
 * communities, isolation and density are measured on it. Links that do not join two different
 * actors of the dataset (a valid dataset has none) are left out of everything.
 */

/** The three sectors of a neighbourhood's support network. */
export const SECTORS = ['statutory', 'social', 'residents'] as const
export type Sector = (typeof SECTORS)[number]

export const SECTOR_LABELS: Record<Sector, string> = {
  statutory: 'Statutory services',
  social: 'Social sector',
  residents: 'Residents',
}

const SECTOR_OF_KIND: Record<ActorKind, Sector> = {
  'statutory-service': 'statutory',
  organisation: 'social',
  network: 'social',
  space: 'social',
  funder: 'social',
  'resident-group': 'residents',
  role: 'residents',
}

/** The sector an actor of this kind belongs to. */
export const sectorOf = (kind: ActorKind): Sector => SECTOR_OF_KIND[kind]

/** The currency funding totals are in; amounts in others are counted, never converted. */
export const FUNDING_CURRENCY = 'GBP'

export interface ActorMeasures {
  /** Ties (links other than disconnects) touching the actor, each counted once. */
  readonly degree: number
  /** Ties towards the actor; a mutual tie counts both in and out for both ends. */
  readonly inDegree: number
  /** Ties from the actor; a mutual tie counts both in and out for both ends. */
  readonly outDegree: number
  /** The sum of the strengths of its ties; a tie without a strength counts 1. */
  readonly weightedDegree: number
  /** Disconnect links touching the actor. */
  readonly disconnects: number
  /** Betweenness on the undirected tie graph, normalised to 0..1. */
  readonly betweenness: number
  /**
   * Its community (Louvain on the tie graph): 0 is the largest, ties broken by smallest actor id.
   * An isolated actor is a community of its own, numbered after every larger one.
   */
  readonly community: number
  /** Has no ties (disconnects are not ties). */
  readonly isolated: boolean
  /** Funding received, in GBP. */
  readonly fundingIn: number
  /** Funding given, in GBP. */
  readonly fundingOut: number
  /** Funding links touching it whose amount is in another currency, so left out of the sums. */
  readonly fundingOtherCurrencies: number
  /** Actors with a funding link to it, by id. */
  readonly funders: readonly string[]
  /** Receives funding from exactly one funder. */
  readonly dependsOnOneFunder: boolean
}

export interface NetworkSummary {
  readonly actors: number
  /** Links other than disconnects. */
  readonly ties: number
  readonly disconnects: number
  readonly isolated: number
  /** Communities of two or more actors (isolated actors are each a community of their own). */
  readonly communities: number
  /** Pairs of actors joined by a tie, over all pairs of actors (0 with fewer than two actors). */
  readonly density: number
  /** All funding recorded in GBP. */
  readonly fundingTotal: number
  /** Funding links with an amount in another currency, left out of the total. */
  readonly fundingOtherCurrencies: number
}

/** How many ties join an actor of domain `a` to one of domain `b` (`a` before `b` in DOMAINS). */
export interface DomainBridge {
  readonly a: Domain
  readonly b: Domain
  readonly ties: number
}

/** How many ties join an actor of sector `a` to one of sector `b` (`a` before `b` in SECTORS). */
export interface SectorBridge {
  readonly a: Sector
  readonly b: Sector
  readonly ties: number
}

export type FundingDomain = Domain | 'unspecified'

export interface FunderTotal {
  /** Given, in GBP. */
  readonly total: number
  /** Different actors it funds (in any currency, with or without an amount). */
  readonly recipients: number
}

/**
 * One band of the funding Sankey diagram. Nodes are keyed by column so that an actor that both
 * funds and is funded never makes a cycle: `funder:<actor id>` -> `recipient:<actor id>` ->
 * `domain:<domain>` (or `domain:unspecified`).
 */
export interface FundingFlow {
  readonly source: string
  readonly target: string
  readonly amount: number
}

export interface FundingNode {
  readonly id: string
  readonly label: string
  /** 0 funders, 1 recipients, 2 domains. */
  readonly column: 0 | 1 | 2
}

export interface FundingInsight {
  /** Per funder (any actor with a funding link from it), by actor id. */
  readonly byFunder: Readonly<Record<string, FunderTotal>>
  /** Funding received by actors in each domain, in GBP, split equally across an actor's domains. */
  readonly byDomain: Readonly<Record<FundingDomain, number>>
  /** Funder -> recipient -> domain, in GBP; every column sums to the summary's funding total. */
  readonly flows: readonly FundingFlow[]
  /** The flows' nodes, in column order. */
  readonly nodes: readonly FundingNode[]
}

export interface NetworkInsight {
  /** Per actor id. */
  readonly actors: Readonly<Record<string, ActorMeasures>>
  readonly summary: NetworkSummary
  /** Up to 10 actor ids with betweenness above 0, highest first (equal ones by name). */
  readonly brokers: readonly string[]
  /** Every unordered pair of domains, in DOMAINS order. */
  readonly domainBridges: readonly DomainBridge[]
  /** Pairs of domains that both have actors, fewest ties first; at most 10. */
  readonly quietestDomainPairs: readonly DomainBridge[]
  /** Every unordered pair of different sectors, in SECTORS order. */
  readonly sectorBridges: readonly SectorBridge[]
  readonly funding: FundingInsight
}

const BROKERS = 10
const QUIETEST_PAIRS = 10
const LOUVAIN_SEED = 0x5eed

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const unique = <T>(items: readonly T[]): T[] => [...new Set(items)]

interface Counts {
  degree: number
  inDegree: number
  outDegree: number
  weightedDegree: number
  disconnects: number
  fundingIn: number
  fundingOut: number
  fundingOtherCurrencies: number
  funders: Set<string>
}

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

/**
 * Brandes' betweenness on the undirected, unweighted tie graph, normalised to 0..1 by the number
 * of pairs of other actors, (n - 1)(n - 2) / 2. Written here over flat typed arrays rather than
 * taken from graphology-metrics, which gives the same values but about ten times slower on a
 * 2,000-actor map.
 */
function betweennessOf(graph: Graph, actors: readonly Actor[]): Map<string, number> {
  const n = actors.length
  const result = new Map<string, number>()
  if (n < 3) {
    for (const actor of actors) result.set(actor.id, 0)
    return result
  }
  const index = new Map<string, number>(actors.map((actor, i) => [actor.id, i]))
  const start = new Int32Array(n + 1)
  actors.forEach((actor, i) => {
    start[i + 1] = (start[i] ?? 0) + graph.degree(actor.id)
  })
  const adjacent = new Int32Array(start[n] ?? 0)
  const fill = start.slice(0, n)
  graph.forEachEdge((_edge, _attributes, source, target) => {
    const s = index.get(source) ?? 0
    const t = index.get(target) ?? 0
    adjacent[fill[s] as number] = t
    adjacent[fill[t] as number] = s
    fill[s] = (fill[s] as number) + 1
    fill[t] = (fill[t] as number) + 1
  })

  const centrality = new Float64Array(n)
  const sigma = new Float64Array(n)
  const delta = new Float64Array(n)
  const distance = new Int32Array(n).fill(-1)
  const order = new Int32Array(n)
  // The shortest-path edges of one search as (parent, child) pairs, in the order found: each
  // undirected edge is one at most, and walking them backwards meets every child's pairs before
  // its parent's, so dependencies accumulate without a second look at every neighbour.
  const parents = new Int32Array(adjacent.length / 2)
  const children = new Int32Array(adjacent.length / 2)
  for (let source = 0; source < n; source++) {
    if (start[source] === start[source + 1]) continue
    sigma[source] = 1
    distance[source] = 0
    order[0] = source
    let head = 0
    let tail = 1
    let pairs = 0
    while (head < tail) {
      const v = order[head++] as number
      const next = (distance[v] as number) + 1
      const paths = sigma[v] as number
      for (let e = start[v] as number, end = start[v + 1] as number; e < end; e++) {
        const w = adjacent[e] as number
        const d = distance[w] as number
        if (d === -1) {
          distance[w] = next
          order[tail++] = w
        } else if (d !== next) continue
        sigma[w] = (sigma[w] as number) + paths
        parents[pairs] = v
        children[pairs++] = w
      }
    }
    while (pairs-- > 0) {
      const v = parents[pairs] as number
      const w = children[pairs] as number
      delta[v] =
        (delta[v] as number) + ((sigma[v] as number) / (sigma[w] as number)) * (1 + (delta[w] as number))
    }
    for (let k = 0; k < tail; k++) {
      const v = order[k] as number
      if (v !== source) centrality[v] = (centrality[v] as number) + (delta[v] as number)
      sigma[v] = 0
      delta[v] = 0
      distance[v] = -1
    }
  }
  // Each pair was counted from both ends.
  const scale = 1 / ((n - 1) * (n - 2))
  actors.forEach((actor, i) => {
    result.set(actor.id, (centrality[i] as number) * scale)
  })
  return result
}

/**
 * Louvain communities of the tie graph (seeded, so deterministic), renumbered from 0 by size,
 * largest first, equal sizes by their smallest actor id.
 */
function communities(graph: Graph, actors: readonly Actor[]): Map<string, number> {
  const raw = louvain(graph, { getEdgeWeight: null, rng: seededRandom(LOUVAIN_SEED) })
  const members = new Map<number, string[]>()
  // Actors are in id order, so each community's first member is its smallest id.
  for (const actor of actors) {
    const id = raw[actor.id] ?? -1
    const list = members.get(id)
    if (list) list.push(actor.id)
    else members.set(id, [actor.id])
  }
  const ordered = [...members.values()].sort(
    (a, b) => b.length - a.length || compareText(a[0] as string, b[0] as string),
  )
  const numbering = new Map<string, number>()
  ordered.forEach((list, index) => {
    for (const id of list) numbering.set(id, index)
  })
  return numbering
}

function bridgesBetweenDomains(
  actors: readonly Actor[],
  ties: readonly Link[],
): { domainBridges: DomainBridge[]; quietestDomainPairs: DomainBridge[] } {
  const D = DOMAINS.length
  const index = new Map<Domain, number>(DOMAINS.map((domain, i) => [domain, i]))
  const domainsOf = new Map<string, number[]>()
  const used = new Set<number>()
  for (const actor of actors) {
    const list = unique(actor.domains.map((domain) => index.get(domain) ?? -1)).filter((i) => i >= 0)
    domainsOf.set(actor.id, list)
    for (const i of list) used.add(i)
  }
  const counts = new Float64Array(D * D)
  const seen = new Set<number>()
  for (const tie of ties) {
    const from = domainsOf.get(tie.from) ?? []
    const to = domainsOf.get(tie.to) ?? []
    seen.clear()
    for (const i of from) {
      for (const j of to) {
        if (i === j) continue
        const key = i < j ? i * D + j : j * D + i
        if (seen.has(key)) continue
        seen.add(key)
        counts[key] = (counts[key] ?? 0) + 1
      }
    }
  }
  const domainBridges: DomainBridge[] = []
  DOMAINS.forEach((a, i) => {
    DOMAINS.forEach((b, j) => {
      if (i < j) domainBridges.push({ a, b, ties: counts[i * D + j] ?? 0 })
    })
  })
  const quietestDomainPairs = domainBridges
    .filter((pair) => used.has(index.get(pair.a) ?? -1) && used.has(index.get(pair.b) ?? -1))
    // A stable sort: equal counts stay in DOMAINS order.
    .sort((x, y) => x.ties - y.ties)
    .slice(0, QUIETEST_PAIRS)
  return { domainBridges, quietestDomainPairs }
}

function bridgesBetweenSectors(ties: readonly Link[], actorById: ReadonlyMap<string, Actor>): SectorBridge[] {
  const bridges: { a: Sector; b: Sector; ties: number }[] = []
  SECTORS.forEach((a, i) => {
    SECTORS.forEach((b, j) => {
      if (i < j) bridges.push({ a, b, ties: 0 })
    })
  })
  for (const tie of ties) {
    const from = actorById.get(tie.from)
    const to = actorById.get(tie.to)
    if (!from || !to) continue
    const s = sectorOf(from.kind)
    const t = sectorOf(to.kind)
    if (s === t) continue
    const bridge = bridges.find((pair) => (pair.a === s && pair.b === t) || (pair.a === t && pair.b === s))
    if (bridge) bridge.ties++
  }
  return bridges
}

function fundingOf(
  links: readonly Link[],
  actorById: ReadonlyMap<string, Actor>,
  countsOf: (id: string) => Counts,
): { insight: FundingInsight; total: number; otherCurrencies: number } {
  let total = 0
  let otherCurrencies = 0
  const given = new Map<string, { total: number; recipients: Set<string> }>()
  /** funder id -> recipient id -> GBP */
  const pairs = new Map<string, Map<string, number>>()
  for (const link of links) {
    if (link.kind !== 'funding') continue
    countsOf(link.to).funders.add(link.from)
    let funder = given.get(link.from)
    if (!funder) {
      funder = { total: 0, recipients: new Set() }
      given.set(link.from, funder)
    }
    funder.recipients.add(link.to)
    if (link.amount === undefined) continue
    if (link.currency !== FUNDING_CURRENCY) {
      otherCurrencies++
      countsOf(link.from).fundingOtherCurrencies++
      countsOf(link.to).fundingOtherCurrencies++
      continue
    }
    total += link.amount
    funder.total += link.amount
    countsOf(link.from).fundingOut += link.amount
    countsOf(link.to).fundingIn += link.amount
    let row = pairs.get(link.from)
    if (!row) {
      row = new Map()
      pairs.set(link.from, row)
    }
    row.set(link.to, (row.get(link.to) ?? 0) + link.amount)
  }

  const byFunder: Record<string, FunderTotal> = Object.fromEntries(
    [...given.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([id, funder]) => [id, { total: funder.total, recipients: funder.recipients.size }]),
  )

  const byDomain = Object.fromEntries([...DOMAINS, 'unspecified'].map((domain) => [domain, 0])) as Record<
    FundingDomain,
    number
  >
  const flows: FundingFlow[] = []
  const nodes: FundingNode[] = []
  const name = (id: string) => actorById.get(id)?.name ?? id
  const received = new Map<string, number>()
  for (const funder of [...pairs.keys()].sort(compareText)) {
    nodes.push({ id: `funder:${funder}`, label: name(funder), column: 0 })
    const row = pairs.get(funder) ?? new Map<string, number>()
    for (const recipient of [...row.keys()].sort(compareText)) {
      const amount = row.get(recipient) ?? 0
      if (amount <= 0) continue
      flows.push({ source: `funder:${funder}`, target: `recipient:${recipient}`, amount })
      received.set(recipient, (received.get(recipient) ?? 0) + amount)
    }
  }
  const domainsUsed = new Set<FundingDomain>()
  for (const recipient of [...received.keys()].sort(compareText)) {
    const amount = received.get(recipient) ?? 0
    nodes.push({ id: `recipient:${recipient}`, label: name(recipient), column: 1 })
    const own = unique(actorById.get(recipient)?.domains ?? [])
    const domains: FundingDomain[] = own.length > 0 ? DOMAINS.filter((d) => own.includes(d)) : ['unspecified']
    for (const domain of domains) {
      const share = amount / domains.length
      byDomain[domain] += share
      domainsUsed.add(domain)
      flows.push({ source: `recipient:${recipient}`, target: `domain:${domain}`, amount: share })
    }
  }
  for (const domain of [...DOMAINS, 'unspecified'] as const) {
    if (domainsUsed.has(domain))
      nodes.push({
        id: `domain:${domain}`,
        label: domain === 'unspecified' ? 'Unspecified' : DOMAIN_LABELS[domain],
        column: 2,
      })
  }
  // Funders whose amounts were all zero have no bands: keep only nodes a flow touches.
  const touched = new Set(flows.flatMap((flow) => [flow.source, flow.target]))
  return {
    insight: { byFunder, byDomain, flows, nodes: nodes.filter((node) => touched.has(node.id)) },
    total,
    otherCurrencies,
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 })

/** Names joined as "A, B and C". */
const listed = (names: readonly string[]) =>
  names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`

const SINGLE_FUNDER_LINES = 10

/** The insight as plain sentences for the Markdown report, most telling first. */
export function summaryLines(insight: NetworkInsight, dataset: Dataset): string[] {
  const names = new Map(dataset.actors.map((actor) => [actor.id, actor.name]))
  const name = (id: string) => names.get(id) ?? id
  const { summary } = insight
  const lines: string[] = []

  lines.push(
    `The map has ${plural(summary.actors, 'actor')} and ${plural(summary.ties, 'tie')}` +
      (summary.disconnects > 0 ? `; participants marked ${plural(summary.disconnects, 'disconnect')}.` : '.'),
  )
  if (summary.actors === 0) return lines

  lines.push(
    summary.isolated === 0
      ? 'No actor is isolated.'
      : summary.isolated === 1
        ? '1 actor is isolated.'
        : `${summary.isolated} actors are isolated.`,
  )

  const ids = Object.keys(insight.actors).sort(compareText)
  const best = ids
    .map((id) => ({ id, degree: insight.actors[id]?.degree ?? 0 }))
    .filter((entry) => entry.degree > 0)
    .sort((a, b) => b.degree - a.degree || compareText(name(a.id), name(b.id)) || compareText(a.id, b.id))[0]
  if (best) lines.push(`${name(best.id)} is the best connected actor (${plural(best.degree, 'tie')}).`)

  const [broker] = insight.brokers
  if (broker !== undefined) lines.push(`The top broker is ${name(broker)}.`)

  if (summary.communities > 0)
    lines.push(`The ties form ${plural(summary.communities, 'community', 'communities')}.`)
  if (summary.ties > 0)
    lines.push(
      `The network's density is ${summary.density.toFixed(3)} (${(summary.density * 100).toFixed(1)}% of possible ties).`,
    )

  const [quietest] = insight.quietestDomainPairs
  if (quietest)
    lines.push(
      `${DOMAIN_LABELS[quietest.a]} and ${DOMAIN_LABELS[quietest.b]} are the least connected domains ` +
        `(${quietest.ties === 0 ? 'no ties' : plural(quietest.ties, 'tie')} between them).`,
    )

  if (summary.ties > 0)
    lines.push(
      `Ties between sectors: ${insight.sectorBridges
        .map((bridge) => `${SECTOR_LABELS[bridge.a]}–${SECTOR_LABELS[bridge.b].toLowerCase()} ${bridge.ties}`)
        .join(', ')}.`,
    )

  const funders = Object.keys(insight.funding.byFunder).length
  if (summary.fundingTotal > 0)
    lines.push(
      `${gbp.format(summary.fundingTotal)} of funding is recorded from ${plural(funders, 'funder')}.`,
    )
  if (summary.fundingOtherCurrencies > 0)
    lines.push(
      `${plural(summary.fundingOtherCurrencies, 'funding amount')} in other currencies ` +
        `${summary.fundingOtherCurrencies === 1 ? 'is' : 'are'} not in the total.`,
    )

  const dependent = ids
    .filter((id) => insight.actors[id]?.dependsOnOneFunder)
    .sort((a, b) => compareText(name(a), name(b)) || compareText(a, b))
  for (const id of dependent.slice(0, SINGLE_FUNDER_LINES))
    lines.push(
      `${name(id)} depends on a single funder (${listed((insight.actors[id]?.funders ?? []).map(name))}).`,
    )
  const more = dependent.length - SINGLE_FUNDER_LINES
  if (more > 0)
    lines.push(`${plural(more, 'more actor')} ${more === 1 ? 'depends' : 'depend'} on a single funder.`)

  return lines
}
