import { randomBytes } from 'node:crypto'
import * as Y from 'yjs'
import { DECLARATIONS, type RecordDeclaration } from '../model/index.ts'
import type { HistoryEntry, Person, RecordChange } from './storage/doc-store.ts'
import { type DecodedUpdate, type Struct, StructIndex } from './update-scope.ts'

/**
 * Who changed which records, worked out at commit time from the updates themselves, before they
 * are applied, so that the room can store it in the same transaction as the updates (a crash
 * never leaves a change without its history, or history of a change never stored).
 *
 * Like update-scope.ts and record-writes.ts, each new item is placed by its parent (a root's
 * name, or the id of the item holding its parent type) or else by a neighbour's, resolved among
 * the update's own items, the batch's other updates, then the room's document (StructIndex);
 * a deletion names id ranges, resolved the same way. Going up from an item gives the path of
 * keys from a root: `actors/<id>` is an actor's own map (made: added; deleted: removed),
 * `actors/<id>/name` one of its fields (changed), `themes/<id>/points/<pointId>` a point. A
 * record's description note (`notes/actor:<id>`) counts as a change of the actor, and meta's
 * fields (but its stamped versions) as a change of the workspace's details. The canvas
 * (layout), the workshop notes and the live session state (facilitation) are not records and
 * are not recorded.
 */

const KINDS = DECLARATIONS as readonly RecordDeclaration[]
const ROOT_KINDS = new Map(
  KINDS.flatMap((kind) => ('root' in kind.placement ? [[kind.placement.root, kind] as const] : [])),
)
/** Nested kinds by their parent's key and the key of their map in the parent record. */
const NESTED = new Map(
  KINDS.flatMap((kind) =>
    'parent' in kind.placement ? [[`${kind.placement.parent}/${kind.placement.key}`, kind] as const] : [],
  ),
)
/** The singleton kinds recorded, and the keys of theirs that are bookkeeping, not content. */
const SINGLETONS = new Map<string, { kind: RecordDeclaration; ignored: ReadonlySet<string> }>(
  KINDS.flatMap((kind) =>
    'singleton' in kind.placement && kind.key === 'meta'
      ? [[kind.placement.singleton, { kind, ignored: new Set(['schema', 'canvasSchema']) }] as const]
      : [],
  ),
)
const NOTES_ROOT = 'notes'
/**
 * The top-level names whose changes are recorded: an update touching none of them (a drag on
 * the canvas) has no history, so the room need not ask (see Room.commit).
 */
export const RECORDED_ROOTS: ReadonlySet<string> = new Set([
  ...ROOT_KINDS.keys(),
  ...SINGLETONS.keys(),
  NOTES_ROOT,
])
/** Fields that name a record, in the order they are tried for its label. */
const LABEL_FIELDS = ['name', 'title', 'text', 'place', 'label'] as const
const MAX_LABEL = 120

/** One update of a committed batch, and who sent it (anything `personOf` can read). */
export interface BatchUpdate<From> {
  readonly update: Uint8Array
  readonly from: From
  /** The update as `Y.decodeUpdate` gave it, when the caller has it already (not decoded again). */
  readonly decoded?: DecodedUpdate | null
}

/** A record as an item's path names it. */
interface RecordRef {
  readonly kind: RecordDeclaration
  readonly id: string
  /** The path to the record's own map: root, id (and nested key, id). */
  readonly path: readonly (string | null)[]
}

/**
 * The history of a batch about to be committed: one entry per sender whose updates add, change
 * or remove records, in the order they first appear. Never throws: a batch it cannot read is
 * recorded as far as it can be (history must never stop an edit from being saved).
 */
export function historyOf<From>(
  doc: Y.Doc,
  batch: readonly BatchUpdate<From>[],
  personOf: (from: From) => Person | null,
  at = Date.now(),
): HistoryEntry[] {
  const decoded: { from: From; update: DecodedUpdate; index: StructIndex }[] = []
  for (const item of batch) {
    try {
      const update = item.decoded ?? (Y.decodeUpdate(item.update) as unknown as DecodedUpdate)
      decoded.push({ from: item.from, update, index: new StructIndex(update.structs) })
    } catch {
      // The room decoded it already before queueing it; nothing to record if it does not now.
    }
  }
  let perUpdate: Map<string, RecordChange>[]
  try {
    perUpdate = changesOfBatch(doc, decoded)
  } catch {
    return []
  }
  const groups = new Map<From, Map<string, RecordChange>>()
  for (const [position, current] of decoded.entries()) {
    const changes = perUpdate[position]
    if (!changes || changes.size === 0) continue
    const group = groups.get(current.from)
    if (!group) groups.set(current.from, changes)
    else for (const change of changes.values()) merge(group, change)
  }
  const entries: HistoryEntry[] = []
  let recent = recentByDoc.get(doc)
  if (!recent) {
    recent = new WeakMap()
    recentByDoc.set(doc, recent)
  }
  for (const [from, changes] of groups) {
    const list = [...changes.values()]
    if (list.length === 0) continue
    if (typeof from === 'object' && from !== null && isRepeat(recent, from, list, at)) continue
    const by = personOf(from)
    entries.push({ id: randomBytes(12).toString('base64url'), at, by, changes: list })
  }
  return entries
}

