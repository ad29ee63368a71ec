import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import type { z } from 'zod'
import { analyse } from '../analysis.ts'
import { DATASET_FORMAT, DATASET_VERSION, type Dataset, validateDataset } from '../dataset-schema.ts'
import { ActorSchema } from '../records/actor.ts'
import { AgendaItemSchema } from '../records/agenda-item.ts'
import { EmergingModelSchema } from '../records/emerging-model.ts'
import { FacilitationSchema } from '../records/facilitation.ts'
import { JourneyFieldsSchema, JourneyStepSchema } from '../records/journey.ts'
import { LinkSchema } from '../records/link.ts'
import { type Meta, MetaSchema } from '../records/meta.ts'
import { QuickWinSchema, totalVotes } from '../records/quick-win.ts'
import { ThemeFieldsSchema, ThemePointSchema } from '../records/theme.ts'
import { err, ok, type Result } from '../result.ts'
import {
  type CsvCodec,
  type CsvColumn,
  type CsvRecord,
  type CsvRow,
  columnOf,
  csvCells,
  csvColumns,
  csvHeader,
  isBlankRow,
  MAX_IMPORT_BYTES,
  parseCsv,
  readCsvRecord,
  splitList,
  toCsv,
  tooLarge,
} from './csv.ts'
import { type ExportFile, fileStem, type ImportIssue } from './format.ts'
import { type ExportOptions, prepareForExport } from './privacy.ts'

const votes: CsvCodec = {
  write: (value) =>
    Object.entries(value as Record<string, number>)
      .map(([participant, count]) => `${participant}:${count}`)
      .join('; '),
  read: (cell) => {
    const entries: [string, number][] = []
    for (const item of splitList(cell)) {
      const match = /^(.+?)\s*:\s*(\d+)$/.exec(item)
      if (match?.[1] === undefined) return { error: `"${item}" is not participant:count` }
      if (entries.some(([participant]) => participant === match[1]))
        return { error: `${match[1]} is named twice` }
      entries.push([match[1], Number(match[2])])
    }
    return { value: Object.fromEntries(entries) }
  },
  empty: () => ({}),
}

const nameOf = (key: string) => (record: CsvRecord, names: ReadonlyMap<string, string>) =>
  names.get(record[key] as string)

const ACTORS = csvColumns(`id kind name description domains:list area reach website contact tags:list
  charity_number company_number`)
const LINKS = csvColumns(
  `id from from_name to to_name kind direction label strength:number amount:number currency
  period_start period_end purpose notes`,
  { derived: { from_name: nameOf('from'), to_name: nameOf('to') } },
)
const THEMES = csvColumns('theme_id theme_title colour theme_order', { prefix: 'theme_' })
const POINTS = csvColumns('point_id point_text point_actor_ids:list point_author point_order', {
  prefix: 'point_',
})
const QUICK_WINS = csvColumns('id text owner status theme_id votes_total votes:votes', {
  derived: { votes_total: (record) => totalVotes(record as { votes: Record<string, number> }) },
  codecs: { votes },
})
const JOURNEYS = csvColumns('journey_id title resident summary consent:boolean exportable:boolean', {
  prefix: 'journey_',
})
const STEPS = csvColumns(
  'step_id step_order actor_id actor_name place happened passed_on:boolean fell_through:boolean feeling',
  { prefix: 'step_', derived: { actor_name: nameOf('actorId') } },
)
const EMERGING_MODELS = csvColumns('id name where why link theme_id')
const AGENDA = csvColumns('id order title minutes:number')
const META = csvColumns(
  'title area start_date end_date facilitator description vote_budget:number format version',
  {
    derived: { format: () => DATASET_FORMAT, version: () => DATASET_VERSION },
  },
)
const VoteBudget = FacilitationSchema.shape.voteBudget

/** Notes travel as Markdown files beside the tables. */
const WORKSHOP_NOTE_FILE = 'notes/workshop.md'
const ACTOR_NOTES_FOLDER = 'notes/actors/'

