import { z } from 'zod'
import { err, ok, type Result } from '../result.ts'

/**
 * What an actor offers to others or needs from them: one of a few kinds of help, a short note
 * and the ward it is in. An actor's offers and its needs are two list fields of the actor (see
 * actor.ts), each a list of these.
 */
export const EXCHANGE_KINDS = ['space', 'volunteers', 'skills', 'equipment', 'funding', 'referrals'] as const
export const ExchangeKind = z.enum(EXCHANGE_KINDS)
export type ExchangeKind = z.infer<typeof ExchangeKind>

export const EXCHANGE_KIND_LABELS: Record<ExchangeKind, string> = {
  space: 'Space',
  volunteers: 'Volunteers',
  skills: 'Skills',
  equipment: 'Equipment',
  funding: 'Funding',
  referrals: 'Referrals in',
}

/**
 * One offer or need. In a spreadsheet cell an actor's list is written `space (Riverside Ward):
 * main hall, weekday evenings; volunteers`, so a note cannot hold ";" or "|" (they separate the
 * items, in CSV and in Kumu) and a ward cannot hold brackets either.
 */
export const ExchangeSchema = z.strictObject({
  what: ExchangeKind,
  note: z
    .string()
    .max(200)
    .regex(/^[^;|]*$/, 'a note cannot hold ";" or "|": they separate offers and needs in a spreadsheet')
    .default(''),
  ward: z
    .string()
    .max(100)
    .regex(/^[^;|()]*$/, 'a ward cannot hold ";", "|" or brackets')
    .default(''),
})
export type Exchange = z.infer<typeof ExchangeSchema>

/** The most offers (or needs) one actor records. */
export const MAX_EXCHANGES = 20

/** The list field an actor declares for its offers, and the one for its needs. */
export const ExchangeList = z.array(ExchangeSchema).max(MAX_EXCHANGES).default([])

/** One offer or need as a spreadsheet cell writes it: `space (Riverside Ward): main hall`. */
export function formatExchange(exchange: Exchange): string {
  const ward = exchange.ward.trim() ? ` (${exchange.ward.trim()})` : ''
  const note = exchange.note.trim() ? `: ${exchange.note.trim()}` : ''
  return `${exchange.what}${ward}${note}`
}

/** A list of offers or needs as one cell: each item by `formatExchange`, joined with "; ". */
export const formatExchanges = (list: readonly Exchange[]): string => list.map(formatExchange).join('; ')

const KIND_WORDS: ReadonlyMap<string, ExchangeKind> = new Map(
  EXCHANGE_KINDS.flatMap((kind) => {
    const label = EXCHANGE_KIND_LABELS[kind].toLowerCase()
    // "volunteer", "referral", "referrals in": how people write them in a sheet.
    return [kind, label, kind.replace(/s$/, ''), label.replace(/s( in)?$/, '')].map(
      (word) => [word, kind] as const,
    )
  }),
)

const ITEM = /^([^():]+?)\s*(?:\(([^()]*)\))?\s*(?::\s*(.*))?$/s

/**
 * Reads one item written by `formatExchange` (or by a person: the kind by its value or label,
 * singular or plural, any case; ward and note optional). Errors say what was not understood.
 */
export function parseExchange(text: string): Result<Exchange> {
  const match = ITEM.exec(text.trim())
  const kind = match?.[1] ? KIND_WORDS.get(match[1].trim().toLowerCase()) : undefined
  if (!match || !kind) {
    return err(
      `"${text.trim()}" does not start with one of ${EXCHANGE_KINDS.join(', ')} (e.g. "space (Riverside Ward): main hall")`,
    )
  }
  const parsed = ExchangeSchema.safeParse({
    what: kind,
    ward: (match[2] ?? '').trim(),
    note: (match[3] ?? '').trim(),
  })
  return parsed.success ? ok(parsed.data) : err(`"${text.trim()}": ${parsed.error.issues[0]?.message}`)
}

/**
 * Reads a cell of items separated by `separators` (";" in this app's CSV, "|" or ";" in Kumu),
 * each item once. The first item not understood is the error.
 */
export function parseExchanges(cell: string, separators: RegExp = /;/): Result<Exchange[]> {
  const items: Exchange[] = []
  for (const part of cell.split(separators)) {
    if (part.trim() === '') continue
    const item = parseExchange(part)
    if (!item.ok) return item
    if (!items.some((known) => formatExchange(known) === formatExchange(item.value))) items.push(item.value)
  }
  if (items.length > MAX_EXCHANGES) return err(`at most ${MAX_EXCHANGES} items, not ${items.length}`)
  return ok(items)
}

/** Where and what, for people: " in Riverside Ward (main hall)", or '' when neither is said. */
export function exchangeDetail(exchange: Exchange): string {
  const ward = exchange.ward.trim() ? ` in ${exchange.ward.trim()}` : ''
  const note = exchange.note.trim() ? ` (${exchange.note.trim()})` : ''
  return `${ward}${note}`
}

/** A phrase for people, the kind as a plain word: "space in Riverside Ward (main hall)". */
export const describeExchange = (exchange: Exchange): string => `${exchange.what}${exchangeDetail(exchange)}`
