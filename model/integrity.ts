import * as Y from 'yjs'
import { canvasKeysShowing } from './canvas-refs.ts'
import { type AnyMap, canvasMap, noteKey, notesMap, plainFields } from './document.ts'
import { DECLARATIONS, declaration } from './records/kinds.ts'
import type { KindKey, RecordDeclaration, RecordIssue, Reference } from './records/record.ts'

/**
 * The references between records, as the declarations state them, in one place: checking a
 * dataset, repairing what readers find, and cascading a removal through the document. Nothing
 * here names a kind of record: a new reference is declared on its record kind and only there.
 */

/** Something readers had to leave out or repair (see `read.ts`). */
export interface Problem extends RecordIssue {
  readonly repaired?: readonly string[]
}

/** Data laid out as the dataset is: roots as arrays, nested records inside their parents. */
export type Tree = Readonly<Record<string, unknown>>
type Row = Readonly<Record<string, unknown>> & { readonly id: string }

const DECLARED = DECLARATIONS as readonly RecordDeclaration[]

/** The top-level name a kind's records (or, nested, their parents) live under. */
export function rootOf(kind: RecordDeclaration): string {
  const placement = kind.placement
  if ('root' in placement) return placement.root
  if ('singleton' in placement) return placement.singleton
  return rootOf(declaration(placement.parent))
}

/** How a record is named in messages: its name or title, else its id. */
export const displayName = (record: Readonly<Record<string, unknown>>): string =>
  String(record.name ?? record.title ?? record.id ?? '')

/** The references to `target` that each kind declares. */
export function referencesTo(target: KindKey): { kind: RecordDeclaration; reference: Reference }[] {
  return DECLARED.flatMap((kind) =>
    kind.references.filter((reference) => reference.to === target).map((reference) => ({ kind, reference })),
  )
}

type Verdict = { keep: Row; changed: boolean } | { drop: string }

/** One record against the ids that exist: references cleared or filtered, or the record dropped. */
function repairRecord(
  kind: RecordDeclaration,
  record: Row,
  ids: ReadonlyMap<KindKey, ReadonlySet<string>>,
): Verdict {
  let next: Record<string, unknown> | undefined
  for (const reference of kind.references) {
    const present = ids.get(reference.to) ?? new Set<string>()
    const value = (next ?? record)[reference.field]
    if (reference.many) {
      if (!Array.isArray(value) || value.every((id) => present.has(id))) continue
      next = { ...(next ?? record), [reference.field]: value.filter((id) => present.has(id)) }
      continue
    }
    if (typeof value !== 'string' || present.has(value)) continue
    if (reference.onDelete === 'cascade') {
      return {
        drop: `${kind.name} ${record.id} left out: it points at removed ${declaration(reference.to).name} ${value}`,
      }
    }
    const { [reference.field]: _gone, ...rest } = next ?? record
    next = rest
  }
  const reason = kind.check?.(next ?? record)
  if (reason) return { drop: `${kind.name} ${record.id} left out: ${reason}` }
  return next ? { keep: next as Row, changed: true } : { keep: record, changed: false }
}

/** The list itself when nothing in it changed, so readers keep each collection's identity. */
function sameOr<T>(before: readonly T[], after: T[]): readonly T[] {
  return after.length === before.length && after.every((item, index) => item === before[index])
    ? before
    : after
}

/**
 * Repairs the references of a whole tree (a snapshot or a dataset being restored), kind by kind
 * in declaration order, so each reference is checked against records already kept: a link to a
 * removed actor is left out (cascade), a quick win's missing theme is cleared, a step loses its
 * actor (keep-as-text), a point's missing actors are taken out of its list. Records that did
 * not change keep their identity, and so does a list with no change.
 */