/** A burst of edits to the same records from one connection within this long is one entry (its first). */
export const BURST_MS = 60_000

/** Each room's latest entry per connection: which records it changed, and when (memory only). */
const recentByDoc = new WeakMap<Y.Doc, WeakMap<object, { at: number; records: Set<string> }>>()

/**
 * Is this entry more of what the same connection's latest one recorded? Typing a description or
 * editing a field commits many times a second; each would be a row saying "Ama changed Food
 * bank". So an entry that only changes records the connection's previous entry (within BURST_MS
 * of it) already added or changed is not stored; additions and removals always are, and so is
 * each restore (a connection of its own). After a restart the first such change is recorded again.
 */
function isRepeat(
  recent: WeakMap<object, { at: number; records: Set<string> }>,
  from: object,
  changes: readonly RecordChange[],
  at: number,
): boolean {
  const keys = changes.map((change) => `${change.kind}/${change.id}`)
  const last = recent.get(from)
  const repeat =
    last !== undefined &&
    at - last.at < BURST_MS &&
    changes.every((change) => change.change === 'changed') &&
    keys.every((key) => last.records.has(key))
  if (!repeat) recent.set(from, { at, records: new Set(keys) })
  return repeat
}

/** Adds a change to a sender's list: added then removed in one batch cancel out; added or removed beat changed. */
function merge(into: Map<string, RecordChange>, change: RecordChange): void {
  const key = `${change.kind}/${change.id}`
  const known = into.get(key)
  if (!known) {
    into.set(key, change)
    return
  }
  if (known.change === 'added' && change.change === 'removed') into.delete(key)
  else if (known.change === 'removed' && change.change === 'added')
    into.set(key, { ...change, change: 'changed' })
  else if (change.change !== 'changed') into.set(key, change)
  else if (change.label && change.label !== known.label) into.set(key, { ...known, label: change.label })
}

