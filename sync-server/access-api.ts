import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { type AccessClaims, type Auth, denial, parseDuration } from './auth.ts'
import type { Invite } from './invite-store.ts'
import { ROLES, type Role } from './write-rules.ts'

/**
 * The HTTP side of access: who a request is, and the invite API.
 *
 * - `POST /api/workspaces` (a facilitator's token of any workspace, or open access): makes a
 *   workspace id and a facilitator token for it: the creator is its facilitator.
 * - `POST /api/rooms/<room>/invites` `{ role, expiresIn?, label? }`: a new invite link.
 * - `GET /api/rooms/<room>/invites`: the room's invites (never their tokens, which are not kept).
 * - `DELETE /api/rooms/<room>/invites/<jti>`: withdraws one; its live connections are closed.
 *
 * Tokens come in `Authorization: Bearer <token>`; plain download links may carry `?token=`.
 */

export interface AccessSettings {
  readonly openAccess: boolean
  readonly inviteSeconds: number
  readonly creatorSeconds: number
  readonly publicUrl?: string | undefined
  readonly https: boolean
  readonly trustProxy: boolean
}

/** Who made a request: a verified token's holder, or anyone on an open-access server. */
export type Caller =
  | { readonly ok: true; readonly role: Role; readonly claims: AccessClaims | null }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string }

/** The token a request carries: the Authorization header, or `?token=` where allowed. */
export function requestToken(req: IncomingMessage, url: URL, allowQuery: boolean): string | null {
  const header = req.headers.authorization
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    return match ? (match[1] as string) : ''
  }
  return allowQuery ? url.searchParams.get('token') : null
}

/**
 * Who is calling, for `room` (or for any room when null). A token that is given is always
 * checked, open access or not; without one, open access makes the caller a facilitator.
 */
export async function identify(
  auth: Auth,
  settings: AccessSettings,
  token: string | null,
  room: string | null,
): Promise<Caller> {
  if (token === null) {
    if (settings.openAccess) return { ok: true, role: 'facilitator', claims: null }
    const missing = denial('missing')
    return { ok: false, status: missing.status, reason: missing.reason }
  }
  const verified = await auth.verify(token, room ?? undefined)
  if (!verified.ok) return { ok: false, status: verified.denial.status, reason: verified.denial.reason }
  return { ok: true, role: verified.claims.role, claims: verified.claims }
}

/** The same, for requests only a facilitator may make. */
export async function identifyFacilitator(
  auth: Auth,
  settings: AccessSettings,
  token: string | null,
  room: string | null,
): Promise<Caller> {
  const caller = await identify(auth, settings, token, room)
  if (caller.ok && caller.role !== 'facilitator') {
    const role = denial('role')
    return { ok: false, status: role.status, reason: role.reason }
  }
  return caller
}

const InviteRequest = z.object({
  role: z.enum(ROLES),
  expiresIn: z.union([z.string().max(20), z.number()]).optional(),
  label: z.string().max(100).optional(),
})

const INVITES = /^\/api\/rooms\/([^/]*)\/invites(?:\/([^/]*))?$/

