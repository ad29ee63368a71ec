import { z } from 'zod'
import { Id } from '../ids.ts'
import { defineRecord, IsoDate, Text } from './record.ts'

/** The kinds of tie between two actors. */
export const LINK_KINDS = [
  'referral',
  'funding',
  'partnership',
  'commissioning',
  'membership',
  'information-sharing',
  'disconnect',
] as const
export const LinkKind = z.enum(LINK_KINDS)
export type LinkKind = z.infer<typeof LinkKind>

export const LINK_KIND_LABELS: Record<LinkKind, string> = {
  referral: 'Referral',
  funding: 'Funding',
  partnership: 'Partnership',
  commissioning: 'Commissioning',
  membership: 'Membership',
  'information-sharing': 'Information sharing',
  disconnect: 'Disconnect',
}

/**
 * A directed tie from one actor to another: "A refers to B", "A funds B", "A is a member of B".
 * `mutual` marks a tie that runs both ways (a partnership). The funding fields mean something
 * only when kind is 'funding'; they are kept when the kind changes, because two people may edit
 * the kind and the amount at once and neither edit should be thrown away.
 */
export const LinkSchema = z.object({
  id: Id,
  from: Id,
  to: Id,
  kind: LinkKind,
  direction: z.enum(['directed', 'mutual']).default('directed'),
  label: Text(200),
  /** How strong the tie is, 1 (weak) to 5 (strong); absent when nobody said. */
  strength: z.number().int().min(1).max(5).optional(),
  amount: z.number().nonnegative().max(1e12).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'a currency is an ISO 4217 code such as GBP')
    .default('GBP'),
  periodStart: IsoDate.optional(),
  periodEnd: IsoDate.optional(),
  purpose: Text(2000),
  notes: Text(),
})
export type Link = z.infer<typeof LinkSchema>

export const linkKind = defineRecord('link', LinkSchema)
