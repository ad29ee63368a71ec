import * as Y from 'yjs'
import type { CommandContext } from './collection.ts'
import { type Dataset, datasetOf, validateDataset } from './dataset-schema.ts'
import { actorNoteKey, newRecordMap, notesMap, WORKSHOP_NOTES, writeFields } from './document.ts'
import { WorkspaceError } from './errors.ts'
import { type MatchBy, type MergeSummary, planMerge, summarise } from './merge.ts'
import { writeMarkdownNote } from './notes.ts'
import type { WorkspaceSnapshot } from './read.ts'
import { DECLARATIONS, declaration, nestedKinds } from './records/kinds.ts'
import { AUTHOR_FIELD, type KindKey, type RecordDeclaration } from './records/record.ts'

/**
 * Whole datasets into a workspace: `load` fills an empty one, `importDataset` merges one in.
 * Both check the whole result first and write in one transaction: all or nothing.
 */

const ROOT_KINDS = (DECLARATIONS as readonly RecordDeclaration[]).filter((kind) => 'root' in kind.placement)
const rootName = (kind: RecordDeclaration) => (kind.placement as { root: string }).root

/** Records by top-level name, as a dataset lists them (nested records inside their parents). */
type Records = Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>

/** A record as a map, its nested records and its tally as maps of their own. */
function recordMap(kind: RecordDeclaration, record: Readonly<Record<string, unknown>>): Y.Map<unknown> {
  const nested = nestedKinds(kind.key)
  const inner = new Set([...nested.map((child) => (child.placement as { key: string }).key), kind.tally?.key])
  const map = newRecordMap(Object.fromEntries(Object.entries(record).filter(([key]) => !inner.has(key))))
  for (const child of nested) {
    const key = (child.placement as { key: string }).key
    const items = new Y.Map<unknown>()
    for (const item of (record[key] as Record<string, unknown>[] | undefined) ?? []) {
      items.set(item.id as string, recordMap(child, item))
    }
    map.set(key, items)
  }
  if (kind.tally) {
    const tally = new Y.Map<unknown>()
    for (const [who, count] of Object.entries((record[kind.tally.key] as Record<string, number>) ?? {})) {
      tally.set(who, count)
    }
    map.set(kind.tally.key, tally)
  }
  return map
}

/**
 * What an import adds, as added by the person importing: an authored record (and its nested
 * authored records) takes their author id, since an invite id from another workspace names
 * nobody here; and unless `keepVotes`, added quick wins come without their dots, which were
 * cast by other people (a participant may place only their own, so the server would refuse the
 * whole import). A facilitator's import keeps the dots.
 */
function asImported(
  kind: RecordDeclaration,
  record: Readonly<Record<string, unknown>>,
  authorId: string,
  keepVotes: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...record }
  if (kind.authored) out[AUTHOR_FIELD] = authorId
  if (kind.tally && !keepVotes) out[kind.tally.key] = {}
  for (const child of nestedKinds(kind.key)) {
    const key = (child.placement as { key: string }).key
    const items = record[key] as Readonly<Record<string, unknown>>[] | undefined
    if (items) out[key] = items.map((item) => asImported(child, item, authorId, keepVotes))
  }
  return out
}

/** Inserts whole records of every kind (inside a command's transaction). */
function putRecords(doc: Y.Doc, records: Records): void {
  for (const kind of ROOT_KINDS) {
    const holder = doc.getMap(rootName(kind))
    for (const record of records[rootName(kind)] ?? [])
      holder.set(record.id as string, recordMap(kind, record))
  }
}

/** Gives each actor its description note, from Markdown where there is some. */
function putActorNotes(
  doc: Y.Doc,
  actorIds: readonly string[],
  markdown: Readonly<Record<string, string>>,
): void {
  for (const id of actorIds) {
    const note = new Y.XmlFragment()
    notesMap(doc).set(actorNoteKey(id), note)
    const text = markdown[id]
    if (text) writeMarkdownNote(note, text)
  }
}

function datasetError(command: string, issues: readonly { path: string; message: string }[]): WorkspaceError {
  const summary = issues
    .slice(0, 5)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ')
  return new WorkspaceError(
    'invalid-input',
    command,
    `${summary}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`,
    issues,
  )
}

/**
 * Fills an empty document with a dataset, in one transaction. The dataset is checked whole
 * (shape and references) first. A document that already holds records is refused: merging
 * into a live map is an import's job, and rebuilding one from JSON would duplicate content
 * for every replica that still holds its CRDT history.
 */