/** Which records each update of a batch adds, changes and removes, read together (one may build on another). */
function changesOfBatch(
  doc: Y.Doc,
  updates: readonly { readonly update: DecodedUpdate; readonly index: StructIndex }[],
): Map<string, RecordChange>[] {
  const deletedBy = (update: DecodedUpdate, id: Y.ID): boolean =>
    (update.ds.clients.get(id.client) ?? []).some(
      (range) => id.clock >= range.clock && id.clock < range.clock + range.len,
    )
  /** The batch's items the room does not have yet, and not removed by the update bringing them. */
  const newItems = (update: DecodedUpdate): Y.Item[] =>
    update.structs.filter(
      (struct): struct is Y.Item =>
        struct instanceof Y.Item &&
        struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client) &&
        !deletedBy(update, struct.id),
    )

  /** The struct holding `id`, and whether it is in the document (integrated) or not yet. */
  const lookup = (id: Y.ID): { struct: Struct; integrated: boolean } | undefined => {
    for (const { index } of updates) {
      const found = index.at(id.client, id.clock)
      if (found) return { struct: found, integrated: false }
    }
    const structs = doc.store.clients.get(id.client)
    if (!structs || id.clock >= Y.getState(doc.store, id.client)) return undefined
    return { struct: structs[Y.findIndexSS(structs, id.clock)] as Struct, integrated: true }
  }

  const paths = new Map<Y.Item, (string | null)[] | null>()
  /** The keys from a root down to the item (null for a place in an array or text). */
  const pathOf = (item: Y.Item, integrated: boolean): (string | null)[] | null => {
    const seen = paths.get(item)
    if (seen !== undefined) return seen
    paths.set(item, null) // a cycle resolves to nothing
    let path: (string | null)[] | null = null
    if (integrated) {
      const parent = item.parent as Y.AbstractType<unknown> | null
      if (parent) {
        if (parent._item === null) {
          try {
            path = [Y.findRootTypeKey(parent), item.parentSub]
          } catch {
            path = null
          }
        } else {
          const above = pathOf(parent._item, true)
          path = above ? [...above, item.parentSub] : null
        }
      }
    } else {
      const parent = item.parent as unknown
      if (typeof parent === 'string') path = [parent, item.parentSub]
      else if (parent instanceof Y.ID) {
        const holder = lookup(parent)
        const above = holder?.struct instanceof Y.Item ? pathOf(holder.struct, holder.integrated) : null
        path = above ? [...above, item.parentSub] : null
      } else {
        // Placed beside a neighbour: in its container, at its key (an update leaves both out).
        const neighbour = item.origin ?? item.rightOrigin
        const found = neighbour ? lookup(neighbour) : undefined
        path = found?.struct instanceof Y.Item ? pathOf(found.struct, found.integrated) : null
      }
    }
    paths.set(item, path)
    return path
  }

  /** The record a path is in, and whether the path is the record's own map. */
  const recordAt = (path: readonly (string | null)[]): { record: RecordRef; own: boolean } | null => {
    const [root, key] = path
    if (typeof root !== 'string' || typeof key !== 'string') return null
    if (root === NOTES_ROOT) {
      // A description note: `<kind>:<id>`; its content changing is a change of the record.
      const colon = key.indexOf(':')
      const kind = colon > 0 ? KINDS.find((k) => k.key === key.slice(0, colon) && k.ownsNote) : undefined
      if (!kind || !('root' in kind.placement) || path.length < 3) return null
      const id = key.slice(colon + 1)
      return { record: { kind, id, path: [kind.placement.root, id] }, own: false }
    }
    const singleton = SINGLETONS.get(root)
    if (singleton) {
      if (singleton.ignored.has(key)) return null
      return { record: { kind: singleton.kind, id: singleton.kind.key, path: [root] }, own: false }
    }
    const kind = ROOT_KINDS.get(root)
    if (!kind) return null
    const record: RecordRef = { kind, id: key, path: [root, key] }
    if (path.length === 2) return { record, own: true }
    const [, , childKey, childId] = path
    const nested = typeof childKey === 'string' ? NESTED.get(`${kind.key}/${childKey}`) : undefined
    if (nested && typeof childId === 'string') {
      const child: RecordRef = { kind: nested, id: childId, path: [root, key, childKey as string, childId] }
      return { record: child, own: path.length === 4 }
    }
    return { record, own: false }
  }

  /** A record's map in the document, if it has it now. */
  const mapIn = (path: readonly (string | null)[]): Y.Map<unknown> | undefined => {
    let at: unknown = doc.share.has(path[0] as string) ? doc.getMap(path[0] as string) : undefined
    for (const key of path.slice(1)) at = at instanceof Y.Map && key !== null ? at.get(key) : undefined
    return at instanceof Y.Map ? at : undefined
  }

  /** The map an item is set in (the id of the item holding it) and its key there. */
  const slotOf = (item: Y.Item, integrated: boolean, depth = 0): { holder: string; key: string } | null => {
    if (integrated) {
      const parent = item.parent as Y.AbstractType<unknown> | null
      if (!parent || item.parentSub === null) return null
      const holder = parent._item
      if (holder) return { holder: `${holder.id.client}:${holder.id.clock}`, key: item.parentSub }
      try {
        return { holder: `root:${Y.findRootTypeKey(parent)}`, key: item.parentSub }
      } catch {
        return null
      }
    }
    const parent = item.parent as unknown
    if (parent instanceof Y.ID)
      return item.parentSub === null
        ? null
        : { holder: `${parent.client}:${parent.clock}`, key: item.parentSub }
    if (typeof parent === 'string')
      return item.parentSub === null ? null : { holder: `root:${parent}`, key: item.parentSub }
    // Set over an earlier value: placed beside it, at its key (an update leaves both out).
    const neighbour = item.origin ?? item.rightOrigin
    const found = neighbour && depth < 1000 ? lookup(neighbour) : undefined
    return found?.struct instanceof Y.Item ? slotOf(found.struct, found.integrated, depth + 1) : null
  }
  // The plain fields the batch writes, by the id of the map holding them (for labels).
  const written = new Map<string, Map<string, unknown>>()
  /** Where records' maps are: the items made by the batch, by path. */
  const ownItems = new Map<string, Y.Item>()
  for (const { update } of updates) {
    for (const struct of newItems(update)) {
      if (struct.content instanceof Y.ContentAny) {
        const slot = slotOf(struct, false)
        if (!slot) continue
        let fields = written.get(slot.holder)
        if (!fields) {
          fields = new Map()
          written.set(slot.holder, fields)
        }
        fields.set(slot.key, struct.content.getContent()[0])
      } else if (struct.content instanceof Y.ContentType) {
        const path = pathOf(struct, false)
        const at = path ? recordAt(path) : null
        if (at?.own) ownItems.set(at.record.path.join('/'), struct)
      }
    }
  }
  /** A field of the record at `path` as the batch leaves it: what it writes, else the document's. */
  const fieldAt = (path: readonly (string | null)[], field: string): unknown => {
    const map = mapIn(path)
    const own = ownItems.get(path.join('/')) ?? (map?._item as Y.Item | null | undefined)
    // A root map (meta) is held by no item: its fields are kept under its name.
    const holder = own ? `${own.id.client}:${own.id.clock}` : path.length === 1 ? `root:${path[0]}` : null
    const value = holder === null ? undefined : written.get(holder)?.get(field)
    return value !== undefined ? value : map?.get(field)
  }
  const labelOf = (record: RecordRef): string => {
    if (record.kind.key === 'link') {
      const end = (field: string) => {
        const id = fieldAt(record.path, field)
        const name = typeof id === 'string' ? fieldAt(['actors', id], 'name') : undefined
        return typeof name === 'string' ? name : typeof id === 'string' ? id : '?'
      }
      return `${end('from')} → ${end('to')}`.slice(0, MAX_LABEL)
    }
    for (const field of LABEL_FIELDS) {
      const value = fieldAt(record.path, field)
      if (typeof value === 'string' && value.trim()) return value.trim().slice(0, MAX_LABEL)
    }
    return ''
  }

  return updates.map(({ update }) => {
    const found: { record: RecordRef; change: RecordChange['change'] }[] = []
    // What the update makes. Items the room has already (a resent state) change nothing, nor
    // items made and removed in one go (they never show).
    for (const struct of newItems(update)) {
      const path = pathOf(struct, false)
      const at = path ? recordAt(path) : null
      if (!at) continue
      // Setting a record's map where there is one already replaces it: a change, not an addition.
      if (at.own) found.push({ record: at.record, change: mapIn(at.record.path) ? 'changed' : 'added' })
      else found.push({ record: at.record, change: 'changed' })
    }
    // What it removes: only what the room has and has not removed already counts.
    for (const [client, ranges] of update.ds.clients) {
      for (const { clock, len } of ranges) {
        let at = clock
        while (at < clock + len) {
          const hit = lookup(Y.createID(client, at))
          if (!hit) break
          const { struct, integrated } = hit
          at = struct.id.clock + struct.length
          if (!integrated || !(struct instanceof Y.Item) || struct.deleted) continue
          const path = pathOf(struct, true)
          const place = path ? recordAt(path) : null
          if (!place) continue
          // A record's own map replaced in this batch (a new one made): changed, not removed.
          const replaced = place.own && ownItems.has(place.record.path.join('/'))
          found.push({ record: place.record, change: place.own && !replaced ? 'removed' : 'changed' })
        }
      }
    }
    const changes = new Map<string, RecordChange>()
    for (const { record, change } of found) {
      const key = `${record.kind.key}/${record.id}`
      const known = changes.get(key)
      // Within one update, a record's own addition or removal says more than its fields changing.
      if (known && (known.change !== 'changed' || change === 'changed')) continue
      changes.set(key, { kind: record.kind.key, id: record.id, label: labelOf(record), change })
    }
    return changes
  })
}

