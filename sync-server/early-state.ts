import { previewBoxCount } from '../model/map-preview.ts'
import { previewFrame, updateFrame } from './protocol.ts'
import type { DocStore, StoredDoc } from './storage/doc-store.ts'

/** A connection that can tell when a frame has left this process (see Connection.sendFlushed). */
export interface FlushingPeer {
  /** A client that did not ask for our own messages, which is not sent the preview (see Peer.quiet). */
  readonly quiet?: boolean
  send(frame: Uint8Array): void
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
 * The build blocks this process, so it waits (`settled`) for the connections waiting for the
 * room to send their step 1 (the stock provider sends it on opening) and for the snapshot sent
 * to them to be handed to the operating system: otherwise a client's step 1 would be read, or
 * the rest of a 7 MiB frame sent, only once the build is over.
 */
export class EarlyState {
  /** The snapshot as a sync-update frame, built once and sent as it is to every client. */
  readonly frame: Uint8Array
  /** The snapshot's update itself: a view into `frame`, so the two share memory. */
  readonly update: Uint8Array
  /** Connections yet to send their step 1, and frames not yet handed to the operating system. */
  private pending = 0
  private idle: (() => void) | null = null

  constructor(
    snapshot: Uint8Array,
    /** The room's map preview as a frame, sent just before the snapshot to a client that asked for our own messages. */
    readonly preview: Uint8Array | null = null,
  ) {
    this.frame = updateFrame(snapshot)
    this.update = this.frame.subarray(this.frame.byteLength - snapshot.byteLength)
  }

  /** A connection waiting for the room has not sent its step 1 yet; call the returned function once it has (or closed). */
  expect(): () => void {
    this.pending++
    let settled = false
    return () => {
      if (settled) return
      settled = true
      this.settle()
    }
  }

  /** Sends the snapshot to a client whose state vector is empty (the preview first, if it asked for it). */
  send(peer: FlushingPeer): void {
    if (this.preview && !peer.quiet) peer.send(this.preview)
    this.pending++
    void peer.sendFlushed(this.frame).finally(() => this.settle())
  }

  /** Resolves once every expected step 1 has come and every frame sent has left, or after `maxWaitMs`. */
  settled(maxWaitMs: number): Promise<void> {
    if (this.pending === 0) return Promise.resolve()
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

  private settle(): void {
    this.pending--
    if (this.pending === 0) this.idle?.()
  }
}

/** What is stored for a room, its snapshot made ready to send (the doc is built from this). */
export interface StoredRoom {
  /** The snapshot; null if the room was never compacted. */
  readonly snapshot: EarlyState | null
  /** The room's last saved map preview as a frame (see protocol.ts), or null. */
  readonly preview: Uint8Array | null
  /** Updates committed after the snapshot, oldest first. */
  readonly updates: readonly Uint8Array[]
  readonly lastSeq: number
}

/**
 * A map is sent its preview from this many boxes. The page holds the document back only until
 * the map has drawn the preview, which it could not have drawn sooner: so even a 500-actor map
 * (0.7 MiB) shows its boxes sooner with it (measured: its first box at 2.2 s without, where the
 * borough's preview came at 1.7 s). A map this small has its document in and drawn at once.
 */
export const PREVIEW_FROM_BOXES = 300

/** A stored preview as the frame to send, or null if its map is too small to need one. */
export function previewToSend(preview: Uint8Array | null): Uint8Array | null {
  return preview && previewBoxCount(preview) >= PREVIEW_FROM_BOXES ? previewFrame(preview) : null
}

/** Reads what is stored for a room: its preview first (a few hundred KiB, sent ahead), then its log. */
export async function readStoredRoom(store: DocStore, room: string): Promise<StoredRoom> {
  const preview = (await store.loadPreview?.(room)) ?? null
  return storedRoom(await store.load(room), preview)
}

function storedRoom(stored: StoredDoc, preview: Uint8Array | null): StoredRoom {
  const previewSent = previewToSend(preview)
  return {
    snapshot: stored.snapshot ? new EarlyState(stored.snapshot, previewSent) : null,
    preview: previewSent,
    updates: stored.updates,
    lastSeq: stored.lastSeq,
  }
}
