import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { z } from 'zod'
import { analyse } from '../analysis.ts'
import { DATASET_FORMAT, DATASET_VERSION, type Dataset, validateDataset } from '../dataset-schema.ts'
import { actorKind } from '../records/actor.ts'
import { agendaItemKind } from '../records/agenda-item.ts'
import { emergingModelKind } from '../records/emerging-model.ts'
import { facilitationKind } from '../records/facilitation.ts'
import { journeyKind, journeyStepKind } from '../records/journey.ts'
import { declaration } from '../records/kinds.ts'
import { linkKind } from '../records/link.ts'
import { type Meta, MetaSchema, metaKind } from '../records/meta.ts'
import { QuickWinSchema, quickWinKind } from '../records/quick-win.ts'
import { type FieldInfo, type KindKey, type RecordDeclaration, snakeCase } from '../records/record.ts'
import { themeKind, themePointKind } from '../records/theme.ts'
import { err, ok, type Result } from '../result.ts'
import {
  CSV_CODECS,
  type CsvCodec,
  type CsvColumn,
  type CsvDerive,
  type CsvRecord,
  type CsvRow,
  columnOf,
  csvCells,
  csvHeader,
  isBlankRow,
  MAX_IMPORT_BYTES,
  parseCsv,
  readCsvRecord,
  splitList,
  toCsv,
  tooLarge,
} from './csv.ts'
import { datasetFields, shapeOf } from './fields.ts'
import { type ExportFile, fileStem, type ImportIssue } from './format.ts'
import { type ExportOptions, prepareForExport } from './privacy.ts'

// ---- columns, from the record declarations -------------------------------------------------

const codec = (name: string): CsvCodec => {
  const found = CSV_CODECS[name]
  if (!found) throw new Error(`csv.ts has no ${name} codec`)
  return found
}

/** A value with no cell type of its own (a nested object) is written as JSON, and read back. */
const json: CsvCodec = {
  write: (value) => JSON.stringify(value),
  read: (cell) => {
    try {
      return { value: JSON.parse(cell) }
    } catch {
      return { error: `"${cell}" is not JSON` }
    }
  },
}

/** How a field's cells are written and read, from the shape of its schema. */
export function csvCodecOf(field: FieldInfo): CsvCodec {
  switch (shapeOf(field)) {
    case 'list':
    case 'choices':
      return codec('list')
    case 'integer':
    case 'number':
      return codec('number')
    case 'boolean':
      return codec('boolean')
    case 'object':
      return json
    default:
      return codec('text')
  }
}

/** A field's column: its declared `csv` name, or its key in snake_case; none when `csv: false`. */
export const csvNameOf = (field: FieldInfo): string | undefined =>
  field.meta.csv === false ? undefined : (field.meta.csv ?? snakeCase(field.key))

export interface CsvTableOptions {
  /** Fields written first, in this order; the others follow in declaration order. */
  readonly first?: readonly string[]
  /** Columns written for people right after a field's column, never read back. */
  readonly beside?: Readonly<Record<string, readonly { readonly name: string; readonly derive: CsvDerive }[]>>
  /** Columns after the fields' own. */
  readonly after?: readonly CsvColumn[]
}

/**
 * A table's columns from a kind's fields: one per field of the dataset (live session state is
 * not), named by `csvNameOf`, with the codec its schema calls for, then the options' extras.
 * Takes the fields rather than a kind so that a kind with one more field shows it here.
 */
export function csvColumnsOf(
  fields: readonly FieldInfo[],
  options: CsvTableOptions = {},
): readonly CsvColumn[] {
  const { first = [], beside = {}, after = [] } = options
  const kept = datasetFields(fields).filter((field) => field.meta.csv !== false)
  const ordered = [
    ...first.flatMap((key) => kept.filter((field) => field.key === key)),
    ...kept.filter((field) => !first.includes(field.key)),
  ]
  const columns: CsvColumn[] = ordered.flatMap((field) => [
    { name: csvNameOf(field) ?? field.key, field: field.key, codec: csvCodecOf(field) },
    ...(beside[field.key] ?? []),
  ])
  return [...columns, ...after]
}

