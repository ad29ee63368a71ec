import type { Logger } from 'pino'
import * as Y from 'yjs'
import { migrateDocument } from '../model/index.ts'
import { encodePreview, previewOfDoc } from '../model/map-preview.ts'
import { AppliedSequence } from './applied-sequence.ts'
import {
  AUTHORSHIP_ROOTS,
  groupLength,
  isLocked,
  judgeGroup,
  type PendingUpdate,
  type VotePlan,
  voteBudgetOf,
} from './commit-checks.ts'
import { applyAll, foldStored, IdleCompaction } from './compaction.ts'
import { previewToSend, readStoredRoom, type StoredRoom } from './early-state.ts'
import { historyOf, RECORDED_ROOTS } from './history.ts'
import type { Peer } from './peer.ts'
import {
  InvalidUpdateError,
  isEmptyStateVector,
  refusedFrame,
  SYNC_STEP_1,
  SYNC_STEP_2,
  syncFrame,
  updateFrame,
} from './protocol.ts'
import { type PendingStructs, recordWritesOf } from './record-writes.ts'
import { RoomPresence } from './room-presence.ts'
import type { DocStore } from './storage/doc-store.ts'
import {
  type DecodedUpdate,
  documentItems,
  isNoOp,
  PendingItems,
  scopeOfUpdate,
  type UpdateScope,
} from './update-scope.ts'
import { checkAuthorship, checkWrite, type Refusal } from './write-rules.ts'

export type { Peer } from './peer.ts'
export { InvalidUpdateError } from './protocol.ts'

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

/**
 * How a room reaches the other server instances (cluster mode, see cluster.ts). Absent, the
 * room is alone: its doc is the whole truth and it compacts whenever it likes.
 */
export interface RoomLink {
  /** Passes on updates this instance committed as sequence numbers `fromSeq..toSeq`. Never throws. */
  publishUpdate(room: string, fromSeq: number, toSeq: number, update: Uint8Array): void
  /** Passes on presence changes of this instance's clients. Never throws. */
  publishAwareness(room: string, update: Uint8Array): void
  /** Does this instance hold the room's lease now (so it migrates and compacts)? */
  owns(room: string): boolean
}

/** The origin of updates applied from another instance or from storage: not committed again. */
export const REMOTE_ORIGIN = Symbol('remote')

/** The stored snapshot a room was built from, as a frame, and the doc's state vector after it. */
interface StoredBase {
  readonly frame: Uint8Array
  readonly stateVector: Uint8Array
}

/** Rooms with updates waiting for the next turn's group commit (see Room.scheduleFlush). */
const roomsToFlush = new Set<Room>()

/**
 * One live workspace: its Y.Doc, its connections and their presence (room-presence.ts).
 *
 * Durability rule: an update is committed to storage before it is applied to the room's doc or
 * relayed to anyone, so nothing a peer has received can be lost by a crash. Updates arriving
 * while a commit is in flight are committed together in the next one (group commit), after the
 * checks that need the document as the group finds it (commit-checks.ts).
 * Hot path per update: one decode to validate it, one commit per group, one apply, and the
 * same frame buffer sent to every other peer.
 */
export class Room {
  private readonly peers = new Set<Peer>()
  private readonly presence: RoomPresence
  private pending: PendingUpdate[] = []
  private flushScheduled = false
  private flushing: Promise<void> | null = null
  private compacting: Promise<void> | null = null
  private readonly idleCompaction: IdleCompaction
  private lastSeq: number
  private snapshotSeq: number
  private rowsSinceSnapshot: number
  private destroyed = false
  /** Cluster mode: which sequence numbers are in the doc. */
  private readonly sequence: AppliedSequence
  private catchingUp: Promise<void> | null = null
  /** The document's items plus those of checked updates not yet applied. */
  private readonly known: PendingItems
  /** Connections that have had a write refused (held weakly: a closed one is forgotten). */
  private readonly refused = new WeakSet<Peer>()
  /** The items of checked updates not yet applied, for checking the updates that build on them. */
  private readonly unapplied = new Set<PendingStructs>()
  /** What the doc has beyond the stored snapshot, as a step 2 frame, until the doc changes. */
  private sinceSnapshotFrame: Uint8Array | null = null
  /** The map's preview as a frame, sent ahead of the doc to a client with nothing (null: none). */
  private preview: Uint8Array | null
  /** The last sequence number the preview was made at (-1: never), so an unchanged room makes none. */
  private previewSeq: number

