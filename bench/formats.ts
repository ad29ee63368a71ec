/**
 * `npm run bench:formats`: export and import of a 5,000-actor, 20,000-link map. Each figure is
 * also given as a ratio to JSON.stringify / JSON.parse of the same dataset in the same run, so
 * results compare across machines.
 */
import * as Y from 'yjs'
import { EXPORT_FORMATS, type ExportFormat, exportDataset, readImport } from '../model/formats/index.ts'
import { Workspace } from '../model/index.ts'
import { layoutNewActors } from '../model/layout.ts'
import { syntheticDataset } from './synthetic.ts'

const ACTORS = Number(process.env.BENCH_ACTORS ?? 5000)
const LINKS = Number(process.env.BENCH_LINKS ?? 20_000)

function time<T>(work: () => T): { ms: number; value: T } {
  const started = performance.now()
  const value = work()
  return { ms: performance.now() - started, value }
}

const dataset = syntheticDataset(ACTORS, LINKS)
const reference = time(() => JSON.stringify(dataset))
const parseReference = time(() => JSON.parse(reference.value))
const size = (body: Uint8Array | string) =>
  typeof body === 'string' ? new TextEncoder().encode(body).byteLength : body.byteLength
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2)

console.log(
  `Map: ${ACTORS} actors, ${LINKS} links. Reference: JSON.stringify ${reference.ms.toFixed(1)} ms, JSON.parse ${parseReference.ms.toFixed(1)} ms.`,
)
console.log('\nExport                                      ms     ratio     MiB')
const files: Partial<Record<ExportFormat, Uint8Array | string>> = {}
for (const format of Object.keys(EXPORT_FORMATS) as ExportFormat[]) {
  const { ms, value } = time(() => exportDataset(dataset, format))
  files[format] = value.body
  console.log(
    `  ${EXPORT_FORMATS[format].padEnd(40)} ${ms.toFixed(0).padStart(6)} ${(ms / reference.ms).toFixed(1).padStart(8)} ${mb(size(value.body)).padStart(7)}`,
  )
}

console.log('\nImport into an empty workspace                ms     ratio')
const bytes = (body: Uint8Array | string | undefined) =>
  typeof body === 'string' ? new TextEncoder().encode(body) : (body as Uint8Array)
for (const [label, name, format] of [
  ['dataset (.json)', 'map.json', 'json'],
  ['CSV zip', 'map-csv.zip', 'csv'],
  ['Kumu zip', 'map-kumu.zip', 'kumu'],
] as const) {
  const read = time(() => readImport([{ name, bytes: bytes(files[format]) }]))
  if (!read.value.ok)
    throw new Error(`${label} did not read back: ${JSON.stringify(read.value.error.slice(0, 3))}`)
  const incoming = read.value.value
  const workspace = new Workspace(new Y.Doc())
  const merge = time(() => workspace.importDataset(incoming, { matchBy: format === 'kumu' ? 'name' : 'id' }))
  const total = read.ms + merge.ms
  console.log(
    `  ${`${label}: read`.padEnd(40)} ${read.ms.toFixed(0).padStart(6)} ${(read.ms / parseReference.ms).toFixed(1).padStart(8)}`,
  )
  console.log(
    `  ${`${label}: merge (one transaction)`.padEnd(40)} ${merge.ms.toFixed(0).padStart(6)} ${(merge.ms / parseReference.ms).toFixed(1).padStart(8)}`,
  )
  console.log(
    `  ${`${label}: total`.padEnd(40)} ${total.toFixed(0).padStart(6)} ${(total / parseReference.ms).toFixed(1).padStart(8)}`,
  )
}
const layout = time(() =>
  layoutNewActors(
    dataset.actors.map((actor) => actor.id),
    dataset.links,
    new Map(),
  ),
)
console.log(
  `  ${'force layout of every actor'.padEnd(40)} ${layout.ms.toFixed(0).padStart(6)} ${(layout.ms / parseReference.ms).toFixed(1).padStart(8)}`,
)