/** The columns of tables written side by side, checked to have distinct names. */
function distinct(file: string, ...tables: (readonly CsvColumn[])[]): void {
  const names = csvHeader(...tables)
  const twice = names.find((name, index) => names.indexOf(name) !== index)
  if (twice !== undefined) throw new Error(`${file} would have two ${twice} columns: give one a csv name`)
}

/**
 * An actor's name beside each single reference to an actor (from_name beside from): ids mean
 * nothing to a person reading the table. Lists of ids (a point's actors) stay ids alone.
 */
function actorNamesBeside(kind: RecordDeclaration): CsvTableOptions['beside'] {
  return Object.fromEntries(
    kind.references
      .filter((reference) => reference.to === 'actor' && !reference.many)
      .map((reference) => {
        const field = kind.fields.find((candidate) => candidate.key === reference.field)
        const column = (field && csvNameOf(field)) ?? snakeCase(reference.field)
        const derive: CsvDerive = (record, names) => names.get(record[reference.field] as string)
        return [reference.field, [{ name: `${column.replace(/_id$/, '')}_name`, derive }]]
      }),
  )
}

/**
 * A tally (a quick win's votes) as `participant:count; ...`, with its total beside it. The
 * total is for people and never read back; the votes are.
 */
function tallyColumns(kind: RecordDeclaration): CsvColumn[] {
  if (!kind.tally) return []
  const key = kind.tally.key
  const name = snakeCase(key)
  const counts: CsvCodec = {
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
  const total: CsvDerive = (record) =>
    Object.values((record[key] ?? {}) as Record<string, number>).reduce((sum, n) => sum + n, 0)
  return [
    { name: `${name}_total`, derive: total },
    { name, field: key, codec: counts },
  ]
}

/** A kind's table: its fields, actors' names beside references to them, and its tally. */
const tableOf = (kind: RecordDeclaration, options: CsvTableOptions = {}) =>
  csvColumnsOf(kind.fields, {
    beside: actorNamesBeside(kind),
    after: tallyColumns(kind),
    ...options,
  })

const ACTORS = tableOf(actorKind)
const LINKS = tableOf(linkKind)
const THEMES = tableOf(themeKind)
const POINTS = tableOf(themePointKind)
const QUICK_WINS = tableOf(quickWinKind)
const JOURNEYS = tableOf(journeyKind)
// Files written so far put a step's and an agenda item's order beside its id; kept so.
const STEPS = tableOf(journeyStepKind, { first: ['id', 'order'] })
const EMERGING_MODELS = tableOf(emergingModelKind)
const AGENDA = tableOf(agendaItemKind, { first: ['id', 'order'] })
/** meta.csv: the map's own fields, the facilitation's that the dataset keeps, the format. */
const META = tableOf(metaKind)
const FACILITATION = tableOf(facilitationKind)
const FORMAT: readonly CsvColumn[] = [
  { name: 'format', derive: () => DATASET_FORMAT },
  { name: 'version', derive: () => DATASET_VERSION },
]
/** The facilitation's fields the dataset keeps (the vote budget): the live ones are not. */
const FacilitationInDataset = z.object(
  Object.fromEntries(datasetFields(facilitationKind.fields).map((field) => [field.key, field.schema])),
)

distinct('meta.csv', META, FACILITATION, FORMAT)
distinct('themes.csv', THEMES, POINTS)
distinct('journeys.csv', JOURNEYS, STEPS)
for (const [file, columns] of [
  ['actors.csv', ACTORS],
  ['links.csv', LINKS],
  ['quick_wins.csv', QUICK_WINS],
  ['emerging_models.csv', EMERGING_MODELS],
  ['agenda.csv', AGENDA],
] as const)
  distinct(file, columns)

/** Notes travel as Markdown files beside the tables. */
const WORKSHOP_NOTE_FILE = 'notes/workshop.md'
const ACTOR_NOTES_FOLDER = 'notes/actors/'

const README_INTRO = `Network map: spreadsheet tables

Each .csv file is one table in UTF-8, with a header row. A list in one cell is separated by
"; ". An empty cell means "not given". A cell starting with ' and then = + - or @ had the '
added so that spreadsheets do not run it as a formula; importing removes it again.

meta.csv        One row about the whole map: title, area, dates, facilitator, description,
                the vote budget, and the format and version of these tables.
actors.csv      One row per actor (organisation, statutory service, resident group, funder,
                network, space or role): its kind, domains, area, reach, website, contact,
                tags, charity and company numbers, and the languages spoken there.
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

/** Words wrapped to lines of at most `width`, every line after the first indented. */
function wrap(text: string, indent: number, width = 92): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && indent + line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  lines.push(line)
  return lines.join(`\n${' '.repeat(indent)}`)
}

/** What a field's column holds, for the README: its label, help and the form of its cells. */
function aboutField(kind: RecordDeclaration | undefined, field: FieldInfo): string {
  const help = field.meta.help ? `: ${field.meta.help.replace(/\.?$/, '.')}` : '.'
  const reference = kind?.references.find((candidate) => candidate.field === field.key)
  if (reference) {
    const target = declaration(reference.to).name
    const one = `${/^[aeiou]/.test(target) ? 'an' : 'a'} ${target}`
    return `${field.meta.label}${help} ${reference.many ? `The ids of ${target}s` : `The id of ${one}`}.`
  }
  const form: Record<ReturnType<typeof shapeOf>, string> = {
    text: field.meta.input === 'date' ? ' A date, YYYY-MM-DD.' : '',
    choice: ` One of ${field.options?.join(', ')}.`,
    choices: ` A list of ${field.options?.join(', ')}.`,
    list: ' A list.',
    integer: ' A whole number.',
    number: ' A number.',
    boolean: ' true or false.',
    object: ' JSON.',
  }
  return `${field.meta.label}${help}${form[shapeOf(field)]}`
}

/** What a derived column holds: written for people, never read back. */
function aboutDerived(name: string): string {
  if (name.endsWith('_total')) return `The ${name.replace(/_total$/, '')} added up (not read back).`
  if (name.endsWith('_name')) return 'The name of that actor, for people reading the table (not read back).'
  return `The ${name} of these tables.`
}

/** One kind's part of a table (none for the format columns) and the columns written from it. */
type TablePart = readonly [RecordDeclaration | undefined, readonly CsvColumn[]]

/**
 * The README's list of every column of every table, derived from the same columns the tables
 * are written and read with, so a new field is described as soon as it is exported.
 */
function columnsReadme(tables: readonly (readonly [string, ...TablePart[]])[]): string {
  const width = 22
  const sections = tables.map(([file, ...parts]) => {
    const rows = parts.flatMap(([kind, columns]) =>
      columns.map((column) => {
        const field =
          'field' in column ? kind?.fields.find((candidate) => candidate.key === column.field) : undefined
        const about = field
          ? aboutField(kind, field)
          : 'field' in column
            ? 'The votes as participant:count, separated by "; ".'
            : aboutDerived(column.name)
        return `  ${column.name.padEnd(width - 3)} ${wrap(about, width)}`
      }),
    )
    return [file, ...rows].join('\n')
  })
  return `Columns of each table\n\n${sections.join('\n\n')}\n`
}

const README = `${README_INTRO}\n${columnsReadme([
  ['meta.csv', [metaKind, META], [facilitationKind, FACILITATION], [undefined, FORMAT]],
  ['actors.csv', [actorKind, ACTORS]],
  ['links.csv', [linkKind, LINKS]],
  ['themes.csv', [themeKind, THEMES], [themePointKind, POINTS]],
  ['quick_wins.csv', [quickWinKind, QUICK_WINS]],
  ['emerging_models.csv', [emergingModelKind, EMERGING_MODELS]],
  ['agenda.csv', [agendaItemKind, AGENDA]],
  ['journeys.csv', [journeyKind, JOURNEYS], [journeyStepKind, STEPS]],
])}`

// ---- writing ----------------------------------------------------------------------------

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
    'meta.csv': flat([...META, ...FACILITATION, ...FORMAT], [{ ...data.facilitation, ...data.meta }]),
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
