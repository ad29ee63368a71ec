import type { Logger } from 'pino'
import * as Y from 'yjs'
import { migrateDocument } from '../model/index.ts'
import {
  type AwarenessEntry,
  awarenessFrame,
  readAwarenessUpdate,
  refusedFrame,
  SYNC_STEP_1,
  SYNC_STEP_2,
  syncFrame,
  updateFrame,
  writeAwarenessUpdate,
} from './protocol.ts'
import type { DocStore } from './storage/doc-store.ts'
import {
  type CreatedItems,
  documentItems,
  isNoOp,
  PendingItems,
  scopeOfUpdate,
  type UpdateScope,
} from './update-scope.ts'
import { checkLock, checkWrite, type Refusal, type Role } from './write-rules.ts'

/** A connection as a room sees it: somewhere to send frames, a way to end it, and its role. */
export interface Peer {
  /** What this connection may change (see write-rules.ts). */
  readonly role: Role
  send(frame: Uint8Array): void
  close(code: number, reason: string): void
}

export interface RoomOptions {
  /** Compact the log into a snapshot once it has this many rows beyond the last snapshot. */
  readonly compactAfterRows: number
  /** Compact this long after the last edit, so an idle room's log is folded up. */
  readonly compactIdleMs: number
  /** The largest awareness state a client may publish, in characters of JSON. */
  readonly maxAwarenessStateBytes: number
  /** How many awareness client ids one connection may speak for. */
  readonly maxAwarenessClientsPerPeer: number
}

/** An awareness entry, and which connection speaks for it. */
interface Presence extends AwarenessEntry {
  readonly peer: Peer
}

/** An update waiting for its group commit. */
interface PendingUpdate {
  readonly update: Uint8Array
  /** The frame to relay: the client's own frame when it was already a sync update. */
  readonly frame: Uint8Array
  readonly from: Peer
  /** Changes the map, so it is refused at commit if the map is locked then (participants only). */
  readonly lockSensitive: boolean
  /** What a checked update creates, known to later checks until it is applied; null if unchecked. */
  readonly created: CreatedItems | null
  /** For an unchecked (facilitator's) update: may it change the lock? Worked out when asked. */
  mayChangeLock?: boolean
}

/** Thrown for an update that does not decode: the sender is closed, nothing else happens. */
export class InvalidUpdateError extends Error {}

/**
 * One live workspace: its Y.Doc, its connections and their presence.
 *
 * Durability rule: an update is committed to storage before it is applied to the room's doc or
 * relayed to anyone, so nothing a peer has received can be lost by a crash. Updates arriving
 * while a commit is in flight are committed together in the next one (group commit).
 * Hot path per update: one decode to validate it, one commit per group, one apply, and the
 * same frame buffer sent to every other peer.
 */
export class Room {
  private readonly peers = new Set<Peer>()
  private readonly presence = new Map<number, Presence>()
  private pending: PendingUpdate[] = []
  private flushScheduled = false
  private flushing: Promise<void> | null = null
  private compacting: Promise<void> | null = null
  private compactTimer: NodeJS.Timeout | undefined
  private lastSeq: number
  private snapshotSeq: number
  private rowsSinceSnapshot: number
  private destroyed = false
  /** The document's items plus those of checked updates not yet applied. */
  private readonly known: PendingItems
  /** Connections that have had a write refused (held weakly: a closed one is forgotten). */
  private readonly refused = new WeakSet<Peer>()

  private constructor(
    readonly name: string,
    readonly doc: Y.Doc,
    private readonly store: DocStore,
    private readonly options: RoomOptions,
    private readonly log: Logger,
    stored: { lastSeq: number; rows: number },
  ) {
    this.lastSeq = stored.lastSeq
    this.snapshotSeq = stored.lastSeq - stored.rows
    this.rowsSinceSnapshot = stored.rows
    this.known = new PendingItems(documentItems(doc))
  }

