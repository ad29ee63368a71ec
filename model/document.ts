import * as Y from 'yjs'
import { DECLARATIONS } from './records/kinds.ts'
import type { RecordDeclaration } from './records/record.ts'

/**
 * The layout of a workspace's Y.Doc. These names are the contract between client, server and
 * exports: renaming one needs a migration. Where each kind of record lives is declared with
 * the kind (`placement` in model/records): a root `Y.Map<id, Y.Map<field, value>>` (one field
 * per key, so two people editing different fields of one record both win), nested maps inside
 * a record (a theme's points), or a singleton `Y.Map<field, value>` (meta, facilitation). Two
 * more names hold no records:
 * - notes: Y.Map<key, Y.XmlFragment>: the workshop notes and one description per actor.
 * - canvas: Y.Map<recordId, tldraw record>: layout only, never a copy of actor fields.
 * `meta` also holds `schema`: the record versions the document was written with.
 */
export type Collection =
  | 'actors'
  | 'links'
  | 'themes'
  | 'quickWins'
  | 'journeys'
  | 'emergingModels'
  | 'agenda'

export const SCHEMA_KEY = 'schema'

export type RecordMap = Y.Map<unknown>

/**
 * Any Y.Map. Yjs's map type is invariant in its value type, so helpers that only walk a map's
 * entries take this rather than forcing every caller through a cast.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type AnyMap = Y.Map<any>

export const collection = (doc: Y.Doc, name: Collection): Y.Map<RecordMap> => doc.getMap<RecordMap>(name)
export const notesMap = (doc: Y.Doc): Y.Map<Y.XmlFragment> => doc.getMap<Y.XmlFragment>('notes')
export const canvasMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap('canvas')
export const metaMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap('meta')

/**
 * Declares every top-level type on a document. Yjs only reports changes to (and deep observers
 * only see) types that were declared on that replica, so a replica declares them all up front
 * rather than when it first reads one.
 */
export function defineLayout(doc: Y.Doc): void {
  for (const kind of DECLARATIONS as readonly RecordDeclaration[]) {
    if ('root' in kind.placement) doc.getMap(kind.placement.root)
    else if ('singleton' in kind.placement) doc.getMap(kind.placement.singleton)
  }
  notesMap(doc)
  canvasMap(doc)
}

/** The note key of the workshop's running notes. */
export const WORKSHOP_NOTES = 'workshop'
/** The note key of a record's description: `actor:<id>` (kinds that own a note, see ownsNote). */
export const noteKey = (kindKey: string, id: string): string => `${kindKey}:${id}`
/** The note key of an actor's description. */
export const actorNoteKey = (actorId: string): string => noteKey('actor', actorId)

/**
 * A record map's plain fields: nested Y types are left out (they are read on their own), so
 * a record can be validated as plain JSON.
 */
export function plainFields(map: Y.Map<unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  for (const [key, value] of map.entries()) {
    if (!(value instanceof Y.AbstractType)) fields[key] = value
  }
  return fields
}

/**
 * Writes the fields of `next` that differ from what the map holds, and deletes the fields
 * listed in `cleared`. Unchanged fields are not rewritten: every write leaves a tombstone
 * and wins over a concurrent edit of the same field, so a no-op must stay a no-op.
 */
export function writeFields(
  map: Y.Map<unknown>,
  next: Record<string, unknown>,
  cleared: readonly string[] = [],
) {
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined) continue
    if (!sameJson(map.get(key), value)) map.set(key, value)
  }
  for (const key of cleared) if (map.has(key)) map.delete(key)
}

/** Creates a record map holding `fields`, ready to be inserted into a collection. */
export function newRecordMap(fields: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>()
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) map.set(key, value)
  return map
}

/** Structural equality for JSON values (the only values records hold). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const aKeys = Object.keys(a)
  const bKeys = Object.keys(b)
  if (aKeys.length !== bKeys.length) return false
  return aKeys.every((key) =>
    sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  )
}