const README = `Network map: spreadsheet tables

Each .csv file is one table in UTF-8, with a header row. A list in one cell is separated by
"; ". An empty cell means "not given". A cell starting with ' and then = + - or @ had the '
added so that spreadsheets do not run it as a formula; importing removes it again.

meta.csv        One row about the whole map: title, area, dates, facilitator, description,
                the vote budget, and the format and version of these tables.
actors.csv      One row per actor (organisation, statutory service, resident group, funder,
                network, space or role): its kind, domains, area, reach, website, contact,
                tags, and charity and company numbers.
links.csv       One row per link: from and to are actor ids (names shown beside them), the
                kind (referral, funding, partnership, ...), directed or mutual, a strength
                from 1 (weak) to 5 (strong), and for funding the amount, currency and period.
themes.csv      One row per point made under a theme, the theme repeated on each row; a theme
                without points has one row with empty point columns.
quick_wins.csv  One row per quick win: action, owner, status, the theme it came from, and the
                votes as participant:count (votes_total adds them up). meta.csv's vote_budget
                is how many dots each participant had.
emerging_models.csv  One row per example of good practice elsewhere: name, where, why it
                matters, a link, and the theme it answers.
agenda.csv      The workshop's agenda in order, with the minutes planned for each item.
notes/          The workshop's notes (workshop.md) and each actor's description
                (actors/<actor id>.md) in Markdown. A mention of an actor is written
                [@Name](actor:<actor id>).
journeys.csv    One row per step of a resident's journey, the journey repeated on each row.
                Only journeys the resident agreed to share are here. A step names an actor
                or a place, what happened, if they were passed on or fell through, how it felt.
measures.csv    One row per actor with network measures worked out from the links (not read
                back on import): degree (ties other than disconnects), in and out, weighted by
                strength, betweenness from 0 to 1 (how much it brokers between others), its
                community, isolated, and funding in and out in GBP.

The order columns are sort keys: sort by them as text. To import changes, keep the file and
column names, and zip the files again.
`

/**
 * The dataset as a zip of CSV tables (actors, links, themes, quick wins, journeys, meta) with
 * a README.txt explaining them. Starts from `prepareForExport`, so journeys without consent
 * are never in it and `redactPersonal` empties personal fields. `fromCsvZip` reads it back.
 */
export function toCsvZip(dataset: Dataset, options: ExportOptions = {}): ExportFile {
  const data = prepareForExport(dataset, options)
  const names = new Map(data.actors.map((actor) => [actor.id, actor.name]))
  const flat = (columns: readonly CsvColumn[], records: readonly CsvRecord[]) =>
    toCsv(
      csvHeader(columns),
      records.map((record) => csvCells(columns, record, names)),
    )
  const nested = (
    parentColumns: readonly CsvColumn[],
    childColumns: readonly CsvColumn[],
    parents: readonly CsvRecord[],
    key: string,
  ) =>
    toCsv(
      csvHeader(parentColumns, childColumns),
      parents.flatMap((parent) => {
        const children = parent[key] as CsvRecord[]
        return (children.length > 0 ? children : [undefined]).map((child) => [
          ...csvCells(parentColumns, parent, names),
          ...csvCells(childColumns, child, names),
        ])
      }),
    )
  const files: Record<string, string> = {
    'README.txt': README.replaceAll('\n', '\r\n'),
    'meta.csv': flat(META, [{ ...data.meta, voteBudget: data.facilitation.voteBudget }]),
    'actors.csv': flat(ACTORS, data.actors),
    'links.csv': flat(LINKS, data.links),
    'themes.csv': nested(THEMES, POINTS, data.themes, 'points'),
    'quick_wins.csv': flat(QUICK_WINS, data.quickWins),
    'journeys.csv': nested(JOURNEYS, STEPS, data.journeys, 'steps'),
    'emerging_models.csv': flat(EMERGING_MODELS, data.emergingModels),
    'agenda.csv': flat(AGENDA, data.agenda),
    'measures.csv': measuresTable(data),
    ...(data.notes.workshop ? { [WORKSHOP_NOTE_FILE]: data.notes.workshop } : {}),
    ...Object.fromEntries(
      Object.entries(data.notes.actors).map(([id, markdown]) => [`${ACTOR_NOTES_FOLDER}${id}.md`, markdown]),
    ),
  }
  return {
    filename: `${fileStem(data.meta.title)}-csv.zip`,
    mediaType: 'application/zip',
    body: zipSync(Object.fromEntries(Object.entries(files).map(([name, body]) => [name, strToU8(body)]))),
  }
}

