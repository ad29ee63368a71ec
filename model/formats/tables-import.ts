/** Reading a CSV zip (the layout `toCsvZip` writes) back into a dataset. */
import { strFromU8, unzipSync } from 'fflate'
import type { z } from 'zod'
import { DATASET_FORMAT, DATASET_VERSION, type Dataset, validateDataset } from '../dataset-schema.ts'
import { actorKind } from '../records/actor.ts'
import { agendaItemKind } from '../records/agenda-item.ts'
import { emergingModelKind } from '../records/emerging-model.ts'
import { journeyKind, journeyStepKind } from '../records/journey.ts'
import { declaration } from '../records/kinds.ts'
import { linkKind } from '../records/link.ts'
import { type Meta, MetaSchema } from '../records/meta.ts'
import { QuickWinSchema, quickWinKind } from '../records/quick-win.ts'
import type { KindKey, RecordDeclaration } from '../records/record.ts'
import { themeKind, themePointKind } from '../records/theme.ts'
import { err, ok, type Result } from '../result.ts'
import {
  type CsvColumn,
  type CsvRow,
  columnOf,
  isBlankRow,
  MAX_IMPORT_BYTES,
  parseCsv,
  readCsvRecord,
  tooLarge,
} from './csv.ts'
import { datasetFields } from './fields.ts'
import type { ImportIssue } from './format.ts'
import {
  ACTORS,
  AGENDA,
  EMERGING_MODELS,
  FACILITATION,
  FacilitationInDataset,
  JOURNEYS,
  LINKS,
  META,
  POINTS,
  QUICK_WINS,
  STEPS,
  THEMES,
} from './tables-columns.ts'

const TABLES = [
  'meta.csv',
  'actors.csv',
  'links.csv',
  'themes.csv',
  'quick_wins.csv',
  'journeys.csv',
  'emerging_models.csv',
  'agenda.csv',
]
const baseName = (path: string) => (path.split('/').at(-1) ?? path).toLowerCase()
/** A note's key in the zip: "workshop.md", or "actors/<id>.md", wherever the notes folder is. */
const noteName = (path: string): string | undefined => {
  const match = /(?:^|\/)notes\/(workshop\.md|actors\/[^/]+\.md)$/i.exec(path)
  return match?.[1]
}

/** The zip's tables by lower-case file name, wherever in the zip they are (a folder or not). */
function unzipTables(bytes: Uint8Array): Result<Map<string, string>, ImportIssue[]> {
  if (bytes.length > MAX_IMPORT_BYTES) return err([tooLarge(bytes.length)])
  const oversized: ImportIssue[] = []
  const files = new Map<string, string>()
  try {
    // Only the known tables are inflated, and none past the limit: a zip bomb stays packed.
    const entries = unzipSync(bytes, {
      filter: ({ name, originalSize }) => {
        const wanted = TABLES.includes(baseName(name)) || noteName(name) !== undefined
        if (!wanted || name.includes('__MACOSX')) return false
        if (originalSize > MAX_IMPORT_BYTES) oversized.push(tooLarge(originalSize, baseName(name)))
        return originalSize <= MAX_IMPORT_BYTES
      },
    })
    for (const [name, body] of Object.entries(entries)) {
      const key = noteName(name) ?? baseName(name)
      if (!files.has(key)) files.set(key, strFromU8(body))
    }
  } catch {
    return err([{ message: 'this is not a zip file, or it is damaged' }])
  }
  return oversized.length > 0 ? err(oversized) : ok(files)
}

// ---- reading ----------------------------------------------------------------------------

/** The ids read so far, by kind, for references to be checked against. */
type KnownIds = Partial<Record<KindKey, ReadonlySet<string>>>

/**
 * Reports every reference of a record (as its kind declares them) to a record the zip does
 * not have, at the reference's column: "there is no actor a-9".
 */
const referencesOf =
  (kind: RecordDeclaration, columns: readonly CsvColumn[], known: KnownIds, issues: ImportIssue[]) =>
  (record: Record<string, unknown>, row: CsvRow) => {
    for (const reference of kind.references) {
      const ids = known[reference.to]
      if (ids === undefined) continue
      const value = record[reference.field]
      const named = reference.many ? ((value as string[] | undefined) ?? []) : [value]
      for (const id of named) {
        if (typeof id !== 'string' || ids.has(id)) continue
        const message = `there is no ${declaration(reference.to).name} ${id}`
        issues.push({ ...row.where, column: columnOf(columns, reference.field), message })
      }
    }
  }

/** The columns a table cannot do without: those of fields with no default that must be given. */
const requiredColumns = (kind: RecordDeclaration, columns: readonly CsvColumn[]): string[] =>
  datasetFields(kind.fields)
    .filter((field) => !field.schema.safeParse(undefined).success)
    .map((field) => columnOf(columns, field.key))

