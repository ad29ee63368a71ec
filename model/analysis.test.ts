import { readFileSync } from 'node:fs'
import Graph, { MultiDirectedGraph, UndirectedGraph } from 'graphology'
import betweennessCentrality from 'graphology-metrics/centrality/betweenness'
import {
  degreeCentrality,
  inDegreeCentrality,
  outDegreeCentrality,
} from 'graphology-metrics/centrality/degree'
import { describe, expect, it } from 'vitest'
import { syntheticDataset } from '../bench/synthetic.ts'
import { analyse, SECTORS, sectorOf, summaryLines } from './analysis.ts'
import { DATASET_FORMAT, DATASET_VERSION, type Dataset, DatasetSchema } from './dataset-schema.ts'
import { type Actor, type ActorKind, ActorSchema, type Domain } from './records/actor.ts'
import { type Link, type LinkKind, LinkSchema } from './records/link.ts'

const fixture = (): Dataset =>
  JSON.parse(readFileSync(new URL('../tests/fixtures/neighbourhood-map.json', import.meta.url), 'utf8'))

const actor = (id: string, kind: ActorKind = 'organisation', domains: Domain[] = []): Actor =>
  ActorSchema.parse({ id, kind, name: id.toUpperCase(), domains })

let linkCount = 0
const link = (from: string, to: string, kind: LinkKind = 'referral', extra: Partial<Link> = {}): Link =>
  LinkSchema.parse({ id: `l${String(linkCount++).padStart(4, '0')}`, from, to, kind, ...extra })

const map = (actors: Actor[], links: Link[]): Dataset =>
  DatasetSchema.parse({
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    meta: { title: 'Test', area: '', facilitator: '', description: '' },
    actors,
    links,
    themes: [],
    quickWins: [],
    journeys: [],
  })

const measure = (insight: ReturnType<typeof analyse>, id: string) => {
  const measures = insight.actors[id]
  if (!measures) throw new Error(`no measures for ${id}`)
  return measures
}

describe('analyse: degrees and betweenness', () => {
  it('measures a path a-b-c: b is on the only path between a and c', () => {
    const insight = analyse(
      map([actor('a'), actor('b'), actor('c')], [link('a', 'b'), link('b', 'c', 'partnership')]),
    )
    expect(measure(insight, 'a')).toMatchObject({ degree: 1, inDegree: 0, outDegree: 1, betweenness: 0 })
    expect(measure(insight, 'b')).toMatchObject({ degree: 2, inDegree: 1, outDegree: 1, betweenness: 1 })
    expect(measure(insight, 'c')).toMatchObject({ degree: 1, inDegree: 1, outDegree: 0, betweenness: 0 })
    expect(insight.brokers).toEqual(['b'])
    expect(insight.summary).toMatchObject({ actors: 3, ties: 2, disconnects: 0, isolated: 0, communities: 1 })
    expect(insight.summary.density).toBeCloseTo(2 / 3, 12)
    expect(Object.values(insight.actors).map((m) => m.community)).toEqual([0, 0, 0])
  })

  it('measures a star: the centre brokers every pair of leaves', () => {
    const leaves = ['l1', 'l2', 'l3', 'l4']
    const insight = analyse(
      map(
        [actor('hub'), ...leaves.map((id) => actor(id))],
        leaves.map((id) => link('hub', id)),
      ),
    )
    expect(measure(insight, 'hub')).toMatchObject({ degree: 4, outDegree: 4, inDegree: 0, betweenness: 1 })
    for (const id of leaves)
      expect(measure(insight, id)).toMatchObject({ degree: 1, inDegree: 1, outDegree: 0, betweenness: 0 })
    expect(insight.brokers).toEqual(['hub'])
    expect(insight.summary.density).toBeCloseTo(4 / 10, 12)
  })

  it('normalises over every actor, isolated ones too, and finds two communities', () => {
    // Two triangles joined by c-d, and g on its own: c and d each carry 6 of the 15 pairs.
    const insight = analyse(
      map(
        ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => actor(id)),
        [
          link('a', 'b'),
          link('b', 'c'),
          link('c', 'a'),
          link('d', 'e'),
          link('e', 'f'),
          link('f', 'd'),
          link('c', 'd'),
        ],
      ),
    )
    expect(measure(insight, 'c').betweenness).toBeCloseTo(6 / 15, 12)
    expect(measure(insight, 'd').betweenness).toBeCloseTo(6 / 15, 12)
    expect(measure(insight, 'a').betweenness).toBe(0)
    // Equal sizes: the community holding the smallest id comes first; the isolate is last.
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => measure(insight, id).community)).toEqual([
      0, 0, 0, 1, 1, 1, 2,
    ])
    expect(measure(insight, 'g')).toMatchObject({ isolated: true, degree: 0, betweenness: 0 })
    expect(insight.summary).toMatchObject({ isolated: 1, communities: 2 })
    // Equal betweenness: by name.
    expect(insight.brokers).toEqual(['c', 'd'])
  })

  it('counts a disconnect separately, never as a tie', () => {
    const insight = analyse(
      map([actor('a'), actor('b'), actor('c')], [link('a', 'b'), link('a', 'c', 'disconnect')]),
    )
    expect(measure(insight, 'a')).toMatchObject({ degree: 1, outDegree: 1, disconnects: 1, isolated: false })
    expect(measure(insight, 'c')).toMatchObject({ degree: 0, inDegree: 0, disconnects: 1, isolated: true })
    expect(insight.summary).toMatchObject({ ties: 1, disconnects: 1, isolated: 1 })
    expect(measure(insight, 'a').betweenness).toBe(0)
  })

  it('counts a mutual tie both ways, ties between one pair once in the graph, strengths by weight', () => {
    const insight = analyse(
      map(
        [actor('a'), actor('b')],
        [link('a', 'b', 'partnership', { direction: 'mutual', strength: 4 }), link('b', 'a')],
      ),
    )
    expect(measure(insight, 'a')).toMatchObject({ degree: 2, inDegree: 2, outDegree: 1, weightedDegree: 5 })
    expect(measure(insight, 'b')).toMatchObject({ degree: 2, inDegree: 1, outDegree: 2, weightedDegree: 5 })
    expect(insight.summary.density).toBe(1)
  })

  it('analyses an empty map', () => {
    const insight = analyse(map([], []))
    expect(insight.summary).toEqual({
      actors: 0,
      ties: 0,
      disconnects: 0,
      isolated: 0,
      communities: 0,
      density: 0,
      fundingTotal: 0,
      fundingOtherCurrencies: 0,
    })
    expect(insight.brokers).toEqual([])
    expect(insight.quietestDomainPairs).toEqual([])
    expect(summaryLines(insight, map([], []))).toEqual(['The map has 0 actors and 0 ties.'])
  })
})

