import { strToU8, zipSync } from 'fflate'
import type { Dataset } from '../dataset-schema.ts'
import type { Actor } from '../records/actor.ts'
import { type Exchange, formatExchange } from '../records/exchange.ts'
import type { Link } from '../records/link.ts'
import type { FieldInfo } from '../records/record.ts'
import { toCsv } from './csv.ts'
import { labelOf, shapeOf } from './fields.ts'
import { type ExportFile, fileStem } from './format.ts'
import {
  CONNECTIONS,
  ELEMENTS,
  KUMU_CONNECTION_JSON_FIELDS,
  KUMU_ELEMENT_FIELDS,
  type KumuColumn,
  labelKey,
} from './kumu-columns.ts'
import { type ExportOptions, prepareForExport } from './privacy.ts'

/** The map as Kumu's sheets and JSON; columns in kumu-columns.ts, reading them back in kumu-import.ts. */

type Value = string | number | readonly string[] | undefined

/** A value as a Kumu sheet shows it: choices by their labels, lists as lists, yes or no. */
function kumuValue(field: FieldInfo, value: unknown): Value {
  const shape = shapeOf(field)
  if (shape === 'list' || shape === 'choices')
    return ((value ?? []) as unknown[]).map((item) => labelOf(field, String(item)))
  if (shape === 'exchanges') return ((value ?? []) as Exchange[]).map(formatExchange)
  if (value === undefined || value === null) return undefined
  if (shape === 'choice') return labelOf(field, String(value))
  if (shape === 'boolean') return value ? 'yes' : 'no'
  if (shape === 'object') return JSON.stringify(value)
  return value as string | number
}

/** Each record's row by column; `written` overrides how a field is written, by key. */
function rowsOf<T extends object>(
  columns: readonly KumuColumn[],
  records: readonly T[],
  written: Partial<Record<string, (record: T) => Value>> = {},
): Record<string, Value>[] {
  return records.map((record) =>
    Object.fromEntries(
      columns.map(({ name, field }) => {
        if (!field) return [name, '']
        const write = written[field.key]
        return [
          name,
          write ? write(record) : kumuValue(field, (record as Record<string, unknown>)[field.key]),
        ]
      }),
    ),
  )
}

/** A label for each actor that no other has: later namesakes get " (2)", " (3)"... */
function uniqueLabels(actors: readonly Actor[]): Map<string, string> {
  const names = new Set(actors.map((actor) => labelKey(actor.name)))
  const used = new Set<string>()
  const clashes = (label: string, own: string) =>
    used.has(labelKey(label)) || (label !== own && names.has(labelKey(label)))
  return new Map(
    actors.map((actor) => {
      const name = actor.name.trim()
      let label = name
      for (let n = 2; clashes(label, name); n++) label = `${name} (${n})`
      used.add(labelKey(label))
      return [actor.id, label]
    }),
  )
}

/** A sheet with Kumu's "|" between the values of a multi-value cell. */
function sheet(columns: readonly KumuColumn[], rows: readonly Record<string, Value>[]): string {
  const header = columns.map((column) => column.name)
  return toCsv(
    header,
    rows.map((row) =>
      header
        .map((column) => row[column])
        .map((value) => (Array.isArray(value) ? value.join('|') : (value as string | number | undefined))),
    ),
  )
}

/**
 * A row in Kumu's JSON shape: its own fields in lower case (label, type...), and the other
 * cells as attributes, empty ones left out.
 */
function entry(row: Record<string, Value>, own: readonly string[]) {
  const isEmpty = (value: Value) =>
    value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  const attributes = Object.entries(row).filter(([column, value]) => !own.includes(column) && !isEmpty(value))
  return {
    ...Object.fromEntries(own.map((column) => [column.toLowerCase(), row[column]])),
    attributes: Object.fromEntries(attributes.map(([column, value]) => [column.toLowerCase(), value])),
  }
}

/**
 * The map in Kumu's spreadsheet layout (elements.csv, connections.csv) and its JSON import
 * shape (kumu.json), zipped. Every field the declarations give a Kumu column is there; choices
 * by their labels. Connections name elements by label, as Kumu joins them. Personal fields
 * (contacts) are never included: Kumu maps are often shared publicly.
 */
export function toKumu(dataset: Dataset, options: ExportOptions = {}): ExportFile {
  const data = prepareForExport(dataset, options)
  const labels = uniqueLabels(data.actors)
  const labelOfActor = (id: string) => labels.get(id) ?? id
  const elements = rowsOf(ELEMENTS, data.actors, { name: (actor) => labelOfActor(actor.id) })
  const connections = rowsOf(CONNECTIONS, data.links, {
    from: (link) => labelOfActor(link.from),
    to: (link) => labelOfActor(link.to),
    // Kumu reads Direction itself, in its own words (directed, mutual), not our labels.
    direction: (link) => link.direction,
    // A currency means something only beside an amount.
    currency: (link: Link) => (link.amount === undefined ? undefined : link.currency),
  })
  const json = {
    elements: elements.map((row) => entry(row, KUMU_ELEMENT_FIELDS)),
    connections: connections.map((row) => entry(row, KUMU_CONNECTION_JSON_FIELDS)),
  }
  const files = {
    'elements.csv': sheet(ELEMENTS, elements),
    'connections.csv': sheet(CONNECTIONS, connections),
    'kumu.json': `${JSON.stringify(json, null, 2)}\n`,
  }
  return {
    filename: `${fileStem(data.meta.title)}-kumu.zip`,
    mediaType: 'application/zip',
    body: zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)]))),
  }
}

export {
  KUMU_CONNECTION_FIELDS,
  KUMU_ELEMENT_FIELDS,
  type KumuColumn,
  kumuColumnsOf,
  kumuNameOf,
} from './kumu-columns.ts'
export { fromKumuCsv } from './kumu-import.ts'