export function repairTree<T extends Tree>(tree: T, problems: Problem[]): T {
  const ids = new Map<KindKey, Set<string>>()
  const out: Record<string, unknown> = { ...tree }
  const repairList = (kind: RecordDeclaration, records: readonly Row[]): readonly Row[] => {
    const kept: Row[] = []
    for (const record of records) {
      const verdict = repairRecord(kind, record, ids)
      if ('drop' in verdict) problems.push({ kind: kind.name, id: record.id, message: verdict.drop })
      else kept.push(verdict.keep)
    }
    const known = ids.get(kind.key) ?? new Set<string>()
    for (const record of kept) known.add(record.id)
    ids.set(kind.key, known)
    return sameOr(records, kept)
  }
  for (const kind of DECLARED) {
    const placement = kind.placement
    if ('root' in placement) {
      out[placement.root] = repairList(kind, (out[placement.root] as Row[] | undefined) ?? [])
    } else if ('parent' in placement) {
      const parentRoot = rootOf(kind)
      const parents = (out[parentRoot] as Row[] | undefined) ?? []
      ids.set(kind.key, new Set())
      out[parentRoot] = sameOr(
        parents,
        parents.map((parent) => {
          const children = (parent[placement.key] as Row[] | undefined) ?? []
          const kept = repairList(kind, children)
          return kept === children ? parent : { ...parent, [placement.key]: kept }
        }),
      )
    } else if (out[placement.singleton] !== undefined) {
      const verdict = repairRecord(kind, out[placement.singleton] as Row, ids)
      if ('keep' in verdict && verdict.changed) out[placement.singleton] = verdict.keep
    }
  }
  for (const kind of DECLARED.filter((candidate) => candidate.ownsNote)) {
    const notes = out.notes as { actors?: Record<string, string> } | undefined
    const root = rootOf(kind)
    const owned = (notes as Record<string, Record<string, string> | undefined> | undefined)?.[root]
    if (!owned) continue
    const present = ids.get(kind.key) ?? new Set()
    if (Object.keys(owned).every((id) => present.has(id))) continue
    out.notes = {
      ...notes,
      [root]: Object.fromEntries(Object.entries(owned).filter(([id]) => present.has(id))),
    }
  }
  return out as T
}

/** What is wrong with a dataset's references, by path ("links.3.from"). */
export interface ReferenceIssue {
  readonly path: string
  readonly message: string
}

/**
 * Checks a dataset strictly: ids unique among their siblings, every reference naming a record
 * that is there, each record's own rule (a link joins two different actors), and notes only for
 * records that own them. Every issue is reported, not only the first.
 */
export function referenceIssues(tree: Tree): ReferenceIssue[] {
  const issues: ReferenceIssue[] = []
  const ids = new Map<KindKey, Set<string>>()
  const checkList = (kind: RecordDeclaration, records: readonly Row[], path: string) => {
    const seen = new Set<string>()
    records.forEach((record, index) => {
      if (seen.has(record.id))
        issues.push({ path: `${path}.${index}.id`, message: `duplicate id ${record.id}` })
      seen.add(record.id)
    })
    const known = ids.get(kind.key) ?? new Set<string>()
    for (const id of seen) known.add(id)
    ids.set(kind.key, known)
  }
  const checkReferences = (kind: RecordDeclaration, record: Row, path: string) => {
    for (const reference of kind.references) {
      const present = ids.get(reference.to) ?? new Set<string>()
      const target = declaration(reference.to).name
      const value = record[reference.field]
      const values = reference.many && Array.isArray(value) ? value : [value]
      values.forEach((id, index) => {
        if (typeof id !== 'string' || present.has(id)) return
        const at = reference.many ? `${path}.${reference.field}.${index}` : `${path}.${reference.field}`
        issues.push({ path: at, message: `no ${target} ${id}` })
      })
    }
    const reason = kind.check?.(record)
    if (reason) issues.push({ path, message: reason })
  }
  // Ids first (a reference may point forward in the list), then references.
  const each = (visit: (kind: RecordDeclaration, records: readonly Row[], path: string) => void) => {
    for (const kind of DECLARED) {
      const placement = kind.placement
      if ('root' in placement) visit(kind, (tree[placement.root] as Row[] | undefined) ?? [], placement.root)
      else if ('parent' in placement) {
        const root = rootOf(kind)
        ;((tree[root] as Row[] | undefined) ?? []).forEach((parent, index) => {
          visit(kind, (parent[placement.key] as Row[] | undefined) ?? [], `${root}.${index}.${placement.key}`)
        })
      } else if (tree[placement.singleton] !== undefined) {
        visit(kind, [tree[placement.singleton] as Row], placement.singleton)
      }
    }
  }
  each((kind, records, path) => {
    if (!('singleton' in kind.placement)) checkList(kind, records, path)
  })
  each((kind, records, path) => {
    records.forEach((record, index) => {
      checkReferences(kind, record, 'singleton' in kind.placement ? path : `${path}.${index}`)
    })
  })
  for (const kind of DECLARED.filter((candidate) => candidate.ownsNote)) {
    const root = rootOf(kind)
    const owned = (tree.notes as Record<string, Record<string, string> | undefined> | undefined)?.[root] ?? {}
    for (const id of Object.keys(owned)) {
      if (!ids.get(kind.key)?.has(id))
        issues.push({ path: `notes.${root}.${id}`, message: `no ${kind.name} ${id}` })
    }
  }
  return issues
}

