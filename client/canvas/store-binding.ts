import {
  type RecordsDiff,
  type SerializedSchema,
  squashRecordDiffs,
  type TLRecord,
  type TLStore,
} from 'tldraw'
import type * as Y from 'yjs'
import { canvasMap, metaMap } from '../../model/index.ts'
import type { CanvasScope } from './canvas-scope.ts'
import { isDerivedArrowId, isDerivedId } from './derived-arrows.ts'

const SCHEMA_KEY = 'canvasSchema'

/**
 * The person's changes that only update records the canvas has (the moves of a drag, a resize)
 * are written at most this often; what adds or removes a record is written at the next frame.
 * Each write is a Yjs transaction, encoded and handed to every listener of the document's
 * updates (the server's socket, the other tabs, this device's own copy, the saving badge): a drag
 * written every frame spent several milliseconds of each frame on it. Other devices see a drag
 * move 20 times a second; the drop is written within this time of the last move.
 */
export const UPDATE_WRITE_MS = 50

/** The origin of the canvas binding's own writes, so it can ignore their echo. */
export class CanvasOrigin {
  readonly name = 'canvas'
}

/** A record from another device that this store could not take (reported, never fatal). */
export interface RejectedRecord {
  readonly id: string
  readonly reason: string
}

export interface StoreBindingOptions {
  /**
   * What of a record the shared canvas keeps (default: all of it). Whatever this leaves out is
   * this device's to derive (an arrow's look, from its link), and changes to it are never written.
   */
  readonly toCanvas?: (record: TLRecord) => TLRecord
  /**
   * Which of the canvas's records this store takes in (default: all). Records left out stay in
   * the document, untouched; when the scope changes, the store is brought in line as a remote
   * merge, so nothing of it is written back (see CanvasScope). The scope's derived link arrows
   * come in the same way.
   */
  readonly scope?: CanvasScope
  /**
   * Calls back once the document holds what there is to hold (the server's copy, or this
   * device's when the server cannot be reached); until then the binding writes nothing, and
   * keeps the person's changes to write then. tldraw writes its own page and document records
   * as it mounts: written at once, they went into the document of every device opening a map it
   * did not have yet, so the server could not tell that the device had nothing, and sent it
   * neither the stored map early nor the map's preview. Default: loaded already.
   */
  readonly whenLoaded?: (loaded: () => void) => () => void
}

/**
 * A live binding: `flush` writes the person's pending changes now, `stop` ends it (flushing
 * first). `putInCanvas` and `removeFromCanvas` write records to the shared canvas without going
 * through the store, as if from another device: the store then takes in what its scope admits,
 * as a remote merge. For what this device writes but does not hold (a borough's arrows drawn as
 * lines, see CanvasScope); such writes are not in the person's undo history.
 */
export interface StoreBinding {
  readonly flush: () => void
  readonly stop: () => void
  readonly putInCanvas: (records: readonly TLRecord[]) => void
  readonly removeFromCanvas: (ids: readonly string[]) => void
}

/**
 * Binds a tldraw store two ways to the workspace's `canvas` map (layout only: shapes, arrows,
 * bindings, pages).
 *
 * - Local changes by the person (not remote merges) are batched, because a drag is one change
 *   per pointer move, and written in one transaction: per animation frame, or, when they only
 *   update records (a drag's moves), at most every UPDATE_WRITE_MS.
 * - Remote changes are merged with `mergeRemoteChanges`, so they never enter this person's undo
 *   history: undo undoes only one's own changes.
 * - The store's schema is kept in `meta`, and records written by an older tldraw are migrated
 *   on load, so a newer app opens an older map.
 * - A remote record that fails validation is put aside and reported; the rest still sync.
 * - A link's derived arrow and its bindings (derived-arrows.ts) are never written: the person's
 *   change to one (a bend, a moved caption, a binding made by re-binding it) is this device's
 *   only, and what it means for the link is map-binding.ts's to write to `links`.
 */
