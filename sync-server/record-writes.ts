import * as Y from 'yjs'
import { AUTHOR_FIELD, DECLARATIONS, type KindKey, type RecordDeclaration } from '../model/index.ts'
import { type DecodedUpdate, type Struct, StructIndex } from './update-scope.ts'

/**
 * Which records an update creates and removes, whose author it changes and which dots it sets,
 * found without applying it, so that the server can hold participants to authorship and to the
 * vote budget (write-rules.ts) before an update is stored, applied or relayed.
 *
 * Like update-scope.ts, every item is placed by its parent (a root's name, or the id of the item
 * holding its parent type) or else by a neighbour's parent, resolved among the update's own
 * items first, then the updates accepted but not yet applied, then the room's document; a
 * deletion names an id range, resolved the same way. Going up from an item through the items
 * holding its parents tells what it is: a record (an entry of a root kind's map, or of a nested
 * kind's map inside its parent record), one of a record's fields, or a vote in a record's tally.
 * Run it only on an update that update-scope.ts could trace: what it cannot place, it ignores.
 */

/** A record, as the items holding it identify it. */
interface RecordNode {
  readonly type: 'record'
  readonly kind: RecordDeclaration
  readonly id: string
  /** The item holding the record's map. */
  readonly item: Y.Item
  readonly source: Source
  /** The record holding it, for a nested kind (a point's theme). */
  readonly parent?: RecordNode
}

/** What an item is among the records. */
type Node =
  | { readonly type: 'root'; readonly name: string }
  | RecordNode
  /** A record's map of one nested kind's records (a theme's points). */
  | { readonly type: 'children'; readonly kind: RecordDeclaration; readonly parent: RecordNode }
  /** A record's tally (a quick win's votes). */
  | { readonly type: 'tally'; readonly record: RecordNode }
  | { readonly type: 'field'; readonly record: RecordNode; readonly key: string }
  | { readonly type: 'vote'; readonly record: RecordNode; readonly voter: string }

/** Where an item was found: the update itself, an update accepted but not applied, or the room. */
type Source =
  | { readonly from: 'update' }
  | { readonly from: 'pending'; readonly sentBy: string | null }
  | { readonly from: 'document' }

/** An update accepted and not yet applied, as the room keeps it for this module. */
export interface PendingStructs {
  readonly structs: readonly (Y.Item | Y.GC | Y.Skip)[]
  /** The invite id of the connection that sent it, which authored any record it creates. */
  readonly sentBy: string | null
}

/** A record of an authored kind, by kind and id. */
export interface RecordRef {
  readonly kind: KindKey
  readonly id: string
  /** The parent record's id, for a nested kind (a point's theme). */
  readonly parentId?: string
}

/** What an update does to authored records and tallies. */
export interface RecordWrites {
  /** Records of authored kinds the room has and the update removes, with who added each ('' nobody known). */
  readonly removed: readonly (RecordRef & { readonly addedBy: string })[]
  /** Records of authored kinds the update makes, with the author it gives them (undefined: none). */
  readonly created: readonly (RecordRef & { readonly addedBy: string | undefined })[]
  /** Records of authored kinds that stay, whose author the update sets or removes. */
  readonly authorChanged: readonly RecordRef[]
  /** Dots the update sets: the count it leaves for a voter on a record (0: taken back). */
  readonly votes: readonly { readonly recordId: string; readonly voter: string; readonly count: number }[]
  /** Records with a tally that the update removes (their votes go with them). */
  readonly tallied: readonly string[]
}

/** Does the update touch nothing this module watches? */
export const noRecordWrites = (writes: RecordWrites): boolean =>
  writes.removed.length === 0 &&
  writes.created.length === 0 &&
  writes.authorChanged.length === 0 &&
  writes.votes.length === 0 &&
  writes.tallied.length === 0

const KINDS = DECLARATIONS as readonly RecordDeclaration[]
const ROOT_KINDS = new Map(
  KINDS.flatMap((kind) => ('root' in kind.placement ? [[kind.placement.root, kind] as const] : [])),
)

/**
 * What an update (as `Y.decodeUpdate` returns it) does to authored records and tallies, against
 * the room's document and the updates it has accepted but not yet applied.
 */
