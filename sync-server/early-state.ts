import { updateFrame } from './protocol.ts'
import type { StoredDoc } from './storage/doc-store.ts'

/** A connection that can tell when a frame has left this process (see Connection.sendFlushed). */
export interface FlushingPeer {
  sendFlushed(frame: Uint8Array): Promise<void>
}

/**
 * A room's stored snapshot as a sync-update frame, sent to clients that connect with nothing
 * while the room's Y.Doc is still being built from it. Building a borough's doc takes the
 * server about a second, and the client's applying the same bytes about as long: sending the
 * stored bytes as they are lets both run at once. The client is told "synced" only later, by
 * the room's step 2 (everything since the snapshot, the migration included), so "synced"
 * still means it has everything the server has, migrated.
 *
 * The build blocks this process, so it starts only once the frames sent from here have been
 * handed to the operating system (`flushed`): otherwise the rest of a 7 MiB frame would wait
 * in this process until the build is over.
 */
export class EarlyState {
  /** The snapshot as a sync-update frame, built once and sent as it is to every client. */
  readonly frame: Uint8Array
  /** The snapshot's update itself: a view into `frame`, so the two share memory. */
  readonly update: Uint8Array
  private inFlight = 0
  private idle: (() => void) | null = null

  constructor(snapshot: Uint8Array) {
    this.frame = updateFrame(snapshot)
    this.update = this.frame.subarray(this.frame.byteLength - snapshot.byteLength)
  }

  /** Sends the snapshot to a client whose state vector is empty. */
  send(peer: FlushingPeer): void {
    this.inFlight++
    void peer.sendFlushed(this.frame).finally(() => {
      this.inFlight--
      if (this.inFlight === 0) this.idle?.()
    })
  }

  /** Resolves once every frame sent so far has left this process, or after `maxWaitMs`. */
  flushed(maxWaitMs: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.idle = null
        resolve()
      }
      const timer = setTimeout(done, maxWaitMs)
      this.idle = done
    })
  }
}

/** What is stored for a room, its snapshot made ready to send (the doc is built from this). */
export interface StoredRoom {
  /** The snapshot; null if the room was never compacted. */
  readonly snapshot: EarlyState | null
  /** Updates committed after the snapshot, oldest first. */
  readonly updates: readonly Uint8Array[]
  readonly lastSeq: number
}

export function storedRoom(stored: StoredDoc): StoredRoom {
  return {
    snapshot: stored.snapshot ? new EarlyState(stored.snapshot) : null,
    updates: stored.updates,
    lastSeq: stored.lastSeq,
  }
}
