import type { Dataset } from '../dataset-schema.ts'
import type { Actor } from '../records/actor.ts'
import type { Link } from '../records/link.ts'
import { type ExportFile, fileStem } from './format.ts'
import { type ExportOptions, prepareForExport } from './privacy.ts'

/**
 * 360Giving Data Standard (1.4) grants from the funding links of a map, for funders and
 * researchers who read grant data in that shape (GrantNav and the 360Giving tools).
 *
 * The default prefix is a placeholder: a grant id must start with the publisher's own prefix,
 * registered with 360Giving, so a funder publishing this data must pass theirs as `prefix`.
 */
export const DEFAULT_360_PREFIX = '360G-networkmap'

export type ThreeSixtyGivingOptions = ExportOptions & {
  /** The publisher's registered 360Giving prefix, e.g. "360G-examplefund". */
  readonly prefix?: string
}

/** An organisation as 360Giving describes one (the fields this export fills). */
export interface Organization360 {
  readonly id: string
  readonly name: string
  readonly charityNumber?: string
  readonly companyNumber?: string
}

/** A 360Giving grant (the fields this export fills). */
export interface Grant360 {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly currency: string
  readonly amountAwarded: number
  /** YYYY-MM-DD. */
  readonly awardDate: string
  readonly plannedDates?: readonly { readonly startDate?: string; readonly endDate?: string }[]
  readonly recipientOrganization: readonly Organization360[]
  readonly fundingOrganization: readonly Organization360[]
}

/** A funding link that could not become a grant, and why (to show the person exporting). */
export interface SkippedGrant {
  readonly linkId: string
  readonly reason: string
}

export interface Plan360Giving {
  readonly grants: readonly Grant360[]
  readonly skipped: readonly SkippedGrant[]
}

/** A charity register in org-id.guide terms, and the identifier within it. */
export interface CharityIdentifier {
  /** GB-CHC (England & Wales), GB-SC (Scotland, OSCR) or GB-NIC (Northern Ireland). */
  readonly scheme: 'GB-CHC' | 'GB-SC' | 'GB-NIC'
  readonly identifier: string
}

/**
 * Which register a charity number belongs to, by its shape: "SC012345" is Scottish (org-id
 * keeps the "SC": GB-SC-SC012345), "NI..." or "NIC..." is Northern Irish (org-id takes the
 * digits: GB-NIC-100001), digits alone are England & Wales. Anything else is no identifier.
 */
export function charityIdentifier(charityNumber: string): CharityIdentifier | undefined {
  const number = charityNumber.trim().toUpperCase().replace(/\s+/g, '')
  if (/^SC\d+$/.test(number)) return { scheme: 'GB-SC', identifier: number }
  const ni = /^NIC?(\d+)$/.exec(number)
  if (ni?.[1]) return { scheme: 'GB-NIC', identifier: ni[1] }
  if (/^\d+$/.test(number)) return { scheme: 'GB-CHC', identifier: number }
  return undefined
}

/**
 * An organisation identifier following org-id.guide: the charity number first (360Giving's
 * guidance prefers it when an organisation is both), then the Companies House number. Without
 * either, `<prefix>-org-<actor id>`, which is only a local id within this publisher's data,
 * not an org-id: tools cannot match it to the same organisation in other funders' data.
 */
export function orgIdOf(actor: Actor, prefix: string = DEFAULT_360_PREFIX): string {
  const charity = charityIdentifier(actor.charityNumber)
  if (charity) return `${charity.scheme}-${charity.identifier}`
  const company = actor.companyNumber.trim().toUpperCase()
  if (company) return `GB-COH-${company}`
  return `${prefix}-org-${actor.id}`
}

function organization(actor: Actor, prefix: string): Organization360 {
  return {
    id: orgIdOf(actor, prefix),
    name: actor.name,
    ...(actor.charityNumber ? { charityNumber: actor.charityNumber } : {}),
    ...(actor.companyNumber ? { companyNumber: actor.companyNumber } : {}),
  }
}

