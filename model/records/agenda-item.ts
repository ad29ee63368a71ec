import { z } from 'zod'
import { Id } from '../ids.ts'
import { defineRecord, Name } from './record.ts'

/** One item of a workshop's agenda, with the minutes planned for it. */
export const AgendaItemSchema = z.object({
  id: Id,
  title: Name,
  /** Planned length; starting the timer on the item counts these down. 0: no set length. */
  minutes: z.number().int().min(0).max(600).default(0),
  order: z.string().min(1).max(100),
})
export type AgendaItem = z.infer<typeof AgendaItemSchema>

export const agendaItemKind = defineRecord('agenda item', AgendaItemSchema)
