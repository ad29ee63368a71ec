import Papa from 'papaparse'
import type { z } from 'zod'
import { err, ok, type Result } from '../result.ts'
import type { ImportIssue } from './format.ts'

/** The largest file an import reads: beyond this, parsing would freeze a phone's browser tab. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024

/** A value a CSV cell can be written from. */
export type CsvCell = string | number | boolean | null | undefined

const BOM = '\uFEFF'
/**
 * Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
 * Leading quotes are part of the pattern so that a value that already starts with `'` and a
 * protected character gains a quote too, and reading strips exactly one: round trips stay exact.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/
const PROTECTED = /^'+[=+\-@\t\r]/

/** Numbers that are not finite have no CSV form: they are written as empty cells. */
const cellValue = (value: CsvCell): CsvCell =>
  typeof value === 'number' && !Number.isFinite(value) ? undefined : value

/**
 * One CSV table as RFC 4180 text (CRLF line ends), written by Papaparse's `unparse`: the one CSV
 * writer of every export. For spreadsheets (the default) it starts with a byte order mark so
 * that Excel reads it as UTF-8, and text cells that a spreadsheet would run as a formula are
 * neutralised with a leading `'` (Papaparse's `escapeFormulae`, with a pattern that also protects
 * an already-protected value, so reading strips exactly one). `{ spreadsheet: false }` writes
 * plain UTF-8 for machines, values untouched (a phone number "+44..." stays as it is). Numbers
 * and booleans are written as they are.
 */
export function toCsv(header: string[], rows: CsvCell[][], { spreadsheet = true } = {}): string {
  const body = Papa.unparse(
    { fields: header, data: rows.map((cells) => cells.map(cellValue)) },
    { newline: '\r\n', escapeFormulae: spreadsheet ? FORMULA_START : false },
  )
  // Papaparse ends the header with a line end when there are no rows, and never ends a last row.
  return `${spreadsheet ? BOM : ''}${body}${rows.length > 0 ? '\r\n' : ''}`
}

/** Reverses the formula protection of `toCsv`; other cells starting with `'` are left alone. */
const unprotectCell = (cell: string): string => (PROTECTED.test(cell) ? cell.slice(1) : cell)

