import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import * as Y from 'yjs'
import { z } from 'zod'
import { restoreFromSnapshot } from '../model/index.ts'
import {
  type AccessSettings,
  type Caller,
  identify,
  identifyFacilitator,
  methodNotAllowed,
  readBody,
  requestToken,
  safeDecode,
  sendJson,
} from './access-api.ts'
import type { Auth } from './auth.ts'
import type { Peer } from './room.ts'
import type { Rooms } from './rooms.ts'
import { mergedState } from './storage/copy.ts'
import type { DocStore, HistoryEntry, Person, SnapshotInfo } from './storage/doc-store.ts'

/**
 * Change over time (issue 17), over HTTP. The same tokens as the invite API (`Authorization:
 * Bearer`), roles from the invite; on an open-access server a request without a token is a
 * facilitator's.
 *
 * - `GET  /api/workspaces/<room>/snapshots`: the saved snapshots, newest first (any member).
 * - `POST /api/workspaces/<room>/snapshots` `{ name }`: saves the workspace as it is now (facilitators).
 * - `GET  /api/workspaces/<room>/snapshots/<id>/state`: a snapshot as one Yjs update, V1 (any member).
 * - `POST /api/workspaces/<room>/snapshots/<id>/restore`: saves "Before restoring <name>", then
 *   writes the snapshot into the live workspace as a new change (facilitators).
 * - `GET  /api/workspaces/<room>/history?record=&by=&limit=`: who changed which records (any member).
 */

const SnapshotRequest = z.object({
  name: z.string().trim().min(1).max(120),
})