export function recordWritesOf(
  decoded: DecodedUpdate,
  doc: Y.Doc,
  pending: readonly PendingStructs[] = [],
): RecordWrites {
  const own = new StructIndex(decoded.structs)
  const waiting = pending.map((update) => ({ index: new StructIndex(update.structs), sentBy: update.sentBy }))

  const deletedByUpdate = (id: Y.ID): boolean =>
    (decoded.ds.clients.get(id.client) ?? []).some(
      (range) => id.clock >= range.clock && id.clock < range.clock + range.len,
    )

  /** The struct holding `id`, and where it was found; undefined when nobody has it. */
  const lookup = (id: Y.ID): { struct: Struct; source: Source } | undefined => {
    const mine = own.at(id.client, id.clock)
    if (mine) return { struct: mine, source: { from: 'update' } }
    for (const update of waiting) {
      const found = update.index.at(id.client, id.clock)
      if (found) return { struct: found, source: { from: 'pending', sentBy: update.sentBy } }
    }
    const structs = doc.store.clients.get(id.client)
    if (!structs || id.clock >= Y.getState(doc.store, id.client)) return undefined
    return { struct: structs[Y.findIndexSS(structs, id.clock)] as Struct, source: { from: 'document' } }
  }
  /** The item holding `id` (not a collected or left-out range). */
  const find = (id: Y.ID): { item: Y.Item; source: Source } | undefined => {
    const found = lookup(id)
    return found?.struct instanceof Y.Item ? { item: found.struct, source: found.source } : undefined
  }

  /** The item's container (a root's name or the id of the item holding it) and its key there. */
  const placing = new Set<Y.Item>()
  const placeOf = (item: Y.Item, source: Source): { parent: string | Y.ID; key: string | null } | null => {
    if (source.from === 'document') {
      const parent = item.parent as Y.AbstractType<unknown> | null
      if (!parent) return null
      if (parent._item === null) {
        try {
          return { parent: Y.findRootTypeKey(parent), key: item.parentSub }
        } catch {
          return null
        }
      }
      return { parent: parent._item.id, key: item.parentSub }
    }
    const parent = item.parent as unknown
    if (typeof parent === 'string' || parent instanceof Y.ID) return { parent, key: item.parentSub }
    // Placed beside a neighbour: in the neighbour's container, at its key.
    const neighbour = item.origin ?? item.rightOrigin
    if (!neighbour || placing.has(item)) return null
    const found = find(neighbour)
    if (!found) return null
    placing.add(item)
    try {
      return placeOf(found.item, found.source)
    } finally {
      placing.delete(item)
    }
  }

  const nodes = new Map<Y.Item, Node | null>()
  const nodeOf = (item: Y.Item, source: Source): Node | null => {
    if (nodes.has(item)) return nodes.get(item) ?? null
    nodes.set(item, null) // a cycle resolves to nothing
    const node = classify(item, source)
    nodes.set(item, node)
    return node
  }
  const containerOf = (parent: string | Y.ID): Node | null => {
    if (typeof parent === 'string') return { type: 'root', name: parent }
    const holder = find(parent)
    if (!holder || !(holder.item.content instanceof Y.ContentType)) return null
    return nodeOf(holder.item, holder.source)
  }
  const classify = (item: Y.Item, source: Source): Node | null => {
    const place = placeOf(item, source)
    if (!place || place.key === null) return null
    const { key } = place
    const container = containerOf(place.parent)
    if (!container) return null
    switch (container.type) {
      case 'root': {
        const kind = ROOT_KINDS.get(container.name)
        return kind ? { type: 'record', kind, id: key, item, source } : null
      }
      case 'record': {
        const nested = KINDS.find(
          (kind) =>
            'parent' in kind.placement &&
            kind.placement.parent === container.kind.key &&
            kind.placement.key === key,
        )
        if (nested) return { type: 'children', kind: nested, parent: container }
        if (container.kind.tally?.key === key) return { type: 'tally', record: container }
        return { type: 'field', record: container, key }
      }
      case 'children':
        return { type: 'record', kind: container.kind, id: key, item, source, parent: container.parent }
      case 'tally':
        return { type: 'vote', record: container.record, voter: key }
      default:
        return null
    }
  }

  const refOf = (record: RecordNode): RecordRef =>
    record.parent
      ? { kind: record.kind.key, id: record.id, parentId: record.parent.id }
      : { kind: record.kind.key, id: record.id }

  /** Is the record removed, by this update or before it (its own item, or a parent's)? */
  const gone = (record: RecordNode | undefined): boolean =>
    record !== undefined && (record.item.deleted || deletedByUpdate(record.item.id) || gone(record.parent))

  const contentOf = (item: Y.Item): unknown =>
    item.content instanceof Y.ContentAny ? item.content.getContent()[0] : undefined

  const removed: (RecordRef & { addedBy: string })[] = []
  const authorChanged: RecordRef[] = []
  const tallied = new Set<string>()
  /** Newest value the update leaves for each record's author and each voter's dots. */
  const authors = new Map<Y.Item, { record: RecordNode; value: unknown; clock: number }>()
  const votes = new Map<string, { recordId: string; voter: string; count: number }>()
  const made: RecordNode[] = []

  // What the update makes. Items the room has already (a resent state) change nothing.
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue
    if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue
    if (deletedByUpdate(struct.id)) continue // made and removed in one go: it never shows
    const node = nodeOf(struct, { from: 'update' })
    if (!node) continue
    if (node.type === 'record' && node.kind.authored) made.push(node)
    else if (node.type === 'field' && node.key === AUTHOR_FIELD && node.record.kind.authored) {
      if (node.record.source.from !== 'update') authorChanged.push(refOf(node.record))
      const known = authors.get(node.record.item)
      if (!known || known.clock < struct.id.clock)
        authors.set(node.record.item, {
          record: node.record,
          value: contentOf(struct),
          clock: struct.id.clock,
        })
    } else if (node.type === 'vote' && !gone(node.record)) {
      const value = contentOf(struct)
      const count = typeof value === 'number' && Number.isFinite(value) ? value : 0
      const key = `${node.record.id}\u0000${node.voter}`
      const known = votes.get(key)
      // Two values left for one voter (two of their devices at once): the larger counts.
      if (!known || known.count < count)
        votes.set(key, { recordId: node.record.id, voter: node.voter, count })
    }
  }

  // What the update removes: only what the room has and has not removed already counts.
  for (const [client, ranges] of decoded.ds.clients) {
    for (const { clock, len } of ranges) {
      let at = clock
      while (at < clock + len) {
        const found = lookup(Y.createID(client, at))
        if (!found) break // not traceable: update-scope.ts has refused such an update already
        const { struct: item, source } = found
        at = item.id.clock + item.length
        // Made by this update too (it never shows), collected, or removed already: no change.
        if (source.from === 'update' || !(item instanceof Y.Item) || item.deleted) continue
        const node = nodeOf(item, source)
        if (!node) continue
        if (node.type === 'record') {
          if (node.kind.tally) tallied.add(node.id)
          if (!node.kind.authored) continue
          const content = item.content
          const addedBy =
            source.from === 'pending'
              ? (source.sentBy ?? '')
              : content instanceof Y.ContentType && content.type instanceof Y.Map
                ? content.type.get(AUTHOR_FIELD)
                : ''
          removed.push({ ...refOf(node), addedBy: typeof addedBy === 'string' ? addedBy : '' })
        } else if (node.type === 'field' && node.key === AUTHOR_FIELD && node.record.kind.authored) {
          if (!gone(node.record)) authorChanged.push(refOf(node.record))
        } else if (node.type === 'vote' && !gone(node.record)) {
          const key = `${node.record.id}\u0000${node.voter}`
          if (!votes.has(key)) votes.set(key, { recordId: node.record.id, voter: node.voter, count: 0 })
        }
      }
    }
  }

  const created = made.map((record) => {
    const value = authors.get(record.item)?.value
    return { ...refOf(record), addedBy: typeof value === 'string' ? value : undefined }
  })
  return { removed, created, authorChanged, votes: [...votes.values()], tallied: [...tallied] }
}

/**
 * The dots a voter has on each record of a tallied kind in a document (a quick win's votes),
 * by record id: what a vote budget is checked against.
 */
export function votesIn(doc: Y.Doc, voter: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const kind of KINDS) {
    if (!kind.tally || !('root' in kind.placement)) continue
    for (const [id, record] of doc.getMap(kind.placement.root)) {
      const tally = record instanceof Y.Map ? record.get(kind.tally.key) : undefined
      const count = tally instanceof Y.Map ? tally.get(voter) : undefined
      if (typeof count === 'number' && Number.isFinite(count) && count > 0) counts.set(id, count)
    }
  }
  return counts
}