  private constructor(
    readonly name: string,
    readonly doc: Y.Doc,
    /** The stored snapshot the doc was built from (kept to answer clients with nothing), if any. */
    private readonly base: StoredBase | null,
    private readonly store: DocStore,
    private readonly options: RoomOptions,
    private readonly log: Logger,
    stored: { lastSeq: number; rows: number },
    private readonly link: RoomLink | null,
    preview: Uint8Array | null,
  ) {
    this.preview = preview
    this.previewSeq = preview ? stored.lastSeq : -1
    this.lastSeq = stored.lastSeq
    this.snapshotSeq = stored.lastSeq - stored.rows
    this.rowsSinceSnapshot = stored.rows
    this.known = new PendingItems(documentItems(doc))
    this.presence = new RoomPresence(
      options,
      (frame, except) => this.broadcast(frame, except),
      (update) => this.link?.publishAwareness(this.name, update),
    )
    this.sequence = new AppliedSequence(stored.lastSeq, () => {
      void this.catchUp().catch((error) =>
        this.log.warn({ room: this.name, err: error }, 'could not fill a gap from storage'),
      )
    })
    // A quiet room is compacted, and its preview made anew, for the devices that open it next.
    // Not at every compaction: a borough's preview takes 30 to 70 ms of this process, and a
    // busy room reaches 500 rows every few seconds.
    this.idleCompaction = new IdleCompaction(options.compactIdleMs, () => {
      this.compactNow()
      void this.savePreview()
    })
    // Any change to the doc, from any path, makes the kept step 2 stale ('afterTransaction'
    // costs nothing more per update, unlike 'update', which encodes each one).
    if (base)
      doc.on('afterTransaction', () => {
        this.sinceSnapshotFrame = null
      })
  }

  /** Loads a room from storage: `build` with what is stored, read now. */
  static async load(
    name: string,
    store: DocStore,
    options: RoomOptions,
    log: Logger,
    link: RoomLink | null = null,
  ): Promise<Room> {
    return Room.build(name, await readStoredRoom(store, name), store, options, log, link)
  }

  /**
   * Builds a room completely from what is stored (snapshot, then every later update), brings an
   * older document's records up to date, and commits that migration, all before anyone joins.
   * In cluster mode only the room's owner migrates (the others receive its migration).
   * The snapshot may have been sent to clients already (see early-state.ts); the room keeps
   * its frame to answer clients that come with nothing.
   */
  static async build(
    name: string,
    stored: StoredRoom,
    store: DocStore,
    options: RoomOptions,
    log: Logger,
    link: RoomLink | null = null,
  ): Promise<Room> {
    const doc = new Y.Doc()
    // The snapshot is applied as it is, then the rows after it: merging them with the snapshot
    // would decode and re-encode the whole map first (on a 5,000-actor map with a few hundred
    // rows pending, that doubled the load). Yjs updates apply in any order.
    const { snapshot, updates } = stored
    let base: StoredBase | null = null
    if (snapshot) {
      Y.applyUpdate(doc, snapshot.update)
      base = { frame: snapshot.frame, stateVector: Y.encodeStateVector(doc) }
    }
    applyAll(doc, updates)
    const migration: Uint8Array[] = []
    if ((snapshot || updates.length > 0) && (link === null || link.owns(name))) {
      // A new room has nothing to migrate; commands stamp versions on its first write.
      const collect = (update: Uint8Array) => migration.push(update)
      doc.on('update', collect)
      migrateDocument(doc)
      doc.off('update', collect)
    }
    let lastSeq = stored.lastSeq
    const rows = stored.updates.length
    const room = new Room(name, doc, base, store, options, log, { lastSeq, rows }, link, stored.preview)
    // A room stored before previews were kept gets one now, for the devices that open it next.
    // Not awaited: the room is not held up by storage that is slow or away (it is only logged).
    if (!stored.preview) void room.savePreview()
    if (migration.length > 0) {
      lastSeq = await store.append(name, migration)
      room.committed(lastSeq, migration)
    }
    return room
  }

