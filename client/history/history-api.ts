import type { TFunction } from 'i18next'
import { z } from 'zod'
import { err, ok, type Result } from '../../model/result.ts'
import { storedToken } from '../access/tokens.ts'
import { intlLocale } from '../i18n/i18n.ts'
import { refusal, type ServerProblem } from './snapshot-api.ts'
import { isKnownRole } from './snapshot-words.ts'

/**
 * Who changed what, as the server records it at commit time (issue 17):
 * `GET /api/workspaces/:room/history?record=<id>&by=<person id>&limit=<n>`, any member, newest
 * first. Each entry is one person's share of one committed batch of edits. Sent with this
 * device's token for the workspace, as the snapshots API is.
 */

export const RecordChangeSchema = z.object({
  kind: z.string(),
  id: z.string(),
  label: z.string(),
  change: z.enum(['added', 'changed', 'removed']),
})
export type RecordChange = z.infer<typeof RecordChangeSchema>

export const HistoryEntrySchema = z.object({
  /** Epoch milliseconds of the commit. */
  at: z.number(),
  /** The invite's id (or an open-access device's participant id), the name they gave, the invite's role. */
  by: z.object({ id: z.string(), name: z.string(), role: z.string() }).nullable(),
  changes: z.array(RecordChangeSchema),
})
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>

const AnswerSchema = z.object({ entries: z.array(HistoryEntrySchema) })

export interface HistoryQuery {
  readonly record?: string
  readonly by?: string
  readonly limit?: number
}

/** The workspace's history, newest first; why not, for the interface to say (serverProblemWords). */
export async function fetchHistory(
  room: string,
  query: HistoryQuery = {},
): Promise<Result<HistoryEntry[], ServerProblem>> {
  const params = new URLSearchParams()
  if (query.record) params.set('record', query.record)
  if (query.by) params.set('by', query.by)
  if (query.limit) params.set('limit', String(query.limit))
  const token = storedToken(room)
  let response: Response
  try {
    response = await fetch(`/api/workspaces/${encodeURIComponent(room)}/history?${params}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
  } catch {
    return err({ kind: navigator.onLine ? 'unreachable' : 'offline' })
  }
  const body = (await response.json().catch(() => undefined)) as unknown
  if (!response.ok) return err(refusal(response.status, (body as { error?: unknown } | undefined)?.error))
  const parsed = AnswerSchema.safeParse(body)
  return parsed.success ? ok(parsed.data.entries) : err({ kind: 'unreadable' })
}

/** "Ama (facilitator)", or the role alone for someone who gave no name. */
export function personWords(by: HistoryEntry['by'], t: TFunction): string {
  if (!by) return t('history.someone')
  if (by.name) {
    const role = isKnownRole(by.role) ? t(`history.roles.${by.role}`) : by.role
    return t('history.person', { name: by.name, role })
  }
  return t(`history.someoneAs.${isKnownRole(by.role) ? by.role : 'participant'}`)
}

const KINDS = [
  'actor',
  'link',
  'theme',
  'themePoint',
  'quickWin',
  'journey',
  'journeyStep',
  'emergingModel',
  'agendaItem',
  'meta',
] as const
type Kind = (typeof KINDS)[number]
const isKind = (kind: string): kind is Kind => KINDS.includes(kind as Kind)

/** "added actor Food bank". */
export function changeWords(change: RecordChange, t: TFunction): string {
  const kind = isKind(change.kind) ? t(`history.kinds.${change.kind}`) : change.kind
  return change.label
    ? t(`history.change.${change.change}`, { kind, label: change.label })
    : t(`history.changeUnnamed.${change.change}`, { kind })
}

/** When, as a person reads it, in the interface's language (on a 24-hour clock, as snapshots are). */
export const historyTime = (at: number): string =>
  new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(
    new Date(at),
  )
