import type { Logger } from 'pino'
import type { Cluster } from './cluster.ts'
import { Room, type RoomOptions } from './room.ts'
import type { DocStore } from './storage/doc-store.ts'

interface Slot {
  /** Resolves to the loaded room; every user of the room awaits the same load. */
  readonly ready: Promise<Room>
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

  /** Takes a room for use, loading it if needed. Pair every acquire with a release. */
  async acquire(name: string): Promise<Room> {
    for (;;) {
      const slot = this.slots.get(name)
      if (slot?.closing) {
        await slot.closing
        continue
      }
      if (slot) {
        slot.users++
        clearTimeout(slot.idleTimer)
        try {
          return await slot.ready
        } catch (error) {
          slot.users--
          throw error
        }
      }
      const ready = this.load(name)
      const fresh: Slot = { ready, users: 0 }
      this.slots.set(name, fresh)
      ready.catch(() => {
        // A failed load is forgotten, so the next user tries again.
        if (this.slots.get(name) === fresh) this.slots.delete(name)
      })
    }
  }

  private async load(name: string): Promise<Room> {
    const cluster = this.cluster
    if (!cluster) return Room.load(name, this.store, this.options, this.log)
    await cluster.prepare(name)
    try {
      const room = await Room.load(name, this.store, this.options, this.log, cluster)
      cluster.attach(room)
      return room
    } catch (error) {
      cluster.detach(name)
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
