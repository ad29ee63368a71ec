import i18next from 'i18next'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { denialWords, refusalWords } from './access-words.ts'
import { claimsOf, type Role } from './tokens.ts'

export type { Role } from './tokens.ts'

/** The server's own messages (sync-server/protocol.ts): a refused write, and who we are. */
const MESSAGE_SYNC = 0
const MESSAGE_REFUSED = 9
const MESSAGE_ACCESS = 10

/** What the person may do, by role. Every control asks `can`, so the rules live here. */
export type Action = 'view' | 'edit' | 'facilitate' | 'export' | 'invite'

export function can(role: Role | null, action: Action): boolean {
  if (action === 'view') return true
  if (role === 'facilitator') return true
  return role === 'participant' && action === 'edit'
}

/** May someone in this state do `action`? Refused at the door means nothing but looking. */
export function mayDo(state: Pick<AccessState, 'role' | 'denied'>, action: Action): boolean {
  return action === 'view' || (state.denied === null && can(state.role, action))
}

export const ROLE_LABEL: Record<Role, string> = {
  facilitator: 'Facilitator',
  participant: 'Participant',
  viewer: 'Viewer',
}

/** A write the server dropped, or a connection it refused, with what to tell the person. */
export interface AccessNotice {
  readonly kind: 'refused' | 'held' | 'denied'
  readonly message: string
  /** Epoch milliseconds, so the same message twice still shows twice. */
  readonly at: number
}

export interface AccessState {
  /** The role the server confirmed, else the one the kept token names; null when unknown. */
  readonly role: Role | null
  /** The server confirmed the role for this connection. */
  readonly confirmed: boolean
  /** The server runs in open access mode and this device came without a token. */
  readonly open: boolean
  /** The server refused the connection (no, bad or withdrawn invite): it will not retry. */
  readonly denied: { readonly code: number; readonly reason: string } | null
  /** The latest thing to explain. */
  readonly notice: AccessNotice | null
  /** This device's edits are held back (after a refusal, or always for a viewer). */
  readonly holding: boolean
}

const NOTICE_KEY = (room: string) => `network-map:access-notice:${room}`
/** The role an open-access server gave this device, for opening the workspace offline. */
const OPEN_ROLE_KEY = (room: string) => `network-map:open-role:${room}`
const RESET_KEY = (room: string) => `network-map:access-reset:${room}`
/** A device's copy is replaced from the server at most this often, so a refusal cannot loop. */
const RESET_INTERVAL_MS = 60_000

/**
 * Follows what this connection may do, and keeps the device's copy honest about it.
 *
 * - The role: from the server's access message once connected, from the kept token before.
 * - A refusal at the door (close codes 4401, 4403): the provider stops retrying (4400-4499) and
 *   the reason is shown.
 * - A viewer's device sends nothing: neither its own changes nor its reply to the server's sync
 *   (the server would refuse them anyway).
 * - A refused write: everything after it would build on it, so sending stops. If the map was
 *   locked, the edits stay on this device and go when it is unlocked (by reconnecting, which
 *   sends all that the server lacks). Otherwise they can never be saved: the device's copy is
 *   replaced by the server's (`discard`), at most once a minute.
 */
export class AccessTracker {
  private current: AccessState
  private readonly listeners = new Set<() => void>()
  private readonly offs: (() => void)[] = []
  private heldForLock = false

