import type { Logger } from 'pino'
import type { Cluster } from './cluster.ts'
import { type EarlyState, readStoredRoom } from './early-state.ts'
import { Room, type RoomOptions } from './room.ts'
import type { DocStore } from './storage/doc-store.ts'

/**
 * How long a room's build may wait for its first clients' step 1 and for the stored snapshot
 * sent to them to leave this process (see early-state.ts): on a slow link, no longer than this.
 * A browser reads a socket only as fast as its page takes the messages, and a page opening takes
 * them only between the tasks of its first render, a second or more: at 500 ms the build (which
 * blocks this process for a second on a borough) began with most of the snapshot still here,
 * and it reached the page 1.6 s after it was sent.
 */
const SNAPSHOT_WAIT_MS = 2000

interface Slot {
  /** Resolves to the loaded room; every user of the room awaits the same load. */
  readonly ready: Promise<Room>
  /**
   * Resolves once storage has been read: to the stored snapshot while the room's doc is still
   * to be built, or to null (nothing to send early, the load failed, or the room is built).
   */
  readonly early: Promise<EarlyState | null>
  built: boolean
  users: number
  idleTimer?: NodeJS.Timeout
  /** Set while the room is being unloaded; a newcomer waits for it, then loads afresh. */
  closing?: Promise<void>
}

/**
 * The rooms in memory. A room loads on its first user (a connection or an export) and unloads,
 * after a final compaction, once it has had no users for `idleMs`, so memory follows the
 * rooms in use, not every room ever opened.
 */
export class Rooms {
  private readonly slots = new Map<string, Slot>()

  constructor(
    private readonly store: DocStore,
    private readonly options: RoomOptions & { readonly idleMs: number },
    private readonly log: Logger,
    /** Cluster mode: rooms are shared with other instances through Redis (see cluster.ts). */
    private readonly cluster: Cluster | null = null,
  ) {}

  /** How many rooms are in memory. */
  get loaded(): number {
    return this.slots.size
  }

  /** Is this room in memory now? */
  isLoaded(name: string): boolean {
    return this.slots.has(name)
  }

  /**
   * Takes a room for use, loading it if needed. Pair every acquire with a release.
   * `onSnapshot` is called with the stored snapshot if storage has been read and the room's doc
   * is still being built: a client with nothing may be sent it meanwhile (see early-state.ts).
   */
  async acquire(name: string, onSnapshot?: (snapshot: EarlyState) => void): Promise<Room> {
    for (;;) {
      const slot = this.slots.get(name)
      if (slot?.closing) {
        await slot.closing
        continue
      }
      if (slot) {
        slot.users++
        clearTimeout(slot.idleTimer)
        if (onSnapshot)
          void slot.early.then((snapshot) => {
            if (snapshot && !slot.built) onSnapshot(snapshot)
          })
        try {
          return await slot.ready
        } catch (error) {
          slot.users--
          throw error
        }
      }
      let read: (snapshot: EarlyState | null) => void = () => undefined
      const early = new Promise<EarlyState | null>((resolve) => {
        read = resolve
      })
      const fresh: Slot = { ready: this.load(name, read), early, built: false, users: 0 }
      fresh.ready.then(
        () => {
          fresh.built = true
        },
        () => {
          read(null)
          // A failed load is forgotten, so the next user tries again.
          if (this.slots.get(name) === fresh) this.slots.delete(name)
        },
      )
      this.slots.set(name, fresh)
    }
  }

  /**
   * Reads the room's stored state, hands its snapshot to `read` (to be sent early), and builds
   * the room once its first clients have been answered from it: the build blocks this process.
   */
  private async load(name: string, read: (snapshot: EarlyState | null) => void): Promise<Room> {
    const cluster = this.cluster
    this.store.expectWrites?.()
    await cluster?.prepare(name)
    try {
      const stored = await readStoredRoom(this.store, name)
      read(stored.snapshot)
      if (stored.snapshot) {
        // The clients waiting for it are handed it in callbacks: let them send it first.
        await new Promise((resolve) => setImmediate(resolve))
        await stored.snapshot.settled(SNAPSHOT_WAIT_MS)
      }
      const room = await Room.build(name, stored, this.store, this.options, this.log, cluster)
      cluster?.attach(room)
      return room
    } catch (error) {
      cluster?.detach(name)
      throw error
    }
  }

  /** Gives a room back; the last user's release starts the idle countdown to unloading. */
  release(name: string): void {
    const slot = this.slots.get(name)
    if (!slot || slot.closing) return
    slot.users = Math.max(0, slot.users - 1)
    if (slot.users > 0) return
    clearTimeout(slot.idleTimer)
    slot.idleTimer = setTimeout(() => void this.unload(name), this.options.idleMs)
    slot.idleTimer.unref()
  }

  /** Unloads one idle room now (after a final compaction). */
  async unload(name: string): Promise<void> {
    const slot = this.slots.get(name)
    if (!slot || slot.closing || slot.users > 0) return
    clearTimeout(slot.idleTimer)
    slot.closing = (async () => {
      try {
        const room = await slot.ready
        await room.close()
      } catch (error) {
        this.log.error({ room: name, err: error }, 'unloading the room failed')
      } finally {
        this.slots.delete(name)
        this.cluster?.detach(name)
      }
    })()
    await slot.closing
  }

  /** Commits and compacts every room, then forgets them all (shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all(
      [...this.slots.entries()].map(async ([name, slot]) => {
        clearTimeout(slot.idleTimer)
        slot.users = 0
        await this.unload(name)
      }),
    )
  }
}