/** Records one a row, each id once; `check` reports what a record refers to. */
function readRecords<S extends z.ZodType<{ id: string }>>(
  rows: readonly CsvRow[],
  schema: S,
  columns: readonly CsvColumn[],
  issues: ImportIssue[],
  check: (record: z.infer<S>, row: CsvRow) => void = () => {},
): z.infer<S>[] {
  const seen = new Set<string>()
  const records: z.infer<S>[] = []
  for (const row of rows) {
    const record = readCsvRecord(schema, columns, row, issues)
    if (record === undefined) continue
    if (seen.has(record.id)) {
      issues.push({
        ...row.where,
        column: columnOf(columns, 'id'),
        message: `the id ${record.id} is used twice`,
      })
      continue
    }
    seen.add(record.id)
    check(record, row)
    records.push(record)
  }
  return records
}

/**
 * Parents with their children from a table of one row per child (themes and points, journeys
 * and steps). The parent's own cells are read from its first row; a row whose child cells are
 * all empty is a parent without children.
 */
function readNested<P extends z.ZodType<{ id: string }>, C extends z.ZodType<{ id: string }>>(
  rows: readonly CsvRow[],
  parent: { readonly schema: P; readonly columns: readonly CsvColumn[] },
  child: { readonly schema: C; readonly columns: readonly CsvColumn[] },
  issues: ImportIssue[],
  check: {
    parent: (record: z.infer<P>, row: CsvRow) => void
    child: (record: z.infer<C>, row: CsvRow) => void
  },
): { parent: z.infer<P>; children: z.infer<C>[] }[] {
  const idColumn = columnOf(parent.columns, 'id')
  const groups = new Map<string, { parent: z.infer<P> | undefined; children: CsvRow[] }>()
  for (const row of rows) {
    const id = row.cells[idColumn] ?? ''
    if (id === '') {
      issues.push({ ...row.where, column: idColumn, message: `${idColumn} must not be empty` })
      continue
    }
    let group = groups.get(id)
    if (group === undefined) {
      const record = readCsvRecord(parent.schema, parent.columns, row, issues)
      if (record !== undefined) check.parent(record, row)
      group = { parent: record, children: [] }
      groups.set(id, group)
    }
    const hasChild = child.columns.some(
      (column) => 'field' in column && (row.cells[column.name] ?? '') !== '',
    )
    if (hasChild) group.children.push(row)
  }
  return [...groups.values()].flatMap((group) => {
    const children = readRecords(group.children, child.schema, child.columns, issues, check.child)
    return group.parent === undefined ? [] : [{ parent: group.parent, children }]
  })
}

/** meta.csv: the map's own fields and the facilitation's, after checking format and version. */
function readMeta(
  rows: readonly CsvRow[],
  issues: ImportIssue[],
): { meta: Meta; facilitation: Dataset['facilitation'] } {
  const defaults = () => ({
    meta: MetaSchema.parse({}),
    facilitation: FacilitationInDataset.parse({}) as Dataset['facilitation'],
  })
  const [row, extra] = rows
  if (extra) issues.push({ ...extra.where, message: 'meta.csv has one row, about the whole map' })
  if (row === undefined) return defaults()
  const format = row.cells.format ?? ''
  if (format !== '' && format !== DATASET_FORMAT) {
    issues.push({
      ...row.where,
      column: 'format',
      message: `not a ${DATASET_FORMAT} table (format is ${format})`,
    })
  }
  const version = Number(row.cells.version || DATASET_VERSION)
  if (!Number.isInteger(version) || version < 1) {
    issues.push({ ...row.where, column: 'version', message: `"${row.cells.version}" is not a version` })
  } else if (version > DATASET_VERSION) {
    const message = `the tables are version ${version}, newer than this app reads (${DATASET_VERSION}): update the app`
    issues.push({ ...row.where, column: 'version', message })
  }
  const fallback = defaults()
  return {
    meta: readCsvRecord(MetaSchema, META, row, issues) ?? fallback.meta,
    facilitation:
      (readCsvRecord(FacilitationInDataset, FACILITATION, row, issues) as
        | Dataset['facilitation']
        | undefined) ?? fallback.facilitation,
  }
}

/**
 * Reads a zip in the layout `toCsvZip` writes back into a dataset. actors.csv and links.csv
 * are required, the other tables optional. Every row is checked against its record schema and
 * every reference against the records read; all issues are returned, by file, row and column,
 * and no dataset at all when there is one.
 */
