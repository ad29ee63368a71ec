import { strToU8, zipSync } from 'fflate'
import { DATASET_FORMAT, DATASET_VERSION, type Dataset, validateDataset } from '../dataset-schema.ts'
import { Id } from '../ids.ts'
import {
  ACTOR_KIND_LABELS,
  ACTOR_KINDS,
  type Actor,
  ActorSchema,
  DOMAIN_LABELS,
  DOMAINS,
} from '../records/actor.ts'
import { LINK_KIND_LABELS, LINK_KINDS, type Link, LinkSchema } from '../records/link.ts'
import { MetaSchema } from '../records/meta.ts'
import { err, type Result } from '../result.ts'
import { checkRow, isBlankRow, parseCsv, splitList, toCsv } from './csv.ts'
import { type ExportFile, fileStem, type ImportIssue } from './format.ts'
import { type ExportOptions, prepareForExport } from './privacy.ts'

/** Lower case, "&" as "and", no apostrophes, hyphens, underscores and spaces as one space. */
const normalise = (word: string) =>
  word
    .toLowerCase()
    .replaceAll('&', ' and ')
    .replace(/['’]/g, '')
    .replace(/[\s_-]+/g, ' ')
    .trim()

/** What a column may hold: the words people use for each value, and how to name the values. */
interface Vocabulary<K extends string> {
  readonly words: ReadonlyMap<string, K>
  readonly labels: Record<K, string>
  readonly noun: string
  readonly column: string
}

/** Each value is known by its id, its label, each half of a label "A / B", and its synonyms. */
function vocabulary<K extends string>(
  column: string,
  noun: string,
  ids: readonly K[],
  labels: Record<K, string>,
  synonyms: Partial<Record<K, string>> = {},
): Vocabulary<K> {
  const words = new Map<string, K>()
  for (const id of ids) {
    const all = [id, labels[id], ...labels[id].split('/'), ...(synonyms[id]?.split(',') ?? [])]
    for (const word of all) words.set(normalise(word), id)
  }
  return { words, labels, noun, column }
}

const ELEMENT_TYPES = vocabulary('Type', 'element type', ACTOR_KINDS, ACTOR_KIND_LABELS, {
  organisation: 'organization, charity, vcs, voluntary organisation, social enterprise',
  'statutory-service': 'statutory, council, local authority, nhs, public sector',
  'resident-group': 'community group, residents group, tenants group, tenants and residents association',
  funder: 'trust, foundation, grant maker',
  network: 'partnership, forum, alliance',
  space: 'venue, place, building',
  role: 'person, individual',
})
const CONNECTION_TYPES = vocabulary('Type', 'connection type', LINK_KINDS, LINK_KIND_LABELS, {
  referral: 'refers, refers to, signposts',
  funding: 'funds, grant',
  partnership: 'partner, partners, works with',
  commissioning: 'commissions, commissioned',
  membership: 'member of, member',
  'information-sharing': 'shares information, data sharing, information, info sharing',
  disconnect: 'gap, broken link, no link',
})
const DOMAIN_NAMES = vocabulary('Domains', 'domain', DOMAINS, DOMAIN_LABELS)

/** Kumu separates the values of a cell with "|"; people typing them often use ";". */
const splitValues = (cell: string) => splitList(cell, /[|;]/)
/** Kumu joins by label and our importer matches labels ignoring case and outer spaces. */
const labelKey = (label: string) => label.trim().toLowerCase()

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

type Value = string | number | readonly string[] | undefined
const ELEMENT_COLUMNS =
  'Label,Type,Description,Tags,Domains,Area,Reach,Website,Charity Number,Company Number,ID'
const CONNECTION_COLUMNS =
  'From,To,Type,Direction,Label,Description,Tags,Strength,Amount,Currency,Period Start,Period End,Purpose,ID'

/** A sheet with Kumu's "|" between the values of a multi-value cell. */
function sheet(columns: string, rows: readonly Record<string, Value>[]): string {
  const header = columns.split(',')
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
 * shape (kumu.json), zipped. Connections name elements by label, as Kumu joins them.
 * Contacts are never included: Kumu maps are often shared publicly.
 */
export function toKumu(dataset: Dataset, options: ExportOptions = {}): ExportFile {
  const data = prepareForExport(dataset, options)
  const labels = uniqueLabels(data.actors)
  const labelOf = (id: string) => labels.get(id) ?? id
  const elements = data.actors.map((actor) => ({
    Label: labelOf(actor.id),
    Type: ACTOR_KIND_LABELS[actor.kind],
    Description: actor.description,
    Tags: actor.tags,
    Domains: actor.domains.map((domain) => DOMAIN_LABELS[domain]),
    Area: actor.area,
    Reach: actor.reach,
    Website: actor.website,
    'Charity Number': actor.charityNumber,
    'Company Number': actor.companyNumber,
    ID: actor.id,
  }))
  const connections = data.links.map((link) => ({
    From: labelOf(link.from),
    To: labelOf(link.to),
    Type: LINK_KIND_LABELS[link.kind],
    Direction: link.direction,
    Label: link.label,
    Description: link.notes,
    Tags: '',
    Strength: link.strength,
    Amount: link.amount,
    // A currency means something only beside an amount.
    Currency: link.amount === undefined ? undefined : link.currency,
    'Period Start': link.periodStart,
    'Period End': link.periodEnd,
    Purpose: link.purpose,
    ID: link.id,
  }))
  const json = {
    elements: elements.map((row) => entry(row, ['Label', 'Type', 'Description', 'Tags'])),
    connections: connections.map((row) => entry(row, ['From', 'To', 'Type', 'Direction', 'Label'])),
  }
  const files = {
    'elements.csv': sheet(ELEMENT_COLUMNS, elements),
    'connections.csv': sheet(CONNECTION_COLUMNS, connections),
    'kumu.json': `${JSON.stringify(json, null, 2)}\n`,
  }
  return {
    filename: `${fileStem(data.meta.title)}-kumu.zip`,
    mediaType: 'application/zip',
    body: zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)]))),
  }
}

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
  return parsed.value.rows.flatMap((cells, index) => {
    if (isBlankRow(cells)) return []
    const cell = (...names: string[]) => {
      const column = names.map((name) => columns.get(normalise(name))).find((found) => found !== undefined)
      return column === undefined ? '' : (cells[column] ?? '').trim()
    }
    return [{ cell, where: { file, row: index + 2 } }]
  })
}