export function bindStoreToDoc(
  store: TLStore,
  doc: Y.Doc,
  onRejected: (rejected: RejectedRecord[]) => void = () => undefined,
  options: StoreBindingOptions = {},
): StoreBinding {
  const toCanvas = options.toCanvas ?? ((record: TLRecord) => record)
  const canvas = canvasMap(doc) as Y.Map<TLRecord>
  const meta = metaMap(doc)
  const origin = new CanvasOrigin()

  const scope = options.scope
  const putRemote = (incoming: TLRecord[], removed: string[]) => {
    const rejected: RejectedRecord[] = []
    let records = incoming
    if (scope) {
      // Records now out of scope (a box moved out of the sub-map's ward) leave the store too.
      records = []
      for (const record of incoming) {
        if (scope.admits(record)) records.push(record)
        else if (store.has(record.id)) removed.push(record.id)
      }
      // Shapes before the bindings that point at them.
      records.sort((a, b) => rank(a) - rank(b))
    }
    if (records.length === 0 && removed.length === 0) return
    store.mergeRemoteChanges(() => {
      const present = removed.filter((id) => store.has(id as TLRecord['id'])) as TLRecord['id'][]
      // Bindings and arrows before the boxes they join, as the device that removed them did:
      // a box removed first has tldraw unbind its arrows (an update of each) in the same merge.
      present.sort((a, b) => rank(store.get(b)) - rank(store.get(a)))
      if (present.length > 0) store.remove(present)
      if (records.length === 0) return
      try {
        store.put(records)
      } catch {
        // One bad record must not stop the others: put them one by one and report the bad ones.
        for (const record of records) {
          try {
            store.put([record])
          } catch (error) {
            rejected.push({ id: String(record?.id), reason: (error as Error).message })
          }
        }
      }
    })
    if (rejected.length > 0) onRejected(rejected)
  }

  // The derived arrows a change of links made or moved (the scope tells after the links changed).
  const derivedChanges = () => {
    if (!scope) return
    const { put, removed } = scope.takeDerived()
    putRemote(put, removed)
  }

  // Load what the document holds, migrated from the schema it was written with.
  if (canvas.size > 0) {
    const stored = Object.fromEntries(canvas.entries()) as Record<string, TLRecord>
    const schema = meta.get(SCHEMA_KEY) as SerializedSchema | undefined
    if (schema) {
      const migrated = store.schema.migrateStoreSnapshot({ store: stored as never, schema })
      if (migrated.type === 'success') putRemote(Object.values(migrated.value) as TLRecord[], [])
      else onRejected([{ id: 'canvas', reason: `the map was saved by a newer version (${migrated.reason})` }])
    } else {
      putRemote(Object.values(stored), [])
    }
  }
  // Then the links' arrows derived from it, after the boxes they are bound to.
  if (scope) {
    scope.takeDerived()
    putRemote([...scope.derivedRecords()], [])
    scope.onDerived(derivedChanges)
  }

  // The schema this store writes with, stamped beside the first records it writes.
  const schema = store.schema.serialize()
  const schemaText = JSON.stringify(schema)
  let schemaWritten = false
  let pending: RecordsDiff<TLRecord> | null = null
  let frame: number | null = null
  /** The later write of changes that only update records (UPDATE_WRITE_MS after the last write). */
  let later: ReturnType<typeof setTimeout> | undefined
  let lastWrite = Number.NEGATIVE_INFINITY
  let loaded = options.whenLoaded === undefined
  /** The first write after loading leaves out what the document already holds as it is. */
  let firstWrite = !loaded
  const flush = () => {
    frame = null
    clearTimeout(later)
    later = undefined
    if (!pending || !loaded) return
    const diff = pending
    pending = null
    lastWrite = performance.now()
    const onlyChanges = firstWrite
    firstWrite = false
    const stored = (record: TLRecord) =>
      !isDerivedId(record.id) && !(record.typeName === 'binding' && isDerivedArrowId(record.fromId))
    const put = (record: TLRecord) => {
      // Removed meanwhile by another device or a cascade in the model (its actor or link went):
      // a late write of the person's last move must not bring it back.
      const current = store.get(record.id)
      if (!current) return
      if (!stored(current)) return
      // The store's record as it is now: a remote merge since the change (the document loaded
      // under tldraw's first page, say) must not be written over with what it replaced.
      const kept = toCanvas(current)
      if (
        (kept !== current || onlyChanges) &&
        JSON.stringify(canvas.get(current.id)) === JSON.stringify(kept)
      )
        return
      canvas.set(current.id, kept)
    }
    doc.transact(() => {
      for (const record of Object.values(diff.added)) put(record)
      for (const [, record] of Object.values(diff.updated)) put(record)
      for (const record of Object.values(diff.removed)) if (stored(record)) canvas.delete(record.id)
      if (!schemaWritten) {
        if (JSON.stringify(meta.get(SCHEMA_KEY)) !== schemaText) meta.set(SCHEMA_KEY, schema)
        schemaWritten = true
      }
    }, origin)
  }
  /**
   * Writes the pending changes at the next frame, or, when they only update records and the last
   * write was less than UPDATE_WRITE_MS ago, once that time is up.
   */
  const schedule = (updatesOnly: boolean) => {
    if (frame !== null) return
    const wait = updatesOnly ? lastWrite + UPDATE_WRITE_MS - performance.now() : 0
    if (wait <= 0) frame = requestAnimationFrame(flush)
    else later ??= setTimeout(flush, wait)
  }
  const stopWaiting = options.whenLoaded?.(() => {
    loaded = true
    schedule(false)
  })
  const stopListening = store.listen(
    ({ changes }) => {
      pending = pending ? squashRecordDiffs([pending, changes]) : changes
      schedule(isEmpty(changes.added) && isEmpty(changes.removed))
    },
    { source: 'user', scope: 'document' },
  )

  const onRemote = (event: Y.YMapEvent<TLRecord>, transaction: Y.Transaction) => {
    // Boxes that came or went may have moved derived arrows (the scope's observer ran first).
    const derived = scope?.takeDerived() ?? { put: [], removed: [] }
    if (transaction.origin === origin) return putRemote(derived.put, derived.removed)
    const records: TLRecord[] = []
    const removed: string[] = []
    for (const [id, change] of event.changes.keys) {
      if (change.action === 'delete') removed.push(id)
      else {
        const record = canvas.get(id)
        if (record) records.push(record)
      }
    }
    if (scope) {
      // A binding that came or went may bring its arrow into scope, or take it out.
      const seen = new Set(records.map((record) => record.id as string))
      for (const record of [...records]) {
        if (record.typeName !== 'binding' || seen.has(record.fromId)) continue
        const arrow = canvas.get(record.fromId)
        if (arrow) records.push(arrow)
        seen.add(record.fromId)
      }
    }
    // Derived arrows that went leave with the canvas's removals, before the boxes they were bound
    // to (or tldraw unbinds them first); new or moved ones come after the boxes they are bound to.
    putRemote(records, [...removed, ...derived.removed])
    putRemote(derived.put, [])
  }
  canvas.observe(onRemote)

  // The scope changed (a sub-map opened, the view moved on a large map): take in what is now in
  // it and let go of what is not, as a remote merge (this device's view, not a change to write).
  scope?.onRefresh(() => {
    const add: TLRecord[] = []
    const drop: string[] = []
    const consider = (id: string, record: TLRecord) => {
      const wanted = scope.admits(record)
      const held = store.has(id as TLRecord['id'])
      if (wanted && !held) add.push(record)
      else if (!wanted && held) drop.push(id)
    }
    for (const [id, record] of canvas.entries()) consider(id, record)
    for (const record of scope.derivedRecords()) consider(record.id, record)
    // Bindings and arrows go before the boxes they join, so tldraw never unbinds an arrow.
    drop.sort((a, b) => rank(scope.record(b)) - rank(scope.record(a)))
    putRemote(add, drop)
  })

  const flushNow = () => {
    // The store tells its listeners once a frame: have it tell them now, then write.
    store._flushHistory()
    if (frame !== null) cancelAnimationFrame(frame)
    flush()
  }
  // Not the binding's own origin: its observer must hear these, to take in what the scope admits.
  const outsideStore = { name: 'canvas outside the store' }
  return {
    flush: flushNow,
    putInCanvas: (records) => {
      if (records.length === 0) return
      flushNow()
      doc.transact(() => {
        for (const record of records) canvas.set(record.id, toCanvas(record))
      }, outsideStore)
    },
    removeFromCanvas: (ids) => {
      if (ids.length === 0) return
      doc.transact(() => {
        for (const id of ids) canvas.delete(id)
      }, outsideStore)
    },
    stop: () => {
      // Leaving before the document loaded: what the person changed is written all the same.
      stopWaiting?.()
      loaded = true
      flushNow()
      stopListening()
      canvas.unobserve(onRemote)
      scope?.onRefresh(() => undefined)
      scope?.onDerived(() => undefined)
    },
  }
}

function isEmpty(records: object): boolean {
  for (const _ in records) return false
  return true
}

/** Pages and the document first, then shapes (boxes before arrows), then bindings. */
function rank(record: TLRecord | undefined): number {
  if (!record) return 0
  if (record.typeName === 'binding') return 3
  if (record.typeName !== 'shape') return 0
  return record.type === 'arrow' ? 2 : 1
}
