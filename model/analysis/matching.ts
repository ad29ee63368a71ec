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
  readonly matches: readonly Match[]
  /** "Community Solutions and Participatory City have space to offer". */
  readonly summary: string
}

/** Ward and area names as people write them: "Riverside ward" and "riverside Ward" are one. */
export const sameArea = (a: string, b: string): boolean => {
  const norm = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ')
  return norm(a) !== '' && norm(a) === norm(b)
}

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

/** The kinds of tie (disconnects are not ties) between two actors, either way, in a stable order. */
export function tiesBetween(links: readonly Link[], a: string, b: string): LinkKind[] {
  const kinds = new Set<LinkKind>()
  for (const link of links) {
    if (link.kind === 'disconnect') continue
    if ((link.from === a && link.to === b) || (link.from === b && link.to === a)) kinds.add(link.kind)
  }
  return [...kinds].sort()
}

const byName = (actors: ReadonlyMap<string, Actor>) => (a: string, b: string) =>
  (actors.get(a)?.name ?? '').localeCompare(actors.get(b)?.name ?? '') || (a < b ? -1 : a > b ? 1 : 0)

/**
 * Every need with the offers that could meet it. An offer is a match when it is the same kind
 * of help, from another actor, in the same ward (each item's own ward, else its actor's area)
 * or from an actor sharing a domain. Matches are ranked by score, then by the offering actor's
 * name; needs by their best match's score, then by actor name and the order they were written.
 * Needs nobody offers to meet are left out.
 */
export function findMatches(input: MatchInput): NeedMatches[] {
  const actors = new Map(input.actors.map((actor) => [actor.id, actor]))
  const offers = input.actors.flatMap((actor) =>
    actor.offers.map((offer, index) => ({ actor, offer, index })),
  )
  const order = byName(actors)
  const found: NeedMatches[] = []
  for (const actor of input.actors) {
    actor.needs.forEach((need, needIndex) => {
      const matches: Match[] = []
      for (const { actor: other, offer, index } of offers) {
        if (other.id === actor.id || offer.what !== need.what) continue
        const here = whereOf(need, actor)
        const sameWard = sameArea(here, whereOf(offer, other)) ? here : undefined
        const sharedDomains = actor.domains.filter((domain) => other.domains.includes(domain))
        if (!sameWard && sharedDomains.length === 0) continue
        const linkedBy = tiesBetween(input.links, actor.id, other.id)
        const reasons = [
          ...(sameWard ? [`same ward: ${sameWard}`] : []),
          ...(sharedDomains.length > 0
            ? [`both in ${listOfNames(sharedDomains.map((domain) => DOMAIN_LABELS[domain]))}`]
            : []),
          linkedBy.length === 0
            ? 'not yet linked'
            : `already linked (${listOfNames(linkedBy.map((kind) => LINK_KIND_LABELS[kind].toLowerCase()))})`,
        ]
        matches.push({
          key: `${actor.id}/need/${needIndex}/${other.id}/offer/${index}`,
          needActorId: actor.id,
          need,
          offerActorId: other.id,
          offer,
          sameWard,
          sharedDomains,
          linkedBy,
          score: (sameWard ? 2 : 0) + Math.min(sharedDomains.length, 2) + (linkedBy.length === 0 ? 1 : 0),
          reasons,
        })
      }
      if (matches.length === 0) return
      matches.sort(
        (a, b) => b.score - a.score || order(a.offerActorId, b.offerActorId) || a.key.localeCompare(b.key),
      )
      const names = [...new Set(matches.map((match) => match.offerActorId))].map(
        (id) => actors.get(id)?.name ?? id,
      )
      found.push({
        key: `${actor.id}/need/${needIndex}`,
        actorId: actor.id,
        need,
        matches,
        summary: offersSummary(names, need.what),
      })
    })
  }
  const best = (entry: NeedMatches) => entry.matches[0]?.score ?? 0
  return found.sort(
    (a, b) =>
      best(b) - best(a) || order(a.actorId, b.actorId) || a.key.localeCompare(b.key, 'en', { numeric: true }),
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
