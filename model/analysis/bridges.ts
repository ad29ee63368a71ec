import { type Actor, DOMAINS, type Domain } from '../records/actor.ts'
import type { DomainBridge, SectorBridge } from './insight.ts'
import { SECTORS, type Sector, sectorOf } from './sectors.ts'

const QUIETEST_PAIRS = 10

/** `tieFrom[i]` and `tieTo[i]` are the ends of tie i, as indices into `actors`. */
export function bridgesBetweenDomains(
  actors: readonly Actor[],
  tieFrom: Int32Array,
  tieTo: Int32Array,
): { domainBridges: DomainBridge[]; quietestDomainPairs: DomainBridge[] } {
  const D = DOMAINS.length
  const index = new Map<Domain, number>(DOMAINS.map((domain, i) => [domain, i]))
  // Each actor's domains (once each) as a bit set of their indices in DOMAINS.
  const domainsOf = new Int32Array(actors.length)
  let used = 0
  actors.forEach((actor, a) => {
    let bits = 0
    for (const domain of actor.domains) {
      const i = index.get(domain)
      if (i !== undefined) bits |= 1 << i
    }
    domainsOf[a] = bits
    used |= bits
  })
  const counts = new Float64Array(D * D)
  // The last tie that counted each pair, so that a tie counts a pair once.
  const counted = new Int32Array(D * D).fill(-1)
  for (let t = 0; t < tieFrom.length; t++) {
    const from = domainsOf[tieFrom[t] as number] as number
    const to = domainsOf[tieTo[t] as number] as number
    if (from === 0 || to === 0) continue
    for (let i = 0; i < D; i++) {
      if (!(from & (1 << i))) continue
      for (let j = 0; j < D; j++) {
        if (i === j || !(to & (1 << j))) continue
        const key = i < j ? i * D + j : j * D + i
        if (counted[key] === t) continue
        counted[key] = t
        counts[key] = (counts[key] as number) + 1
      }
    }
  }
  const domainBridges: DomainBridge[] = []
  DOMAINS.forEach((a, i) => {
    DOMAINS.forEach((b, j) => {
      if (i < j) domainBridges.push({ a, b, ties: counts[i * D + j] ?? 0 })
    })
  })
  const isUsed = (domain: Domain) => (used & (1 << (index.get(domain) ?? 0))) !== 0
  const quietestDomainPairs = domainBridges
    .filter((pair) => isUsed(pair.a) && isUsed(pair.b))
    // A stable sort: equal counts stay in DOMAINS order.
    .sort((x, y) => x.ties - y.ties)
    .slice(0, QUIETEST_PAIRS)
  return { domainBridges, quietestDomainPairs }
}

export function bridgesBetweenSectors(
  actors: readonly Actor[],
  tieFrom: Int32Array,
  tieTo: Int32Array,
): SectorBridge[] {
  const S = SECTORS.length
  const index = new Map<Sector, number>(SECTORS.map((sector, i) => [sector, i]))
  const sectorOfActor = Int32Array.from(actors, (actor) => index.get(sectorOf(actor.kind)) ?? 0)
  const counts = new Float64Array(S * S)
  for (let t = 0; t < tieFrom.length; t++) {
    const s = sectorOfActor[tieFrom[t] as number] as number
    const u = sectorOfActor[tieTo[t] as number] as number
    if (s !== u) counts[s < u ? s * S + u : u * S + s] = (counts[s < u ? s * S + u : u * S + s] as number) + 1
  }
  const bridges: SectorBridge[] = []
  SECTORS.forEach((a, i) => {
    SECTORS.forEach((b, j) => {
      if (i < j) bridges.push({ a, b, ties: counts[i * S + j] as number })
    })
  })
  return bridges
}
