import type { Dataset } from '../dataset-schema.ts'
import { DOMAIN_LABELS } from '../records/actor.ts'
import type { BetweennessMethod, NetworkInsight } from './insight.ts'
import { compareText } from './order.ts'
import { SECTOR_LABELS } from './sectors.ts'

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 })

/** Names joined as "A, B and C". */
const listed = (names: readonly string[]) =>
  names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`

const SINGLE_FUNDER_LINES = 10

const count = new Intl.NumberFormat('en-GB')

/**
 * Where betweenness was estimated (a large map), the sentence that says so, for every place that
 * shows it; null where it is exact.
 */
export function betweennessEstimate(method: BetweennessMethod): string | null {
  return method.sampled
    ? `Betweenness is estimated from the shortest paths of ${count.format(method.sources)} of the ` +
        `${count.format(method.connected)} connected actors.`
    : null
}

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
  if (broker !== undefined) {
    const estimate = betweennessEstimate(insight.betweenness)
    lines.push(`The top broker is ${name(broker)}.${estimate ? ` ${estimate}` : ''}`)
  }

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
