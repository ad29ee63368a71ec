import type { Auth } from './auth.ts'

/**
 * The link `npm start` prints for whoever runs the server: a facilitator's invite, so the
 * person at the machine follows it and can start workspaces (the server lets a facilitator of
 * any workspace start new ones) without a second command. Its invite belongs to a room kept for
 * it, never a workspace anybody maps in, and it is listed and withdrawn like any other:
 * `npm run invite -- --room _operator --list` / `--revoke <id>`.
 */
export const OPERATOR_ROOM = '_operator'
export const OPERATOR_LABEL = 'operator link (printed by npm start)'

const DAY_MS = 24 * 3600 * 1000
/** How long a new operator invite lasts, and how close to its end a start replaces it. */
const LASTS_DAYS = 90
const RENEW_WITHIN_DAYS = 7

/**
 * The operator's token: the same one at every start while its invite lasts (so a bookmarked
 * link keeps working across restarts), a new one when it is withdrawn or near its end, with the
 * invites it replaces withdrawn.
 */
export async function operatorToken(auth: Auth, now = Date.now()): Promise<string> {
  // Instances sharing one store and starting together take turns, so they find (or make) one
  // link rather than each making its own and withdrawing the others'.
  const exclusive = auth.invites.exclusive?.bind(auth.invites)
  return exclusive ? exclusive('operator link', () => currentOrNew(auth, now)) : currentOrNew(auth, now)
}

async function currentOrNew(auth: Auth, now: number): Promise<string> {
  const invites = (await auth.invites.list(OPERATOR_ROOM)).filter(
    (invite) => invite.role === 'facilitator' && invite.revokedAt === null && invite.expiresAt > now,
  )
  const current = invites
    .filter((invite) => invite.expiresAt > now + RENEW_WITHIN_DAYS * DAY_MS)
    .sort((a, b) => b.expiresAt - a.expiresAt)[0]
  if (current) return auth.tokenFor(current)
  const { token } = await auth.issue({
    room: OPERATOR_ROOM,
    role: 'facilitator',
    expiresIn: (LASTS_DAYS * DAY_MS) / 1000,
    label: OPERATOR_LABEL,
  })
  for (const old of invites) await auth.invites.revoke(OPERATOR_ROOM, old.jti, now)
  return token
}

/** The home page's address carrying the token in its fragment, which browsers never send on. */
export const operatorLink = (address: string, token: string): string =>
  `${address.replace(/\/?$/, '/')}#token=${token}`