/** A size for people: "50.0 MB". */
const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`

/** The issue for a file over `MAX_IMPORT_BYTES`. */
export const tooLarge = (bytes: number, file?: string): ImportIssue => ({
  ...(file === undefined ? {} : { file }),
  message: `the file is ${megabytes(bytes)}; the largest import is ${MAX_IMPORT_BYTES / (1024 * 1024)} MB`,
})

/**
 * The UTF-8 size of `text`, counted only when it could matter: every character is at least one
 * byte, so a text longer than the limit is refused without a scan (its length is then the size).
 */
function sizeOf(text: string): number {
  if (text.length > MAX_IMPORT_BYTES || text.length * 3 <= MAX_IMPORT_BYTES) return text.length
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    // A surrogate pair is four bytes in UTF-8: two for each half.
    bytes += code < 0x80 ? 1 : code < 0x800 || (code >= 0xd800 && code < 0xe000) ? 2 : 3
  }
  return bytes
}

/**
 * Excel in much of Europe saves "CSV" separated by semicolons; the header line tells which,
 * since column names never contain a separator.
 */
function delimiterOf(text: string): string {
  const end = text.search(/\r|\n/)
  const first = end === -1 ? text : text.slice(0, end)
  if (first.includes(',')) return ','
  if (first.includes(';')) return ';'
  return first.includes('\t') ? '\t' : ','
}

const cellCount = (count: number) => (count === 1 ? '1 cell' : `${count} cells`)
const isBlank = (fields: readonly string[]) => fields.every((field) => field.trim() === '')

const QUOTE_PROBLEMS: Record<string, string> = {
  MissingQuotes: 'a quoted cell is never closed: check for a stray " in this row',
  InvalidQuotes: 'a quote inside a quoted cell must be doubled ("")',
}

/**
 * Reads CSV text with a header row. `rows[i]` is the file's row `i + 2` (the header is row 1);
 * a blank line between rows is kept as a row of empty cells so that this stays true, and
 * blank lines at the end are dropped. Cells are exact (not trimmed), with the formula
 * protection of `toCsv` undone; header names are trimmed. Every broken row is reported.
 */
export function parseCsv(
  text: string,
  file: string,
): Result<{ header: string[]; rows: Record<string, string>[] }, ImportIssue[]> {
  const size = sizeOf(text)
  if (size > MAX_IMPORT_BYTES) return err([tooLarge(size, file)])
  const body = text.startsWith(BOM) ? text.slice(1) : text
  const parsed = Papa.parse<string[]>(body, { delimiter: delimiterOf(body), skipEmptyLines: false })
  const records = parsed.data
  while (records.length > 0 && isBlank(records[records.length - 1] ?? [])) records.pop()
  const first = records[0]
  if (first === undefined)
    return err([{ file, message: 'the file is empty: its first row must name the columns' }])

  const header = first.map((name) => name.trim())
  const issues: ImportIssue[] = []
  const broken = new Set<number>()
  for (const error of parsed.errors) {
    const row = (error.row ?? 0) + 1
    if (broken.has(row)) continue
    broken.add(row)
    issues.push({ file, row, message: QUOTE_PROBLEMS[error.code] ?? error.message })
  }
  header.forEach((name, index) => {
    if (name !== '' && header.indexOf(name) !== index) {
      issues.push({ file, row: 1, column: name, message: `the column "${name}" appears twice` })
    }
  })

  const rows: Record<string, string>[] = []
  records.slice(1).forEach((fields, index) => {
    const row = index + 2
    const blank = isBlank(fields)
    if (!blank && !broken.has(row) && fields.length !== header.length) {
      issues.push({
        file,
        row,
        message: `this row has ${cellCount(fields.length)} but the header has ${header.length}`,
      })
    }
    const record: Record<string, string> = {}
    header.forEach((name, column) => {
      if (name !== '') record[name] = blank ? '' : unprotectCell(fields[column] ?? '')
    })
    rows.push(record)
  })
  return issues.length > 0 ? err(issues) : ok({ header, rows })
}

/** Does this row hold nothing at all (a blank line kept to preserve row numbers)? */
export const isBlankRow = (row: Record<string, string>): boolean => isBlank(Object.values(row))

/**
 * Checks a record built from one CSV row against its schema. Each problem becomes an issue on
 * that row, named by the column the field came from; the parsed record is returned when valid.
 */
export function checkRow<S extends z.ZodType>(
  schema: S,
  input: Record<string, unknown>,
  where: { readonly file: string; readonly row: number },
  columnOf: (field: string) => string,
  issues: ImportIssue[],
): z.infer<S> | undefined {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '')
    const column = columnOf(field)
    if (field === '') issues.push({ ...where, message: issue.message })
    else if (input[field] === undefined)
      issues.push({ ...where, column, message: `${column} must not be empty` })
    else issues.push({ ...where, column, message: `${column}: ${issue.message}` })
  }
  return undefined
}

/** A record as it is written to a row or read from one. */
export type CsvRecord = Record<string, unknown>

/** How one field is written to a cell and read back. An empty cell always means "not given". */
export interface CsvCodec {
  write(value: unknown): CsvCell
  read(cell: string): { value: unknown } | { error: string }
  /** The value of an empty cell, for a field whose schema has no default. */
  empty?: () => unknown
}

/** The items of a list cell written as "a; b; c" (or with other separators), trimmed. */
export const splitList = (cell: string, separators: RegExp = /;/): string[] =>
  cell
    .split(separators)
    .map((item) => item.trim())
    .filter((item) => item !== '')

const text: CsvCodec = { write: (value) => value as string, read: (cell) => ({ value: cell }) }

/** The codecs a column may name: text as it is, a "; " list, a number, true or false. */
export const CSV_CODECS: Readonly<Record<string, CsvCodec>> = {
  text,
  list: { write: (value) => (value as string[]).join('; '), read: (cell) => ({ value: splitList(cell) }) },
  number: {
    write: (value) => value as number,
    read: (cell) =>
      /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cell.trim())
        ? { value: Number(cell.trim()) }
        : { error: `"${cell}" is not a number` },
  },
  boolean: {
    write: (value) => value as boolean,
    read: (cell) => {
      const word = cell.trim().toLowerCase()
      if (['true', 'yes', '1'].includes(word)) return { value: true }
      if (['false', 'no', '0'].includes(word)) return { value: false }
      return { error: `"${cell}" is not true or false` }
    },
  },
}

/** Computes a column shown only for people (a name beside an id), from the record and names by id. */
export type CsvDerive = (record: CsvRecord, names: ReadonlyMap<string, string>) => CsvCell
export type CsvColumn =
  | { readonly name: string; readonly field: string; readonly codec: CsvCodec }
  | { readonly name: string; readonly derive: CsvDerive }

/** The names of the columns of one or more tables side by side. */
export const csvHeader = (...tables: (readonly CsvColumn[])[]): string[] =>
  tables.flat().map((column) => column.name)

/** One record's cells; no record gives a row of empty cells (a parent without children). */
export function csvCells(
  columns: readonly CsvColumn[],
  record: CsvRecord | undefined,
  names: ReadonlyMap<string, string>,
): CsvCell[] {
  return columns.map((column) => {
    if (record === undefined) return undefined
    if ('derive' in column) return column.derive(record, names)
    const value = record[column.field]
    return value === undefined ? undefined : column.codec.write(value)
  })
}

/** The column a field is read from, to name it in an issue. */
export const columnOf = (columns: readonly CsvColumn[], field: string): string =>
  columns.find((column) => 'field' in column && column.field === field)?.name ?? field

/** One parsed row and where it is, for issues. */
export interface CsvRow {
  readonly cells: Record<string, string>
  readonly where: { readonly file: string; readonly row: number }
}

/** Reads one row into a record of `schema`, reporting each bad cell; undefined when invalid. */
export function readCsvRecord<S extends z.ZodType>(
  schema: S,
  columns: readonly CsvColumn[],
  { cells, where }: CsvRow,
  issues: ImportIssue[],
): z.infer<S> | undefined {
  const record: CsvRecord = {}
  const unreadable = new Set<string>()
  for (const column of columns) {
    if ('derive' in column) continue
    const cell = cells[column.name] ?? ''
    if (cell === '') {
      if (column.codec.empty) record[column.field] = column.codec.empty()
      continue
    }
    const decoded = column.codec.read(cell)
    if ('value' in decoded) record[column.field] = decoded.value
    else {
      issues.push({ ...where, column: column.name, message: decoded.error })
      unreadable.add(column.name)
    }
  }
  const found: ImportIssue[] = []
  const value = checkRow(schema, record, where, (field) => columnOf(columns, field), found)
  // A cell that could not be read is missing from the record: say so once, not twice.
  issues.push(...found.filter((issue) => !unreadable.has(issue.column ?? '')))
  return value
}
