import { type Actor, DOMAINS, type Domain } from '../records/actor.ts'
import type { Link } from '../records/link.ts'
import type { DomainBridge, SectorBridge } from './insight.ts'
import { unique } from './order.ts'
import { SECTORS, type Sector, sectorOf } from './sectors.ts'

const QUIETEST_PAIRS = 10

export function bridgesBetweenDomains(
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

export function bridgesBetweenSectors(
  ties: readonly Link[],
  actorById: ReadonlyMap<string, Actor>,
): SectorBridge[] {
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