describe('analyse: funding', () => {
  const dataset = map(
    [
      actor('f1', 'funder'),
      actor('f2', 'funder'),
      actor('f3', 'funder'),
      actor('r1', 'organisation', ['health', 'housing']),
      actor('r2', 'resident-group'),
      actor('r3', 'organisation', ['education']),
    ],
    [
      link('f1', 'r1', 'funding', { amount: 1000 }),
      link('f1', 'r2', 'funding', { amount: 500 }),
      link('f2', 'r2', 'funding', { amount: 250 }),
      link('f3', 'r1', 'funding', { amount: 300, currency: 'EUR' }),
      link('f2', 'r3', 'funding'),
      link('f1', 'r3', 'referral'),
    ],
  )
  const insight = analyse(dataset)

  it('sums GBP in and out, counts other currencies, and finds single-funder dependence', () => {
    expect(measure(insight, 'r1')).toMatchObject({
      fundingIn: 1000,
      fundingOtherCurrencies: 1,
      funders: ['f1', 'f3'],
      dependsOnOneFunder: false,
    })
    expect(measure(insight, 'r2')).toMatchObject({ fundingIn: 750, funders: ['f1', 'f2'] })
    expect(measure(insight, 'r3')).toMatchObject({ fundingIn: 0, funders: ['f2'], dependsOnOneFunder: true })
    expect(measure(insight, 'f1')).toMatchObject({ fundingOut: 1500, fundingIn: 0, funders: [] })
    expect(measure(insight, 'f3')).toMatchObject({ fundingOut: 0, fundingOtherCurrencies: 1 })
    expect(insight.summary).toMatchObject({ fundingTotal: 1750, fundingOtherCurrencies: 1 })
    expect(insight.funding.byFunder).toEqual({
      f1: { total: 1500, recipients: 2 },
      f2: { total: 250, recipients: 2 },
      f3: { total: 0, recipients: 1 },
    })
  })

  it("splits funding equally across a recipient's domains, 'unspecified' when it has none", () => {
    expect(insight.funding.byDomain).toMatchObject({
      health: 500,
      housing: 500,
      education: 0,
      unspecified: 750,
    })
    expect(insight.funding.flows).toEqual([
      { source: 'funder:f1', target: 'recipient:r1', amount: 1000 },
      { source: 'funder:f1', target: 'recipient:r2', amount: 500 },
      { source: 'funder:f2', target: 'recipient:r2', amount: 250 },
      { source: 'recipient:r1', target: 'domain:health', amount: 500 },
      { source: 'recipient:r1', target: 'domain:housing', amount: 500 },
      { source: 'recipient:r2', target: 'domain:unspecified', amount: 750 },
    ])
    expect(insight.funding.nodes.map((node) => `${node.column} ${node.id} ${node.label}`)).toEqual([
      '0 funder:f1 F1',
      '0 funder:f2 F2',
      '1 recipient:r1 R1',
      '1 recipient:r2 R2',
      '2 domain:health Health',
      '2 domain:housing Housing',
      '2 domain:unspecified Unspecified',
    ])
  })

  it('puts it in sentences', () => {
    const lines = summaryLines(insight, dataset)
    expect(lines).toContain('£1,750 of funding is recorded from 3 funders.')
    expect(lines).toContain('1 funding amount in other currencies is not in the total.')
    expect(lines).toContain('R3 depends on a single funder (F2).')
    expect(lines).toContain('No actor is isolated.')
    expect(lines.filter((line) => line.includes('single funder'))).toHaveLength(1)
  })

  it('flows in every column of the Sankey diagram sum to the funding total', () => {
    const data = fixture()
    const total = data.links
      .filter((l) => l.kind === 'funding' && l.currency === 'GBP')
      .reduce((sum, l) => sum + (l.amount ?? 0), 0)
    const result = analyse(data)
    expect(total).toBeGreaterThan(0)
    expect(result.summary.fundingTotal).toBe(total)
    const column = (prefix: string) =>
      result.funding.flows
        .filter((flow) => flow.source.startsWith(prefix))
        .reduce((sum, flow) => sum + flow.amount, 0)
    expect(column('funder:')).toBeCloseTo(total, 6)
    expect(column('recipient:')).toBeCloseTo(total, 6)
    const byDomain = Object.values(result.funding.byDomain).reduce((sum, amount) => sum + amount, 0)
    expect(byDomain).toBeCloseTo(total, 6)
    const ids = new Set(result.funding.nodes.map((node) => node.id))
    for (const flow of result.funding.flows) {
      expect(ids.has(flow.source) && ids.has(flow.target)).toBe(true)
      expect(flow.amount).toBeGreaterThan(0)
    }
  })
})

