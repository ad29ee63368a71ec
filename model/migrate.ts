import * as Y from 'yjs'
import {
  actorNoteKey,
  collection,
  metaMap,
  notesMap,
  plainFields,
  SCHEMA_KEY,
  WORKSHOP_NOTES,
  writeFields,
} from './document.ts'
import {
  appliedDocumentMigrations,
  DOCUMENT_MIGRATIONS,
  DOCUMENT_MIGRATIONS_KEY,
} from './document-migrations.ts'
import { recordsOf } from './integrity.ts'
import { storedVersions } from './read.ts'
import { DECLARATIONS, RECORD_KINDS } from './records/kinds.ts'
import type { RecordDeclaration, RecordKind } from './records/record.ts'
import { CommandOrigin } from './workspace.ts'

/** The declaration of the kind stored under `name`: where its records live. */
function placed(name: string): RecordDeclaration {
  const kind = (DECLARATIONS as readonly RecordDeclaration[]).find((candidate) => candidate.name === name)
  if (!kind) throw new Error(`no place in the document for ${name} records`)
  return kind
}

/**
 * Brings every record of an older document up to the versions this code writes, in one
 * transaction, and records the new versions. Run it where a document's stored state is first
 * loaded (the server, before it answers anyone; `fromDataset`), never on a replica that may
 * not have synced yet. Idempotent: a current document is left untouched.
 *
 * It also gives the workshop and every actor a note if they have none: a note made by the one
 * replica that loads the stored state cannot race another replica making the same note (two
 * fragments set at one key concurrently: one of them, and what was typed into it, would lose).
 *
 * It runs the document migrations the document has not had (document-migrations.ts), in the
 * same transaction, and stamps them.
 *
 * Returns how many records of each kind were migrated, and how many records each document
 * migration that changed anything touched (by its id).
 */
export function migrateDocument(
  doc: Y.Doc,
  kinds: readonly RecordKind<never>[] = RECORD_KINDS,
): Record<string, number> {
  const stored = storedVersions(doc)
  const stale = kinds.filter((kind) => (stored[kind.name] ?? 1) < kind.version)
  const migrated: Record<string, number> = {}
  const unstamped = kinds.some((kind) => stored[kind.name] === undefined)
  const notes = missingNotes(doc)
  const applied = appliedDocumentMigrations(metaMap(doc))
  const pending = DOCUMENT_MIGRATIONS.filter((migration) => !applied.includes(migration.id))
  if (stale.length === 0 && !unstamped && notes.length === 0 && pending.length === 0) return migrated
  doc.transact(() => {
    for (const migration of pending) {
      const touched = migration.up(doc)
      if (touched > 0) migrated[migration.id] = touched
    }
    if (pending.length > 0)
      metaMap(doc).set(DOCUMENT_MIGRATIONS_KEY, [...applied, ...pending.map((migration) => migration.id)])
    for (const key of notes) notesMap(doc).set(key, new Y.XmlFragment())
    for (const kind of stale) {
      const from = stored[kind.name] ?? 1
      const steps = kind.migrations.filter((migration) => migration.toVersion > from)
      let count = 0
      for (const { map } of recordsOf(doc, placed(kind.name))) {
        const before = plainFields(map)
        let after = before
        for (const step of steps) after = step.up(after)
        const removed = Object.keys(before).filter((key) => !(key in after))
        writeFields(map, after, removed)
        count += 1
      }
      migrated[kind.name] = count
    }
    const versions = { ...stored }
    for (const kind of kinds) versions[kind.name] = Math.max(versions[kind.name] ?? 1, kind.version)
    metaMap(doc).set(SCHEMA_KEY, versions)
  }, new CommandOrigin('migrateDocument', undefined))
  return migrated
}

/** The notes a document should have and does not: the workshop's, and one per actor. */
export function missingNotes(doc: Y.Doc): string[] {
  const notes = notesMap(doc)
  const keys = [WORKSHOP_NOTES, ...[...collection(doc, 'actors').keys()].map(actorNoteKey)]
  return keys.filter((key) => !(notes.get(key) instanceof Y.XmlFragment))
}
