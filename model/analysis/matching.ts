import { type Actor, DOMAIN_LABELS, type Domain } from '../records/actor.ts'
import type { Exchange, ExchangeKind } from '../records/exchange.ts'
import { LINK_KIND_LABELS, type Link, type LinkKind } from '../records/link.ts'

/**
 * Offers meeting needs: for each need an actor records, the other actors offering the same kind
 * of help nearby (the same ward) or in the same domain, ranked, each with the reasons in words.
 * Pure and deterministic: the same map always gives the same list in the same order.
 */

/** What matching reads of a map. */
export interface MatchInput {
  readonly actors: readonly Actor[]
  readonly links: readonly Link[]
}

/** One offer that could meet one need. */
export interface Match {
  /** Stable across renders: the need's and the offer's actor and item. */
  readonly key: string
  readonly needActorId: string
  readonly need: Exchange
  readonly offerActorId: string
  readonly offer: Exchange
  /** Where both are, when it is the same ward or area (as written on the first). */
  readonly sameWard: string | undefined
  readonly sharedDomains: readonly Domain[]
  /** The kinds of the ties already between them (none: a new connection). */
  readonly linkedBy: readonly LinkKind[]
  /** Higher first: the same ward 2, each shared domain 1 (up to 2), not yet linked 1. */
  readonly score: number
  /** Why, for people: "same ward: Riverside Ward", "both in Health", "not yet linked". */
  readonly reasons: readonly string[]
}

/** A need with the offers that could meet it, best first. */
export interface NeedMatches {
  readonly key: string
  readonly actorId: string
  readonly need: Exchange
  /** The best of them, at most MATCHES_PER_NEED. */
  readonly matches: readonly Match[]
  /** How many more offers could meet it, beyond those listed. */
  readonly more: number
  /** "Community Solutions and Participatory City have space to offer". */
  readonly summary: string
}

/** At most this many offers are listed for a need, the best: a borough can have hundreds. */
export const MATCHES_PER_NEED = 10

/** A ward or area as compared: "Riverside ward" and " riverside  Ward" are one. */
const areaKey = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ')

/** Whether two wards or areas are the same place, as people write them. */
export const sameArea = (a: string, b: string): boolean => areaKey(a) !== '' && areaKey(a) === areaKey(b)

/** Where an offer or a need is: its own ward, else its actor's area. */
export const whereOf = (exchange: Exchange, actor: Actor): string => exchange.ward.trim() || actor.area.trim()

/** "A", "A and B", "A, B and C". */
export const listOfNames = (names: readonly string[]): string =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`

const OFFERED: Record<ExchangeKind, string> = {
  space: 'space to offer',
  volunteers: 'volunteers to offer',
  skills: 'skills to offer',
  equipment: 'equipment to offer',
  funding: 'funding to offer',
  referrals: 'referrals to send',
}

/** "Community Solutions and Participatory City have space to offer". */
export function offersSummary(names: readonly string[], what: ExchangeKind): string {
  return `${listOfNames(names)} ${names.length === 1 ? 'has' : 'have'} ${OFFERED[what]}`
}

/**
 * The kinds of tie (disconnects are not ties) between any two actors, either way, in a stable
 * order: the links are indexed once, so asking for many pairs costs one pass over them.
 */
export function tieIndex(links: readonly Link[]): (a: string, b: string) => LinkKind[] {
  const pairs = new Map<string, Set<LinkKind>>()
  const keyOf = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`)
  for (const link of links) {
    if (link.kind === 'disconnect') continue
    const key = keyOf(link.from, link.to)
    const kinds = pairs.get(key) ?? new Set<LinkKind>()
    kinds.add(link.kind)
    pairs.set(key, kinds)
  }
  return (a, b) => [...(pairs.get(keyOf(a, b)) ?? [])].sort()
}

/**
 * Every need with the offers that could meet it. An offer is a match when it is the same kind
 * of help, from another actor, in the same ward (each item's own ward, else its actor's area)
 * or from an actor sharing a domain. Matches are ranked by score, then by the offering actor's
 * name; needs by their best match's score, then by actor name and the order they were written.
 * Needs nobody offers to meet are left out.
 */
