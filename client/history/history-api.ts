import { z } from 'zod'
import { err, ok, type Result } from '../../model/result.ts'
import { storedToken } from '../access/tokens.ts'

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

/** The workspace's history, newest first; the failure in words a person can act on. */
export async function fetchHistory(room: string, query: HistoryQuery = {}): Promise<Result<HistoryEntry[]>> {
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
    return err(
      navigator.onLine ? 'The server could not be reached.' : 'History needs a connection to the server.',
    )
  }
  const body = (await response.json().catch(() => undefined)) as unknown
  if (!response.ok) {
    const message = (body as { error?: unknown } | undefined)?.error
    return err(typeof message === 'string' && message ? message : `The server answered ${response.status}.`)
  }
  const parsed = AnswerSchema.safeParse(body)
  return parsed.success ? ok(parsed.data.entries) : err('The server sent an answer this app cannot read.')
}

/** "Ama (facilitator)", or the role alone for someone who gave no name. */
export function personWords(by: HistoryEntry['by']): string {
  if (!by) return 'Someone'
  const role =
    by.role === 'facilitator' ? 'a facilitator' : by.role === 'viewer' ? 'a viewer' : 'a participant'
  return by.name ? `${by.name} (${by.role})` : `Someone, ${role}`
}

const KIND_WORDS: Readonly<Record<string, string>> = {
  actor: 'actor',
  link: 'link',
  theme: 'theme',
  themePoint: 'point',
  quickWin: 'quick win',
  journey: 'journey',
  journeyStep: 'journey step',
  emergingModel: 'model',
  agendaItem: 'agenda item',
  meta: 'workspace details',
}

/** "added actor Food bank". */
export function changeWords(change: RecordChange): string {
  const kind = KIND_WORDS[change.kind] ?? change.kind
  return change.label ? `${change.change} ${kind} ${change.label}` : `${change.change} ${kind}`
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
/** When, as a person reads it. */
export const historyTime = (at: number): string => timeFormat.format(new Date(at))