describe('analyse: bridges', () => {
  // A statutory health service, a health-and-housing organisation, a housing residents' group,
  // an education funder.
  const dataset = map(
    [
      actor('a', 'statutory-service', ['health']),
      actor('b', 'organisation', ['health', 'housing']),
      actor('c', 'resident-group', ['housing']),
      actor('d', 'funder', ['education']),
    ],
    [
      link('a', 'b'), // health-housing (health-health is within one domain)
      link('b', 'c', 'partnership', { direction: 'mutual' }), // health-housing
      link('c', 'd'), // housing-education
      link('b', 'd', 'funding', { amount: 10 }), // health-education, housing-education
      link('a', 'c', 'disconnect'), // not a tie
    ],
  )
  const insight = analyse(dataset)

  it('counts ties between domains, an actor counting for each of its domains', () => {
    const nonZero = insight.domainBridges.filter((pair) => pair.ties > 0)
    expect(nonZero).toEqual([
      { a: 'health', b: 'housing', ties: 2 },
      { a: 'health', b: 'education', ties: 1 },
      { a: 'housing', b: 'education', ties: 2 },
    ])
    expect(insight.domainBridges).toHaveLength(45)
    // Only pairs of domains that have actors; fewest first, then in DOMAINS order.
    expect(insight.quietestDomainPairs).toEqual([
      { a: 'health', b: 'education', ties: 1 },
      { a: 'health', b: 'housing', ties: 2 },
      { a: 'housing', b: 'education', ties: 2 },
    ])
  })

  it('counts ties between sectors', () => {
    expect(sectorOf('statutory-service')).toBe('statutory')
    expect(sectorOf('space')).toBe('social')
    expect(sectorOf('role')).toBe('residents')
    expect(SECTORS).toEqual(['statutory', 'social', 'residents'])
    expect(insight.sectorBridges).toEqual([
      { a: 'statutory', b: 'social', ties: 1 },
      { a: 'statutory', b: 'residents', ties: 0 },
      { a: 'social', b: 'residents', ties: 2 },
    ])
    expect(summaryLines(insight, dataset)).toContain(
      'Ties between sectors: Statutory services–social sector 1, Statutory services–residents 0, Social sector–residents 2.',
    )
  })
})

