import { z } from 'zod'
import { Id } from '../ids.ts'
import { declareRecord, described, Name } from './record.ts'

/** One item of a workshop's agenda, with the minutes planned for it. */
export const AgendaItemSchema = z.object({
  id: described(Id, { label: 'ID', input: 'hidden' }),
  title: described(Name, { label: 'Item' }),
  /** Planned length; starting the timer on the item counts these down. 0: no set length. */
  minutes: described(z.number().int().min(0).max(600).default(0), { label: 'Minutes' }),
  order: described(z.string().min(1).max(100), { label: 'Order', input: 'hidden' }),
})
export type AgendaItem = z.infer<typeof AgendaItemSchema>

export const agendaItemKind = declareRecord({
  key: 'agendaItem',
  name: 'agenda item',
  noun: 'AgendaItem',
  schema: AgendaItemSchema,
  placement: { root: 'agenda' },
  ordered: true,
  writers: ['facilitator'],
})
