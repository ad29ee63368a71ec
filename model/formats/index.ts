import { unzipSync, zipSync } from 'fflate'
import { type ActorMeasures, analyse, summaryLines } from '../analysis.ts'
import { restoreDataset } from '../dataset.ts'
import { type Dataset, validateDataset } from '../dataset-schema.ts'
import { err, ok, type Result } from '../result.ts'
import type { ExportFile, ImportIssue, ReadOptions } from './format.ts'
import { fileStem } from './format.ts'
import { toGexf } from './gexf.ts'
import { toGraphml } from './graphml.ts'
import { fromKumuCsv, toKumu } from './kumu.ts'
import { toMarkdown } from './markdown.ts'
import { toOpenReferral } from './openreferral.ts'
import { type ExportOptions, prepareForExport } from './privacy.ts'
import { fromCsvZip, toCsvZip } from './tables.ts'
import { to360Giving } from './threesixtygiving.ts'

export type { ExportFile, ImportIssue, ReadOptions, ReadProgress } from './format.ts'
export { type ExportOptions, PERSONAL_FIELDS, prepareForExport } from './privacy.ts'

/** Every format a workspace can be exported in, with what people call it. */
export const EXPORT_FORMATS = {
  json: 'Dataset (JSON)',
  csv: 'Spreadsheet tables (CSV, zipped)',
  graphml: 'GraphML (Gephi, yEd, Cytoscape)',
  gexf: 'GEXF (Gephi)',
  kumu: 'Kumu (elements and connections)',
  openreferral: 'Open Referral UK (data package)',
  '360giving': '360Giving grants (JSON)',
  markdown: 'Workshop report (Markdown)',
} as const
export type ExportFormat = keyof typeof EXPORT_FORMATS

export const isExportFormat = (format: string): format is ExportFormat =>
  Object.hasOwn(EXPORT_FORMATS, format)

/**
 * A workspace's dataset in one of the export formats. Every format starts from
 * `prepareForExport`, so journeys without consent never leave, and `redactPersonal` empties
 * every personal free-text field.
 */
export function exportDataset(
  dataset: Dataset,
  format: ExportFormat,
  options: ExportOptions = {},
): ExportFile {
  switch (format) {
    case 'json':
      return {
        filename: `${fileStem(dataset.meta.title)}.json`,
        mediaType: 'application/json',
        body: `${JSON.stringify(prepareForExport(dataset, options), null, 2)}\n`,
      }
    case 'csv':
      return toCsvZip(dataset, options)
    case 'graphml':
      return toGraphml(dataset, { ...options, measures: measuresOf(dataset) })
    case 'gexf':
      return toGexf(dataset, { ...options, measures: measuresOf(dataset) })
    case 'kumu':
      return toKumu(dataset, options)
    case 'openreferral':
      return toOpenReferral(dataset, options)
    case '360giving':
      return to360Giving(dataset, options)
    case 'markdown':
      return toMarkdown(dataset, {
        ...options,
        measures: { summary: summaryLines(analyse(dataset), dataset) },
      })
  }
}

/** The per-actor measures that graph formats carry as node attributes. */
export function measuresOf(dataset: Dataset): Record<string, Record<string, number>> {
  const { actors } = analyse(dataset)
  const measure = (pick: (measures: ActorMeasures) => number) =>
    Object.fromEntries(Object.entries(actors).map(([id, measures]) => [id, pick(measures)]))
  return {
    degree: measure((m) => m.degree),
    weighted_degree: measure((m) => m.weightedDegree),
    betweenness: measure((m) => m.betweenness),
    community: measure((m) => m.community),
    funding_in: measure((m) => m.fundingIn),
    funding_out: measure((m) => m.fundingOut),
  }
}

/** A file chosen for import: its name and its bytes. */
export interface ImportSource {
  readonly name: string
  readonly bytes: Uint8Array
}

const text = (bytes: Uint8Array) => new TextDecoder('utf-8').decode(bytes)

/**
 * Reads files chosen for import into a dataset, recognising what they are:
 * this app's JSON dataset; this app's CSV zip (actors.csv, links.csv...); a Kumu export (a zip
 * or the elements and connections CSV files). Returns every problem, by file and row, and no
 * dataset at all when there is one: nothing is half-imported. `options.onProgress` hears how
 * far it has got: row by row for a Kumu spreadsheet, file by file for the others.
 */
export function readImport(
  sources: readonly ImportSource[],
  options: ReadOptions = {},
): Result<Dataset, ImportIssue[]> {
  if (sources.length === 0) return err([{ message: 'choose a file to import' }])
  options.onProgress?.(0)
  const files = new Map<string, Uint8Array>()
  for (const source of sources) {
    if (/\.zip$/i.test(source.name)) {
      let entries: Record<string, Uint8Array>
      try {
        entries = unzipSync(source.bytes)
      } catch {
        return err([{ file: source.name, message: 'this zip file is damaged or not a zip file' }])
      }
      for (const [name, bytes] of Object.entries(entries))
        files.set(name.split('/').at(-1)?.toLowerCase() ?? name, bytes)
    } else files.set(source.name.toLowerCase(), source.bytes)
  }
  // Unzipping is a small part of the reading: the rows' checks are most of it.
  options.onProgress?.(0.05)
  const named = (pattern: RegExp) => [...files.entries()].find(([name]) => pattern.test(name))?.[1]

  const json = named(/\.json$/)
  if (json && !named(/^elements/) && files.size === 1) {
    let raw: unknown
    try {
      raw = JSON.parse(text(json))
    } catch (error) {
      return err([{ file: sources[0]?.name, message: `not valid JSON: ${(error as Error).message}` }])
    }
    const strict = validateDataset(raw)
    if (strict.ok) return strict
    // An older or hand-edited file: repair what can be repaired, but report it all as issues
    // when anything had to be left out.
    const restored = restoreDataset(raw)
    if (!restored.ok) return err([{ file: sources[0]?.name, message: restored.error }])
    const dropped = restored.value.problems.filter((problem) => !problem.message.startsWith('repaired'))
    if (dropped.length > 0)
      return err(dropped.map((problem) => ({ file: sources[0]?.name, message: problem.message })))
    return ok(restored.value.dataset)
  }
  if (files.has('actors.csv')) return fromCsvZip(zipSync(Object.fromEntries(files)))
  const elements = named(/^elements.*\.csv$/) ?? (files.size === 1 ? named(/\.csv$/) : undefined)
  if (elements) {
    const connections = named(/^connections.*\.csv$/)
    return fromKumuCsv(
      {
        elements: text(elements),
        ...(connections ? { connections: text(connections) } : {}),
      },
      { onProgress: (fraction) => options.onProgress?.(0.05 + 0.95 * fraction) },
    )
  }
  return err([
    {
      message:
        'not a file this app reads: choose a dataset (.json), its CSV zip, or Kumu elements and connections (.csv or .zip)',
    },
  ])
}