  /** Nothing has ever been stored for this room (it is new, or the id is mistyped). */
  get isEmpty(): boolean {
    return this.lastSeq === 0
  }

  get peerCount(): number {
    return this.peers.size
  }

  /**
   * Greets a new connection: the server's state vector (so it sends what we lack) and who is
   * here. A connection sent the stored snapshot while the room was built (`sentSnapshot`) is
   * sent the rest now, as its step 2: the rows after the snapshot and the migration.
   */
  join(peer: Peer, sentSnapshot = false): void {
    this.peers.add(peer)
    peer.send(syncFrame(SYNC_STEP_1, Y.encodeStateVector(this.doc)))
    if (sentSnapshot && this.base) peer.send(this.sinceSnapshot(this.base))
    const present = this.presence.greeting()
    if (present) peer.send(present)
  }

  /** Forgets a connection and tells the others that the people it spoke for have gone. */
  leave(peer: Peer): void {
    if (!this.peers.delete(peer)) return
    this.presence.left(peer)
  }

  /**
   * Answers a peer's sync step 1 with everything it lacks. A peer with nothing is sent the
   * stored snapshot's frame as it is, then what came after it: encoding a borough's whole doc
   * again for each would take the server a fifth of a second.
   */
  answerSyncStep1(peer: Peer, stateVector: Uint8Array): void {
    const empty = isEmptyStateVector(stateVector)
    if (empty && this.preview && !peer.quiet) peer.send(this.preview)
    if (this.base && empty) {
      peer.send(this.base.frame)
      peer.send(this.sinceSnapshot(this.base))
      return
    }
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
    // A closed room stores nothing more; the client sends it again when it reconnects.
    if (this.destroyed) return
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
      this.pending.push({
        update,
        frame,
        from: peer,
        lockSensitive: false,
        created: null,
        votes: null,
        structs: null,
        decoded: decoded as unknown as DecodedUpdate,
        recorded: true,
      })
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
    const inviteId = peer.inviteId ?? null
    let votes: VotePlan | null = null
    if ([...scope.roots.keys()].some((root) => AUTHORSHIP_ROOTS.has(root))) {
      // Who added what is read from the room as it is now: only facilitators change it meanwhile.
      const writes = recordWritesOf(decoded as never, this.doc, [...this.unapplied])
      const refusal = checkAuthorship(peer.role, inviteId, writes)
      if (refusal) {
        this.refuse(peer, refusal)
        return
      }
      if (inviteId !== null && (writes.votes.length > 0 || writes.tallied.length > 0)) {
        votes = {
          voter: inviteId,
          counts: new Map(writes.votes.map((vote) => [vote.recordId, vote.count])),
          removed: writes.tallied,
        }
      }
    }
    const structs: PendingStructs = { structs: decoded.structs, sentBy: inviteId }
    this.known.add(scope.created)
    this.unapplied.add(structs)
    this.pending.push({
      update,
      frame,
      from: peer,
      lockSensitive: check.lockSensitive,
      created: scope.created,
      votes,
      structs,
      decoded: decoded as unknown as DecodedUpdate,
      recorded:
        scope.untraceable !== null || [...scope.roots.keys()].some((root) => RECORDED_ROOTS.has(root)),
    })
    this.scheduleFlush()
  }

  /**
   * Everything in the doc beyond the stored snapshot it was built from, as a step 2 frame.
   * Kept until the doc changes: encoding it walks every item of the doc for the delete set
   * (a tenth of a second on a borough), and a workshop's devices tend to join at once.
   */
  private sinceSnapshot(base: StoredBase): Uint8Array {
    this.sinceSnapshotFrame ??= syncFrame(SYNC_STEP_2, Y.encodeStateAsUpdate(this.doc, base.stateVector))
    return this.sinceSnapshotFrame
  }