export function fromCsvZip(bytes: Uint8Array): Result<Dataset, ImportIssue[]> {
  const unzipped = unzipTables(bytes)
  if (!unzipped.ok) return unzipped
  const issues: ImportIssue[] = []
  const table = (file: string, required: readonly string[], mandatory = false): CsvRow[] => {
    const text = unzipped.value.get(file)
    if (text === undefined) {
      if (mandatory) issues.push({ file, message: `${file} is missing from the zip` })
      return []
    }
    const parsed = parseCsv(text, file)
    if (!parsed.ok) {
      issues.push(...parsed.error)
      return []
    }
    const missing = required.filter((name) => !parsed.value.header.includes(name))
    if (missing.length > 0) {
      const columns = missing.length === 1 ? 'column' : 'columns'
      issues.push({ file, row: 1, message: `${file} is missing the ${columns} ${missing.join(', ')}` })
      return []
    }
    return parsed.value.rows
      .map((cells, index) => ({ cells, where: { file, row: index + 2 } }))
      .filter((row) => !isBlankRow(row.cells))
  }
  const known: { -readonly [K in KindKey]?: ReadonlySet<string> } = {}
  /** The ids in a table's rows, valid or not, so a bad row is reported once, not at each reference. */
  const idsOf = (rows: readonly CsvRow[], columns: readonly CsvColumn[]) =>
    new Set(rows.map((row) => row.cells[columnOf(columns, 'id')] ?? ''))
  const checks = (kind: RecordDeclaration, columns: readonly CsvColumn[]) =>
    referencesOf(kind, columns, known, issues)

  const { meta, facilitation } = readMeta(table('meta.csv', []), issues)
  const actorRows = table('actors.csv', requiredColumns(actorKind, ACTORS), true)
  known.actor = idsOf(actorRows, ACTORS)
  const actors = readRecords(actorRows, actorKind.schema, ACTORS, issues, checks(actorKind, ACTORS))
  const linkReferences = checks(linkKind, LINKS)
  const links = readRecords(
    table('links.csv', requiredColumns(linkKind, LINKS), true),
    linkKind.schema,
    LINKS,
    issues,
    (link, row) => {
      linkReferences(link, row)
      if (link.from === link.to)
        issues.push({
          ...row.where,
          column: columnOf(LINKS, 'to'),
          message: 'a link joins two different actors',
        })
    },
  )
  const themeRows = table('themes.csv', requiredColumns(themeKind, THEMES))
  known.theme = idsOf(themeRows, THEMES)
  const themes = readNested(
    themeRows,
    { schema: themeKind.schema, columns: THEMES },
    { schema: themePointKind.schema, columns: POINTS },
    issues,
    { parent: checks(themeKind, THEMES), child: checks(themePointKind, POINTS) },
  ).map(({ parent, children }) => ({ ...parent, points: children }))
  const quickWins = readRecords(
    table('quick_wins.csv', requiredColumns(quickWinKind, QUICK_WINS)),
    QuickWinSchema,
    QUICK_WINS,
    issues,
    checks(quickWinKind, QUICK_WINS),
  )
  const journeys = readNested(
    table('journeys.csv', requiredColumns(journeyKind, JOURNEYS)),
    { schema: journeyKind.schema, columns: JOURNEYS },
    { schema: journeyStepKind.schema, columns: STEPS },
    issues,
    { parent: checks(journeyKind, JOURNEYS), child: checks(journeyStepKind, STEPS) },
  ).map(({ parent, children }) => ({ ...parent, steps: children }))
  const emergingModels = readRecords(
    table('emerging_models.csv', requiredColumns(emergingModelKind, EMERGING_MODELS)),
    emergingModelKind.schema,
    EMERGING_MODELS,
    issues,
    checks(emergingModelKind, EMERGING_MODELS),
  )
  const agenda = readRecords(
    table('agenda.csv', requiredColumns(agendaItemKind, AGENDA)),
    agendaItemKind.schema,
    AGENDA,
    issues,
    checks(agendaItemKind, AGENDA),
  )
  const actorIds = known.actor
  const actorNotes: Record<string, string> = {}
  for (const [name, markdown] of unzipped.value) {
    const id = /^actors\/(.+)\.md$/i.exec(name)?.[1]
    if (id === undefined) continue
    if (actorIds.has(id)) actorNotes[id] = markdown
    else issues.push({ file: `notes/${name}`, message: `there is no actor ${id} for this description` })
  }
  if (issues.length > 0) return err(issues)

  const valid = validateDataset({
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
    facilitation,
    notes: {
      workshop: unzipped.value.get('workshop.md') ?? '',
      actors: Object.fromEntries(Object.entries(actorNotes).sort(([a], [b]) => (a < b ? -1 : 1))),
    },
  })
  if (valid.ok) return valid
  return err(
    valid.error.map((issue) => ({
      // The dataset's paths start with the collection: quickWins.3.themeId is in quick_wins.csv.
      file: `${(issue.path.split('.')[0] ?? '').replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)}.csv`,
      message: `${issue.path}: ${issue.message}`,
    })),
  )
}