export function findMatches(input: MatchInput): NeedMatches[] {
  const actors = new Map(input.actors.map((actor) => [actor.id, actor]))
  // Offers by kind and place, and by kind and domain: a need looks only at those that could
  // match it, so a borough's map is not every need against every offer.
  type Offered = { actor: Actor; offer: Exchange; index: number; place: string }
  const byPlace = new Map<string, Offered[]>()
  const byDomain = new Map<string, Offered[]>()
  const file = (index: Map<string, Offered[]>, key: string, entry: Offered) => {
    const list = index.get(key) ?? []
    list.push(entry)
    index.set(key, list)
  }
  for (const actor of input.actors) {
    actor.offers.forEach((offer, index) => {
      const place = areaKey(whereOf(offer, actor))
      const entry = { actor, offer, index, place }
      if (place) file(byPlace, `${offer.what}\u0000${place}`, entry)
      for (const domain of actor.domains) file(byDomain, `${offer.what}\u0000${domain}`, entry)
    })
  }
  const candidatesFor = (actor: Actor, need: Exchange, place: string): Set<Offered> =>
    new Set([
      ...(place ? (byPlace.get(`${need.what}\u0000${place}`) ?? []) : []),
      ...actor.domains.flatMap((domain) => byDomain.get(`${need.what}\u0000${domain}`) ?? []),
    ])
  const tiesBetween = tieIndex(input.links)
  // Whether two actors are tied, cheaply, for scoring every candidate; the kinds only for those listed.
  const neighbours = new Map<string, Set<string>>()
  const tie = (a: string, b: string) => {
    const set = neighbours.get(a) ?? new Set<string>()
    set.add(b)
    neighbours.set(a, set)
  }
  for (const link of input.links) {
    if (link.kind === 'disconnect') continue
    tie(link.from, link.to)
    tie(link.to, link.from)
  }
  // Names compared once: a rank per actor, so ranking many candidates compares numbers.
  const rank = new Map(
    [...input.actors]
      .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((actor, at) => [actor.id, at]),
  )
  const found: NeedMatches[] = []
  for (const actor of input.actors) {
    actor.needs.forEach((need, needIndex) => {
      const here = whereOf(need, actor)
      const herePlace = areaKey(here)
      const tied = neighbours.get(actor.id)
      const scored: {
        other: Actor
        offer: Exchange
        index: number
        sameWard?: string
        shared: Domain[]
        score: number
      }[] = []
      for (const { actor: other, offer, index, place } of candidatesFor(actor, need, herePlace)) {
        if (other.id === actor.id) continue
        const sameWard = herePlace !== '' && place === herePlace ? here : undefined
        const shared = actor.domains.filter((domain) => other.domains.includes(domain))
        if (!sameWard && shared.length === 0) continue
        const score = (sameWard ? 2 : 0) + Math.min(shared.length, 2) + (tied?.has(other.id) ? 0 : 1)
        scored.push({ other, offer, index, ...(sameWard ? { sameWard } : {}), shared, score })
      }
      if (scored.length === 0) return
      scored.sort(
        (a, b) =>
          b.score - a.score || (rank.get(a.other.id) ?? 0) - (rank.get(b.other.id) ?? 0) || a.index - b.index,
      )
      const matches = scored
        .slice(0, MATCHES_PER_NEED)
        .map(({ other, offer, index, sameWard, shared, score }): Match => {
          const ties = tiesBetween(actor.id, other.id)
          return {
            key: `${actor.id}/need/${needIndex}/${other.id}/offer/${index}`,
            needActorId: actor.id,
            need,
            offerActorId: other.id,
            offer,
            sameWard,
            sharedDomains: shared,
            linkedBy: ties,
            score,
            reasons: [
              ...(sameWard ? [`same ward: ${sameWard}`] : []),
              ...(shared.length > 0
                ? [`both in ${listOfNames(shared.map((domain) => DOMAIN_LABELS[domain]))}`]
                : []),
              ties.length === 0
                ? 'not yet linked'
                : `already linked (${listOfNames(ties.map((kind) => LINK_KIND_LABELS[kind].toLowerCase()))})`,
            ],
          }
        })
      const offerers = new Set(scored.map((entry) => entry.other.id)).size
      const named = [...new Set(matches.map((match) => match.offerActorId))].map(
        (id) => actors.get(id)?.name ?? id,
      )
      const others = offerers - named.length
      found.push({
        key: `${actor.id}/need/${needIndex}`,
        actorId: actor.id,
        need,
        matches,
        more: scored.length - matches.length,
        summary: offersSummary(others > 0 ? [...named, `${others} more`] : named, need.what),
      })
    })
  }
  const best = (entry: NeedMatches) => entry.matches[0]?.score ?? 0
  return found.sort(
    (a, b) =>
      best(b) - best(a) ||
      (rank.get(a.actorId) ?? 0) - (rank.get(b.actorId) ?? 0) ||
      a.key.localeCompare(b.key, 'en', { numeric: true }),
  )
}

/**
 * The link that turns a match into a tie: from the one offering to the one in need, funding as
 * a funding link, referrals as a referral, anything else a partnership, labelled with what.
 */
export function linkForMatch(match: Match): { from: string; to: string; kind: LinkKind; label: string } {
  const kind: LinkKind =
    match.offer.what === 'funding' ? 'funding' : match.offer.what === 'referrals' ? 'referral' : 'partnership'
  const label = `Offers ${match.offer.what}${match.offer.note.trim() ? `: ${match.offer.note.trim()}` : ''}`
  return { from: match.offerActorId, to: match.needActorId, kind, label: label.slice(0, 200) }
}

/** The quick win that follows a match up: "Put Community Solutions in touch with ... about space". */
export function quickWinForMatch(match: Match, names: ReadonlyMap<string, string>): string {
  const offerer = names.get(match.offerActorId) ?? match.offerActorId
  const needer = names.get(match.needActorId) ?? match.needActorId
  const what = match.need.what
  const note = match.need.note.trim() ? ` (${match.need.note.trim()})` : ''
  return `Put ${needer} in touch with ${offerer} about ${what}${note}.`
}