  /** Is the map locked now? Participants' map changes are refused while it is. */
  get locked(): boolean {
    return isLocked(this.doc)
  }

  /** Dots each participant may place over all quick wins, as the room's document says now. */
  get voteBudget(): number {
    return voteBudgetOf(this.doc)
  }

  /** Applies a presence update and relays what was new to the others (see room-presence.ts). */
  receiveAwareness(peer: Peer, update: Uint8Array, clientFrame: Uint8Array): void {
    this.presence.receive(peer, update, clientFrame)
  }

  /** Presence published by another instance's clients (cluster mode), relayed if it is news. */
  receiveRemoteAwareness(source: string, update: Uint8Array, publishedAt: number): void {
    if (this.destroyed) return
    this.presence.receiveRemote(source, update, publishedAt)
  }

  /**
   * Forgets presence from other instances not renewed within `ttlMs` (clients renew theirs every
   * 15 s; one whose instance died never will) and tells this instance's clients they have gone.
   */
  expireRemotePresence(now: number, ttlMs: number): void {
    this.presence.expireRemote(now, ttlMs)
  }

  /**
   * Updates another instance committed as `fromSeq..toSeq` (cluster mode): applied (not committed
   * again) and relayed to this instance's clients. A gap below them that does not close by itself
   * (the other instance died between its commit and its publish, or Redis lost them) is filled
   * from storage.
   */
  receiveRemoteUpdate(fromSeq: number, toSeq: number, update: Uint8Array): void {
    if (this.destroyed || toSeq <= this.sequence.applied || this.sequence.isAhead(fromSeq)) return
    try {
      Y.applyUpdate(this.doc, update, REMOTE_ORIGIN)
    } catch (error) {
      this.log.error({ room: this.name, err: error }, 'an update from another instance did not apply')
      void this.catchUp()
      return
    }
    this.broadcast(updateFrame(update), null)
    this.rowsSinceSnapshot += toSeq - fromSeq + 1
    this.markApplied(fromSeq, toSeq)
  }

  /**
   * Applies everything storage has beyond what this room has applied in order, and relays what
   * was new to this instance's clients. Runs on a gap, after Redis comes back, and now and then.
   */
  catchUp(): Promise<void> {
    if (this.destroyed) return Promise.resolve()
    this.catchingUp ??= (async () => {
      const from = this.sequence.applied
      const stored = await this.store.loadSince(this.name, from)
      if (this.destroyed || stored.lastSeq <= from) return
      const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : [...stored.updates]
      if (parts.length > 0) {
        const before = Y.encodeStateVector(this.doc)
        applyAll(this.doc, parts, REMOTE_ORIGIN)
        const news = Y.encodeStateAsUpdate(this.doc, before)
        const decoded = Y.decodeUpdate(news)
        if (decoded.structs.length > 0 || decoded.ds.clients.size > 0) this.broadcast(updateFrame(news), null)
      }
      this.rowsSinceSnapshot += stored.updates.length
      this.markApplied(from + 1, stored.lastSeq)
    })().finally(() => {
      this.catchingUp = null
    })
    return this.catchingUp
  }

  /** The lease was taken (cluster mode): fill any gap, then fold the log if it is due. */
  becameOwner(): void {
    void this.catchUp()
      .then(() => this.scheduleCompaction())
      .catch((error) => this.log.warn({ room: this.name, err: error }, 'could not catch up with storage'))
  }

  /** Answers a query for everyone's presence. */
  sendPresence(peer: Peer): void {
    peer.send(this.presence.frame())
  }

  /** Resolves once every update received so far is committed, applied and relayed. */
  async flush(): Promise<void> {
    // A closed room commits nothing more (runFlush drops what is left), so there is nothing to wait for.
    while (!this.destroyed && (this.flushing || this.pending.length > 0)) {
      if (this.flushing) await this.flushing
      else await this.runFlush()
    }
  }

  /**
   * Resolves once every update received so far is committed, relayed, and on disk through a
   * power cut (the store's `synced`): what a client's "saved" acknowledgement waits for.
   */
  async saved(): Promise<void> {
    await this.flush()
    await this.store.synced?.()
  }