/** A presence entry as the room keeps it: its JSON state, and the connection speaking for it. */
export interface PresenceOf<From> {
  readonly state: string
  readonly peer: From
}

/**
 * Who sent an update: the invite's id and role from the connection, and the display name the
 * person gave their device (presence's `user.name`, what everyone sees beside their cursor),
 * read from the connection's own presence or else that of another connection on the same
 * invite (a restore made over HTTP by someone who also has the map open). On an open-access
 * device without a token the id is the device's participant id (`user.id`), as its records'
 * `addedBy` is. The name is the person's own words and not checked; the role and invite are.
 */
export function personFrom<From extends { readonly role: string; readonly inviteId?: string | null }>(
  from: From,
  presence: Iterable<PresenceOf<From>>,
): Person {
  let user: { id?: unknown; name?: unknown } | undefined
  let sameInvite: { id?: unknown; name?: unknown } | undefined
  for (const entry of presence) {
    const mine = entry.peer === from
    const sibling = !mine && from.inviteId && entry.peer.inviteId === from.inviteId
    if (!mine && !sibling) continue
    if (entry.state === 'null') continue
    try {
      const state = JSON.parse(entry.state) as { user?: { id?: unknown; name?: unknown } } | null
      if (!state?.user || typeof state.user !== 'object') continue
      if (mine) {
        user = state.user
        break
      }
      sameInvite ??= state.user
    } catch {}
  }
  const known = user ?? sameInvite
  const name = typeof known?.name === 'string' ? known.name.trim().slice(0, 100) : ''
  const participant = user && typeof user.id === 'string' ? user.id.slice(0, 64) : null
  return { id: from.inviteId ?? participant, name, role: from.role }
}