  /**
   * Loads a room completely from storage (snapshot, then every later update), brings an older
   * document's records up to date, and commits that migration, all before anyone is answered.
   */
  static async load(name: string, store: DocStore, options: RoomOptions, log: Logger): Promise<Room> {
    const stored = await store.load(name)
    const doc = new Y.Doc()
    const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : [...stored.updates]
    if (parts.length > 0)
      Y.applyUpdate(doc, parts.length === 1 ? (parts[0] as Uint8Array) : Y.mergeUpdates(parts))
    const migration: Uint8Array[] = []
    if (parts.length > 0) {
      // A new room has nothing to migrate; commands stamp versions on its first write.
      const collect = (update: Uint8Array) => migration.push(update)
      doc.on('update', collect)
      migrateDocument(doc)
      doc.off('update', collect)
    }
    let lastSeq = stored.lastSeq
    let rows = stored.updates.length
    if (migration.length > 0) {
      lastSeq = await store.append(name, migration)
      rows += migration.length
    }
    return new Room(name, doc, store, options, log, { lastSeq, rows })
  }

  /** Nothing has ever been stored for this room (it is new, or the id is mistyped). */
  get isEmpty(): boolean {
    return this.lastSeq === 0
  }

  get peerCount(): number {
    return this.peers.size
  }

  /** Greets a new connection: the server's state vector (so it sends what we lack) and who is here. */
  join(peer: Peer): void {
    this.peers.add(peer)
    peer.send(syncFrame(SYNC_STEP_1, Y.encodeStateVector(this.doc)))
    const present = this.presentEntries()
    if (present.length > 0) peer.send(awarenessFrame(writeAwarenessUpdate(present)))
  }

