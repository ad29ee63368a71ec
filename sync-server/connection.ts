import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'
import type { Peer } from './peer.ts'
import { TokenBucket } from './token-bucket.ts'
import type { Role } from './write-rules.ts'

export interface ConnectionLimits {
  /** Messages a connection may send per second, on average... */
  readonly messagesPerSecond: number
  /** ...and in a burst. */
  readonly messageBurst: number
  /** Bytes a connection may send per second, on average (bursts up to 4 s worth)... */
  readonly bytesPerSecond: number
  /** ...and at least two of the largest frames at once (an import, then its layout). */
  readonly maxMessageBytes: number
  /** Unsent bytes queued for a peer before it counts as too slow and is closed (1013). */
  readonly maxBufferedBytes: number
  /** Frames held while the room loads; past this the connection is refused. */
  readonly maxQueuedWhileLoading: number
}

/**
 * One WebSocket, with the budgets that keep one client from costing the others: a token bucket
 * for messages and one for bytes, and a cap on what may queue for a slow reader. `close` is
 * idempotent, so every path that gives up on a connection can call it.
 */
export class Connection implements Peer {
  /** Least privilege until the connection's token is checked. */
  role: Role = 'viewer'
  /** The id of the invite whose token opened this connection, to close it if withdrawn. */
  inviteId: string | null = null
  /** Not sent the server's own messages unless the client asked (see protocol.ts). */
  quiet = true
  private closed = false
  private readonly messages: TokenBucket
  private readonly bytes: TokenBucket

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: ConnectionLimits,
    readonly remote: string,
  ) {
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst)
    this.bytes = new TokenBucket(
      limits.bytesPerSecond,
      Math.max(limits.bytesPerSecond * 4, limits.maxMessageBytes * 2),
    )
  }

  get isClosed(): boolean {
    return this.closed
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.tooSlow()) return
    this.socket.send(frame, { binary: true })
  }

  /**
   * Sends a frame and resolves once it has been handed to the operating system (or could not
   * be sent): for a large frame that should leave before this process is busy with other work.
   */
  sendFlushed(frame: Uint8Array): Promise<void> {
    if (this.closed || this.tooSlow()) return Promise.resolve()
    return new Promise((resolve) => this.socket.send(frame, { binary: true }, () => resolve()))
  }

  cork(): void {
    this.transport()?.cork()
  }

  uncork(): void {
    this.transport()?.uncork()
  }

  /**
   * The TCP socket under the WebSocket (ws keeps it as `_socket` and has no public cork). ws's
   * own sends cork and uncork it around each frame; corks nest, so frames sent between our cork
   * and uncork leave together.
   */
  private transport(): Socket | undefined {
    return (this.socket as unknown as { _socket?: Socket })._socket
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    // A close reason is at most 123 bytes.
    this.socket.close(code, reason.slice(0, 120))
    // A peer that never answers the close handshake is cut off.
    setTimeout(() => this.socket.terminate(), 2000).unref()
  }

  /** Closes a connection whose reader has fallen too far behind (1013); true if it did. */
  private tooSlow(): boolean {
    if (this.socket.bufferedAmount <= this.limits.maxBufferedBytes) return false
    this.close(1013, 'connection too slow: too much unsent data')
    return true
  }

  /** Spends budget for one incoming message; false when the connection has overspent. */
  spend(bytes: number): boolean {
    const now = performance.now()
    // Both buckets are charged, even when the first is already overspent.
    const messagesLeft = this.messages.take(1, now)
    const bytesLeft = this.bytes.take(bytes, now)
    return messagesLeft && bytesLeft
  }
}
