import { type Actor, type ActorKind, DOMAIN_LABELS, type Domain } from '../records/actor.ts'
import { listOfNames, type MatchInput, sameArea, tieIndex } from './matching.ts'

/**
 * Partners for a bid: for a domain and an area, the organisations that work there, ranked by
 * how a consortium would be formed, each with its reasons in words. Pure and deterministic.
 */

/**
 * The kinds that join a consortium as partners. Statutory services commission one, funders
 * fund it, a network already is one, and a role is a post within an organisation.
 */
export const PARTNER_KINDS: ReadonlySet<ActorKind> = new Set<ActorKind>([
  'organisation',
  'resident-group',
  'space',
])

export interface PartnerQuery {
  readonly domain: Domain
  /** A ward or area as written on the map; '' for anywhere. */
  readonly area: string
}

export interface Partner {
  readonly actorId: string
  readonly name: string
  /** Other candidates whose needs its offers meet, or whose offers meet its needs. */
  readonly complements: readonly string[]
  /** Other candidates it already has a tie with. */
  readonly linkedWith: readonly string[]
  /** How many other candidates it has no tie with. */
  readonly unlinked: number
  /** The first number of its reach ("2,300 parcels a year" -> 2300), if it gives one. */
  readonly size: number | undefined
  /** Why, for people: "in Health; Riverside Ward", "offers space Riverside Mutual Aid needs"... */
  readonly reasons: readonly string[]
}

/** Whether an actor works in an area: its own area, or the ward of one of its offers or needs. */
export const worksIn = (actor: Actor, area: string): boolean =>
  area.trim() === '' ||
  sameArea(actor.area, area) ||
  [...actor.offers, ...actor.needs].some((item) => sameArea(item.ward, area))

/** The areas and wards named on a map, for choosing one: sorted, each once whatever its case. */
export function areasOf(actors: readonly Actor[]): string[] {
  const seen = new Map<string, string>()
  for (const actor of actors) {
    for (const name of [actor.area, ...actor.offers.map((o) => o.ward), ...actor.needs.map((n) => n.ward)]) {
      const key = name.trim().toLowerCase().replace(/\s+/g, ' ')
      if (key && !seen.has(key)) seen.set(key, name.trim())
    }
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b))
}

/** The first number in a reach: "2,300 parcels a year; 60 volunteers" is 2300. */
export function sizeOf(reach: string): number | undefined {
  const match = /\d[\d,]*(\.\d+)?/.exec(reach)
  if (!match) return undefined
  const value = Number(match[0].replaceAll(',', ''))
  return Number.isFinite(value) ? value : undefined
}

/**
 * The candidates for a consortium: partner kinds (see PARTNER_KINDS) working in the domain and
 * the area. Ranked by the other candidates they complement (an offer of one meeting a need of
 * another, either way), then by how many of the others they have no tie with yet, then by
 * size (the first number of their reach), then by name.
 */
export function findPartners(input: MatchInput, query: PartnerQuery): Partner[] {
  // In name order, so that every list a partner's reasons name is in the same order on any device.
  const candidates = input.actors
    .filter(
      (actor) =>
        PARTNER_KINDS.has(actor.kind) && actor.domains.includes(query.domain) && worksIn(actor, query.area),
    )
    .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const domain = DOMAIN_LABELS[query.domain]
  const tiesBetween = tieIndex(input.links)
  const partners = candidates.map((actor): Partner => {
    const others = candidates.filter((other) => other.id !== actor.id)
    const gives: string[] = []
    const gets: string[] = []
    for (const other of others) {
      const offered = actor.offers.filter((offer) => other.needs.some((need) => need.what === offer.what))
      for (const offer of offered) gives.push(`offers ${offer.what} ${other.name} needs`)
      const needed = actor.needs.filter((need) => other.offers.some((offer) => offer.what === need.what))
      for (const need of needed) gets.push(`needs ${need.what} ${other.name} offers`)
    }
    const complements = others
      .filter(
        (other) =>
          actor.offers.some((offer) => other.needs.some((need) => need.what === offer.what)) ||
          actor.needs.some((need) => other.offers.some((offer) => offer.what === need.what)),
      )
      .map((other) => other.id)
    const linkedWith = others
      .filter((other) => tiesBetween(actor.id, other.id).length > 0)
      .map((other) => other.id)
    const names = (ids: readonly string[]) =>
      ids.map((id) => others.find((other) => other.id === id)?.name ?? id)
    const size = sizeOf(actor.reach)
    const where = query.area.trim()
      ? `; ${query.area.trim()}`
      : actor.area.trim()
        ? `; ${actor.area.trim()}`
        : ''
    const reasons = [
      `in ${domain}${where}`,
      ...[...new Set([...gives, ...gets])],
      others.length === 0
        ? 'the only one here'
        : linkedWith.length === 0
          ? `no link yet with any of the ${others.length} other${others.length === 1 ? '' : 's'}`
          : `already linked with ${listOfNames(names(linkedWith))}`,
      ...(actor.reach.trim() ? [`size: ${actor.reach.trim()}`] : []),
    ]
    return {
      actorId: actor.id,
      name: actor.name,
      complements,
      linkedWith,
      unlinked: others.length - linkedWith.length,
      size,
      reasons,
    }
  })
  return partners.sort(
    (a, b) =>
      b.complements.length - a.complements.length ||
      b.unlinked - a.unlinked ||
      (b.size ?? -1) - (a.size ?? -1) ||
      a.name.localeCompare(b.name) ||
      (a.actorId < b.actorId ? -1 : 1),
  )
}

/** What saving a consortium writes: a network actor, and a membership link from each member. */
export interface ConsortiumPlan {
  readonly actor: { kind: 'network'; name: string; domains: Domain[]; area: string; description: string }
  readonly memberships: readonly { from: string; kind: 'membership'; label: string }[]
}

/**
 * The records a named consortium becomes: a network/partnership actor in the domain and area,
 * described by what it was formed for, and each member's membership of it (links `from` the
 * member; the network's id is known once it is added).
 */
export function planConsortium(
  name: string,
  query: PartnerQuery,
  memberIds: readonly string[],
  actors: readonly Actor[],
): ConsortiumPlan {
  const members = memberIds.map((id) => actors.find((actor) => actor.id === id)?.name ?? id)
  const area = query.area.trim()
  return {
    actor: {
      kind: 'network',
      name: name.trim(),
      domains: [query.domain],
      area,
      description:
        `Consortium proposed for a bid in ${DOMAIN_LABELS[query.domain]}${area ? ` in ${area}` : ''}: ${listOfNames(members)}.`.slice(
          0,
          2000,
        ),
    },
    memberships: memberIds.map((from) => ({ from, kind: 'membership', label: 'Consortium member' })),
  }
}