  /** Forgets a connection and tells the others that the people it spoke for have gone. */
  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return
    const gone: AwarenessEntry[] = []
    for (const entry of this.presence.values()) {
      if (entry.peer !== peer) continue
      this.presence.delete(entry.clientId)
      if (entry.state !== 'null')
        gone.push({ clientId: entry.clientId, clock: entry.clock + 1, state: 'null' })
    }
    if (gone.length > 0) this.broadcast(awarenessFrame(writeAwarenessUpdate(gone)), peer)
  }

  /** Answers a peer's sync step 1 with everything it lacks. */
  answerSyncStep1(peer: Peer, stateVector: Uint8Array): void {
    let diff: Uint8Array
    try {
      diff = Y.encodeStateAsUpdate(this.doc, stateVector)
    } catch {
      throw new InvalidUpdateError('malformed state vector')
    }
    peer.send(syncFrame(SYNC_STEP_2, diff))
  }

  /**
   * Takes an update from a peer. It is decoded first (a garbage update throws here and goes no
   * further), then checked against the peer's role, then queued for the next group commit.
   * A refused update is dropped whole: never stored, applied or relayed; the peer is told why.
   * A facilitator's updates are not traced (they may change anything), so they cost nothing more.
   */
  receiveUpdate(peer: Peer, update: Uint8Array, clientFrame: Uint8Array | null): void {
    let decoded: ReturnType<typeof Y.decodeUpdate>
    try {
      decoded = Y.decodeUpdate(update)
    } catch {
      throw new InvalidUpdateError('the update does not decode')
    }
    // An empty step 2 (a client with nothing new) is common and worth neither a row nor a relay.
    if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return
    const frame = clientFrame ?? updateFrame(update)
    if (peer.role === 'facilitator') {
      this.pending.push({ update, frame, from: peer, lockSensitive: false, created: null })
      this.scheduleFlush()
      return
    }
    let scope: UpdateScope
    try {
      scope = scopeOfUpdate(decoded as never, this.known)
    } catch {
      throw new InvalidUpdateError('the update is malformed')
    }
    // Nothing the room lacks: a reconnecting viewer's step 2 still carries its whole delete set.
    if (isNoOp(scope)) return
    const check = checkWrite(peer.role, scope)
    if (!check.ok) {
      this.refuse(peer, check.refusal)
      return
    }
    this.known.add(scope.created)
    this.pending.push({
      update,
      frame,
      from: peer,
      lockSensitive: check.lockSensitive,
      created: scope.created,
    })
    this.scheduleFlush()
  }

  /** Is the map locked now? Participants' map changes are refused while it is. */
  get locked(): boolean {
    return this.doc.getMap('facilitation').get('locked') === true
  }

  /**
   * Applies a presence update and relays what was new to the others. Only news is relayed:
   * the stock provider re-broadcasts every presence change it receives, so relaying old
   * entries again would bounce each cursor move between every pair of clients.
   */
  receiveAwareness(peer: Peer, update: Uint8Array, clientFrame: Uint8Array): void {
    const entries = readAwarenessUpdate(update, this.options.maxAwarenessStateBytes)
    const accepted: AwarenessEntry[] = []
    for (const entry of entries) {
      const known = this.presence.get(entry.clientId)
      const newer =
        known === undefined ||
        known.clock < entry.clock ||
        (known.clock === entry.clock && entry.state === 'null' && known.state !== 'null')
      if (!newer) continue
      if (known === undefined && this.clientsOf(peer) >= this.options.maxAwarenessClientsPerPeer) {
        throw new InvalidUpdateError('too many awareness clients on one connection')
      }
      this.presence.set(entry.clientId, { ...entry, peer })
      accepted.push(entry)
    }
    if (accepted.length === 0) return
    const frame =
      accepted.length === entries.length ? clientFrame : awarenessFrame(writeAwarenessUpdate(accepted))
    this.broadcast(frame, peer)
  }

  /** Answers a query for everyone's presence. */
  sendPresence(peer: Peer): void {
    peer.send(awarenessFrame(writeAwarenessUpdate(this.presentEntries())))
  }

  /** Resolves once every update received so far is committed, applied and relayed. */
  async flush(): Promise<void> {
    while (this.flushing || this.pending.length > 0) {
      if (this.flushing) await this.flushing
      else await this.runFlush()
    }
  }

  /**
   * Folds the log into one snapshot: the merged state replaces the rows it covers, in one
   * transaction. Safe beside editing: rows committed meanwhile have higher numbers and stay.
   */
  async compact(): Promise<void> {
    if (this.compacting) return this.compacting
    this.compacting = (async () => {
      await this.flush()
      const upto = this.lastSeq
      if (upto === this.snapshotSeq) return
      const rows = this.rowsSinceSnapshot
      await this.store.compact(this.name, Y.encodeStateAsUpdate(this.doc), upto)
      this.snapshotSeq = upto
      this.rowsSinceSnapshot -= rows
    })().finally(() => {
      this.compacting = null
    })
    return this.compacting
  }

  /** Commits what is pending, compacts, and lets go of the doc. The room is unusable after. */
  async close(): Promise<void> {
    clearTimeout(this.compactTimer)
    try {
      await this.compact()
    } finally {
      this.destroyed = true
      this.doc.destroy()
    }
  }

  private clientsOf(peer: Peer): number {
    let count = 0
    for (const entry of this.presence.values()) if (entry.peer === peer) count++
    return count
  }

  private presentEntries(): AwarenessEntry[] {
    return [...this.presence.values()]
      .filter((entry) => entry.state !== 'null')
      .map(({ clientId, clock, state }) => ({ clientId, clock, state }))
  }

  private broadcast(frame: Uint8Array, except: Peer | null): void {
    for (const peer of this.peers) if (peer !== except) peer.send(frame)
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.flushing) return
    this.flushScheduled = true
    // Let every frame that arrived in this turn of the event loop join the same commit.
    setImmediate(() => {
      this.flushScheduled = false
      void this.runFlush()
    })
  }

  /** Tells a peer its write was dropped. Rare, so it is logged (without any content). */
  private refuse(peer: Peer, refusal: Refusal): void {
    // Updates a client sent before it heard of a refusal build on the refused one, so they are
    // refused as untraceable too: the client was told once, and is not told again for each.
    if (refusal.code === 'untraceable' && this.refused.has(peer)) return
    this.refused.add(peer)
    this.log.info({ room: this.name, role: peer.role, code: refusal.code }, 'refused a write')
    peer.send(refusedFrame(refusal))
  }

  /**
   * The next group to commit. The lock is checked against the document as the group finds it,
   * so a participant's map change must not share a group with an earlier update that may change
   * the lock: such a group ends just before it.
   */
  private takeBatch(): PendingUpdate[] {
    let cut = this.pending.length
    // Facilitators' updates are looked into only when a map change follows them in the group.
    let lookedInto = 0
    search: for (let i = 0; i < this.pending.length; i++) {
      if (!(this.pending[i] as PendingUpdate).lockSensitive) continue
      for (; lookedInto < i; lookedInto++) {
        const earlier = this.pending[lookedInto] as PendingUpdate
        if (earlier.created === null && this.mayChangeLock(earlier)) {
          cut = i
          break search
        }
      }
    }
    const batch = this.pending.slice(0, cut)
    this.pending = this.pending.slice(cut)
    return batch
  }

  private mayChangeLock(item: PendingUpdate): boolean {
    if (item.mayChangeLock === undefined) {
      try {
        const scope = scopeOfUpdate(Y.decodeUpdate(item.update) as never, this.known)
        item.mayChangeLock = scope.untraceable !== null || scope.roots.has('facilitation')
      } catch {
        item.mayChangeLock = true
      }
    }
    return item.mayChangeLock
  }

  /** Drops a peer's queued updates: they may build on one of its that was refused. */
  private dropPendingOf(peers: ReadonlySet<Peer>): void {
    this.pending = this.pending.filter((item) => {
      if (!peers.has(item.from)) return true
      if (item.created) this.known.remove(item.created)
      return false
    })
  }

  private async runFlush(): Promise<void> {
    if (this.flushing || this.pending.length === 0 || this.destroyed) return
    const batch = this.takeBatch()
    this.flushing = this.commit(batch).finally(() => {
      this.flushing = null
      if (this.pending.length > 0) this.scheduleFlush()
    })
    return this.flushing
  }

  private async commit(proposed: PendingUpdate[]): Promise<void> {
    const batch = this.checkLocks(proposed)
    if (batch.length === 0) return
    try {
      this.lastSeq = await this.store.append(
        this.name,
        batch.map((item) => item.update),
      )
    } catch (error) {
      for (const item of batch) if (item.created) this.known.remove(item.created)
      // Not stored, so not applied or relayed. The senders still hold their edits and send
      // them again when they reconnect, so closing them loses nothing.
      this.log.error({ room: this.name, err: error, updates: batch.length }, 'storage refused updates')
      for (const sender of new Set(batch.map((item) => item.from))) {
        sender.close(1013, 'storage unavailable, try again')
      }
      return
    }
    this.rowsSinceSnapshot += batch.length
    for (const { update, frame, from, created } of batch) {
      Y.applyUpdate(this.doc, update, from)
      if (created) this.known.remove(created)
      this.broadcast(frame, from)
    }
    this.scheduleCompaction()
  }

  /**
   * Drops participants' map changes while the map is locked, and with each everything its
   * sender queued after it (which may build on it). Returns what may be stored.
   */
  private checkLocks(batch: PendingUpdate[]): PendingUpdate[] {
    if (!batch.some((item) => item.lockSensitive)) return batch
    const locked = this.locked
    const refused = new Set<Peer>()
    const accepted = batch.filter((item) => {
      if (!refused.has(item.from)) {
        const refusal = checkLock(item.from.role, item.lockSensitive, locked)
        if (refusal === null) return true
        refused.add(item.from)
        this.refuse(item.from, refusal)
      }
      if (item.created) this.known.remove(item.created)
      return false
    })
    if (refused.size > 0) this.dropPendingOf(refused)
    return accepted
  }

  private scheduleCompaction(): void {
    clearTimeout(this.compactTimer)
    if (this.rowsSinceSnapshot >= this.options.compactAfterRows) {
      void this.compact().catch((error) =>
        this.log.error({ room: this.name, err: error }, 'compaction failed'),
      )
      return
    }
    this.compactTimer = setTimeout(() => {
      void this.compact().catch((error) =>
        this.log.error({ room: this.name, err: error }, 'compaction failed'),
      )
    }, this.options.compactIdleMs)
    this.compactTimer.unref()
  }
}