  constructor(
    private readonly room: string,
    provider: WebsocketProvider,
    doc: Y.Doc,
    token: string | null,
    private readonly discard: () => void,
  ) {
    const claims = token ? claimsOf(token) : null
    const openRole = token ? null : remembered(OPEN_ROLE_KEY(room))
    const role = claims && claims.room === room ? claims.role : openRole
    this.current = {
      role,
      confirmed: false,
      open: openRole !== null,
      denied: null,
      notice: takeNotice(room),
      holding: role === 'viewer',
    }

    const handlers = provider.messageHandlers as unknown as Handler[]
    handlers[MESSAGE_ACCESS] = (_encoder, decoder) => this.onAccess(decoding.readVarString(decoder))
    handlers[MESSAGE_REFUSED] = (_encoder, decoder) => this.onRefused(decoding.readVarString(decoder))
    // The reply to the server's sync (everything the server lacks) is a write like any other.
    const sync = handlers[MESSAGE_SYNC] as Handler
    handlers[MESSAGE_SYNC] = (encoder, decoder, ...rest) => {
      if (this.current.holding) sync(encoding.createEncoder(), decoder, ...rest)
      else sync(encoder, decoder, ...rest)
    }
    // So is every local change the provider would send.
    const provide = provider as unknown as { _updateHandler: (update: Uint8Array, origin: unknown) => void }
    const send = provide._updateHandler
    doc.off('update', send)
    provide._updateHandler = (update, origin) => {
      if (!this.current.holding) send(update, origin)
    }
    doc.on('update', provide._updateHandler)

    const onClosed = (event: { code: number; reason: string }) => {
      if (event.code !== 4401 && event.code !== 4403) return
      this.set({
        denied: { code: event.code, reason: event.reason },
        notice: {
          kind: 'denied',
          message: denialWords(event.reason),
          at: Date.now(),
        },
      })
    }
    provider.on('closed', onClosed)
    this.offs.push(() => provider.off('closed', onClosed))

    const facilitation = doc.getMap('facilitation')
    const onFacilitation = () => {
      if (!this.heldForLock || facilitation.get('locked') === true) return
      // Unlocked: send what was held, by reconnecting (the sync sends all the server lacks).
      this.heldForLock = false
      this.set({ holding: this.current.role === 'viewer', notice: null })
      provider.disconnect()
      provider.connect()
    }
    facilitation.observe(onFacilitation)
    this.offs.push(() => facilitation.unobserve(onFacilitation))
  }

  state = (): AccessState => this.current

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** May this device change the map now? (Not a viewer, and not locked unless a facilitator.) */
  mayEdit(): boolean {
    return can(this.current.role, 'edit') && !this.current.denied
  }

  destroy(): void {
    for (const off of this.offs.splice(0)) off()
    this.listeners.clear()
  }

  private set(patch: Partial<AccessState>): void {
    this.current = { ...this.current, ...patch }
    for (const listener of this.listeners) listener()
  }

  private onAccess(text: string): void {
    let message: { role?: unknown; open?: unknown }
    try {
      message = JSON.parse(text)
    } catch {
      return
    }
    if (message.role !== 'facilitator' && message.role !== 'participant' && message.role !== 'viewer') return
    const role = message.role
    try {
      if (message.open === true) localStorage.setItem(OPEN_ROLE_KEY(this.room), role)
      else localStorage.removeItem(OPEN_ROLE_KEY(this.room))
    } catch {
      // Without storage, offline reopening shows no role until the server answers.
    }
    this.set({
      role,
      confirmed: true,
      open: message.open === true,
      denied: null,
      holding: role === 'viewer' || this.heldForLock,
    })
  }

  private onRefused(text: string): void {
    let refusal: { code?: unknown; reason?: unknown; params?: unknown }
    try {
      refusal = JSON.parse(text)
    } catch {
      refusal = {}
    }
    const reason = refusalWords(refusal)
    // Sent before this device heard of an earlier refusal, and built on it: nothing new to say.
    if (refusal.code === 'untraceable' && this.current.holding) return
    if (refusal.code === 'map-locked') {
      this.heldForLock = true
      this.set({
        holding: true,
        notice: {
          kind: 'held',
          message: i18next.t('accessNotices.held', { reason }),
          at: Date.now(),
        },
      })
      return
    }
    this.set({ holding: true })
    const lastReset = Number(sessionStorage.getItem(RESET_KEY(this.room)) ?? 0)
    if (Date.now() - lastReset < RESET_INTERVAL_MS) {
      this.set({
        notice: {
          kind: 'refused',
          message: i18next.t('accessNotices.notSaving', { reason }),
          at: Date.now(),
        },
      })
      return
    }
    sessionStorage.setItem(RESET_KEY(this.room), String(Date.now()))
    const notice: AccessNotice = {
      kind: 'refused',
      message: i18next.t('accessNotices.reloaded', { reason }),
      at: Date.now(),
    }
    sessionStorage.setItem(NOTICE_KEY(this.room), JSON.stringify(notice))
    this.set({ notice })
    this.discard()
  }
}

function remembered(key: string): Role | null {
  try {
    const value = localStorage.getItem(key)
    return value === 'facilitator' || value === 'participant' || value === 'viewer' ? value : null
  } catch {
    return null
  }
}

type Handler = (encoder: encoding.Encoder, decoder: decoding.Decoder, ...rest: unknown[]) => void

/** A notice left by the connection before this one (it was replaced after a refusal). */
function takeNotice(room: string): AccessNotice | null {
  try {
    const text = sessionStorage.getItem(NOTICE_KEY(room))
    sessionStorage.removeItem(NOTICE_KEY(room))
    return text ? (JSON.parse(text) as AccessNotice) : null
  } catch {
    return null
  }
}