/** Reads a vocabulary word, reporting an unknown one with the values that are accepted. */
function lookUp<K extends string>(
  vocabulary: Vocabulary<K>,
  value: string,
  row: SheetRow,
  issues: ImportIssue[],
): K | undefined {
  const found = vocabulary.words.get(normalise(value))
  if (found === undefined) {
    const values = Object.values<string>(vocabulary.labels).join(', ')
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

/** The column a field is read from: "charityNumber" from "Charity Number", unless renamed. */
const columnFor = (renamed: Record<string, string>) => (field: string) =>
  renamed[field] ?? field.replace(/[A-Z]/g, ' $&').replace(/^./, (first) => first.toUpperCase())
/** Kumu sheets often give a bare host: "foodbank.org.uk". */
const webAddress = (value: string) => (value === '' || /^[a-z]+:/i.test(value) ? value : `https://${value}`)
const CURRENCY_SIGNS: Record<string, string> = { '£': 'GBP', $: 'USD', '€': 'EUR' }

/** The actors, and the id of every labelled element (valid or not) for connections to find. */
function readElements(rows: readonly SheetRow[], issues: ImportIssue[]) {
  const ids = assignIds(rows, 'kumu-e-')
  const byLabel = new Map<string, { id: string; row: number }>()
  const actors = rows.flatMap((row, index) => {
    const label = row.cell('Label')
    const type = row.cell('Type', 'Element Type')
    const kind = type === '' ? 'organisation' : lookUp(ELEMENT_TYPES, type, row, issues)
    const domains = splitValues(row.cell('Domains', 'Domain')).map((domain) =>
      lookUp(DOMAIN_NAMES, domain, row, issues),
    )
    const actor = checkRow(
      ActorSchema,
      {
        id: ids[index],
        // An unknown type is reported by lookUp; a stand-in keeps it from being reported twice.
        kind: kind ?? 'organisation',
        name: label === '' ? undefined : label,
        description: row.cell('Description'),
        domains: [...new Set(domains.filter((domain) => domain !== undefined))],
        area: row.cell('Area', 'Ward'),
        reach: row.cell('Reach'),
        website: webAddress(row.cell('Website')),
        tags: [...new Set(splitValues(row.cell('Tags')))],
        charityNumber: row.cell('Charity Number').toUpperCase(),
        companyNumber: row.cell('Company Number').toUpperCase(),
      },
      row.where,
      columnFor({ name: 'Label', kind: 'Type', id: 'ID' }),
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

/** Money as people type it: "£1,200", "1200.50". */
function readAmount(cell: string, row: SheetRow, issues: ImportIssue[]): number | undefined {
  const digits = cell.replace(/[£$€,\s]/g, '')
  if (cell === '' || /^\d+(\.\d+)?$/.test(digits)) return cell === '' ? undefined : Number(digits)
  const message = `"${cell}" is not an amount of money, e.g. 1200.50`
  issues.push({ ...row.where, column: 'Amount', message })
  return undefined
}

function readConnections(
  rows: readonly SheetRow[],
  byLabel: ReadonlyMap<string, { id: string }>,
  issues: ImportIssue[],
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
  const fields = LinkSchema.omit({ from: true, to: true })
  return rows.flatMap((row, index) => {
    const from = endpoint(row, 'From')
    const to = endpoint(row, 'To')
    const type = row.cell('Type', 'Connection Type')
    const kind = type === '' ? 'referral' : lookUp(CONNECTION_TYPES, type, row, issues)
    const strength = row.cell('Strength')
    const amount = row.cell('Amount')
    const currency = row.cell('Currency').toUpperCase() || CURRENCY_SIGNS[amount.trim().charAt(0)]
    const link = checkRow(
      fields,
      {
        id: ids[index],
        kind: kind ?? 'referral',
        direction: /^(mutual|undirected)$/i.test(row.cell('Direction')) ? 'mutual' : 'directed',
        label: row.cell('Label'),
        strength: strength === '' ? undefined : Number(strength),
        amount: readAmount(amount, row, issues),
        currency,
        periodStart: row.cell('Period Start') || undefined,
        periodEnd: row.cell('Period End') || undefined,
        purpose: row.cell('Purpose'),
        notes: row.cell('Description'),
      },
      row.where,
      columnFor({ notes: 'Description', id: 'ID' }),
      issues,
    )
    if (from !== undefined && from === to) {
      issues.push({ ...row.where, column: 'To', message: 'a connection joins two different elements' })
    }
    return link && kind && from && to ? [{ ...link, from, to }] : []
  })
}

/**
 * Reads Kumu's spreadsheet layout: elements (Label required; Type, Description, Tags, Domains,
 * Area, Website, Charity Number, Company Number, ID) and optionally connections (From and To
 * naming elements by label; Type, Direction, Label, Description, Strength, Amount...). Types
 * and domains are matched loosely (any case, labels, ids, common synonyms). Every problem is
 * reported by file, row and column, and then no dataset is returned. New ids are
 * `kumu-e-<row>` and `kumu-c-<row>`: stable, for the importer to re-key.
 */
export function fromKumuCsv(input: {
  elements: string
  connections?: string
}): Result<Dataset, ImportIssue[]> {
  const issues: ImportIssue[] = []
  const elements = readSheet(input.elements, 'elements.csv', ['Label'], issues)
  const { actors, byLabel } = readElements(elements, issues)
  const connections =
    input.connections === undefined
      ? []
      : readSheet(input.connections, 'connections.csv', ['From', 'To'], issues)
  const links = readConnections(connections, byLabel, issues)
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
  return valid.ok ? valid : err(valid.error.map((issue) => ({ message: `${issue.path}: ${issue.message}` })))
}