describe('analyse: the neighbourhood fixture', () => {
  const data = fixture()
  const insight = analyse(data)
  const ties = data.links.filter((l) => l.kind !== 'disconnect')

  it('agrees with graphology-metrics on degrees', () => {
    // Every tie once (a mutual one undirected), for degree; mutual ties both ways, for in and out.
    const mixed = new Graph({ type: 'mixed', multi: true })
    const directed = new MultiDirectedGraph()
    for (const a of data.actors) {
      mixed.addNode(a.id)
      directed.addNode(a.id)
    }
    for (const l of ties) {
      if (l.direction === 'mutual') {
        mixed.addUndirectedEdge(l.from, l.to)
        directed.addEdge(l.to, l.from)
      } else mixed.addDirectedEdge(l.from, l.to)
      directed.addEdge(l.from, l.to)
    }
    const n = data.actors.length - 1
    const degree = degreeCentrality(mixed)
    const inDegree = inDegreeCentrality(directed)
    const outDegree = outDegreeCentrality(directed)
    for (const a of data.actors) {
      const m = measure(insight, a.id)
      expect(m.degree).toBe(Math.round((degree[a.id] ?? Number.NaN) * n))
      expect(m.inDegree).toBe(Math.round((inDegree[a.id] ?? Number.NaN) * n))
      expect(m.outDegree).toBe(Math.round((outDegree[a.id] ?? Number.NaN) * n))
      expect(m.isolated).toBe(m.degree === 0)
    }
    expect(insight.summary.isolated).toBeGreaterThan(0)
    expect(insight.summary.ties).toBe(ties.length)
  })

  it('agrees with graphology-metrics on betweenness', () => {
    const graph = new UndirectedGraph()
    for (const a of data.actors) graph.addNode(a.id)
    for (const l of ties) if (!graph.hasEdge(l.from, l.to)) graph.addEdge(l.from, l.to)
    const expected = betweennessCentrality(graph, { getEdgeWeight: null, normalized: true })
    for (const a of data.actors)
      expect(measure(insight, a.id).betweenness).toBeCloseTo(expected[a.id] ?? 0, 12)
    const top = Object.entries(expected).sort(([, x], [, y]) => y - x)[0]?.[0]
    expect(insight.brokers[0]).toBe(top)
    expect(insight.brokers.length).toBeLessThanOrEqual(10)
    expect(insight.summary.density).toBeCloseTo(
      graph.size / ((data.actors.length * (data.actors.length - 1)) / 2),
      12,
    )
  })

  it('numbers communities from 0 by size', () => {
    const sizes: number[] = []
    for (const m of Object.values(insight.actors)) sizes[m.community] = (sizes[m.community] ?? 0) + 1
    expect(sizes.every((size) => size > 0)).toBe(true)
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes)
    expect(insight.summary.communities).toBe(sizes.filter((size) => size > 1).length)
    expect(insight.summary.communities).toBeGreaterThan(1)
  })

  it('is deterministic, whatever the order of the records', () => {
    expect(analyse(fixture())).toEqual(insight)
    const shuffled = { ...data, actors: [...data.actors].reverse(), links: [...data.links].reverse() }
    expect(analyse(shuffled)).toEqual(insight)
    expect(summaryLines(analyse(fixture()), data)).toEqual(summaryLines(insight, data))
  })

  it('says what it found', () => {
    const lines = summaryLines(insight, data)
    const name = (id: string) => data.actors.find((a) => a.id === id)?.name
    expect(lines).toContain(`${insight.summary.isolated} actors are isolated.`)
    expect(lines).toContain(`The top broker is ${name(insight.brokers[0] ?? '')}.`)
    expect(lines.some((line) => / depends on a single funder \(.+\)\.$/.test(line))).toBe(true)
    for (const line of lines) expect(line).toMatch(/^\S.*\.$/)
  })
})

describe('analyse: a 2,000-actor, 8,000-link map', () => {
  it('completes', () => {
    const data = syntheticDataset(2000, 8000)
    analyse(data) // warm up
    const start = performance.now()
    const insight = analyse(data)
    const elapsed = performance.now() - start
    console.log(`analyse: 2,000 actors, 8,000 links in ${elapsed.toFixed(0)} ms`)
    expect(insight.summary.actors).toBe(2000)
    expect(insight.summary.ties + insight.summary.disconnects).toBe(8000)
    expect(insight.brokers).toHaveLength(10)
  })
})
