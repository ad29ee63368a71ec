import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  analysisInput,
  formatMoney,
  insightLists,
  sameAnalysisInput,
  sameFunding,
} from '../../client/insight/insight-data.ts'
import {
  DEFAULT_LENS,
  DOMAIN_COLOURS,
  FUNDING_WIDTH,
  fundingWidths,
  haloWidth,
  type Lens,
  lensFromSearch,
  lensNeedsInsight,
  lensToSearch,
  lensView,
  linkShown,
  MAX_HALO,
  MIN_HALO,
  OTHER_COLOUR,
} from '../../client/insight/lens.ts'
import {
  condenseFunding,
  layoutSankey,
  OTHER_FUNDERS,
  OTHER_RECIPIENTS,
} from '../../client/insight/sankey.ts'
import { analyse } from '../../model/analysis.ts'
import type { Actor, Dataset, Journey, Link } from '../../model/index.ts'

const fixture = (): Dataset =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/neighbourhood-map.json'), 'utf8'))

const actor = (id: string, domains: Actor['domains'] = []): Actor =>
  ({ id, name: id.toUpperCase(), kind: 'organisation', domains }) as Actor
const link = (id: string, from: string, to: string, kind: Link['kind'], amount?: number): Link =>
  ({
    id,
    from,
    to,
    kind,
    direction: 'directed',
    currency: 'GBP',
    ...(amount === undefined ? {} : { amount }),
  }) as Link

// a -> b referral, a -> c funding 1000, b -> c funding 4000, c -x- d disconnect; e alone.
const actors = [actor('a', ['health']), actor('b', ['housing', 'health']), actor('c'), actor('d'), actor('e')]
const links = [
  link('l1', 'a', 'b', 'referral'),
  link('l2', 'a', 'c', 'funding', 1000),
  link('l3', 'b', 'c', 'funding', 4000),
  link('l4', 'c', 'd', 'disconnect'),
]
const journey = {
  id: 'j1',
  title: 'Rent arrears',
  steps: [{ actorId: 'a' }, { actorId: 'c' }, {}],
} as unknown as Journey
const data = { actors, links, journeys: [journey] }
const lens = (change: Partial<Lens>): Lens => ({ ...DEFAULT_LENS, ...change })

describe('a lens in the address', () => {
  it('reads what it wrote, leaving the other parameters alone', () => {
    const chosen = lens({ show: 'funding', size: 'betweenness', colour: 'domain' })
    const search = lensToSearch(chosen, 'token=abc&lens=referrals')
    expect(new URLSearchParams(search).get('token')).toBe('abc')
    expect(search).toContain('lens=funding')
    expect(lensFromSearch(search)).toEqual(chosen)
    const journeyLens = lens({ show: 'journey', journey: 'j1' })
    expect(lensFromSearch(lensToSearch(journeyLens))).toEqual(journeyLens)
  })

  it('keeps a plain map out of the address and falls back on anything unknown', () => {
    expect(lensToSearch(DEFAULT_LENS, 'lens=funding&size=degree&colour=domain&journey=j1')).toBe('')
    expect(lensFromSearch('lens=everything&size=height&colour=tartan')).toEqual(DEFAULT_LENS)
    // A journey lens without a journey is no journey lens; a journey without one is ignored.
    expect(lensFromSearch('lens=journey')).toEqual(DEFAULT_LENS)
    expect(lensFromSearch('lens=funding&journey=j1').journey).toBe(null)
  })

  it('needs the measures only to size or colour by them', () => {
    expect(lensNeedsInsight(lens({ show: 'funding', colour: 'domain' }))).toBe(false)
    expect(lensNeedsInsight(lens({ size: 'degree' }))).toBe(true)
    expect(lensNeedsInsight(lens({ colour: 'community' }))).toBe(true)
  })
})