/**
 * 360Giving's currency list is ISO 4217. The link schema only checks the shape (three capital
 * letters), so a made-up code is caught here, where the runtime knows the list.
 */
function isKnownCurrency(code: string): boolean {
  const supported = (Intl as { supportedValuesOf?: (key: 'currency') => string[] }).supportedValuesOf
  return supported ? supported('currency').includes(code) : true
}

function grantOf(
  link: Link,
  dataset: Dataset,
  actors: ReadonlyMap<string, Actor>,
  prefix: string,
): { grant: Grant360 } | { skipped: string } {
  const funder = actors.get(link.from)
  const recipient = actors.get(link.to)
  if (!funder || !recipient) return { skipped: 'the funder or the recipient is not in the map' }
  if (link.amount === undefined) return { skipped: 'no amount' }
  // A grant of nothing would be counted by grant tools as a real award of zero.
  if (link.amount === 0) return { skipped: 'the amount is 0' }
  if (!isKnownCurrency(link.currency)) return { skipped: `${link.currency} is not an ISO 4217 currency` }
  // The decision date is rarely known at a workshop; the start of the funded period is the
  // nearest date that is, then the workshop's own dates (the grant was current by then).
  const awardDate = link.periodStart ?? dataset.meta.startDate ?? dataset.meta.endDate
  if (!awardDate) return { skipped: 'no award date: the link has no start date and the workspace no dates' }
  const names = `${funder.name} to ${recipient.name}`
  const planned = {
    ...(link.periodStart ? { startDate: link.periodStart } : {}),
    ...(link.periodEnd ? { endDate: link.periodEnd } : {}),
  }
  const grant: Grant360 = {
    id: `${prefix}-${link.id}`,
    title: link.label.trim() || `Grant from ${names}`,
    description:
      link.purpose.trim() ||
      link.notes.trim() ||
      `Funding from ${names}, recorded on the network map "${dataset.meta.title}".`,
    currency: link.currency,
    amountAwarded: link.amount,
    awardDate,
    ...(Object.keys(planned).length > 0 ? { plannedDates: [planned] } : {}),
    recipientOrganization: [organization(recipient, prefix)],
    fundingOrganization: [organization(funder, prefix)],
  }
  return { grant }
}

/**
 * The grants a dataset gives, one per funding link with an amount and a date, in link order,
 * with every funding link left out and the reason, so the export dialog can say what is
 * missing. Other link kinds are never grants (a commissioning link is a contract, not a grant).
 */
export function plan360Giving(dataset: Dataset, options: ThreeSixtyGivingOptions = {}): Plan360Giving {
  const prepared = prepareForExport(dataset, options)
  const prefix = options.prefix?.trim() || DEFAULT_360_PREFIX
  const actors = new Map(prepared.actors.map((actor) => [actor.id, actor]))
  const grants: Grant360[] = []
  const skipped: SkippedGrant[] = []
  for (const link of prepared.links) {
    if (link.kind !== 'funding') continue
    const result = grantOf(link, prepared, actors, prefix)
    if ('grant' in result) grants.push(result.grant)
    else skipped.push({ linkId: link.id, reason: result.skipped })
  }
  return { grants, skipped }
}

/**
 * The map's funding as a 360Giving JSON file, `{ "grants": [...] }`. Links that cannot be
 * grants are left out (see `plan360Giving` for which and why). The 360Giving package schema
 * asks for at least one grant, so a map without funding amounts gives a file tools will
 * reject; the export dialog should use `plan360Giving` to say so first.
 */
export function to360Giving(dataset: Dataset, options: ThreeSixtyGivingOptions = {}): ExportFile {
  const { grants } = plan360Giving(dataset, options)
  return {
    filename: `${fileStem(dataset.meta.title)}-360giving.json`,
    mediaType: 'application/json',
    body: `${JSON.stringify({ grants }, null, 2)}\n`,
  }
}
