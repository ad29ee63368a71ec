import { personFrom } from './history.ts'
import { type Peer, remotePeer } from './peer.ts'
import {
  type AwarenessEntry,
  awarenessFrame,
  InvalidUpdateError,
  readAwarenessUpdate,
  writeAwarenessUpdate,
} from './protocol.ts'
import type { Person } from './storage/doc-store.ts'

/** An awareness entry, and which connection speaks for it. */
interface Presence extends AwarenessEntry {
  readonly peer: Peer
  /** For presence relayed from another instance: when it was published (ms), to expire it. */
  readonly seenAt?: number
}

export interface PresenceLimits {
  /** The largest awareness state a client may publish, in characters of JSON. */
  readonly maxAwarenessStateBytes: number
  /** How many awareness client ids one connection may speak for. */
  readonly maxAwarenessClientsPerPeer: number
}

/**
 * Who is in a room (y-protocols awareness): each client id's latest entry and the connection
 * that speaks for it, this instance's or, in cluster mode, another's (one stand-in each).
 * Only news is relayed: the stock provider re-broadcasts every presence change it receives, so
 * relaying old entries again would bounce each cursor move between every pair of clients.
 */
export class RoomPresence {
  private readonly entries = new Map<number, Presence>()
  /** Presence relayed from other instances is held for this instance's sake (one stand-in each). */
  private readonly remotePeers = new Map<string, Peer>()

  constructor(
    private readonly limits: PresenceLimits,
    /** Sends a frame to every connection of the room but `except`. */
    private readonly broadcast: (frame: Uint8Array, except: Peer | null) => void,
    /** Passes this instance's clients' presence on to the other instances (cluster mode). */
    private readonly publish: (update: Uint8Array) => void,
  ) {}

  /** Everyone present, as an awareness frame (empty when nobody is). */
  frame(): Uint8Array {
    return awarenessFrame(writeAwarenessUpdate(this.present()))
  }

  /** Everyone present, as an awareness frame, or null when nobody is (nothing to greet with). */
  greeting(): Uint8Array | null {
    const present = this.present()
    return present.length > 0 ? awarenessFrame(writeAwarenessUpdate(present)) : null
  }

  /** Who a connection is, as history records them (from the user its presence names). */
  personOf(peer: Peer): Person {
    return personFrom(peer, this.entries.values())
  }

  /** Applies a peer's presence update and relays what was new to the others. */
  receive(peer: Peer, update: Uint8Array, clientFrame: Uint8Array): void {
    const entries = readAwarenessUpdate(update, this.limits.maxAwarenessStateBytes)
    const accepted: AwarenessEntry[] = []
    for (const entry of entries) {
      const known = this.entries.get(entry.clientId)
      if (!isNews(known, entry)) continue
      if (known === undefined && this.clientsOf(peer) >= this.limits.maxAwarenessClientsPerPeer) {
        throw new InvalidUpdateError('too many awareness clients on one connection')
      }
      this.entries.set(entry.clientId, { ...entry, peer })
      accepted.push(entry)
    }
    if (accepted.length === 0) return
    if (accepted.length === entries.length) {
      this.broadcast(clientFrame, peer)
      this.publish(update)
    } else {
      const news = writeAwarenessUpdate(accepted)
      this.broadcast(awarenessFrame(news), peer)
      this.publish(news)
    }
  }

  /** A connection left: the people it spoke for have gone, and the others are told. */
  left(peer: Peer): void {
    const gone: AwarenessEntry[] = []
    for (const entry of this.entries.values()) {
      if (entry.peer !== peer) continue
      this.entries.delete(entry.clientId)
      if (entry.state !== 'null')
        gone.push({ clientId: entry.clientId, clock: entry.clock + 1, state: 'null' })
    }
    if (gone.length > 0) {
      const update = writeAwarenessUpdate(gone)
      this.broadcast(awarenessFrame(update), peer)
      this.publish(update)
    }
  }

  /**
   * Presence published by another instance's clients (cluster mode): news is relayed to this
   * instance's clients, as their own would be. It expires unless renewed (see expireRemote).
   */
  receiveRemote(source: string, update: Uint8Array, publishedAt: number): void {
    let entries: AwarenessEntry[]
    try {
      entries = readAwarenessUpdate(update, this.limits.maxAwarenessStateBytes)
    } catch {
      return
    }
    let peer = this.remotePeers.get(source)
    if (!peer) {
      peer = remotePeer()
      this.remotePeers.set(source, peer)
    }
    const accepted: AwarenessEntry[] = []
    for (const entry of entries) {
      if (!isNews(this.entries.get(entry.clientId), entry)) continue
      this.entries.set(entry.clientId, { ...entry, peer, seenAt: publishedAt })
      accepted.push(entry)
    }
    if (accepted.length > 0) this.broadcast(awarenessFrame(writeAwarenessUpdate(accepted)), null)
  }

  /**
   * Forgets presence from other instances not renewed within `ttlMs` (clients renew theirs every
   * 15 s; one whose instance died never will) and tells this instance's clients they have gone.
   */
  expireRemote(now: number, ttlMs: number): void {
    const gone: AwarenessEntry[] = []
    for (const entry of this.entries.values()) {
      if (entry.seenAt === undefined || now - entry.seenAt < ttlMs) continue
      this.entries.delete(entry.clientId)
      if (entry.state !== 'null')
        gone.push({ clientId: entry.clientId, clock: entry.clock + 1, state: 'null' })
    }
    if (gone.length > 0) this.broadcast(awarenessFrame(writeAwarenessUpdate(gone)), null)
  }

  private clientsOf(peer: Peer): number {
    let count = 0
    for (const entry of this.entries.values()) if (entry.peer === peer) count++
    return count
  }

  private present(): AwarenessEntry[] {
    return [...this.entries.values()]
      .filter((entry) => entry.state !== 'null')
      .map(({ clientId, clock, state }) => ({ clientId, clock, state }))
  }
}

/** Is `entry` newer than what is known of its client id (a later clock, or its going away)? */
function isNews(known: AwarenessEntry | undefined, entry: AwarenessEntry): boolean {
  return (
    known === undefined ||
    known.clock < entry.clock ||
    (known.clock === entry.clock && entry.state === 'null' && known.state !== 'null')
  )
}
