import { z } from 'zod'
import { err, ok, type Result } from '../../model/result.ts'
import { storedToken } from '../access/tokens.ts'

/**
 * The server's named snapshots of a workspace (issue 17), over HTTP:
 * - `GET    /api/workspaces/:room/snapshots`              any member: the list, newest first
 * - `POST   /api/workspaces/:room/snapshots` `{ name }`   facilitators: save one (201)
 * - `GET    /api/workspaces/:room/snapshots/:id/state`    any member: its Yjs update (V1)
 * - `POST   /api/workspaces/:room/snapshots/:id/restore`  facilitators: restore it as a new change,
 *   after the server saves an automatic snapshot of the state before (`before`), so restoring
 *   that one undoes the restore.
 * Each call sends this device's token for the workspace as `Authorization: Bearer`, as the
 * invite dialog does; errors come back as JSON `{ error }` and are returned here as values (the
 * interface words them: see serverProblemWords).
 */

/** A snapshot as the server lists it. */
export const SnapshotItemSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  /** Epoch milliseconds. */
  createdAt: z.number(),
  /** Who saved it, from their invite; null for an automatic one or an unknown person. */
  createdBy: z.object({ name: z.string(), role: z.string() }).nullable(),
  /** Saved by the server itself (before a restore), not by a person. */
  auto: z.boolean(),
})
export type SnapshotItem = z.infer<typeof SnapshotItemSchema>

/**
 * Why a call to the server failed, for the interface to say in its language: offline, no
 * answer, an answer this app cannot read, or a refusal (the server's own words where it gave
 * them, and the HTTP status).
 */
export type ServerProblem =
  | { readonly kind: 'offline' }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'refused'; readonly status: number; readonly words?: string }

/** Why a call for snapshots failed. */
export type SnapshotApiError = ServerProblem

const ListSchema = z.object({ snapshots: z.array(SnapshotItemSchema) })
const SavedSchema = z.object({ snapshot: SnapshotItemSchema })
const RestoredSchema = z.object({ before: SnapshotItemSchema })

const base = (room: string) => `/api/workspaces/${encodeURIComponent(room)}/snapshots`

function headers(room: string, json: boolean): Record<string, string> {
  const result: Record<string, string> = {}
  if (json) result['content-type'] = 'application/json'
  const token = storedToken(room)
  if (token) result.authorization = `Bearer ${token}`
  return result
}

/** A refusal, with the server's words where its JSON body gave them. */
export function refusal(status: number, words: unknown): ServerProblem {
  return typeof words === 'string' && words ? { kind: 'refused', status, words } : { kind: 'refused', status }
}

async function send(
  room: string,
  path: string,
  init: RequestInit = {},
): Promise<Result<Response, SnapshotApiError>> {
  let response: Response
  try {
    response = await fetch(`${base(room)}${path}`, {
      ...init,
      headers: headers(room, typeof init.body === 'string'),
    })
  } catch {
    return err({ kind: navigator.onLine ? 'unreachable' : 'offline' })
  }
  if (response.ok) return ok(response)
  const body = (await response.json().catch(() => ({}))) as { error?: unknown }
  return err(refusal(response.status, body.error))
}

async function json<S extends z.ZodType>(
  answer: Result<Response, SnapshotApiError>,
  schema: S,
): Promise<Result<z.infer<S>, SnapshotApiError>> {
  if (!answer.ok) return answer
  const body = await answer.value.json().catch(() => undefined)
  const parsed = schema.safeParse(body)
  return parsed.success ? ok(parsed.data) : err({ kind: 'unreadable' })
}

/** The workspace's snapshots, newest first. */
export async function listSnapshots(room: string): Promise<Result<SnapshotItem[], SnapshotApiError>> {
  const answer = await json(await send(room, ''), ListSchema)
  return answer.ok ? ok(answer.value.snapshots) : answer
}

/** Saves the workspace as it is on the server now, under `name` (facilitators only). */
export async function saveSnapshot(
  room: string,
  name: string,
): Promise<Result<SnapshotItem, SnapshotApiError>> {
  const answer = await json(
    await send(room, '', { method: 'POST', body: JSON.stringify({ name }) }),
    SavedSchema,
  )
  return answer.ok ? ok(answer.value.snapshot) : answer
}

/** The workspace as it was at a snapshot: a Yjs update (V1) to apply to an empty document. */
export async function snapshotState(room: string, id: string): Promise<Result<Uint8Array, SnapshotApiError>> {
  const answer = await send(room, `/${encodeURIComponent(id)}/state`)
  if (!answer.ok) return answer
  return ok(new Uint8Array(await answer.value.arrayBuffer()))
}

/**
 * Restores a snapshot as a new change on top (facilitators only); answers with the automatic
 * snapshot the server saved of the state just before, whose restore undoes this one.
 */
export async function restoreSnapshot(
  room: string,
  id: string,
): Promise<Result<SnapshotItem, SnapshotApiError>> {
  const answer = await json(
    await send(room, `/${encodeURIComponent(id)}/restore`, { method: 'POST', body: '{}' }),
    RestoredSchema,
  )
  return answer.ok ? ok(answer.value.before) : answer
}
