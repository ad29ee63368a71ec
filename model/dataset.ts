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
import { noteToMarkdown } from './notes.ts'
import { byOrder } from './order.ts'
import type { Problem } from './read.ts'
import { readSnapshot } from './read.ts'
import { type ActorSchema, actorKind } from './records/actor.ts'
import { type AgendaItem, agendaItemKind } from './records/agenda-item.ts'
import { type EmergingModel, emergingModelKind } from './records/emerging-model.ts'
import { facilitationKind } from './records/facilitation.ts'
import { type JourneySchema, journeyKind, journeyStepKind } from './records/journey.ts'
import { type LinkSchema, linkKind } from './records/link.ts'
import { metaKind } from './records/meta.ts'
import { type QuickWinSchema, quickWinKind, VoteCount } from './records/quick-win.ts'
import { FIELD_META_KEYS, type FieldMeta, type RecordKind } from './records/record.ts'
import { type ThemeSchema, themeKind, themePointKind } from './records/theme.ts'
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
 * reported) without sinking the rest, and references are fixed in a second pass: links to
 * missing actors are dropped, steps and points lose references to missing actors.
 */
export function restoreDataset(raw: unknown): Result<{ dataset: Dataset; problems: Problem[] }, string> {
  const migrated = migrateDataset(raw)
  if (!migrated.ok) return migrated
  const input = migrated.value
  const problems: Problem[] = []
  const restoreAll = <T extends { id: string }>(
    kind: RecordKind<never>,
    value: unknown,
    nested?: (record: T, raw: Record<string, unknown>) => T,
  ): T[] => {
    if (!Array.isArray(value)) return []
    const seen = new Set<string>()
    const records: T[] = []
    for (const item of value) {
      const restored = kind.restore(item)
      if (!restored.ok) {
        problems.push(restored.error)
        continue
      }
      const record = restored.value as T
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
      records.push(nested ? nested(record, item as Record<string, unknown>) : record)
    }
    return records
  }
  const byId = <T extends { id: string }>(records: T[]) =>
    records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

  const metaRestored = metaKind.restore(input.meta ?? {})
  const meta = metaRestored.ok ? metaRestored.value : metaKind.schema.parse({})
  const actors = byId(restoreAll<z.infer<typeof ActorSchema>>(actorKind as unknown as RecordKind<never>, input.actors))
  const actorIds = new Set(actors.map((actor) => actor.id))
  const links = byId(
    restoreAll<z.infer<typeof LinkSchema>>(linkKind as unknown as RecordKind<never>, input.links),
  ).filter((link) => {
    const fine = actorIds.has(link.from) && actorIds.has(link.to) && link.from !== link.to
    if (!fine)
      problems.push({
        kind: 'link',
        id: link.id,
        message: `link ${link.id} left out: its actors are not both on the map`,
      })
    return fine
  })
  const themes = restoreAll<z.infer<typeof ThemeSchema>>(
    themeKind as unknown as RecordKind<never>,
    input.themes,
    (theme, raw) => ({
      ...theme,
      points: restoreAll<z.infer<typeof ThemeSchema>['points'][number]>(
        themePointKind as unknown as RecordKind<never>,
        raw.points,
      )
        .map((point) => ({ ...point, actorIds: point.actorIds.filter((id) => actorIds.has(id)) }))
        .sort(byOrder),
    }),
  ).sort(byOrder)
  const themeIds = new Set(themes.map((theme) => theme.id))
  const quickWins = byId(
    restoreAll<z.infer<typeof QuickWinSchema>>(
      quickWinKind as unknown as RecordKind<never>,
      input.quickWins,
      (quickWin, raw) => {
        const { themeId, ...rest } = quickWin
        return {
          ...rest,
          ...(themeId !== undefined && themeIds.has(themeId) ? { themeId } : {}),
          votes: restoreVotes(raw.votes),
        }
      },
    ),
  )
  const journeys = byId(
    restoreAll<z.infer<typeof JourneySchema>>(
      journeyKind as unknown as RecordKind<never>,
      input.journeys,
      (journey, raw) => ({
        ...journey,
        steps: restoreAll<z.infer<typeof JourneySchema>['steps'][number]>(
          journeyStepKind as unknown as RecordKind<never>,
          raw.steps,
        )
          .map((step) => {
            if (step.actorId === undefined || actorIds.has(step.actorId)) return step
            const { actorId: _missing, ...rest } = step
            return rest
          })
          .sort(byOrder),
      }),
    ),
  )
  const emergingModels = byId(
    restoreAll<EmergingModel>(emergingModelKind as unknown as RecordKind<never>, input.emergingModels),
  ).map((model) => {
    if (model.themeId === undefined || themeIds.has(model.themeId)) return model
    const { themeId: _missing, ...rest } = model
    return rest
  })
  const agenda = restoreAll<AgendaItem>(agendaItemKind as unknown as RecordKind<never>, input.agenda).sort(byOrder)
  const steering = facilitationKind.restore(input.facilitation ?? {})
  const voteBudget = steering.ok ? steering.value.voteBudget : facilitationKind.schema.parse({}).voteBudget
  const notesRead = NotesSchema.safeParse(input.notes ?? {})
  if (!notesRead.success)
    problems.push({ kind: 'notes', message: 'the notes could not be read and were left out' })
  const notesIn = notesRead.success ? notesRead.data : { workshop: '', actors: {} }
  const notes: Notes = {
    workshop: notesIn.workshop,
    actors: Object.fromEntries(
      Object.entries(notesIn.actors)
        .filter(([id]) => actorIds.has(id))
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  }
  const dataset: Dataset = {
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    meta,
    actors,
    links,
    themes,
    quickWins,
    journeys,
    emergingModels,
    agenda,
    facilitation: { voteBudget },
    notes,
  }
  return ok({ dataset, problems })
}

function restoreVotes(raw: unknown): Record<string, number> {
  const votes: Record<string, number> = {}
  if (typeof raw !== 'object' || raw === null) return votes
  for (const [participant, count] of Object.entries(raw).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (Id.safeParse(participant).success && VoteCount.safeParse(count).success && count > 0)
      votes[participant] = count
  }
  return votes
}