// ---- the document ------------------------------------------------------------------------

/** A record's map in the document, with the map that holds it. */
export interface Located {
  readonly kind: RecordDeclaration
  readonly id: string
  readonly map: Y.Map<unknown>
  readonly holder: Y.Map<unknown>
  readonly parentId?: string
}

/** Every record map of a kind in the document (nested ones inside each parent). */
export function recordsOf(doc: Y.Doc, kind: RecordDeclaration): Located[] {
  const placement = kind.placement
  const entries = (holder: Y.Map<unknown>, parentId?: string): Located[] =>
    [...holder.entries()]
      .filter((entry): entry is [string, Y.Map<unknown>] => entry[1] instanceof Y.Map)
      .map(([id, map]) => ({ kind, id, map, holder, ...(parentId === undefined ? {} : { parentId }) }))
  if ('root' in placement) return entries(doc.getMap(placement.root))
  if ('singleton' in placement) {
    const map = doc.getMap(placement.singleton)
    return [{ kind, id: placement.singleton, map, holder: map }]
  }
  return recordsOf(doc, declaration(placement.parent)).flatMap(({ id, map }) => {
    const nested = map.get(placement.key)
    return nested instanceof Y.Map ? entries(nested as AnyMap, id) : []
  })
}

/** What a removal took with it: every record removed, and every record whose reference it cleared. */
export interface Removal {
  readonly removed: readonly (Located & { readonly fields: Record<string, unknown> })[]
  readonly cleared: readonly Located[]
}

/**
 * Removes a record and applies every declared on-delete rule to what refers to it, inside the
 * caller's transaction: referring records go too (cascade, transitively), lose the reference
 * (clear), or keep the removed record's name in words (keep-as-text). Nested records go with
 * their parent, owned notes with their owner, and the boxes and arrows that drew removed
 * actors and links leave every map, whichever device or program removed them.
 */
export function cascadeRemoval(doc: Y.Doc, start: Located): Removal {
  const removed: (Located & { fields: Record<string, unknown> })[] = []
  const cleared: Located[] = []
  const queue: Located[] = [start]
  const gone = new Set<string>()
  while (queue.length > 0) {
    const target = queue.shift() as Located
    const key = `${target.kind.key}:${target.id}`
    if (gone.has(key)) continue
    gone.add(key)
    const fields = plainFields(target.map)
    for (const child of DECLARED.filter(
      (kind) => 'parent' in kind.placement && kind.placement.parent === target.kind.key,
    )) {
      const nested = target.map.get((child.placement as { key: string }).key)
      if (!(nested instanceof Y.Map)) continue
      for (const [id, map] of (nested as AnyMap).entries()) {
        if (map instanceof Y.Map)
          removed.push({
            kind: child,
            id,
            map,
            holder: nested,
            parentId: target.id,
            fields: plainFields(map),
          })
      }
    }
    for (const { kind, reference } of referencesTo(target.kind.key)) {
      for (const located of recordsOf(doc, kind)) {
        if (gone.has(`${kind.key}:${located.id}`)) continue
        const value = located.map.get(reference.field)
        if (reference.many) {
          if (!Array.isArray(value) || !value.includes(target.id)) continue
          located.map.set(
            reference.field,
            value.filter((id) => id !== target.id),
          )
          cleared.push(located)
        } else if (value === target.id) {
          if (reference.onDelete === 'cascade') {
            queue.push(located)
            continue
          }
          located.map.delete(reference.field)
          if (reference.onDelete === 'keep-as-text' && reference.text && !located.map.get(reference.text)) {
            located.map.set(reference.text, displayName(fields))
          }
          cleared.push(located)
        }
      }
    }
    if (target.kind.ownsNote) notesMap(doc).delete(noteKey(target.kind.key, target.id))
    target.holder.delete(target.id)
    removed.push({ ...target, fields })
  }
  const idsOf = (key: KindKey) =>
    new Set(removed.filter((record) => record.kind.key === key).map((record) => record.id))
  const canvas = canvasMap(doc)
  for (const key of canvasKeysShowing(canvas, { actorIds: idsOf('actor'), linkIds: idsOf('link') }))
    canvas.delete(key)
  return { removed, cleared: cleared.filter((record) => !gone.has(`${record.kind.key}:${record.id}`)) }
}
