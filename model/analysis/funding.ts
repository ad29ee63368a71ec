import { type Actor, DOMAIN_LABELS, DOMAINS } from '../records/actor.ts'
import type { Link } from '../records/link.ts'
import {
  FUNDING_CURRENCY,
  type FunderTotal,
  type FundingDomain,
  type FundingFlow,
  type FundingInsight,
  type FundingNode,
} from './insight.ts'
import { compareText, unique } from './order.ts'

/** What one pass over the links counts for each actor. */
export interface Counts {
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

export function fundingOf(
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
    const row = pairs.get(funder) ?? new Map<string, number>()
    const source = `funder:${funder}`
    let banded = false
    for (const recipient of [...row.keys()].sort(compareText)) {
      const amount = row.get(recipient) ?? 0
      if (amount <= 0) continue
      banded = true
      flows.push({ source, target: `recipient:${recipient}`, amount })
      received.set(recipient, (received.get(recipient) ?? 0) + amount)
    }
    // Funders whose amounts were all zero have no bands, so no node (nor has anything else).
    if (banded) nodes.push({ id: source, label: name(funder), column: 0 })
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
  // Every node is one a flow touches: recipients and domains only get nodes for amounts above 0.
  return {
    insight: { byFunder, byDomain, flows, nodes },
    total,
    otherCurrencies,
  }
}