  /**
   * Folds the log into one snapshot: the merged state replaces the rows it covers, in one
   * transaction. Safe beside editing: rows committed meanwhile have higher numbers and stay.
   *
   * The state is built from storage (snapshot and rows, read in one statement), not from this
   * room's doc: what is folded is exactly what is stored, so a commit whose acknowledgement was
   * lost (stored but never applied here), or rows another instance wrote, can never be dropped
   * by a snapshot that lacks them. In cluster mode only the owner compacts; two compactions at
   * once would still be safe (the snapshot only moves forward).
   */
  async compact(): Promise<void> {
    if (this.compacting) return this.compacting
    this.compacting = (async () => {
      await this.flush()
      if (this.lastSeq === this.snapshotSeq) return
      if (this.link && !this.link.owns(this.name)) return
      const rows = this.rowsSinceSnapshot
      const { stored, state } = await foldStored(this.store, this.name)
      if (state) await this.store.compact(this.name, state, stored.lastSeq)
      this.snapshotSeq = Math.max(this.snapshotSeq, stored.lastSeq)
      this.rowsSinceSnapshot = Math.max(0, this.rowsSinceSnapshot - rows)
    })().finally(() => {
      this.compacting = null
    })
    return this.compacting
  }

  /**
   * Reads the map's preview from the doc if it has changed, keeps it to send (on a map large
   * enough to need it), and saves it for the devices that open the room once it is unloaded (an empty one too, so a
   * map whose boxes all went is not previewed with them). Its failure to save costs only the
   * next cold open's preview, so it is logged, not thrown.
   */
  async savePreview(): Promise<void> {
    // Nothing stored (a room never made), or nothing changed since the last one.
    if (this.isEmpty || this.previewSeq === this.lastSeq) return
    this.previewSeq = this.lastSeq
    const bytes = encodePreview(previewOfDoc(this.doc))
    this.preview = previewToSend(bytes)
    // In cluster mode the room's owner keeps it; the others send their own.
    if (this.link && !this.link.owns(this.name)) return
    try {
      await this.store.savePreview?.(this.name, bytes)
    } catch (error) {
      this.log.warn({ room: this.name, err: error }, 'could not save the map preview')
    }
  }

  /** Commits what is pending, compacts, and lets go of the doc. The room is unusable after. */
  async close(): Promise<void> {
    this.idleCompaction.cancel()
    this.sequence.stop()
    try {
      await this.compact()
      await this.savePreview()
    } finally {
      this.destroyed = true
      this.doc.destroy()
    }
  }

