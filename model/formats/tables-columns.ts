import { z } from 'zod'
import { DATASET_FORMAT, DATASET_VERSION } from '../dataset-schema.ts'
import { actorKind } from '../records/actor.ts'
import { agendaItemKind } from '../records/agenda-item.ts'
import { emergingModelKind } from '../records/emerging-model.ts'
import { type Exchange, formatExchanges, parseExchanges } from '../records/exchange.ts'
import { facilitationKind } from '../records/facilitation.ts'
import { journeyKind, journeyStepKind } from '../records/journey.ts'
import { linkKind } from '../records/link.ts'
import { metaKind } from '../records/meta.ts'
import { quickWinKind } from '../records/quick-win.ts'
import { type FieldInfo, type RecordDeclaration, snakeCase } from '../records/record.ts'
import { themeKind, themePointKind } from '../records/theme.ts'
import { CSV_CODECS, type CsvCodec, type CsvColumn, type CsvDerive, csvHeader, splitList } from './csv.ts'
import { datasetFields, shapeOf } from './fields.ts'

/**
 * The CSV tables' columns, derived from the record declarations: each field's codec and column
 * name, the tables of the zip and where its notes go, and checks that no table names a column
 * twice.
 */
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

/** Offers or needs as `space (Riverside Ward): main hall; volunteers` (records/exchange.ts). */
const exchanges: CsvCodec = {
  write: (value) => formatExchanges(value as Exchange[]),
  read: (cell) => {
    const read = parseExchanges(cell)
    return read.ok ? { value: read.value } : { error: read.error }
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
    case 'exchanges':
      return exchanges
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

export const ACTORS = tableOf(actorKind)
export const LINKS = tableOf(linkKind)
export const THEMES = tableOf(themeKind)
export const POINTS = tableOf(themePointKind)
export const QUICK_WINS = tableOf(quickWinKind)
export const JOURNEYS = tableOf(journeyKind)
// Files written so far put a step's and an agenda item's order beside its id; kept so.
export const STEPS = tableOf(journeyStepKind, { first: ['id', 'order'] })
export const EMERGING_MODELS = tableOf(emergingModelKind)
export const AGENDA = tableOf(agendaItemKind, { first: ['id', 'order'] })
/** meta.csv: the map's own fields, the facilitation's that the dataset keeps, the format. */
export const META = tableOf(metaKind)
export const FACILITATION = tableOf(facilitationKind)
export const FORMAT: readonly CsvColumn[] = [
  { name: 'format', derive: () => DATASET_FORMAT },
  { name: 'version', derive: () => DATASET_VERSION },
]
/** The facilitation's fields the dataset keeps (the vote budget): the live ones are not. */
export const FacilitationInDataset = z.object(
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
export const WORKSHOP_NOTE_FILE = 'notes/workshop.md'
export const ACTOR_NOTES_FOLDER = 'notes/actors/'
