import * as Y from 'yjs'
import { z } from 'zod'
import {
  DATASET_FORMAT,
  DATASET_VERSION,
  type Dataset,
  type DatasetIssue,
  DatasetSchema,
  datasetOf,
  migrateDataset,
  type Notes,
  NotesSchema,
  validateDataset,
} from './dataset-schema.ts'
import { actorNoteKey, notesMap, WORKSHOP_NOTES } from './document.ts'
import { Id } from './ids.ts'
import { type Problem, repairTree } from './integrity.ts'
import { noteToMarkdown } from './notes.ts'
import { readSnapshot, sortAsDeclared, type WorkspaceSnapshot } from './read.ts'
import { DECLARATIONS, nestedKinds } from './records/kinds.ts'
import { VoteCount } from './records/quick-win.ts'
import { FIELD_META_KEYS, type FieldMeta, type RecordDeclaration } from './records/record.ts'
import { ok, type Result } from './result.ts'
import { Workspace } from './workspace.ts'

/** The dataset of a document: a pure function of it. */
export function toDataset(doc: Y.Doc): Dataset {
  const snapshot = readSnapshot(doc)
  return datasetOf(snapshot, readNotes(doc, new Set(snapshot.actors.map((actor) => actor.id))))
}

/**
 * The notes as Markdown: the workshop's, and the description of each actor on the map that has
 * any text (sorted by actor id, so the dataset stays canonical).
 */
export function readNotes(doc: Y.Doc, actorIds: ReadonlySet<string>): Notes {
  const notes = notesMap(doc)
  const workshop = notes.get(WORKSHOP_NOTES)
  const actors: Record<string, string> = {}
  for (const id of [...actorIds].sort()) {
    const note = notes.get(actorNoteKey(id))
    if (!(note instanceof Y.XmlFragment)) continue
    const markdown = noteToMarkdown(note)
    if (markdown.trim() !== '') actors[id] = markdown
  }
  return { workshop: workshop instanceof Y.XmlFragment ? noteToMarkdown(workshop) : '', actors }
}

/** The JSON Schema of the dataset, generated from the zod schema (kept in the repo). */
export function datasetJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(DatasetSchema, { target: 'draft-2020-12', override: standardKeywords }),
    $id: `https://schemas.example.invalid/${DATASET_FORMAT}/v${DATASET_VERSION}.json`,
    title: 'Community network map dataset',
    description:
      'A workspace of a collaborative neighbourhood network map: actors, links between them, workshop themes, quick wins, resident journeys, emerging models, the agenda and the notes.',
  }
}

/**
 * Field metadata (`described`) is for this code; the published schema keeps its label and help
 * as the standard `title` and `description`, so that strict validators accept the schema.
 */
function standardKeywords(context: { jsonSchema: Record<string, unknown> }): void {
  const schema = context.jsonSchema
  const meta = schema as Partial<FieldMeta> & Record<string, unknown>
  if (typeof meta.label === 'string') schema.title = meta.label
  if (typeof meta.help === 'string') schema.description = meta.help
  for (const key of FIELD_META_KEYS) delete schema[key]
}

/**
 * A new document holding a dataset: the inverse of `toDataset`. Refuses (returning every
 * issue) rather than loading part of a dataset.
 */
export function fromDataset(raw: unknown): Result<Y.Doc, DatasetIssue[]> {
  const valid = validateDataset(raw)
  if (!valid.ok) return valid
  const doc = new Y.Doc()
  new Workspace(doc).load(valid.value)
  return ok(doc)
}

/**
 * Reads a dataset leniently, the way old files and other tools' exports need: every record is
 * repaired field by field with defaults, a record that cannot be repaired is left out (and
 * reported) without sinking the rest, and references are fixed in a second pass by the same
 * rules readers of a document follow (`repairTree`): links to missing actors are dropped, steps
 * and points lose references to missing actors.
 */
export function restoreDataset(raw: unknown): Result<{ dataset: Dataset; problems: Problem[] }, string> {
  const migrated = migrateDataset(raw)
  if (!migrated.ok) return migrated
  const input = migrated.value
  const problems: Problem[] = []
  const restoreList = (kind: RecordDeclaration, value: unknown): Record<string, unknown>[] => {
    if (!Array.isArray(value)) return []
    const seen = new Set<string>()
    const records: (Record<string, unknown> & { id: string })[] = []
    for (const item of value) {
      const restored = kind.restore(item)
      if (!restored.ok) {
        problems.push(restored.error)
        continue
      }
      const record = restored.value as Record<string, unknown> & { id: string }
      if (restored.repaired.length > 0) {
        problems.push({ kind: kind.name, id: record.id, message: `repaired ${restored.repaired.join(', ')}` })
      }
      if (seen.has(record.id)) {
        problems.push({
          kind: kind.name,
          id: record.id,
          message: `duplicate ${kind.name} ${record.id} left out`,
        })
        continue
      }
      seen.add(record.id)
      for (const child of nestedKinds(kind.key)) {
        const key = (child.placement as { key: string }).key
        record[key] = restoreList(child, (item as Record<string, unknown>)[key])
      }
      if (kind.tally) record[kind.tally.key] = restoreTally((item as Record<string, unknown>)[kind.tally.key])
      records.push(record)
    }
    return sortAsDeclared(kind, records)
  }
  const tree: Record<string, unknown> = {}
  for (const kind of DECLARATIONS as readonly RecordDeclaration[]) {
    const placement = kind.placement
    if ('root' in placement) tree[placement.root] = restoreList(kind, input[placement.root])
    else if ('singleton' in placement) {
      const restored = kind.restore(input[placement.singleton] ?? {})
      tree[placement.singleton] = restored.ok ? restored.value : kind.schema.parse({})
    }
  }
  const notesRead = NotesSchema.safeParse(input.notes ?? {})
  if (!notesRead.success)
    problems.push({ kind: 'notes', message: 'the notes could not be read and were left out' })
  const notesIn = notesRead.success ? notesRead.data : { workshop: '', actors: {} }
  tree.notes = {
    workshop: notesIn.workshop,
    actors: Object.fromEntries(Object.entries(notesIn.actors).sort(([a], [b]) => (a < b ? -1 : 1))),
  }
  const repaired = repairTree(tree, problems) as unknown as Omit<WorkspaceSnapshot, 'problems'> & {
    notes: Notes
  }
  return ok({ dataset: datasetOf(repaired, repaired.notes), problems })
}

function restoreTally(raw: unknown): Record<string, number> {
  const votes: Record<string, number> = {}
  if (typeof raw !== 'object' || raw === null) return votes
  for (const [participant, count] of Object.entries(raw).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (Id.safeParse(participant).success && VoteCount.safeParse(count).success && count > 0)
      votes[participant] = count
  }
  return votes
}
