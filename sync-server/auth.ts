import { randomBytes } from 'node:crypto'
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { errors, jwtVerify, SignJWT } from 'jose'
import { z } from 'zod'
import { DENIAL_PROBLEMS, DENIAL_REASONS, type DenialProblem, Id } from '../model/index.ts'
import type { Invite, InviteStore } from './invite-store.ts'
import { ROLES, type Role } from './write-rules.ts'

/**
 * Invite tokens: JWTs signed with HS256 by this server's secret, naming one workspace (room) and
 * a role, with an expiry. A token works only while the invite it belongs to is on record and
 * not withdrawn.
 */

/** What a verified token says. */
export interface AccessClaims {
  readonly room: string
  readonly role: Role
  readonly jti: string
  /** Epoch seconds. */
  readonly iat: number
  readonly exp: number
}

const ClaimsSchema = z.object({
  room: Id,
  role: z.enum(ROLES),
  jti: z.string().min(8).max(64),
  iat: z.number().int(),
  exp: z.number().int(),
})

/** Why a token was not accepted, with the WebSocket close code and HTTP status that say so. */
export interface Denial {
  readonly problem: DenialProblem
  /** 4401: no usable token; 4403: a good token that does not allow this. */
  readonly closeCode: 4401 | 4403
  readonly status: 401 | 403
  /** A short, plain sentence for the person (a WebSocket close reason holds 123 bytes). */
  readonly reason: string
}

/** 4401 for no usable token, 4403 for a good token that does not allow this. */
const REFUSED_TOKEN: ReadonlySet<DenialProblem> = new Set(['revoked', 'other-room', 'role'])

const DENIALS = Object.fromEntries(
  DENIAL_PROBLEMS.map((problem): [DenialProblem, Denial] => {
    const refused = REFUSED_TOKEN.has(problem)
    return [
      problem,
      {
        problem,
        closeCode: refused ? 4403 : 4401,
        status: refused ? 403 : 401,
        reason: DENIAL_REASONS[problem],
      },
    ]
  }),
) as Record<DenialProblem, Denial>

/** The denial for a problem (also for callers that check roles themselves). */
export const denial = (problem: Denial['problem']): Denial => DENIALS[problem]

export type Verified = { ok: true; claims: AccessClaims } | { ok: false; denial: Denial }

/** The longest token looked at; anything longer is not one of ours. */
const MAX_TOKEN_LENGTH = 2048

/** The longest an invite may last. */
export const MAX_INVITE_SECONDS = 400 * 24 * 3600

/**
 * Reads a duration such as `90m`, `12h`, `7d` or `2w` (or a number of seconds) into seconds;
 * null when it is not one or is longer than an invite may last.
 */
export function parseDuration(text: string | number): number | null {
  if (typeof text === 'number')
    return Number.isInteger(text) && text > 0 && text <= MAX_INVITE_SECONDS ? text : null
  const match = /^\s*(\d{1,9})\s*(s|m|h|d|w)?\s*$/i.exec(text)
  if (!match) return null
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[(match[2] ?? 's').toLowerCase() as 's']
  const seconds = Number(match[1]) * unit
  return seconds > 0 && seconds <= MAX_INVITE_SECONDS ? seconds : null
}

/**
 * The server's signing secret: `SECRET` when given (at least 32 characters), otherwise
 * `DATA_DIR/secret`, made once from 32 random bytes and readable by this user only (0600).
 */
export function loadSecret(dataDir: string, fromEnvironment?: string): { key: Uint8Array; source: string } {
  if (fromEnvironment) {
    if (fromEnvironment.length < 32) throw new Error('SECRET must be at least 32 characters long')
    return { key: new TextEncoder().encode(fromEnvironment), source: 'SECRET' }
  }
  mkdirSync(dataDir, { recursive: true })
  const path = join(dataDir, 'secret')
  try {
    // 'wx': made only if absent, so two processes starting together cannot both write it.
    const fd = openSync(path, 'wx', 0o600)
    try {
      writeSync(fd, `${randomBytes(32).toString('base64url')}\n`)
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600)
  const text = readFileSync(path, 'utf8').trim()
  if (text.length < 32) throw new Error(`${path} holds no usable secret; remove it to make a new one`)
  return { key: new TextEncoder().encode(text), source: path }
}

export interface IssueOptions {
  readonly room: string
  readonly role: Role
  /** Seconds until it expires. */
  readonly expiresIn: number
  readonly label?: string
}

/** Issues, checks and withdraws invite tokens. */
export class Auth {
  constructor(
    private readonly key: Uint8Array,
    readonly invites: InviteStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Makes a token and records its invite (so it can be listed and withdrawn). */
  async issue(options: IssueOptions): Promise<{ token: string; invite: Invite }> {
    const createdAt = this.now()
    const exp = Math.floor(createdAt / 1000) + options.expiresIn
    const invite: Invite = {
      // Hex, not base64url: an id starting with "-" would read as an option to `npm run invite -- --revoke`.
      jti: randomBytes(16).toString('hex'),
      room: options.room,
      role: options.role,
      label: (options.label ?? '').slice(0, 100),
      createdAt,
      expiresAt: exp * 1000,
      revokedAt: null,
    }
    await this.invites.add(invite)
    return { token: await this.tokenFor(invite), invite }
  }

  /**
   * A token for an invite on record, signed again: the store keeps no tokens, and a link the
   * server prints at every start stays the same link for as long as its invite lasts.
   */
  async tokenFor(invite: Invite): Promise<string> {
    return new SignJWT({ room: invite.room, role: invite.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setJti(invite.jti)
      .setIssuedAt(Math.floor(invite.createdAt / 1000))
      .setExpirationTime(Math.floor(invite.expiresAt / 1000))
      .sign(this.key)
  }

  /**
   * Checks a token: signed by this server, not expired, on record and not withdrawn, and (when
   * `room` is given) for that workspace. Never throws for a bad token.
   */
  async verify(token: string | null | undefined, room?: string): Promise<Verified> {
    if (!token) return { ok: false, denial: DENIALS.missing }
    if (token.length > MAX_TOKEN_LENGTH) return { ok: false, denial: DENIALS.invalid }
    let payload: unknown
    try {
      payload = (
        await jwtVerify(token, this.key, {
          algorithms: ['HS256'],
          currentDate: new Date(this.now()),
        })
      ).payload
    } catch (error) {
      return { ok: false, denial: error instanceof errors.JWTExpired ? DENIALS.expired : DENIALS.invalid }
    }
    const parsed = ClaimsSchema.safeParse(payload)
    if (!parsed.success) return { ok: false, denial: DENIALS.invalid }
    const claims = parsed.data
    const invite = await this.invites.get(claims.jti)
    if (!invite || invite.room !== claims.room || invite.role !== claims.role)
      return { ok: false, denial: DENIALS.unknown }
    if (invite.revokedAt !== null) return { ok: false, denial: DENIALS.revoked }
    if (room !== undefined && claims.room !== room) return { ok: false, denial: DENIALS['other-room'] }
    return { ok: true, claims }
  }
}
