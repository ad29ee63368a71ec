import type { FundingFlow, FundingNode } from '../../model/analysis.ts'

/**
 * Lays out the funding Sankey diagram: funders, then the organisations they fund, then those
 * organisations' domains, as three columns of bars whose heights are proportional to the money
 * through them, joined by bands as wide as each flow. Pure: the panel draws it as SVG and the
 * tests check it.
 */

export interface SankeyOptions {
  /** The drawing's width in pixels. */
  readonly width: number
  /** Its height at least; it grows with the number of bars in the fullest column. */
  readonly minHeight?: number
  readonly nodeWidth?: number
  /** Space between two bars of a column. */
  readonly gap?: number
  /** Space above and below the columns. */
  readonly margin?: number
  /** Room kept right of the last column for its labels (every label sits right of its bar). */
  readonly labelRoom?: number
}

export interface PlacedNode {
  readonly id: string
  readonly label: string
  readonly column: 0 | 1 | 2
  readonly value: number
  readonly x: number
  readonly y: number
  readonly height: number
}

export interface PlacedBand {
  readonly source: string
  readonly target: string
  readonly amount: number
  /** The band's centre line, a cubic curve from the source's right edge to the target's left. */
  readonly path: string
  /** Its width (the stroke's), in pixels. */
  readonly width: number
}

export interface SankeyLayout {
  readonly width: number
  readonly height: number
  readonly nodeWidth: number
  readonly nodes: readonly PlacedNode[]
  readonly bands: readonly PlacedBand[]
  /** Pixels per pound. */
  readonly scale: number
}

const MIN_BAR = 2
/** The smallest height each bar is given room for, so that a column of many stays legible. */
const ROOM_PER_BAR = 18

/**
 * Positions every node and band. Column 0 is sorted by size; columns 1 and 2 by where their
 * money comes from (the weighted mean height of their sources), which keeps bands from crossing
 * where it can. Bands leave and enter each bar in the order of the bar at their other end.
 */
export function layoutSankey(
  nodes: readonly FundingNode[],
  flows: readonly FundingFlow[],
  options: SankeyOptions,
): SankeyLayout {
  const nodeWidth = options.nodeWidth ?? 12
  const gap = options.gap ?? 12
  const margin = options.margin ?? 12
  const labelRoom = options.labelRoom ?? 0
  const width = Math.max(options.width, nodeWidth * 3 + 40 + labelRoom)

  const inflow = new Map<string, number>()
  const outflow = new Map<string, number>()
  const live = flows.filter((flow) => flow.amount > 0)
  for (const flow of live) {
    outflow.set(flow.source, (outflow.get(flow.source) ?? 0) + flow.amount)
    inflow.set(flow.target, (inflow.get(flow.target) ?? 0) + flow.amount)
  }
  const moneyThrough = (id: string) => Math.max(inflow.get(id) ?? 0, outflow.get(id) ?? 0)
  const columns: FundingNode[][] = [[], [], []]
  for (const node of nodes) if (moneyThrough(node.id) > 0) columns[node.column]?.push(node)

  const fullest = Math.max(0, ...columns.map((column) => column.length))
  if (fullest === 0) return { width, height: 0, nodeWidth, nodes: [], bands: [], scale: 0 }
  const height = Math.max(options.minHeight ?? 240, margin * 2 + fullest * ROOM_PER_BAR)
  const scale = Math.min(
    ...columns
      .filter((column) => column.length > 0)
      .map((column) => {
        const total = column.reduce((sum, node) => sum + moneyThrough(node.id), 0)
        return (height - margin * 2 - gap * (column.length - 1)) / total
      }),
  )

  const placed = new Map<string, PlacedNode>()
  const sourcesOf = new Map<string, FundingFlow[]>()
  for (const flow of live) {
    const list = sourcesOf.get(flow.target)
    if (list) list.push(flow)
    else sourcesOf.set(flow.target, [flow])
  }
  const centre = (node: PlacedNode) => node.y + node.height / 2

  columns.forEach((column, index) => {
    const ordered =
      index === 0
        ? [...column].sort(
            (a, b) => moneyThrough(b.id) - moneyThrough(a.id) || a.label.localeCompare(b.label),
          )
        : [...column]
            .map((node) => {
              const sources = sourcesOf.get(node.id) ?? []
              const weight = sources.reduce((sum, flow) => sum + flow.amount, 0)
              const mean =
                sources.reduce((sum, flow) => {
                  const source = placed.get(flow.source)
                  return sum + (source ? centre(source) : 0) * flow.amount
                }, 0) / (weight || 1)
              return { node, mean }
            })
            .sort((a, b) => a.mean - b.mean || a.node.label.localeCompare(b.node.label))
            .map(({ node }) => node)
    const heights = ordered.map((node) => Math.max(MIN_BAR, moneyThrough(node.id) * scale))
    const used = heights.reduce((sum, h) => sum + h, 0) + gap * Math.max(0, ordered.length - 1)
    let y = margin + Math.max(0, (height - margin * 2 - used) / 2)
    const last = width - labelRoom - nodeWidth
    const x = index === 0 ? 0 : index === 1 ? last / 2 : last
    ordered.forEach((node, i) => {
      const h = heights[i] ?? MIN_BAR
      placed.set(node.id, {
        id: node.id,
        label: node.label,
        column: node.column,
        value: moneyThrough(node.id),
        x,
        y,
        height: h,
      })
      y += h + gap
    })
  })

  // Each band's place within its source and target bars: ordered by the other end's height.
  const outOffset = new Map<string, number>()
  const inOffset = new Map<string, number>()
  const startOf = new Map<FundingFlow, number>()
  const endOf = new Map<FundingFlow, number>()
  const byOtherEnd = (end: 'source' | 'target') => (a: FundingFlow, b: FundingFlow) => {
    const pa = placed.get(a[end])
    const pb = placed.get(b[end])
    return (pa ? centre(pa) : 0) - (pb ? centre(pb) : 0)
  }
  for (const flow of [...live].sort(byOtherEnd('target'))) {
    const source = placed.get(flow.source)
    if (!source) continue
    const offset = outOffset.get(flow.source) ?? 0
    startOf.set(flow, source.y + offset + (flow.amount * scale) / 2)
    outOffset.set(flow.source, offset + flow.amount * scale)
  }
  for (const flow of [...live].sort(byOtherEnd('source'))) {
    const target = placed.get(flow.target)
    if (!target) continue
    const offset = inOffset.get(flow.target) ?? 0
    endOf.set(flow, target.y + offset + (flow.amount * scale) / 2)
    inOffset.set(flow.target, offset + flow.amount * scale)
  }

  const round = (n: number) => Math.round(n * 10) / 10
  const bands: PlacedBand[] = []
  for (const flow of live) {
    const source = placed.get(flow.source)
    const target = placed.get(flow.target)
    const y0 = startOf.get(flow)
    const y1 = endOf.get(flow)
    if (!source || !target || y0 === undefined || y1 === undefined) continue
    const x0 = source.x + nodeWidth
    const x1 = target.x
    const mid = (x0 + x1) / 2
    bands.push({
      source: flow.source,
      target: flow.target,
      amount: flow.amount,
      path: `M${round(x0)},${round(y0)} C${round(mid)},${round(y0)} ${round(mid)},${round(y1)} ${round(x1)},${round(y1)}`,
      width: Math.max(1, round(flow.amount * scale)),
    })
  }
  return { width, height, nodeWidth, nodes: [...placed.values()], bands, scale }
}