  private broadcast(frame: Uint8Array, except: Peer | null): void {
    for (const peer of this.peers) if (peer !== except) peer.send(frame)
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.flushing) return
    this.flushScheduled = true
    // Let every frame that arrived in this turn of the event loop join the same commit, and
    // every room's commit start in the same callback, so a store can send them on together
    // (the SQLite store posts them to its writer thread in one message).
    roomsToFlush.add(this)
    if (roomsToFlush.size > 1) return
    setImmediate(() => {
      const rooms = [...roomsToFlush]
      roomsToFlush.clear()
      for (const room of rooms) {
        room.flushScheduled = false
        void room.runFlush()
      }
    })
  }

  /** Tells a peer its write was dropped. Rare, so it is logged (without any content). */
  private refuse(peer: Peer, refusal: Refusal): void {
    // Updates a client sent before it heard of a refusal build on the refused one, so they are
    // refused as untraceable too: the client was told once, and is not told again for each.
    if (refusal.code === 'untraceable' && this.refused.has(peer)) return
    this.refused.add(peer)
    this.log.info({ room: this.name, role: peer.role, code: refusal.code }, 'refused a write')
    if (!peer.quiet) peer.send(refusedFrame(refusal))
  }

  /** Forgets what a checked update would create: it was applied, or dropped. */
  private forget(item: PendingUpdate): void {
    if (item.created) this.known.remove(item.created)
    if (item.structs) this.unapplied.delete(item.structs)
  }

  /** Drops a peer's queued updates: they may build on one of its that was refused. */
  private dropPendingOf(peers: ReadonlySet<Peer>): void {
    this.pending = this.pending.filter((item) => {
      if (!peers.has(item.from)) return true
      this.forget(item)
      return false
    })
  }

  private async runFlush(): Promise<void> {
    if (this.destroyed) {
      // Closed: nothing more is stored. Dropping the queue lets flush() return (the senders
      // still hold their edits and send them again when they reconnect elsewhere).
      this.pending = []
      return
    }
    if (this.flushing || this.pending.length === 0) return
    const length = groupLength(this.pending, this.known)
    const batch = this.pending.slice(0, length)
    this.pending = this.pending.slice(length)
    this.flushing = this.commit(batch).finally(() => {
      this.flushing = null
      if (this.pending.length > 0) this.scheduleFlush()
    })
    return this.flushing
  }

  private async commit(proposed: PendingUpdate[]): Promise<void> {
    const { accepted: batch, dropped, refusals } = judgeGroup(this.doc, proposed)
    for (const [peer, refusal] of refusals) this.refuse(peer, refusal)
    for (const item of dropped) this.forget(item)
    if (refusals.size > 0) this.dropPendingOf(new Set(refusals.keys()))
    if (batch.length === 0) return
    let lastSeq: number
    try {
      lastSeq = await this.store.append(
        this.name,
        batch.map((item) => item.update),
        // Who changed which records, stored in the same transaction as the updates (history.ts).
        // Most updates are drags on the canvas, which is not recorded: working that out again
        // for each was 6% of the server's time with many small rooms.
        batch.some((item) => item.recorded)
          ? historyOf(this.doc, batch, (peer) => this.presence.personOf(peer))
          : [],
      )
    } catch (error) {
      for (const item of batch) this.forget(item)
      // Not stored, so not applied or relayed. The senders still hold their edits and send
      // them again when they reconnect, so closing them loses nothing.
      this.log.error({ room: this.name, err: error, updates: batch.length }, 'storage refused updates')
      for (const sender of new Set(batch.map((item) => item.from))) {
        sender.close(1013, 'storage unavailable, try again')
      }
      return
    }
    // A group of several updates goes to each peer in one write, not one per update.
    const corked = batch.length > 1
    if (corked) for (const peer of this.peers) peer.cork?.()
    try {
      for (const item of batch) {
        Y.applyUpdate(this.doc, item.update, item.from)
        this.forget(item)
        this.broadcast(item.frame, item.from)
      }
    } finally {
      if (corked) for (const peer of this.peers) peer.uncork?.()
    }
    this.committed(
      lastSeq,
      batch.map((item) => item.update),
    )
  }

  /** Bookkeeping after this instance committed `updates`, the last numbered `lastSeq`. */
  private committed(lastSeq: number, updates: readonly Uint8Array[]): void {
    this.lastSeq = Math.max(this.lastSeq, lastSeq)
    this.rowsSinceSnapshot += updates.length
    if (this.link) {
      // PostgreSQL numbers a room's rows densely, so this commit is lastSeq-n+1..lastSeq.
      const fromSeq = lastSeq - updates.length + 1
      this.link.publishUpdate(
        this.name,
        fromSeq,
        lastSeq,
        updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates([...updates]),
      )
      this.markApplied(fromSeq, lastSeq)
    }
    this.scheduleCompaction()
  }

  /** Records that `fromSeq..toSeq` is in the doc (see applied-sequence.ts). */
  private markApplied(fromSeq: number, toSeq: number): void {
    this.lastSeq = Math.max(this.lastSeq, toSeq)
    this.sequence.mark(fromSeq, toSeq)
  }

  /** Compacts now if the log is long enough, or else once the room has been quiet a while. */
  private scheduleCompaction(): void {
    if (this.rowsSinceSnapshot >= this.options.compactAfterRows) {
      this.idleCompaction.cancel()
      this.compactNow()
      return
    }
    this.idleCompaction.committed()
  }

  private compactNow(): void {
    void this.compact().catch((error) => this.log.error({ room: this.name, err: error }, 'compaction failed'))
  }
}
