import { z } from 'zod'
import { declareRecord, described, IsoDate, Text } from './record.ts'

/** The workspace as a whole: what it maps, where, and when. */
export const MetaSchema = z.object({
  title: described(z.string().max(200).default('Untitled workspace'), { label: 'Title' }),
  /** The ward or area the map covers. */
  area: described(Text(200), { label: 'Area' }),
  startDate: described(IsoDate.optional(), { label: 'Start date', input: 'date' }),
  endDate: described(IsoDate.optional(), { label: 'End date', input: 'date' }),
  facilitator: described(Text(200), { label: 'Facilitator', personal: true }),
  description: described(Text(), { label: 'Description', input: 'long-text' }),
})
export type Meta = z.infer<typeof MetaSchema>

export const metaKind = declareRecord({
  key: 'meta',
  name: 'meta',
  noun: 'Meta',
  schema: MetaSchema,
  placement: { singleton: 'meta' },
  writers: ['facilitator'],
})
