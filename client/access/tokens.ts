/**
 * Invite tokens on this device. An invite link carries its token in the fragment
 * (`/w/<room>#token=...`), which browsers never send to a server or in a Referer; `?token=` is
 * accepted too. The token is kept per workspace in localStorage (synchronous, and available on a
 * plain-http venue address), so a reload or an offline reopen still knows who this is, and it is
 * taken out of the address bar at once so it is not shared by accident with a screenshot.
 */

export type Role = 'facilitator' | 'participant' | 'viewer'

/** What a token says about itself. Not verified here: the server checks every token. */
export interface TokenClaims {
  readonly room: string
  readonly role: Role
  readonly jti: string
  /** Epoch seconds. */
  readonly exp: number
}

const KEY_PREFIX = 'network-map:token:'
const keyOf = (room: string) => `${KEY_PREFIX}${room}`

/** Reads a token's claims; null when it is not a token of ours. */
export function claimsOf(token: string): TokenClaims | null {
  try {
    const payload = token.split('.')[1]
    if (!payload) return null
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/')
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)))
    const claims = JSON.parse(json) as Partial<TokenClaims>
    if (
      typeof claims.room !== 'string' ||
      typeof claims.jti !== 'string' ||
      typeof claims.exp !== 'number' ||
      !['facilitator', 'participant', 'viewer'].includes(String(claims.role))
    )
      return null
    return claims as TokenClaims
  } catch {
    return null
  }
}

/** The token kept for a workspace on this device, if any. */
export function storedToken(room: string): string | null {
  try {
    return localStorage.getItem(keyOf(room))
  } catch {
    return null
  }
}

export function saveToken(room: string, token: string): void {
  try {
    localStorage.setItem(keyOf(room), token)
  } catch {
    // Private browsing with storage off: the token lasts as long as the page.
  }
}

/**
 * The token for a workspace: one in the address (a link just opened, which replaces any kept
 * before, and is then removed from the address bar), else the one kept on this device.
 */
export function takeInviteToken(room: string): string | null {
  const fromFragment = new URLSearchParams(location.hash.replace(/^#/, '')).get('token')
  const query = new URLSearchParams(location.search)
  const fromQuery = query.get('token')
  const given = fromFragment || fromQuery
  if (given) {
    if (claimsOf(given)?.room === room || claimsOf(given) === null) saveToken(room, given)
    query.delete('token')
    const search = query.toString()
    history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}`)
  }
  return given || storedToken(room)
}

/**
 * A token in the address of a page that is not a workspace (the link `npm start` prints for
 * whoever runs the server opens the home page): kept under the workspace it names, so that it
 * may start workspaces, and taken out of the address bar. Returns whether there was one.
 */
export function takeLinkToken(): boolean {
  const given = new URLSearchParams(location.hash.replace(/^#/, '')).get('token')
  if (!given) return false
  const claims = claimsOf(given)
  if (claims) saveToken(claims.room, given)
  history.replaceState(history.state, '', `${location.pathname}${location.search}`)
  return claims !== null
}

/** A facilitator's token of any workspace on this device, still in date: it may start new ones. */
export function anyFacilitatorToken(now = Date.now()): string | null {
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)
      if (!key?.startsWith(KEY_PREFIX)) continue
      const token = localStorage.getItem(key)
      const claims = token ? claimsOf(token) : null
      if (token && claims?.role === 'facilitator' && claims.exp * 1000 > now) return token
    }
  } catch {
    // No storage: no token.
  }
  return null
}

/** The server's answer about open access, remembered for creating a workspace while offline. */
const OPEN_KEY = 'network-map:open-access'
export const rememberOpenAccess = (open: boolean) => {
  try {
    localStorage.setItem(OPEN_KEY, open ? '1' : '0')
  } catch {
    // Nothing to remember it in.
  }
}
export const lastKnownOpenAccess = (): boolean => {
  try {
    return localStorage.getItem(OPEN_KEY) === '1'
  } catch {
    return false
  }
}
