import * as Y from 'yjs'

/**
 * Which parts of a workspace an update changes, found without applying it, so the server can
 * refuse a write before it is stored, applied or relayed.
 *
 * An update names where each new item goes in one of three ways: its parent is a root type's
 * name (a string), or the id of the item holding the parent type, or it is left out because the
 * item has a left or right neighbour (`origin`, `rightOrigin`), whose parent it shares. Deletions
 * name only id ranges. Every id is resolved among the update's own items first, then among what
 * the room already knows (its document, and updates accepted but not yet applied).
 */

/** Where an item lives: its root type, and the key of the root's entry that holds it. */
export interface Place {
  readonly root: string
  /** The key in the root map (`meta`'s `schema`, an actor's id); null in a root array or text. */
  readonly key: string | null
}

/** What the room knows about the struct holding one id. */
export interface KnownStruct {
  /** Where it lives; null when it is garbage collected (anything attached to it is dropped). */
  readonly place: Place | null
  readonly deleted: boolean
  /** The clock just after this struct, to walk a range. */
  readonly end: number
}

/** The items a room already has, or has accepted and not yet applied. */
export interface KnownItems {
  /** The next clock expected from `client`: every clock below it is known. */
  state(client: number): number
  /** The struct holding `clock` of `client`, or undefined when it is not known. */
  lookup(client: number, clock: number): KnownStruct | undefined
}

/** Clock ranges an update creates, with where each lives, by client. */
export type CreatedItems = Map<number, { clock: number; end: number; place: Place | null }[]>

export interface UpdateScope {
  /** Each root type the update inserts into or deletes from, with the keys of its entries. */
  readonly roots: ReadonlyMap<string, ReadonlySet<string | null>>
  /**
   * Why some change could not be traced to a root (it depends on items the room does not have,
   * or is malformed). Such an update might touch anything.
   */
  readonly untraceable: string | null
  /** What the update creates that the room does not have yet, for the updates that follow it. */
  readonly created: CreatedItems
}

/** Does the update change nothing the room has not already got? */
export function isNoOp(scope: UpdateScope): boolean {
  return scope.roots.size === 0 && scope.untraceable === null
}

export type Struct = Y.Item | Y.GC | Y.Skip
/** An update as `Y.decodeUpdate` returns it. */
export interface DecodedUpdate {
  readonly structs: Struct[]
  readonly ds: { readonly clients: Map<number, { clock: number; len: number }[]> }
}

/** An item that cannot be placed (a missing dependency, a cycle, a malformed reference). */
const UNTRACEABLE = Symbol('untraceable')
type Resolved = Place | null | typeof UNTRACEABLE

/**
 * The scope of an update (as `Y.decodeUpdate` returns it) against what the room knows.
 * Items the room already has are no change; deleting what is already deleted is no change
 * either (every sync step 2 carries the sender's whole delete set).
 */
export function scopeOfUpdate(decoded: DecodedUpdate, known: KnownItems): UpdateScope {
  const roots = new Map<string, Set<string | null>>()
  const created: CreatedItems = new Map()
  let untraceable: string | null = null
  const fail = (reason: string) => {
    untraceable ??= reason
  }
  const touch = (place: Place) => {
    const keys = roots.get(place.root)
    if (keys) keys.add(place.key)
    else roots.set(place.root, new Set([place.key]))
  }

  const own = new StructIndex(decoded.structs)
  const ownAt = (client: number, clock: number): Struct | undefined => own.at(client, clock)

  const memo = new Map<Y.Item, Resolved>()
  const placeOfId = (id: Y.ID): Resolved => {
    const struct = ownAt(id.client, id.clock)
    if (struct instanceof Y.Item) return placeOfItem(struct)
    if (struct instanceof Y.GC) return null
    if (struct) return UNTRACEABLE // a Skip: content the sender left out
    const found = known.lookup(id.client, id.clock)
    return found === undefined ? UNTRACEABLE : found.place
  }
  const placeOfItem = (item: Y.Item): Resolved => {
    const seen = memo.get(item)
    if (seen !== undefined) return seen
    memo.set(item, UNTRACEABLE) // a reference cycle resolves to "untraceable"
    let result: Resolved
    const parent = item.parent as unknown
    if (typeof parent === 'string') {
      result = { root: parent, key: item.parentSub }
    } else if (parent instanceof Y.ID) {
      // A child of a nested type: it lives wherever the item holding that type lives.
      result = placeOfId(parent)
    } else if (item.origin || item.rightOrigin) {
      // Placed beside a neighbour, in the neighbour's parent. Yjs drops an item whose
      // neighbour was garbage collected, so such an item changes nothing.
      const left = item.origin ? placeOfId(item.origin) : undefined
      const right = item.rightOrigin ? placeOfId(item.rightOrigin) : undefined
      if (left === null || right === null) result = null
      else if (left === UNTRACEABLE || right === UNTRACEABLE) result = UNTRACEABLE
      else result = left ?? right ?? UNTRACEABLE
    } else {
      result = UNTRACEABLE
    }
    memo.set(item, result)
    return result
  }

  for (const [client, structs] of own.clients()) {
    const state = known.state(client)
    let next = state
    const ranges: { clock: number; end: number; place: Place | null }[] = []
    for (const struct of structs) {
      if (struct instanceof Y.Skip) continue
      const end = struct.id.clock + struct.length
      if (end <= state) continue // the room has it already
      if (struct.id.clock > next) fail('it depends on changes the server does not have')
      next = Math.max(next, end)
      if (struct instanceof Y.GC) {
        ranges.push({ clock: struct.id.clock, end, place: null })
        continue
      }
      const place = placeOfItem(struct)
      if (place === UNTRACEABLE) {
        fail('it refers to something the server does not have')
        continue
      }
      ranges.push({ clock: struct.id.clock, end, place })
      if (place) touch(place)
    }
    if (ranges.length > 0) created.set(client, ranges)
  }

  for (const [client, deletions] of decoded.ds.clients) {
    for (const { clock, len } of deletions) {
      let at = clock
      const end = clock + len
      while (at < end) {
        const struct = ownAt(client, at)
        if (struct) {
          if (struct instanceof Y.Item) {
            const place = placeOfItem(struct)
            if (place === UNTRACEABLE) fail('it deletes something the server does not have')
            else if (place) touch(place)
          }
          at = struct.id.clock + struct.length
          continue
        }
        const found = known.lookup(client, at)
        if (!found) {
          fail('it deletes something the server does not have')
          break
        }
        if (!found.deleted && found.place) touch(found.place)
        at = found.end
      }
    }
  }
  return { roots, untraceable, created }
}

