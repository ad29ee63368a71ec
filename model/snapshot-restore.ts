import * as Y from 'yjs'
import { writeCommand } from './command-write.ts'
import {
  type AnyMap,
  canvasMap,
  metaMap,
  notesMap,
  plainFields,
  SCHEMA_KEY,
  sameJson,
  writeFields,
} from './document.ts'
import { DOCUMENT_MIGRATIONS_KEY, linkArrowKeys } from './document-migrations.ts'
import { migrateDocument } from './migrate.ts'
import { DECLARATIONS, nestedKinds } from './records/kinds.ts'
import type { RecordDeclaration } from './records/record.ts'

/**
 * Restoring a saved state of a workspace as a new change on top of the live one (issue 17):
 * nothing is lost, since the restore is itself an ordinary change, and restoring the state saved
 * just before undoes it. One transaction makes each part of the live document equal the saved
 * one, field by field, so concurrent editors keep the items they hold (no document is rebuilt):
 *
 * - every record collection (actors, links, themes with their points, quick wins with their
 *   votes, journeys with their steps, emerging models, agenda items, and any kind declared
 *   later): records removed since are put back, records added since are removed, changed fields
 *   are set back and fields added since cleared;
 * - the workspace's details (meta), except the versions stamped in it;
 * - the shared canvas (every box and arrow: where they stood, which were there);
 * - the notes: the workshop notes and each description, their content replaced by the saved
 *   content where it differs (so a Tiptap editor open on one stays bound to it).
 *
 * Not restored: the live session (facilitation: the timer, the lock, the vote budget and the
 * current agenda item stay as they are now), and presence (not in the document).
 */

/** How many entries of each part the restore added, changed and removed. */
export interface RestoreSummary {
  readonly added: number
  readonly changed: number
  readonly removed: number
}

/** Keys of `meta` that record versions, not content: stamped by commands and the canvas. */
const META_BOOKKEEPING: ReadonlySet<string> = new Set([SCHEMA_KEY, 'canvasSchema', DOCUMENT_MIGRATIONS_KEY])
/** The command name on the restore's transaction origin. */
export const RESTORE_COMMAND = 'restoreSnapshot'

/**
 * Writes `saved` (a document as it was; it is migrated to the current record versions first,
 * so it is changed by this call) into `doc` as one transaction tagged `restoreSnapshot`.
 */
export function restoreFromSnapshot(
  doc: Y.Doc,
  saved: Y.Doc,
  options: { readonly participantId?: string } = {},
): RestoreSummary {
  migrateDocument(saved)
  const counts = { added: 0, changed: 0, removed: 0 }
  writeCommand(
    doc,
    RESTORE_COMMAND,
    options.participantId,
    () => false,
    () => {
      for (const kind of DECLARATIONS as readonly RecordDeclaration[]) {
        if (!('root' in kind.placement)) continue
        restoreRecords(doc.getMap(kind.placement.root), saved.getMap(kind.placement.root), kind, counts)
      }
      const meta = metaMap(doc)
      const savedMeta = plainFields(metaMap(saved))
      for (const key of META_BOOKKEEPING) delete savedMeta[key]
      const cleared = Object.keys(plainFields(meta)).filter(
        (key) => !META_BOOKKEEPING.has(key) && !(key in savedMeta),
      )
      if (differs(meta, savedMeta, cleared)) counts.changed++
      writeFields(meta, savedMeta, cleared)
      // A snapshot saved before links' arrows were derived holds them: they do not come back.
      const savedCanvas = canvasMap(saved)
      restoreValues(canvasMap(doc), savedCanvas, counts, new Set(linkArrowKeys(savedCanvas)))
      restoreNotes(notesMap(doc), notesMap(saved), counts)
    },
  )
  return counts
}

type Counts = { added: number; changed: number; removed: number }

const differs = (map: Y.Map<unknown>, next: Record<string, unknown>, cleared: readonly string[]) =>
  cleared.length > 0 || Object.entries(next).some(([key, value]) => !sameJson(map.get(key), value))

/** Makes a map of records equal the saved one: put back, remove, and set back field by field. */
function restoreRecords(live: AnyMap, saved: AnyMap, kind: RecordDeclaration, counts: Counts): void {
  for (const [id, record] of saved.entries()) {
    if (!(record instanceof Y.Map)) continue
    const current = live.get(id)
    if (current instanceof Y.Map) restoreRecord(current, record, kind, counts)
    else {
      // A copy of the saved map: the saved document's own items belong to that document.
      live.set(id, record.clone())
      counts.added++
    }
  }
  for (const id of [...live.keys()]) {
    if (!(saved.get(id) instanceof Y.Map)) {
      live.delete(id)
      counts.removed++
    }
  }
}

function restoreRecord(live: Y.Map<unknown>, saved: Y.Map<unknown>, kind: RecordDeclaration, counts: Counts) {
  const fields = plainFields(saved)
  const cleared = Object.keys(plainFields(live)).filter((key) => !(key in fields))
  if (differs(live, fields, cleared)) counts.changed++
  writeFields(live, fields, cleared)
  for (const child of nestedKinds(kind.key)) {
    const key = (child.placement as { key: string }).key
    restoreNested(live, saved, key, counts, (into, from) => restoreRecords(into, from, child, counts))
  }
  if (kind.tally)
    restoreNested(live, saved, kind.tally.key, counts, (into, from) => restoreValues(into, from, counts))
}

/** A record's nested map (points, votes): restored in place, or copied when one side lacks it. */
function restoreNested(
  live: Y.Map<unknown>,
  saved: Y.Map<unknown>,
  key: string,
  counts: Counts,
  restore: (into: AnyMap, from: AnyMap) => void,
): void {
  const from = saved.get(key)
  const into = live.get(key)
  if (!(from instanceof Y.Map)) return
  if (into instanceof Y.Map) restore(into, from)
  else {
    live.set(key, from.clone())
    counts.changed++
  }
}

/** Makes a map of plain values (the canvas's records, a tally) equal the saved one, less `omit`. */
function restoreValues(
  live: AnyMap,
  saved: AnyMap,
  counts: Counts,
  omit: ReadonlySet<string> = new Set(),
): void {
  for (const [key, value] of saved.entries()) {
    if (omit.has(key)) continue
    const current = live.get(key)
    if (sameJson(current, value)) continue
    if (current === undefined) counts.added++
    else counts.changed++
    live.set(key, value instanceof Y.AbstractType ? value.clone() : value)
  }
  for (const key of [...live.keys()]) {
    if (!saved.has(key) || omit.has(key)) {
      live.delete(key)
      counts.removed++
    }
  }
}

/** Makes every note's content equal the saved one, editing each fragment in place. */
function restoreNotes(live: Y.Map<Y.XmlFragment>, saved: Y.Map<Y.XmlFragment>, counts: Counts): void {
  for (const [key, fragment] of saved.entries()) {
    if (!(fragment instanceof Y.XmlFragment)) continue
    const current = live.get(key)
    if (!(current instanceof Y.XmlFragment)) {
      live.set(key, fragment.clone())
      counts.added++
      continue
    }
    if (current.toString() === fragment.toString()) continue
    current.delete(0, current.length)
    current.insert(
      0,
      fragment.toArray().map((node) => node.clone() as Y.XmlElement | Y.XmlText),
    )
    counts.changed++
  }
  for (const key of [...live.keys()]) {
    if (!(saved.get(key) instanceof Y.XmlFragment)) {
      live.delete(key)
      counts.removed++
    }
  }
}
