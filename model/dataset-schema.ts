import { z } from 'zod'
import { referenceIssues } from './integrity.ts'
import type { WorkspaceSnapshot } from './read.ts'
import { ActorSchema } from './records/actor.ts'
import { AgendaItemSchema } from './records/agenda-item.ts'
import { EmergingModelSchema } from './records/emerging-model.ts'
import { FacilitationSchema } from './records/facilitation.ts'
import { JourneySchema } from './records/journey.ts'
import { LinkSchema } from './records/link.ts'
import { MetaSchema } from './records/meta.ts'
import { QuickWinSchema } from './records/quick-win.ts'
import { ThemeSchema } from './records/theme.ts'
import { err, ok, type Result } from './result.ts'

export const DATASET_FORMAT = 'community-network-map'
/** Rises by one whenever the dataset's shape changes; older datasets are migrated on read. */
export const DATASET_VERSION = 2

/** The notes as Markdown: the workshop's, and each actor's description that has any text. */
export const NotesSchema = z.object({
  workshop: z.string().max(1_000_000).default(''),
  actors: z.record(z.string(), z.string().max(200_000)).default({}),
})
export type Notes = z.infer<typeof NotesSchema>

/**
 * A workspace as plain, canonical JSON: everything but the canvas layout and presence.
 * Canonical: records sorted by id (themes, points and steps by their order), so the same
 * document always gives the same bytes.
 */
export const DatasetSchema = z.object({
  format: z.literal(DATASET_FORMAT),
  version: z.literal(DATASET_VERSION),
  meta: MetaSchema,
  actors: z.array(ActorSchema),
  links: z.array(LinkSchema),
  themes: z.array(ThemeSchema),
  quickWins: z.array(QuickWinSchema),
  journeys: z.array(JourneySchema),
  // Added in version 2; defaults let other tools' files (and the format readers) leave them out.
  emergingModels: z.array(EmergingModelSchema).default([]),
  agenda: z.array(AgendaItemSchema).default([]),
  facilitation: FacilitationSchema.pick({ voteBudget: true }).default({ voteBudget: 5 }),
  notes: NotesSchema.default({ workshop: '', actors: {} }),
})
export type Dataset = z.infer<typeof DatasetSchema>

/** A snapshot (and the notes, read apart) as a dataset, with the format's name and version. */
export function datasetOf(
  snapshot: Omit<WorkspaceSnapshot, 'problems'>,
  notes: Notes = { workshop: '', actors: {} },
): Dataset {
  return {
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    meta: snapshot.meta,
    actors: [...snapshot.actors],
    links: [...snapshot.links],
    themes: [...snapshot.themes],
    quickWins: [...snapshot.quickWins],
    journeys: [...snapshot.journeys],
    emergingModels: [...snapshot.emergingModels],
    agenda: [...snapshot.agenda],
    facilitation: { voteBudget: snapshot.facilitation.voteBudget },
    notes,
  }
}

/** What is wrong with a dataset, field by field. */
export interface DatasetIssue {
  readonly path: string
  readonly message: string
}

/**
 * Checks a dataset strictly: its shape, unique ids, and that every reference names a record
 * that is there. All issues are reported, not only the first.
 */
export function validateDataset(raw: unknown): Result<Dataset, DatasetIssue[]> {
  const migrated = migrateDataset(raw)
  if (!migrated.ok) return err([{ path: '', message: migrated.error }])
  const parsed = DatasetSchema.safeParse(migrated.value)
  if (!parsed.success) {
    return err(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })))
  }
  const issues = referenceIssues(parsed.data)
  return issues.length > 0 ? err(issues) : ok(parsed.data)
}

/**
 * Dataset migrations, append-only: entry i turns a version i+1 dataset into version i+2.
 */
const DATASET_MIGRATIONS: readonly ((dataset: Record<string, unknown>) => Record<string, unknown>)[] = [
  // 2: the workshop's emerging models, agenda, vote budget and notes.
  (dataset) => ({
    ...dataset,
    emergingModels: [],
    agenda: [],
    facilitation: { voteBudget: 5 },
    notes: { workshop: '', actors: {} },
  }),
]

/** Checks that `raw` is a dataset of this format and brings an older version up to date. */
export function migrateDataset(raw: unknown): Result<Record<string, unknown>, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return err('a dataset is a JSON object')
  const dataset = raw as Record<string, unknown>
  if (dataset.format !== DATASET_FORMAT)
    return err(`not a ${DATASET_FORMAT} dataset (format is ${String(dataset.format)})`)
  const version = dataset.version
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return err('the dataset has no valid version')
  }
  if (version > DATASET_VERSION) {
    return err(
      `the dataset is version ${version}, newer than this app reads (${DATASET_VERSION}): update the app`,
    )
  }
  let current = dataset
  for (const migration of DATASET_MIGRATIONS.slice(version - 1)) current = migration(current)
  return ok({ ...current, version: DATASET_VERSION })
}