export interface AccessApi {
  /** Answers the request if it is one of the access routes; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>
}

export function accessApi(
  auth: Auth,
  settings: AccessSettings,
  decodeRoom: (segment: string | undefined) => string | null,
  onRevoked: (invite: Invite) => void,
): AccessApi {
  // The token rides in the fragment: browsers never send it to a server or in a Referer.
  const linkFor = (req: IncomingMessage, room: string, token: string): string =>
    `${baseUrl(req, settings)}/w/${encodeURIComponent(room)}#token=${token}`
  const publicInvite = (invite: Invite) => ({
    jti: invite.jti,
    role: invite.role,
    label: invite.label,
    createdAt: invite.createdAt,
    expiresAt: invite.expiresAt,
    revokedAt: invite.revokedAt,
  })

  return {
    async handle(req, res, url) {
      if (url.pathname === '/api/workspaces') {
        if (req.method !== 'POST') return methodNotAllowed(res, 'POST')
        const caller = await identifyFacilitator(auth, settings, requestToken(req, url, false), null)
        if (!caller.ok) {
          sendJson(res, caller.status, {
            error: 'Only a facilitator can start a workspace on this server.',
            detail: caller.reason,
          })
          return true
        }
        await readBody(req)
        const room = randomBytes(9).toString('base64url')
        const { token, invite } = await auth.issue({
          room,
          role: 'facilitator',
          expiresIn: settings.creatorSeconds,
          label: 'Created the workspace',
        })
        sendJson(res, 201, {
          room,
          token,
          link: linkFor(req, room, token),
          open: settings.openAccess,
          ...publicInvite(invite),
        })
        return true
      }

      const match = INVITES.exec(url.pathname)
      if (!match) return false
      const room = decodeRoom(match[1])
      if (room === null) {
        sendJson(res, 400, { error: 'a workspace id is 1 to 64 letters, digits, "-" or "_"' })
        return true
      }
      const jti = match[2] === undefined ? null : safeDecode(match[2])
      const allowed = jti === null ? ['GET', 'POST'] : ['DELETE']
      if (!allowed.includes(req.method ?? '')) return methodNotAllowed(res, allowed.join(', '))
      const caller = await identifyFacilitator(auth, settings, requestToken(req, url, false), room)
      if (!caller.ok) {
        sendJson(res, caller.status, { error: caller.reason })
        return true
      }

      if (req.method === 'GET') {
        const invites = await auth.invites.list(room)
        sendJson(res, 200, { room, invites: invites.map(publicInvite) })
        return true
      }
      if (req.method === 'POST') {
        const body = InviteRequest.safeParse(await readBody(req))
        if (!body.success) {
          sendJson(res, 400, {
            error: 'send { role: "facilitator" | "participant" | "viewer", expiresIn?, label? }',
          })
          return true
        }
        const expiresIn =
          body.data.expiresIn === undefined ? settings.inviteSeconds : parseDuration(body.data.expiresIn)
        if (expiresIn === null) {
          sendJson(res, 400, {
            error: 'expiresIn is a duration such as "12h", "7d" or "4w", at most 400 days',
          })
          return true
        }
        const { token, invite } = await auth.issue({
          room,
          role: body.data.role,
          expiresIn,
          label: body.data.label ?? '',
        })
        sendJson(res, 201, { token, link: linkFor(req, room, token), ...publicInvite(invite) })
        return true
      }
      const revoked = jti === null ? null : await auth.invites.revoke(room, jti, Date.now())
      if (!revoked) {
        sendJson(res, 404, { error: 'this workspace has no such invite' })
        return true
      }
      onRevoked(revoked)
      sendJson(res, 200, { revoked: publicInvite(revoked) })
      return true
    },
  }
}

/** Where links to this server start: the configured public address, or the one the request used. */
export function baseUrl(req: IncomingMessage, settings: AccessSettings): string {
  if (settings.publicUrl) return settings.publicUrl.replace(/\/+$/, '')
  const forwardedProto = settings.trustProxy ? String(req.headers['x-forwarded-proto'] ?? '') : ''
  const scheme = forwardedProto.split(',')[0]?.trim() || (settings.https ? 'https' : 'http')
  const host = (settings.trustProxy && firstHeader(req.headers['x-forwarded-host'])) || req.headers.host
  return `${scheme}://${host ?? 'localhost'}`
}

/** The caller's network address: the socket's, or behind a trusted proxy the one it saw. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = firstHeader(req.headers['x-forwarded-for'])
    const last = forwarded?.split(',').pop()?.trim()
    if (last) return last
  }
  return req.socket.remoteAddress ?? 'unknown'
}

/** A URL fit for a log line: any token in it is replaced. */
export function redactUrl(url: string | undefined): string {
  return (url ?? '').replace(/([?&#]token=)[^&#]*/gi, '$1[redacted]')
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

export function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

const MAX_BODY_BYTES = 16 * 1024

/** Reads a small JSON body; undefined when empty, not JSON, or too large. */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) return undefined
    chunks.push(chunk as Buffer)
  }
  if (size === 0) return undefined
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    return undefined
  }
}

/** Answers 405; true, as the request is answered. */
export function methodNotAllowed(res: ServerResponse, allow: string): true {
  res.setHeader('allow', allow)
  sendJson(res, 405, { error: 'method not allowed' })
  return true
}

/** A JSON answer that no cache keeps. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}
