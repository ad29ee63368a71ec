import { DATASET_FORMAT, DATASET_VERSION, type Dataset, validateDataset } from '../dataset-schema.ts'
import { Id } from '../ids.ts'
import { actorKind } from '../records/actor.ts'
import { parseExchanges } from '../records/exchange.ts'
import { type Link, linkKind } from '../records/link.ts'
import { MetaSchema } from '../records/meta.ts'
import { err, type Result } from '../result.ts'
import { checkRow, isBlankRow, parseCsv } from './csv.ts'
import { shapeOf } from './fields.ts'
import { type ImportIssue, progressOver, type ReadOptions } from './format.ts'
import {
  CONNECTIONS,
  ELEMENTS,
  type KumuColumn,
  labelKey,
  normalise,
  splitValues,
  type Vocabulary,
  vocabulary,
} from './kumu-columns.ts'

/** Reading Kumu's CSV sheets (elements and connections) back into a dataset. */

// ---- reading ----------------------------------------------------------------------------

interface SheetRow {
  /** The trimmed cell of the first of `names` that is a column (any case or spacing), or ''. */
  readonly cell: (...names: string[]) => string
  readonly where: { readonly file: string; readonly row: number }
}

function readSheet(
  text: string,
  file: string,
  required: readonly string[],
  issues: ImportIssue[],
): SheetRow[] {
  const parsed = parseCsv(text, file)
  if (!parsed.ok) {
    issues.push(...parsed.error)
    return []
  }
  const columns = new Map(parsed.value.header.map((name) => [normalise(name), name]))
  const missing = required.filter((name) => !columns.has(normalise(name)))
  if (missing.length > 0) {
    const noun = missing.length === 1 ? 'column' : 'columns'
    issues.push({ file, row: 1, message: `${file} is missing the ${noun} ${missing.join(', ')}` })
    return []
  }
  // Each name people may give a column is normalised once per sheet, not once per cell: on a
  // borough's 20,000 rows that was a third of the reading.
  const found = new Map<string, string | undefined>()
  const columnOf = (name: string) => {
    if (!found.has(name)) found.set(name, columns.get(normalise(name)))
    return found.get(name)
  }
  return parsed.value.rows.flatMap((cells, index) => {
    if (isBlankRow(cells)) return []
    const cell = (...names: string[]) => {
      for (const name of names) {
        const column = columnOf(name)
        if (column !== undefined) return (cells[column] ?? '').trim()
      }
      return ''
    }
    return [{ cell, where: { file, row: index + 2 } }]
  })
}

/** Reads a vocabulary word, reporting an unknown one with the values that are accepted. */
function lookUp(
  vocabulary: Vocabulary,
  value: string,
  row: SheetRow,
  issues: ImportIssue[],
): string | undefined {
  const found = vocabulary.words.get(normalise(value))
  if (found === undefined) {
    const values = vocabulary.ids.map((id) => vocabulary.labels[id] ?? id).join(', ')
    const message = `"${value}" is not a known ${vocabulary.noun}; use one of ${values}`
    issues.push({ ...row.where, column: vocabulary.column, message })
  }
  return found
}

/** Ids from the sheet's ID column where valid and unused, else `<prefix><row>`, stable per file. */
function assignIds(rows: readonly SheetRow[], prefix: string): string[] {
  const taken = new Set<string>()
  const kept = rows.map((row) => {
    const id = row.cell('ID')
    const keep = Id.safeParse(id).success && !taken.has(id)
    if (keep) taken.add(id)
    return keep ? id : undefined
  })
  return kept.map((own, index) => {
    const base = `${prefix}${rows[index]?.where.row}`
    let id = own ?? base
    for (let n = 2; own === undefined && taken.has(id); n++) id = `${base}-${n}`
    taken.add(id)
    return id
  })
}

/**
 * Reads a field's value from its cell (trimmed; '' when the sheet has no such column), given
 * the row for other cells and the column's name for issues. `undefined` means "not given".
 */
type CellReader = (cell: string, row: SheetRow, issues: ImportIssue[], column: string) => unknown

/** What a sheet reader knows beyond the columns: Kumu's habits and people's. */
interface SheetReading {
  /** Other names people give a column, by field key ("Ward" for Area). */
  readonly synonyms?: Readonly<Record<string, readonly string[]>>
  /** What a choice is called in messages, by field key; its label in lower case otherwise. */
  readonly nouns?: Readonly<Record<string, string>>
  /** Words people use for a choice's values, by field key then value, comma-separated. */
  readonly words?: Readonly<Record<string, Readonly<Record<string, string>>>>
  /** What a blank choice means, by field key (an untyped element is an organisation). */
  readonly blank?: Readonly<Record<string, string>>
  /** Fields read otherwise than their shape says, by key. */
  readonly readers?: Readonly<Record<string, CellReader>>
}

