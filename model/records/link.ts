import { z } from 'zod'
import { Id } from '../ids.ts'
import { declareRecord, described, IsoDate, Text } from './record.ts'

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
  id: described(Id, { label: 'ID', input: 'hidden', graph: false, kumu: 'ID' }),
  from: described(Id, { label: 'From', input: 'hidden', graph: false, kumu: 'From' }),
  to: described(Id, { label: 'To', input: 'hidden', graph: false, kumu: 'To' }),
  kind: described(LinkKind, { label: 'Kind', labels: LINK_KIND_LABELS, kumu: 'Type' }),
  direction: described(z.enum(['directed', 'mutual']).default('directed'), {
    label: 'Direction',
    labels: { directed: 'One way', mutual: 'Both ways' },
  }),
  label: described(Text(200), { label: 'Label' }),
  strength: described(z.number().int().min(1).max(5).optional(), {
    label: 'Strength',
    help: 'How strong the tie is, 1 (weak) to 5 (strong).',
    input: 'choice',
    labels: { '1': '1 (weak)', '2': '2', '3': '3', '4': '4', '5': '5 (strong)' },
  }),
  amount: described(z.number().nonnegative().max(1e12).optional(), {
    label: 'Amount',
    help: 'For funding, e.g. 1500.',
    group: 'Funding',
    when: { field: 'kind', is: 'funding' },
  }),
  currency: described(
    z
      .string()
      .regex(/^[A-Z]{3}$/, 'a currency is an ISO 4217 code such as GBP')
      .default('GBP'),
    {
      label: 'Currency',
      help: 'ISO code, e.g. GBP.',
      upperCase: true,
      tableHidden: true,
      group: 'Funding',
      when: { field: 'kind', is: 'funding' },
    },
  ),
  periodStart: described(IsoDate.optional(), {
    label: 'Period start',
    input: 'date',
    kumu: 'Period Start',
    group: 'Funding',
    when: { field: 'kind', is: 'funding' },
  }),
  periodEnd: described(IsoDate.optional(), {
    label: 'Period end',
    input: 'date',
    kumu: 'Period End',
    group: 'Funding',
    when: { field: 'kind', is: 'funding' },
  }),
  purpose: described(Text(2000), {
    label: 'Purpose',
    input: 'long-text',
    group: 'Funding',
    when: { field: 'kind', is: 'funding' },
  }),
  notes: described(Text(), { label: 'Notes', input: 'long-text', kumu: 'Description' }),
})
export type Link = z.infer<typeof LinkSchema>

export const linkKind = declareRecord({
  key: 'link',
  name: 'link',
  noun: 'Link',
  commands: { add: 'connect', remove: 'disconnect' },
  schema: LinkSchema,
  placement: { root: 'links' },
  references: [
    { field: 'from', to: 'actor', onDelete: 'cascade' },
    { field: 'to', to: 'actor', onDelete: 'cascade' },
  ],
  fixed: ['from', 'to'],
  check: (link) => (link.from === link.to ? 'a link joins two different actors' : undefined),
  writers: ['facilitator', 'participant'],
  frozenByLock: true,
})