/** The most funders and organisations drawn apiece; the rest are drawn as one bar each. */
export const SANKEY_LIMITS = { funders: 12, recipients: 24 } as const

/** The ids of the bars that stand for the funders and organisations not drawn apiece. */
export const OTHER_FUNDERS = 'group:funders'
export const OTHER_RECIPIENTS = 'group:recipients'

/**
 * The funding flows with at most `limits.funders` funder bars and `limits.recipients`
 * organisation bars: the largest apiece, the rest joined into one "Other funders (n)" or
 * "Other organisations (n)" bar. Every column keeps its total. A map of a whole borough can
 * have hundreds of funded organisations; a diagram of them all reads as noise (the table of
 * flows keeps every one).
 */
export function condenseFunding(
  nodes: readonly FundingNode[],
  flows: readonly FundingFlow[],
  limits: { funders: number; recipients: number } = SANKEY_LIMITS,
): { nodes: FundingNode[]; flows: FundingFlow[] } {
  const through = new Map<string, number>()
  const inflow = new Map<string, number>()
  for (const flow of flows) {
    through.set(flow.source, (through.get(flow.source) ?? 0) + flow.amount)
    inflow.set(flow.target, (inflow.get(flow.target) ?? 0) + flow.amount)
  }
  for (const [id, amount] of inflow) through.set(id, Math.max(through.get(id) ?? 0, amount))

  const rename = new Map<string, string>()
  const groups: FundingNode[] = []
  for (const [column, limit, id, label] of [
    [0, limits.funders, OTHER_FUNDERS, 'Other funders'],
    [1, limits.recipients, OTHER_RECIPIENTS, 'Other organisations'],
  ] as const) {
    const members = nodes.filter((node) => node.column === column)
    if (members.length <= limit) continue
    const rest = [...members]
      .sort((a, b) => (through.get(b.id) ?? 0) - (through.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1))
      .slice(Math.max(1, limit) - 1)
    for (const node of rest) rename.set(node.id, id)
    groups.push({ id, label: `${label} (${rest.length})`, column })
  }
  if (rename.size === 0) return { nodes: [...nodes], flows: [...flows] }

  const summed = new Map<string, FundingFlow>()
  for (const flow of flows) {
    const source = rename.get(flow.source) ?? flow.source
    const target = rename.get(flow.target) ?? flow.target
    const key = `${source}\n${target}`
    const amount = (summed.get(key)?.amount ?? 0) + flow.amount
    summed.set(key, { source, target, amount })
  }
  const kept = nodes.filter((node) => !rename.has(node.id))
  const ordered = [0, 1, 2].flatMap((column) => [
    ...kept.filter((node) => node.column === column),
    ...groups.filter((node) => node.column === column),
  ])
  return { nodes: ordered, flows: [...summed.values()] }
}