/** Reads each field of a row, by key. */
type RowReader = (row: SheetRow, issues: ImportIssue[]) => Record<string, unknown>

/**
 * How every field of a sheet is read: by its shape (a choice by its id, label or a synonym; a
 * list split on "|" or ";", each item once; a number; yes or no), with an empty cell as "not
 * given" so that the schema's default applies; `reading.readers` where Kumu's habits differ.
 * Fields are read in column order, so a row's issues come in the order of its cells.
 */
function rowReader(columns: readonly KumuColumn[], reading: SheetReading): RowReader {
  const readers = columns.flatMap(({ name, field }) => {
    if (!field) return []
    const names = [name, ...(reading.synonyms?.[field.key] ?? [])]
    const shape = shapeOf(field)
    const noun = reading.nouns?.[field.key] ?? field.meta.label.toLowerCase()
    const words =
      shape === 'choice' || shape === 'choices'
        ? vocabulary(field, name, noun, reading.words?.[field.key])
        : undefined
    const blank = reading.blank?.[field.key]
    const read: CellReader =
      reading.readers?.[field.key] ??
      ((cell, row, issues) => {
        if (cell === '') return blank
        switch (shape) {
          case 'choice':
            return words ? lookUp(words, cell, row, issues) : cell
          case 'choices': {
            const found = splitValues(cell).map((item) => (words ? lookUp(words, item, row, issues) : item))
            return [...new Set(found.filter((item) => item !== undefined))]
          }
          case 'list':
            return [...new Set(splitValues(cell))]
          case 'exchanges': {
            // Kumu separates the values of a cell with "|"; people typing one often use ";".
            const read = parseExchanges(cell, /[|;]/)
            if (read.ok) return read.value
            issues.push({ ...row.where, column: name, message: read.error })
            return undefined
          }
          case 'integer':
          case 'number':
            return Number(cell)
          case 'boolean':
            return /^(yes|y|true|1)$/i.test(cell) ? true : /^(no|n|false|0)$/i.test(cell) ? false : cell
          default:
            return cell
        }
      })
    return [{ key: field.key, names, name, read }]
  })
  return (row, issues) =>
    Object.fromEntries(
      readers.map(({ key, names, name, read }) => [key, read(row.cell(...names), row, issues, name)]),
    )
}

/** The column a field is read from, to name it in an issue. */
const columnFor = (columns: readonly KumuColumn[]) => (key: string) =>
  columns.find((column) => column.field?.key === key)?.name ?? key

/** Kumu sheets often give a bare host: "foodbank.org.uk". */
const webAddress = (value: string) => (value === '' || /^[a-z]+:/i.test(value) ? value : `https://${value}`)
const CURRENCY_SIGNS: Record<string, string> = { '£': 'GBP', $: 'USD', '€': 'EUR' }
const upperCase: CellReader = (cell) => cell.toUpperCase() || undefined

const readElementFields = rowReader(ELEMENTS, {
  synonyms: { kind: ['Element Type'], domains: ['Domain'], area: ['Ward'] },
  nouns: { kind: 'element type', domains: 'domain' },
  // An untyped element is an organisation, the commonest kind on a map.
  blank: { kind: 'organisation' },
  words: {
    kind: {
      organisation: 'organization, charity, vcs, voluntary organisation, social enterprise',
      'statutory-service': 'statutory, council, local authority, nhs, public sector',
      'resident-group': 'community group, residents group, tenants group, tenants and residents association',
      funder: 'trust, foundation, grant maker',
      network: 'partnership, forum, alliance',
      space: 'venue, place, building',
      role: 'person, individual',
    },
  },
  readers: {
    website: (cell) => webAddress(cell) || undefined,
    charityNumber: upperCase,
    companyNumber: upperCase,
  },
})

/** Money as people type it: "£1,200", "1200.50". */
const readAmount: CellReader = (cell, row, issues, column) => {
  const digits = cell.replace(/[£$€,\s]/g, '')
  if (cell === '' || /^\d+(\.\d+)?$/.test(digits)) return cell === '' ? undefined : Number(digits)
  issues.push({ ...row.where, column, message: `"${cell}" is not an amount of money, e.g. 1200.50` })
  return undefined
}

const readConnectionFields = rowReader(CONNECTIONS, {
  synonyms: { kind: ['Connection Type'] },
  nouns: { kind: 'connection type' },
  // An untyped connection is a referral, the commonest tie on a map.
  blank: { kind: 'referral' },
  words: {
    kind: {
      referral: 'refers, refers to, signposts',
      funding: 'funds, grant',
      partnership: 'partner, partners, works with',
      commissioning: 'commissions, commissioned',
      membership: 'member of, member',
      'information-sharing': 'shares information, data sharing, information, info sharing',
      disconnect: 'gap, broken link, no link',
    },
  },
  readers: {
    // Kumu's own words: directed, undirected or mutual; both of the last run both ways.
    direction: (cell) => (/^(mutual|undirected)$/i.test(cell) ? 'mutual' : 'directed'),
    amount: readAmount,
    // A sign before the amount says the currency where no column does.
    currency: (cell, row) =>
      cell.toUpperCase() || CURRENCY_SIGNS[row.cell(columnFor(CONNECTIONS)('amount')).charAt(0)],
  },
})

