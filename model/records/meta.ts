import { z } from 'zod'
import { defineRecord, IsoDate, Text } from './record.ts'

/** The workspace as a whole: what it maps, where, and when. */
export const MetaSchema = z.object({
  title: z.string().max(200).default('Untitled workspace'),
  /** The ward or area the map covers. */
  area: Text(200),
  startDate: IsoDate.optional(),
  endDate: IsoDate.optional(),
  facilitator: Text(200),
  description: Text(),
})
export type Meta = z.infer<typeof MetaSchema>

export const metaKind = defineRecord('meta', MetaSchema)