/** One row per actor with its network measures (written, never read back: they are derived). */
function measuresTable(data: Dataset): string {
  const { actors } = analyse(data)
  return toCsv(
    [
      'actor_id',
      'name',
      'degree',
      'in_degree',
      'out_degree',
      'weighted_degree',
      'disconnects',
      'betweenness',
      'community',
      'isolated',
      'funding_in_gbp',
      'funding_out_gbp',
      'depends_on_one_funder',
    ],
    data.actors.map((actor) => {
      const m = actors[actor.id]
      return [
        actor.id,
        actor.name,
        m?.degree,
        m?.inDegree,
        m?.outDegree,
        m?.weightedDegree,
        m?.disconnects,
        m?.betweenness,
        m?.community,
        m?.isolated,
        m?.fundingIn,
        m?.fundingOut,
        m?.dependsOnOneFunder,
      ]
    }),
  )
}

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
  check: (record: z.infer<C>, row: CsvRow) => void,
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
      group = { parent: readCsvRecord(parent.schema, parent.columns, row, issues), children: [] }
      groups.set(id, group)
    }
    const hasChild = child.columns.some(
      (column) => 'field' in column && (row.cells[column.name] ?? '') !== '',
    )
    if (hasChild) group.children.push(row)
  }
  return [...groups.values()].flatMap((group) => {
    const children = readRecords(group.children, child.schema, child.columns, issues, check)
    return group.parent === undefined ? [] : [{ parent: group.parent, children }]
  })
}

function readMeta(rows: readonly CsvRow[], issues: ImportIssue[]): Meta {
  const [row, extra] = rows
  if (extra) issues.push({ ...extra.where, message: 'meta.csv has one row, about the whole map' })
  if (row === undefined) return MetaSchema.parse({})
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
  return readCsvRecord(MetaSchema, META, row, issues) ?? MetaSchema.parse({})
}

/** meta.csv's vote budget, or the default where it is empty. */
function readVoteBudget(rows: readonly CsvRow[], issues: ImportIssue[]): number {
  const row = rows[0]
  const cell = row?.cells.vote_budget ?? ''
  if (row === undefined || cell === '') return VoteBudget.parse(undefined)
  const parsed = VoteBudget.safeParse(Number(cell))
  if (parsed.success) return parsed.data
  issues.push({
    ...row.where,
    column: 'vote_budget',
    message: `"${cell}" is not a number of dots from 1 to 100`,
  })
  return VoteBudget.parse(undefined)
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
  const refer = (
    ids: ReadonlySet<string>,
    what: string,
    row: CsvRow,
    column: string,
    id: string | undefined,
  ) => {
    if (id !== undefined && !ids.has(id))
      issues.push({ ...row.where, column, message: `there is no ${what} ${id}` })
  }

  const metaRows = table('meta.csv', [])
  const meta = readMeta(metaRows, issues)
  const voteBudget = readVoteBudget(metaRows, issues)
  const actorRows = table('actors.csv', ['id', 'kind', 'name'], true)
  const actors = readRecords(actorRows, ActorSchema, ACTORS, issues)
  // References are checked against every row, so a bad actor row is reported once, not at each link to it.
  const actorIds = new Set(actorRows.map((row) => row.cells.id ?? ''))
  const links = readRecords(
    table('links.csv', ['id', 'from', 'to', 'kind'], true),
    LinkSchema,
    LINKS,
    issues,
    (link, row) => {
      refer(actorIds, 'actor', row, 'from', link.from)
      refer(actorIds, 'actor', row, 'to', link.to)
      if (link.from === link.to)
        issues.push({ ...row.where, column: 'to', message: 'a link joins two different actors' })
    },
  )
  const themeRows = table('themes.csv', ['theme_id', 'theme_title', 'theme_order'])
  const themes = readNested(
    themeRows,
    { schema: ThemeFieldsSchema, columns: THEMES },
    { schema: ThemePointSchema, columns: POINTS },
    issues,
    (point, row) => {
      for (const id of point.actorIds) refer(actorIds, 'actor', row, 'point_actor_ids', id)
    },
  ).map(({ parent, children }) => ({ ...parent, points: children }))
  const themeIds = new Set(themeRows.map((row) => row.cells.theme_id ?? ''))
  const quickWins = readRecords(
    table('quick_wins.csv', ['id', 'text']),
    QuickWinSchema,
    QUICK_WINS,
    issues,
    (quickWin, row) => refer(themeIds, 'theme', row, 'theme_id', quickWin.themeId),
  )
  const journeys = readNested(
    table('journeys.csv', ['journey_id', 'title']),
    { schema: JourneyFieldsSchema, columns: JOURNEYS },
    { schema: JourneyStepSchema, columns: STEPS },
    issues,
    (step, row) => refer(actorIds, 'actor', row, 'actor_id', step.actorId),
  ).map(({ parent, children }) => ({ ...parent, steps: children }))
  const emergingModels = readRecords(
    table('emerging_models.csv', ['id', 'name']),
    EmergingModelSchema,
    EMERGING_MODELS,
    issues,
    (model, row) => refer(themeIds, 'theme', row, 'theme_id', model.themeId),
  )
  const agenda = readRecords(table('agenda.csv', ['id', 'title', 'order']), AgendaItemSchema, AGENDA, issues)
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
    facilitation: { voteBudget },
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