export function loadDataset(ctx: CommandContext, dataset: Dataset): void {
  const valid = validateDataset(dataset)
  if (!valid.ok) throw datasetError('load', valid.error)
  if (ROOT_KINDS.some((kind) => ctx.doc.getMap(rootName(kind)).size > 0)) {
    throw new WorkspaceError('invalid-reference', 'load', 'the workspace is not empty')
  }
  const data = valid.value
  ctx.write('load', () => {
    writeFields(ctx.doc.getMap('meta'), data.meta)
    writeFields(ctx.doc.getMap('facilitation'), data.facilitation)
    putRecords(ctx.doc, data as unknown as Records)
    const workshop = new Y.XmlFragment()
    notesMap(ctx.doc).set(WORKSHOP_NOTES, workshop)
    writeMarkdownNote(workshop, data.notes.workshop)
    putActorNotes(
      ctx.doc,
      data.actors.map((actor) => actor.id),
      data.notes.actors,
    )
  })
}

/** How an import is merged: see `planMerge` for matching, `asImported` for votes. */
export interface ImportOptions {
  readonly matchBy: MatchBy
  /** Keep the dots of imported quick wins (a facilitator's import); dropped otherwise. */
  readonly keepVotes?: boolean
}

/**
 * Merges a dataset (an import) into a workspace, all or nothing: the plan is made and the
 * merged result checked whole before one transaction writes it. See `planMerge` for how
 * records are matched. Returns what was added and updated, and where incoming actors went.
 */
export function importDataset(
  ctx: CommandContext,
  snapshot: WorkspaceSnapshot,
  incoming: Dataset,
  options: ImportOptions,
): MergeSummary & { actorIds: ReadonlyMap<string, string> } {
  const valid = validateDataset(incoming)
  if (!valid.ok) throw datasetError('importDataset', valid.error)
  const planned = planMerge(snapshot, valid.value, options.matchBy)
  const added = <T>(key: KindKey, records: readonly T[]): T[] =>
    records.map(
      (record) =>
        asImported(
          declaration(key),
          record as Record<string, unknown>,
          ctx.authorId ?? '',
          options.keepVotes ?? false,
        ) as T,
    )
  const plan = {
    ...planned,
    addThemes: added('theme', planned.addThemes),
    addQuickWins: added('quickWin', planned.addQuickWins),
    addJourneys: added('journey', planned.addJourneys),
    addEmergingModels: added('emergingModel', planned.addEmergingModels),
  }
  const updatesFor = <T extends { id: string }>(
    records: readonly T[],
    updates: { id: string; fields: Partial<T> }[],
  ) => {
    const byId = new Map(updates.map((update) => [update.id, update.fields]))
    return records.map((record) => ({ ...record, ...byId.get(record.id) }))
  }
  const merged = {
    ...datasetOf(snapshot),
    actors: [...updatesFor(snapshot.actors, plan.updateActors), ...plan.addActors],
    links: [...updatesFor(snapshot.links, plan.updateLinks), ...plan.addLinks],
    themes: [...snapshot.themes, ...plan.addThemes],
    quickWins: [...snapshot.quickWins, ...plan.addQuickWins],
    journeys: [...snapshot.journeys, ...plan.addJourneys],
    emergingModels: [...snapshot.emergingModels, ...plan.addEmergingModels],
  }
  const check = validateDataset(merged)
  if (!check.ok) throw datasetError('importDataset', check.error)
  ctx.write('importDataset', () => {
    for (const [root, updates] of [
      ['actors', plan.updateActors],
      ['links', plan.updateLinks],
    ] as const) {
      for (const { id, fields } of updates) {
        const map = ctx.doc.getMap(root).get(id)
        if (map instanceof Y.Map) writeFields(map, fields)
      }
    }
    putRecords(ctx.doc, {
      actors: plan.addActors,
      links: plan.addLinks,
      themes: plan.addThemes,
      quickWins: plan.addQuickWins,
      journeys: plan.addJourneys,
      emergingModels: plan.addEmergingModels,
    } as unknown as Records)
    putActorNotes(
      ctx.doc,
      plan.addActors.map((actor) => actor.id),
      plan.addActorNotes,
    )
  })
  return { ...summarise(plan), actorIds: plan.actorIds }
}
