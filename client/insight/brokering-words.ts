import i18next from 'i18next'
import type { ConsortiumPlan, Partner } from '../../model/analysis/consortium.ts'
import {
  linkForMatch,
  type Match,
  type NeedMatches,
  quickWinForMatch,
} from '../../model/analysis/matching.ts'
import type { Actor, Domain, Exchange } from '../../model/index.ts'
import { setLabel } from '../i18n/declared-words.ts'
import { intlLocale } from '../i18n/intl-locale.ts'

/**
 * The words of the Insight tab's brokering (offers meeting needs, partners for a bid) in the
 * interface's language. The model words its reasons and summaries in English (the same sentences
 * go into quick wins and reports); in English they are shown as the model wrote them, in another
 * language they are worded here from the same figures (the ward, the shared domains, the ties).
 */

const english = () => i18next.resolvedLanguage === 'en'

/** "A, B and C" in the interface's language. */
export const listOf = (items: readonly string[]): string =>
  new Intl.ListFormat(intlLocale(), { type: 'conjunction' }).format(items)

/** The kind of an offer or need, by its word ("space", "جگہ"). */
export const kindWord = (exchange: Exchange): string =>
  english() ? exchange.what : setLabel('exchangeKinds', exchange.what)

/** " in Riverside Ward (main hall)": where an offer or need is, and its note. */
function detail(exchange: Exchange): string {
  const ward = exchange.ward.trim()
  const note = exchange.note.trim()
  return [
    ward ? i18next.t('insight.matches.inWard', { ward }) : '',
    note ? i18next.t('insight.matches.note', { note }) : '',
  ].join('')
}

/** "needs space in Riverside Ward (main hall)". */
export const needWords = (need: Exchange): string =>
  i18next.t('insight.matches.needs', { what: kindWord(need), detail: detail(need) })

/** "offers space in Riverside Ward (main hall)". */
export const offerWords = (offer: Exchange): string =>
  i18next.t('insight.matches.offers', { what: kindWord(offer), detail: detail(offer) })

/** "Community Solutions has space to offer." */
export function summaryWords(entry: NeedMatches, names: ReadonlyMap<string, string>): string {
  if (english()) return `${entry.summary}.`
  const named = [...new Set(entry.matches.map((match) => match.offerActorId))].map(
    (id) => names.get(id) ?? id,
  )
  return i18next.t('insight.matches.summary', { names: listOf(named), what: kindWord(entry.need) })
}

/** Why an offer suits a need: "same ward: Riverside Ward; both in Health; not yet linked". */
export function matchReasons(match: Match): string {
  if (english()) return match.reasons.join('; ')
  const t = i18next.t
  return [
    ...(match.sameWard ? [t('insight.matches.sameWard', { ward: match.sameWard })] : []),
    ...(match.sharedDomains.length > 0
      ? [
          t('insight.matches.bothIn', {
            domains: listOf(match.sharedDomains.map((d) => setLabel('domains', d))),
          }),
        ]
      : []),
    match.linkedBy.length === 0
      ? t('insight.matches.notLinked')
      : t('insight.matches.linkedBy', {
          kinds: listOf(match.linkedBy.map((kind) => setLabel('linkKinds', kind))),
        }),
  ].join(t('insight.matches.reasonSeparator'))
}

/**
 * What a facilitator's click writes from a match or a bid: data from then on, so written in the
 * language of the person who made it (as a new box is named), the model's English in English.
 */

/** The link that follows a match up, labelled "Offers space: main hall". */
export function linkFromMatch(match: Match): ReturnType<typeof linkForMatch> {
  const link = linkForMatch(match)
  if (english()) return link
  const note = match.offer.note.trim()
  const label = note
    ? i18next.t('insight.matches.linkLabelNote', { what: setLabel('exchangeKinds', match.offer.what), note })
    : i18next.t('insight.matches.linkLabel', { what: setLabel('exchangeKinds', match.offer.what) })
  return { ...link, label: label.slice(0, 200) }
}

/** The quick win that follows a match up: "Put ... in touch with ... about space (main hall)." */
export function quickWinFromMatch(match: Match, names: ReadonlyMap<string, string>): string {
  if (english()) return quickWinForMatch(match, names)
  const offerer = names.get(match.offerActorId) ?? match.offerActorId
  const needer = names.get(match.needActorId) ?? match.needActorId
  const note = match.need.note.trim()
  return i18next.t(note ? 'insight.matches.quickWinTextNote' : 'insight.matches.quickWinText', {
    offerer,
    needer,
    what: setLabel('exchangeKinds', match.need.what),
    note,
  })
}

/** A consortium's network actor and memberships, described in the chosen language. */
export function consortiumIn(plan: ConsortiumPlan, names: readonly string[]): ConsortiumPlan {
  if (english()) return plan
  const t = i18next.t
  const domain = plan.actor.domains[0]
  const words = {
    domain: domain ? setLabel('domains', domain) : '',
    area: plan.actor.area,
    names: listOf(names),
  }
  const description = plan.actor.area
    ? t('insight.partners.descriptionArea', words)
    : t('insight.partners.description', words)
  return {
    actor: { ...plan.actor, description: description.slice(0, 2000) },
    memberships: plan.memberships.map((membership) => ({
      ...membership,
      label: t('insight.partners.memberLabel'),
    })),
  }
}

/** Why a partner is ranked where it is, worded from the candidates as the model ranks them. */
export function partnerReasons(
  partner: Partner,
  partners: readonly Partner[],
  actors: ReadonlyMap<string, Actor>,
  query: { domain: Domain; area: string },
): string {
  if (english()) return partner.reasons.join('; ')
  const t = i18next.t
  const actor = actors.get(partner.actorId)
  const others = partners.filter((other) => other.actorId !== partner.actorId)
  const where = query.area.trim() || actor?.area.trim() || ''
  const reasons = [
    where
      ? t('insight.partners.reasons.inArea', { domain: setLabel('domains', query.domain), area: where })
      : t('insight.partners.reasons.in', { domain: setLabel('domains', query.domain) }),
  ]
  const fits = new Set<string>()
  for (const other of others) {
    const them = actors.get(other.actorId)
    if (!actor || !them) continue
    for (const offer of actor.offers)
      if (them.needs.some((need) => need.what === offer.what))
        fits.add(
          t('insight.partners.reasons.gives', {
            what: setLabel('exchangeKinds', offer.what),
            name: them.name,
          }),
        )
    for (const need of actor.needs)
      if (them.offers.some((offer) => offer.what === need.what))
        fits.add(
          t('insight.partners.reasons.gets', { what: setLabel('exchangeKinds', need.what), name: them.name }),
        )
  }
  reasons.push(...fits)
  const name = (id: string) => partners.find((each) => each.actorId === id)?.name ?? id
  reasons.push(
    others.length === 0
      ? t('insight.partners.reasons.only')
      : partner.linkedWith.length === 0
        ? t('insight.partners.reasons.noLink', { count: others.length })
        : t('insight.partners.reasons.linkedWith', { names: listOf(partner.linkedWith.map(name)) }),
  )
  if (actor?.reach.trim()) reasons.push(t('insight.partners.reasons.size', { reach: actor.reach.trim() }))
  return reasons.join(t('insight.matches.reasonSeparator'))
}