/** The actors, and the id of every labelled element (valid or not) for connections to find. */
function readElements(rows: readonly SheetRow[], issues: ImportIssue[], progress: (done: number) => void) {
  const ids = assignIds(rows, 'kumu-e-')
  const byLabel = new Map<string, { id: string; row: number }>()
  const actors = rows.flatMap((row, index) => {
    progress(index)
    const label = row.cell('Label')
    const fields = readElementFields(row, issues)
    const kind = fields.kind
    const actor = checkRow(
      actorKind.schema,
      // An unknown type is reported already; a stand-in keeps it from being reported twice.
      { ...fields, id: ids[index], kind: kind ?? 'organisation' },
      row.where,
      columnFor(ELEMENTS),
      issues,
    )
    const earlier = byLabel.get(labelKey(label))
    if (earlier !== undefined) {
      const message = `row ${earlier.row} is also named "${label}": connections find elements by label, so labels must differ`
      issues.push({ ...row.where, column: 'Label', message })
    } else if (label !== '') byLabel.set(labelKey(label), { id: ids[index] ?? '', row: row.where.row })
    return actor && kind ? [actor] : []
  })
  return { actors, byLabel }
}

function readConnections(
  rows: readonly SheetRow[],
  byLabel: ReadonlyMap<string, { id: string }>,
  issues: ImportIssue[],
  progress: (done: number) => void,
): Link[] {
  const ids = assignIds(rows, 'kumu-c-')
  const endpoint = (row: SheetRow, column: string) => {
    const name = row.cell(column)
    const id = byLabel.get(labelKey(name))?.id
    if (id === undefined) {
      const message = name === '' ? `${column} must name an element` : `no element named "${name}"`
      issues.push({ ...row.where, column, message })
    }
    return id
  }
  const schema = linkKind.schema.omit({ from: true, to: true })
  return rows.flatMap((row, index) => {
    progress(index)
    const from = endpoint(row, 'From')
    const to = endpoint(row, 'To')
    // From and To are labels here, read above as endpoints.
    const fields = readConnectionFields(row, issues)
    const kind = fields.kind
    const link = checkRow(
      schema,
      { ...fields, from: undefined, to: undefined, id: ids[index], kind: kind ?? 'referral' },
      row.where,
      columnFor(CONNECTIONS),
      issues,
    )
    if (from !== undefined && from === to) {
      issues.push({ ...row.where, column: 'To', message: 'a connection joins two different elements' })
    }
    return link && kind && from && to ? [{ ...link, from, to }] : []
  })
}

/**
 * Reads Kumu's spreadsheet layout: elements (Label required; Type, Description, Tags, and a
 * column for each other field, as `toKumu` writes them) and optionally connections (From and
 * To naming elements by label; Type, Direction, Label, Description, Strength, Amount...). Types
 * and other choices are matched loosely (any case, labels, ids, common synonyms). Every problem
 * is reported by file, row and column, and then no dataset is returned. New ids are
 * `kumu-e-<row>` and `kumu-c-<row>`: stable, for the importer to re-key. `options.onProgress`
 * follows the rows checked (most of the work), then the whole dataset's check.
 */
export function fromKumuCsv(
  input: {
    elements: string
    connections?: string
  },
  options: ReadOptions = {},
): Result<Dataset, ImportIssue[]> {
  const issues: ImportIssue[] = []
  const elements = readSheet(input.elements, 'elements.csv', ['Label'], issues)
  // Both sheets are parsed first (quick), so the rows' checks can be reported out of all rows;
  // the connections sheet's problems are still listed after the elements' rows'.
  const sheetIssues: ImportIssue[] = []
  const connections =
    input.connections === undefined
      ? []
      : readSheet(input.connections, 'connections.csv', ['From', 'To'], sheetIssues)
  const rowCount = elements.length + connections.length
  const rowsDone = progressOver(options.onProgress, 0.1, 0.9, rowCount)
  const { actors, byLabel } = readElements(elements, issues, rowsDone)
  issues.push(...sheetIssues)
  const links = readConnections(connections, byLabel, issues, (done) => rowsDone(elements.length + done))
  rowsDone(rowCount)
  if (issues.length > 0) return err(issues)
  const valid = validateDataset({
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    meta: MetaSchema.parse({ title: 'Imported from Kumu' }),
    actors,
    links,
    themes: [],
    quickWins: [],
    journeys: [],
  })
  options.onProgress?.(1)
  return valid.ok ? valid : err(valid.error.map((issue) => ({ message: `${issue.path}: ${issue.message}` })))
}