const HistoryRequest = z.object({
  record: z.string().min(1).max(64).optional(),
  by: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

const ROUTE = /^\/api\/workspaces\/([^/]*)\/(snapshots|history)(?:\/([^/]*)(?:\/(state|restore))?)?$/

/** A snapshot as the API shows it: who saved it by name and role, not by invite. */
const publicSnapshot = (info: SnapshotInfo) => ({
  id: info.id,
  name: info.name,
  createdAt: info.createdAt,
  createdBy: info.createdBy ? { name: info.createdBy.name, role: info.createdBy.role } : null,
  auto: info.auto,
})

export interface ChangeApi {
  /** Answers the request if it is one of these routes; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>
}

export function changeApi(
  auth: Auth,
  settings: AccessSettings,
  decodeRoom: (segment: string | undefined) => string | null,
  store: DocStore,
  rooms: Rooms,
  log: Logger,
): ChangeApi {
  /** Who is calling, as history and snapshots name them: the invite's id, label and role. */
  const personOf = async (caller: Extract<Caller, { ok: true }>): Promise<Person> => {
    const jti = caller.claims?.jti ?? null
    const invite = jti === null ? null : await auth.invites.get(jti)
    return { id: jti, name: invite?.label ?? '', role: caller.role }
  }

  /**
   * The workspace's whole state now, from storage after the live room (if loaded here) has
   * committed what it holds: storage has everything the room has, and in cluster mode what the
   * other instances committed too.
   */
  const currentState = async (room: string): Promise<Uint8Array | null> => {
    if (rooms.isLoaded(room)) {
      const live = await rooms.acquire(room)
      try {
        await live.flush()
      } finally {
        rooms.release(room)
      }
    }
    return mergedState(await store.load(room))
  }

  const save = async (
    room: string,
    name: string,
    createdBy: Person | null,
    auto: boolean,
    state: Uint8Array,
  ): Promise<SnapshotInfo> => {
    const info: SnapshotInfo = {
      id: randomBytes(9).toString('base64url'),
      name,
      createdAt: Date.now(),
      createdBy,
      auto,
    }
    await store.saveSnapshot(room, info, state)
    return info
  }

  /**
   * Writes a snapshot into the live room as one new update, committed like anyone's edit (stored
   * before it is applied or relayed, so every connected device receives it). The update is made
   * on a copy of the room's state, by the model's restore, and sent in under the caller's
   * invite, so history records who restored. Edits others commit meanwhile are merged with it
   * as any concurrent edits are.
   */
  const restore = async (
    room: string,
    snapshot: SnapshotInfo,
    state: Uint8Array,
    by: Person,
    res: ServerResponse,
  ): Promise<void> => {
    const live = await rooms.acquire(room)
    try {
      await live.flush()
      const now = Y.encodeStateAsUpdate(live.doc)
      const before = await save(room, `Before restoring ${snapshot.name}`.slice(0, 120), by, true, now)
      const copy = new Y.Doc()
      const saved = new Y.Doc()
      try {
        Y.applyUpdate(copy, now)
        Y.applyUpdate(saved, state)
        const written: Uint8Array[] = []
        copy.on('update', (update: Uint8Array) => written.push(update))
        restoreFromSnapshot(copy, saved)
        let failure: string | null = null
        const peer: Peer = {
          role: 'facilitator',
          inviteId: by.id,
          quiet: true,
          send: () => undefined,
          close: (_code, reason) => {
            failure = reason
          },
        }
        if (written.length > 0) {
          live.receiveUpdate(
            peer,
            written.length === 1 ? (written[0] as Uint8Array) : Y.mergeUpdates(written),
            null,
          )
          // On disk before the restore is answered, as a client's "saved" is.
          await live.saved()
        }
        if (failure !== null) {
          sendJson(res, 503, { error: `The restore could not be saved: ${failure}` })
          return
        }
      } finally {
        copy.destroy()
        saved.destroy()
      }
      log.info({ room, snapshot: snapshot.id }, 'restored a snapshot')
      sendJson(res, 200, { before: publicSnapshot(before) })
    } finally {
      rooms.release(room)
    }
  }

  /** History as the API shows it; a person who gave no name is called by their invite's label. */
  const publicHistory = async (entries: readonly HistoryEntry[]) => {
    const labels = new Map<string, string>()
    const nameOf = async (by: Person): Promise<string> => {
      if (by.name || by.id === null) return by.name
      if (!labels.has(by.id)) labels.set(by.id, (await auth.invites.get(by.id))?.label ?? '')
      return labels.get(by.id) ?? ''
    }
    const out = []
    for (const entry of entries) {
      out.push({
        at: entry.at,
        by: entry.by ? { id: entry.by.id ?? '', name: await nameOf(entry.by), role: entry.by.role } : null,
        changes: entry.changes,
      })
    }
    return out
  }

  return {
    async handle(req, res, url) {
      const match = ROUTE.exec(url.pathname)
      if (!match) return false
      const room = decodeRoom(match[1])
      if (room === null) {
        sendJson(res, 400, { error: 'a workspace id is 1 to 64 letters, digits, "-" or "_"' })
        return true
      }
      const [, , part, idSegment, action] = match
      const id = idSegment === undefined ? null : safeDecode(idSegment)
      if (part === 'history' && idSegment !== undefined) {
        sendJson(res, 404, { error: 'not found' })
        return true
      }
      if (part === 'snapshots' && idSegment !== undefined && action === undefined) {
        sendJson(res, 404, { error: 'not found' })
        return true
      }
      const writes = (part === 'snapshots' && id === null) || action === 'restore'
      const allowed =
        action === 'restore' ? ['POST'] : action === 'state' || part === 'history' ? ['GET'] : ['GET', 'POST']
      if (!allowed.includes(req.method ?? '')) return methodNotAllowed(res, allowed.join(', '))
      const token = requestToken(req, url, false)
      const facilitatorOnly = writes && req.method === 'POST'
      const caller = facilitatorOnly
        ? await identifyFacilitator(auth, settings, token, room)
        : await identify(auth, settings, token, room)
      if (!caller.ok) {
        sendJson(res, caller.status, { error: caller.reason })
        return true
      }

      if (part === 'history') {
        const query = HistoryRequest.safeParse(Object.fromEntries(url.searchParams))
        if (!query.success) {
          sendJson(res, 400, { error: 'history takes record=<id>, by=<person id> and limit=<1 to 500>' })
          return true
        }
        const entries = await store.history(room, {
          limit: query.data.limit,
          ...(query.data.record !== undefined ? { record: query.data.record } : {}),
          ...(query.data.by !== undefined ? { by: query.data.by } : {}),
        })
        sendJson(res, 200, { entries: await publicHistory(entries) })
        return true
      }

      if (id === null) {
        if (req.method === 'GET') {
          const snapshots = await store.listSnapshots(room)
          sendJson(res, 200, { snapshots: snapshots.map(publicSnapshot) })
          return true
        }
        const body = SnapshotRequest.safeParse(await readBody(req))
        if (!body.success) {
          sendJson(res, 400, {
            error: 'send { "name": "..." }: a snapshot needs a name of 1 to 120 characters',
          })
          return true
        }
        const state = await currentState(room)
        if (state === null) {
          sendJson(res, 404, { error: `there is no workspace ${room}` })
          return true
        }
        const info = await save(room, body.data.name, await personOf(caller), false, state)
        sendJson(res, 201, { snapshot: publicSnapshot(info) })
        return true
      }

      const snapshot = (await store.listSnapshots(room)).find((item) => item.id === id)
      const state = snapshot ? await store.snapshotState(room, snapshot.id) : null
      if (!snapshot || state === null) {
        sendJson(res, 404, { error: 'this workspace has no such snapshot' })
        return true
      }
      if (action === 'state') {
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': state.byteLength,
          'cache-control': 'no-store',
        })
        res.end(state)
        return true
      }
      await readBody(req)
      await restore(room, snapshot, state, await personOf(caller), res)
      return true
    },
  }
}