/** What a document holds, as `scopeOfUpdate` asks for it. */
export function documentItems(doc: Y.Doc): KnownItems {
  return {
    state: (client) => Y.getState(doc.store, client),
    lookup: (client, clock) => {
      const structs = doc.store.clients.get(client)
      if (!structs || clock >= Y.getState(doc.store, client)) return undefined
      const struct = structs[Y.findIndexSS(structs, clock)] as Y.Item | Y.GC
      const end = struct.id.clock + struct.length
      if (struct instanceof Y.GC) return { place: null, deleted: true, end }
      return { place: placeOfIntegrated(struct), deleted: struct.deleted, end }
    },
  }
}

/** Where an item of a document lives: up through the types that hold it to a root. */
function placeOfIntegrated(item: Y.Item): Place | null {
  let key = item.parentSub
  let parent = item.parent as Y.AbstractType<unknown> | null
  for (let depth = 0; parent && depth < 10_000; depth++) {
    const holder = parent._item
    if (holder === null) {
      try {
        return { root: Y.findRootTypeKey(parent), key }
      } catch {
        return null
      }
    }
    key = holder.parentSub
    parent = holder.parent as Y.AbstractType<unknown> | null
  }
  return null
}

/**
 * The room's items plus those of updates accepted but not yet applied, so an update that builds
 * on the one just before it (typing fast, dragging) can be placed before that one is committed.
 */
export class PendingItems implements KnownItems {
  private readonly pending = new Set<CreatedItems>()

  constructor(private readonly base: KnownItems) {}

  add(created: CreatedItems): void {
    if (created.size > 0) this.pending.add(created)
  }

  remove(created: CreatedItems): void {
    this.pending.delete(created)
  }

  state(client: number): number {
    let state = this.base.state(client)
    for (const created of this.pending) {
      const ranges = created.get(client)
      const last = ranges?.[ranges.length - 1]
      if (last && last.end > state) state = last.end
    }
    return state
  }

  lookup(client: number, clock: number): KnownStruct | undefined {
    const found = this.base.lookup(client, clock)
    if (found) return found
    for (const created of this.pending) {
      for (const range of created.get(client) ?? []) {
        if (clock >= range.clock && clock < range.end) {
          return { place: range.place, deleted: false, end: range.end }
        }
      }
    }
    return undefined
  }
}

/**
 * An update's structs by client in clock order (as updates are written), searchable by clock:
 * the update's own items are found here before the room's document is asked.
 */
export class StructIndex {
  private readonly byClient = new Map<number, Struct[]>()

  constructor(structs: readonly Struct[]) {
    for (const struct of structs) {
      const list = this.byClient.get(struct.id.client)
      if (list) list.push(struct)
      else this.byClient.set(struct.id.client, [struct])
    }
  }

  /** Each client's structs, in clock order. */
  clients(): IterableIterator<[number, Struct[]]> {
    return this.byClient.entries()
  }

  /** The struct holding `clock` of `client`, found by binary search, or undefined. */
  at(client: number, clock: number): Struct | undefined {
    const list = this.byClient.get(client)
    if (!list) return undefined
    let low = 0
    let high = list.length - 1
    while (low <= high) {
      const mid = (low + high) >> 1
      const struct = list[mid] as Struct
      if (clock < struct.id.clock) high = mid - 1
      else if (clock >= struct.id.clock + struct.length) low = mid + 1
      else return struct
    }
    return undefined
  }
}