describe('which links and actors a lens shows', () => {
  it('filters links by kind, or to those along a journey', () => {
    const shown = (chosen: Lens) =>
      links.filter((each) => linkShown(chosen, each, new Set(['a', 'c']))).map((each) => each.id)
    expect(shown(DEFAULT_LENS)).toEqual(['l1', 'l2', 'l3', 'l4'])
    expect(shown(lens({ show: 'funding' }))).toEqual(['l2', 'l3'])
    expect(shown(lens({ show: 'referrals' }))).toEqual(['l1'])
    expect(shown(lens({ show: 'disconnects' }))).toEqual(['l4'])
    expect(shown(lens({ show: 'journey', journey: 'j1' }))).toEqual(['l2'])
  })

  it('fades the actors the filter leaves without a link, and no one on the plain map', () => {
    const plain = lensView(DEFAULT_LENS, data, null)
    expect(plain.filtering).toBe(false)
    expect(plain.shownLinks.size).toBe(0)
    expect(plain.actors.size).toBe(0)

    const funding = lensView(lens({ show: 'funding' }), data, null)
    expect([...funding.shownLinks]).toEqual(['l2', 'l3'])
    const dimmed = [...funding.actors].filter(([, look]) => look.dimmed).map(([id]) => id)
    expect(dimmed).toEqual(['d', 'e'])

    const onJourney = lensView(lens({ show: 'journey', journey: 'j1' }), data, null)
    expect([...onJourney.actors].filter(([, look]) => !look.dimmed).map(([id]) => id)).toEqual(['a', 'c'])
  })

  it('filters nothing while the journey it names has not arrived', () => {
    const view = lensView(lens({ show: 'journey', journey: 'elsewhere' }), data, null)
    expect(view.filtering).toBe(false)
    expect([...view.actors.values()].some((look) => look.dimmed)).toBe(false)
  })

  it('colours by the first domain, grey without one, with a key', () => {
    const view = lensView(lens({ colour: 'domain' }), data, null)
    expect(view.actors.get('b')?.colour).toBe(DOMAIN_COLOURS.housing)
    expect(view.actors.get('b')?.colourLabel).toBe('Housing, Health')
    expect(view.actors.get('c')?.colour).toBe(OTHER_COLOUR)
    expect(view.legend.map((entry) => entry.label)).toEqual(['Health', 'Housing', 'No domain'])
  })

  it('sizes halos by the measure, the largest widest, zero none, and badges the value', () => {
    const dataset = { ...analysisInput({ meta: fixture().meta, actors, links }) }
    const insight = analyse(dataset)
    const view = lensView(lens({ size: 'fundingIn' }), data, insight)
    expect(view.sizeMax).toBe(5000)
    expect(view.actors.get('c')?.halo).toBe(MAX_HALO)
    expect(view.actors.get('c')?.badge).toMatch(/^£5k$/i)
    expect(view.actors.get('a')?.halo).toBe(0)
    const degree = lensView(lens({ size: 'degree' }), data, insight)
    expect(degree.actors.get('c')?.badge).toBe('2 ties')
    expect(degree.actors.get('e')?.halo).toBe(0)
    // Community colours come from the measures; without them nothing is coloured yet.
    expect(lensView(lens({ colour: 'community' }), data, null).actors.get('a')?.colour).toBe(null)
    expect(lensView(lens({ colour: 'community' }), data, insight).actors.get('a')?.colour).toMatch(/^#/)
  })
})

describe('the scales', () => {
  it('grows the halo with the square root of the value, within its bounds', () => {
    expect(haloWidth(0, 10)).toBe(0)
    expect(haloWidth(5, 0)).toBe(0)
    expect(haloWidth(10, 10)).toBe(MAX_HALO)
    expect(haloWidth(20, 10)).toBe(MAX_HALO)
    expect(haloWidth(2.5, 10)).toBeCloseTo(MIN_HALO + (MAX_HALO - MIN_HALO) * 0.5, 1)
    expect(haloWidth(0.0001, 10)).toBeGreaterThanOrEqual(MIN_HALO)
  })

  it('gives funding lines widths by amount, in pounds only', () => {
    const widths = fundingWidths([
      ...links,
      { ...link('l5', 'a', 'd', 'funding', 9000), currency: 'EUR' },
      link('l6', 'a', 'e', 'funding'),
    ])
    expect(widths.map((each) => each.linkId)).toEqual(['l2', 'l3'])
    expect(widths[1]?.width).toBe(FUNDING_WIDTH.max)
    expect(widths[0]?.width).toBeCloseTo(FUNDING_WIDTH.min + (FUNDING_WIDTH.max - FUNDING_WIDTH.min) * 0.5, 1)
  })
})

describe('the funding Sankey', () => {
  const insight = analyse(fixture())
  const layout = layoutSankey(insight.funding.nodes, insight.funding.flows, { width: 600, labelRoom: 100 })

  it('draws a band per flow and a bar per node, in three columns', () => {
    expect(layout.bands.length).toBe(insight.funding.flows.length)
    expect(layout.nodes.length).toBe(insight.funding.nodes.length)
    const xs = new Set(layout.nodes.map((node) => `${node.column}:${node.x}`))
    expect(xs.size).toBe(3)
    expect(Math.max(...layout.nodes.map((node) => node.x + layout.nodeWidth))).toBe(500)
  })

  it('makes bars as tall as the money through them, each column holding the whole total', () => {
    for (const column of [0, 1, 2]) {
      const bars = layout.nodes.filter((node) => node.column === column)
      const money = bars.reduce((sum, node) => sum + node.value, 0)
      expect(money).toBeCloseTo(insight.summary.fundingTotal, 6)
      for (const bar of bars) expect(bar.height).toBeCloseTo(Math.max(2, bar.value * layout.scale), 6)
      // Inside the drawing, not overlapping.
      const sorted = [...bars].sort((a, b) => a.y - b.y)
      sorted.forEach((bar, index) => {
        expect(bar.y).toBeGreaterThanOrEqual(0)
        expect(bar.y + bar.height).toBeLessThanOrEqual(layout.height)
        const next = sorted[index + 1]
        if (next) expect(next.y).toBeGreaterThan(bar.y + bar.height)
      })
    }
    for (const band of layout.bands)
      expect(band.width).toBeCloseTo(Math.max(1, band.amount * layout.scale), 0)
  })

  it('is empty without funding', () => {
    expect(layoutSankey([], [], { width: 400 }).bands).toEqual([])
  })
})

describe('the panel lists', () => {
  it('names the brokers, isolated actors and funders of the fixture, and skips actors since removed', () => {
    const dataset = fixture()
    const insight = analyse(dataset)
    const lists = insightLists(insight, dataset.actors)
    const names = new Map(dataset.actors.map((each) => [each.id, each.name]))
    expect(lists.brokers.map((each) => each.id)).toEqual(insight.brokers)
    expect(lists.brokers[0]?.name).toBe(names.get(insight.brokers[0] as string))
    expect(lists.isolatedCount).toBe(insight.summary.isolated)
    // The panel words the figure in the person's language; the list gives the figures.
    expect(lists.funders[0]?.detail).toMatchObject({ kind: 'funds', recipients: expect.any(Number) })
    expect(formatMoney(1500)).toBe('£1,500')
    const totals = lists.funders.map((each) => insight.funding.byFunder[each.id]?.total ?? 0)
    expect(totals).toEqual([...totals].sort((a, b) => b - a))
    const without = insightLists(
      insight,
      dataset.actors.filter((each) => each.id !== insight.brokers[0]),
    )
    expect(without.brokers.map((each) => each.id)).toEqual(insight.brokers.slice(1))
  })
})

describe('what crosses to the worker', () => {
  it('gives the same measures as the whole dataset, with only the measured fields', () => {
    const dataset = fixture()
    const input = analysisInput(dataset)
    expect(analyse(input)).toEqual(analyse(dataset))
    expect(Object.keys(input.actors[0] ?? {}).sort()).toEqual(['domains', 'id', 'kind', 'name'])
    expect(JSON.stringify(input).length).toBeLessThan(JSON.stringify(dataset).length)
  })

  it('is the same after an edit the measures do not read, and not after one they do', () => {
    const dataset = fixture()
    const before = analysisInput(dataset)
    const [first, ...rest] = dataset.actors as [Actor, ...Actor[]]
    const described = { ...dataset, actors: [{ ...first, description: 'Something new' }, ...rest] }
    expect(sameAnalysisInput(before, analysisInput(described))).toBe(true)
    const renamed = { ...dataset, actors: [{ ...first, name: 'Renamed' }, ...rest] }
    expect(sameAnalysisInput(before, analysisInput(renamed))).toBe(false)
    const [link, ...others] = dataset.links as [Link, ...Link[]]
    const restrengthened = { ...dataset, links: [{ ...link, strength: 5 }, ...others] }
    expect(sameAnalysisInput(before, analysisInput(restrengthened))).toBe(link.strength === 5)
    expect(sameAnalysisInput(before, analysisInput({ ...dataset, links: others }))).toBe(false)
  })

  it('keeps the Sankey when the money is the same', () => {
    const dataset = fixture()
    const a = analyse(dataset).funding
    expect(sameFunding(a, analyse(dataset).funding)).toBe(true)
    const funding = dataset.links.find((each) => each.kind === 'funding' && each.amount) as Link
    const changed = {
      ...dataset,
      links: dataset.links.map((each) =>
        each.id === funding.id ? { ...each, amount: (each.amount ?? 0) + 1 } : each,
      ),
    }
    expect(sameFunding(a, analyse(changed).funding)).toBe(false)
  })
})

describe('a large funding diagram', () => {
  it('draws the largest funders and organisations apiece and joins the rest, keeping every total', () => {
    const insight = analyse(fixture())
    const { nodes, flows } = insight.funding
    const condensed = condenseFunding(nodes, flows, { funders: 3, recipients: 5 })
    const column = (n: number) => condensed.nodes.filter((node) => node.column === n)
    expect(column(0)).toHaveLength(3)
    expect(column(1)).toHaveLength(5)
    expect(column(2)).toEqual(nodes.filter((node) => node.column === 2))
    expect(column(0).at(-1)?.id).toBe(OTHER_FUNDERS)
    expect(column(1).at(-1)?.id).toBe(OTHER_RECIPIENTS)
    expect(column(0).at(-1)?.label).toBe(
      `Other funders (${nodes.filter((node) => node.column === 0).length - 2})`,
    )
    const sum = (list: readonly { amount: number }[]) => list.reduce((total, flow) => total + flow.amount, 0)
    expect(sum(condensed.flows)).toBeCloseTo(sum(flows), 6)
    // The largest funder is drawn apiece.
    const largest = Object.entries(insight.funding.byFunder).sort(([, a], [, b]) => b.total - a.total)[0]?.[0]
    expect(column(0).map((node) => node.id)).toContain(`funder:${largest}`)
    // No limit reached: nothing changes.
    expect(condenseFunding(nodes, flows)).toEqual({ nodes: [...nodes], flows: [...flows] })
  })
})
