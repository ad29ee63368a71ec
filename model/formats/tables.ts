/**
 * The dataset as a zip of CSV tables with a README (the spreadsheet export). The columns are in
 * tables-columns.ts, the README in tables-readme.ts, reading a zip back in tables-import.ts.
 */
import { strToU8, zipSync } from 'fflate'
import { analyse } from '../analysis.ts'
import type { Dataset } from '../dataset-schema.ts'
import { type CsvColumn, type CsvRecord, csvCells, csvHeader, toCsv } from './csv.ts'
import { type ExportFile, fileStem } from './format.ts'
import { type ExportOptions, prepareForExport } from './privacy.ts'
import {
  ACTOR_NOTES_FOLDER,
  ACTORS,
  AGENDA,
  EMERGING_MODELS,
  FACILITATION,
  FORMAT,
  JOURNEYS,
  LINKS,
  META,
  POINTS,
  QUICK_WINS,
  STEPS,
  THEMES,
  WORKSHOP_NOTE_FILE,
} from './tables-columns.ts'
import { README } from './tables-readme.ts'

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

export { csvColumnsOf } from './tables-columns.ts'
export { fromCsvZip } from './tables-import.ts'
