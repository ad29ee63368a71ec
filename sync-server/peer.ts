import type { Role } from './write-rules.ts'

/** A connection as a room sees it: somewhere to send frames, a way to end it, and its role. */
export interface Peer {
  /** What this connection may change (see write-rules.ts). */
  readonly role: Role
  /**
   * True for a client that did not ask for the server's own messages (a stock y-websocket
   * provider, which would log each as unknown): its refused writes are still dropped, it is
   * just never told. Absent counts as asked.
   */
  readonly quiet?: boolean
  /**
   * The id of the invite (the token's `jti`) this connection came in by: who its records are
   * added by and whose dots it places. Null or absent without a token (open access).
   */
  readonly inviteId?: string | null
  send(frame: Uint8Array): void
  close(code: number, reason: string): void
  /**
   * Holds what is sent until `uncork`, so several frames leave in one write (a committed group
   * relayed to everyone). Optional: a peer without it sends each frame as it comes.
   */
  cork?(): void
  uncork?(): void
}

/** Stands in, in a room's presence, for the connections of another instance. */
export function remotePeer(): Peer {
  return { role: 'viewer', send: () => undefined, close: () => undefined }
}
