/**
 * `npm run bench:import`: a borough's directory (5,000 actors, 20,000 links of every kind, from
 * bench/synthetic.ts) imported as Kumu's two CSV sheets through the Import dialog of the built
 * app, in Debian's Chromium, on the app's real server (tests/e2e/browser.ts starts both).
 *
 * Twice, each into a fresh workspace: as the app does it (reading, checking and the layout in a
 * worker), and with workers taken away, which runs the very same code on the page's thread (the
 * old path). Prints each part's time (the dialog's own `performance.measure` entries), the time
 * from pressing Import to "Imported", the longest task on the page's thread meanwhile (a
 * PerformanceObserver for 'longtask'), how often the progress bar moved, and ratios: to the old
 * path in the same run, and to only parsing the same CSV sheets (papaparse, in Node). Then it
 * says whether the import reached the server. Figures, never pass or fail.
 *
 * BENCH_ACTORS and BENCH_LINKS change the map's size.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import * as Y from 'yjs'
import { parseCsv } from '../model/formats/csv.ts'
import { toKumu } from '../model/formats/kumu.ts'
import { Workspace } from '../model/index.ts'
import { configWith } from '../sync-server/config.ts'
import { CHROMIUM, hasChromium, join as joinAs, launch, startAppServer } from '../tests/e2e/browser.ts'
import { fmt } from './report.ts'
import { syntheticDataset } from './synthetic.ts'

const ACTORS = Number(process.env.BENCH_ACTORS ?? 5000)
const LINKS = Number(process.env.BENCH_LINKS ?? 20_000)

/** What one import through the dialog measured. */
interface Run {
  /** Pressing Import to "Imported" on screen, from Node. */
  readonly wallMs: number
  /** The dialog's own measures: files, read, merge, layout (overlapping merge), place, total (ms). */
  readonly parts: Record<string, number>
  /** Where reading and the layout ran: 'worker' or 'page'. */
  readonly where: string
  /** The longest task on the page's thread from pressing Import to "Imported" (ms). */
  readonly longestTaskMs: number
  /** Long tasks (over 50 ms) meanwhile, and their total. */
  readonly longTasks: number
  readonly longTaskTotalMs: number
  /** navigator.hardwareConcurrency: above 2, the layout runs during the write. */
  readonly cores: number
  /** Shapes (boxes and arrows) on the map after placing, as the dialog counted them. */
  readonly shapes: number
  /** How many different values the progress bar showed. */
  readonly progressSteps: number
  /** Did the whole dataset reach the server within a minute? */
  readonly reachedServer: boolean
}

if (!hasChromium) {
  console.log(`bench:import needs Chromium at ${CHROMIUM} (apt-get install chromium); skipped.`)
  process.exit(0)
}

const dataset = syntheticDataset(ACTORS, LINKS)
const sheets = unzipSync(toKumu(dataset).body as Uint8Array)
const folder = mkdtempSync(join(tmpdir(), 'bench-import-'))
const files = ['elements.csv', 'connections.csv'].map((name) => {
  const path = join(folder, name)
  writeFileSync(path, sheets[name] as Uint8Array)
  return path
})

// The reference for "how long is reading at all": only parsing the same sheets, best of three.
const parseMs = Math.min(
  ...[1, 2, 3].map(() => {
    const started = performance.now()
    for (const name of ['elements.csv', 'connections.csv'])
      parseCsv(strFromU8(sheets[name] as Uint8Array), name)
    return performance.now() - started
  }),
)

// The size of the import's one transaction as an update (what the provider sends the server).
const updateBytes = (() => {
  const doc = new Y.Doc()
  let bytes = 0
  doc.on('update', (update: Uint8Array) => {
    bytes = Math.max(bytes, update.byteLength)
  })
  new Workspace(doc).importDataset(dataset, { matchBy: 'id' })
  return bytes
})()

const server = await startAppServer()
const browser = await launch()

async function importOnce(withWorkers: boolean): Promise<Run> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  // Every long task from the start, and, for the old path, no workers at all.
  await context.addInitScript((noWorkers: boolean) => {
    const tasks: { start: number; duration: number }[] = []
    ;(window as unknown as { longTasks: typeof tasks }).longTasks = tasks
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration })
    }).observe({ type: 'longtask', buffered: true })
    if (noWorkers) Object.defineProperty(window, 'Worker', { value: undefined })
  }, !withWorkers)
  const page = await context.newPage()
  const room = `bench-import-${withWorkers ? 'worker' : 'page'}-${Date.now().toString(36)}`
  await joinAs(page, `${server.httpUrl}/w/${room}`, 'Bench')
  await page.getByRole('button', { name: 'Import' }).click()
  const dialog = page.getByRole('dialog')
  await page.locator('#import-files').setInputFiles(files)
  await page.evaluate(() => {
    const seen: number[] = []
    ;(window as unknown as { progressSeen: number[] }).progressSeen = seen
    new MutationObserver(() => {
      const bar = document.querySelector<HTMLProgressElement>('progress#import-progress')
      if (bar && seen.at(-1) !== bar.value) seen.push(bar.value)
    }).observe(document.body, { subtree: true, childList: true, attributes: true })
  })
  const pressedAt = await page.evaluate(() => performance.now())
  const started = performance.now()
  await dialog.getByRole('button', { name: 'Import' }).click()
  await dialog.getByText(/^Imported: /).waitFor({ timeout: 300_000 })
  const wallMs = performance.now() - started
  const inPage = await page.evaluate((from: number) => {
    const parts: Record<string, number> = {}
    let where = ''
    let shapes = Number.NaN
    for (const entry of performance.getEntriesByType('measure') as PerformanceMeasure[]) {
      if (!entry.name.startsWith('import:')) continue
      parts[entry.name.slice(7)] = entry.duration
      const detail = entry.detail as { where?: string; shapes?: number; workerMs?: number } | null
      if (detail?.shapes !== undefined) shapes = detail.shapes
      // The time the worker (or the page, without one) itself spent, without sending and waiting.
      if (detail?.workerMs !== undefined) parts[`${entry.name.slice(7)}Work`] = detail.workerMs
      if (detail?.where)
        where = where.includes(detail.where) ? where : `${where}${where ? '+' : ''}${detail.where}`
    }
    const tasks = (
      window as unknown as { longTasks: { start: number; duration: number }[] }
    ).longTasks.filter((task) => task.start + task.duration >= from)
    return {
      parts,
      where,
      shapes,
      cores: navigator.hardwareConcurrency,
      longestTaskMs: Math.max(0, ...tasks.map((task) => task.duration)),
      longTasks: tasks.length,
      longTaskTotalMs: tasks.reduce((sum, task) => sum + task.duration, 0),
      progressSteps: (window as unknown as { progressSeen: number[] }).progressSeen.length,
    }
  }, pressedAt)
  let reachedServer = false
  const deadline = Date.now() + 60_000
  while (!reachedServer && Date.now() < deadline) {
    const response = await fetch(`${server.httpUrl}/api/rooms/${room}/export?format=json`)
    const body = response.ok ? ((await response.json()) as typeof dataset) : null
    reachedServer = body?.actors.length === ACTORS && body.links.length === LINKS
    if (!reachedServer) await new Promise((resolve) => setTimeout(resolve, 500))
  }
  await context.close()
  return { wallMs, ...inPage, reachedServer }
}

try {
  console.log(
    `Map: ${ACTORS} actors, ${LINKS} links as Kumu CSV sheets (${fmt((sheets['elements.csv']?.byteLength ?? 0) / 1048576)} + ${fmt((sheets['connections.csv']?.byteLength ?? 0) / 1048576)} MiB), in Chromium.`,
  )
  console.log(`Reference: parsing the two sheets only (papaparse, Node) ${fmt(parseMs, 0)} ms.`)
  const worker = await importOnce(true)
  const page = await importOnce(false)
  const rows: [string, (run: Run) => number][] = [
    ['Import pressed to "Imported" (ms)', (run) => run.wallMs],
    ['  reading the files (ms)', (run) => run.parts.files ?? Number.NaN],
    ['  reading and checking every row (ms)', (run) => run.parts.read ?? Number.NaN],
    ['    of which the reading itself (ms)', (run) => run.parts.readWork ?? Number.NaN],
    ['  writing into the Y.Doc, one transaction (ms)', (run) => run.parts.merge ?? Number.NaN],
    ['  force layout, from its start (ms)', (run) => run.parts.layout ?? Number.NaN],
    ['    of which the layout itself (ms)', (run) => run.parts.layoutWork ?? Number.NaN],
    ['  placing boxes and arrows on the map (ms)', (run) => run.parts.place ?? Number.NaN],
    ['Longest task on the page thread (ms)', (run) => run.longestTaskMs],
    ['Long tasks (count)', (run) => run.longTasks],
    ['Long tasks, total (ms)', (run) => run.longTaskTotalMs],
    ['Progress bar values shown', (run) => run.progressSteps],
    [`Shapes on the map (of ${ACTORS + LINKS} boxes and arrows)`, (run) => run.shapes],
  ]
  const width = Math.max(...rows.map(([label]) => label.length)) + 2
  console.log(`\n${''.padEnd(width)} ${'worker'.padStart(10)} ${'old path'.padStart(10)}  ratio  to parse`)
  for (const [label, pick] of rows) {
    const [a, b] = [pick(worker), pick(page)]
    const perParse = label.endsWith('(ms)') ? fmt(a / parseMs, 1) : ''
    console.log(
      `${label.padEnd(width)} ${fmt(a, 0).padStart(10)} ${fmt(b, 0).padStart(10)} ${fmt(a / b).padStart(6)} ${perParse.padStart(9)}`,
    )
  }
  console.log(`\nRan in: ${worker.where} (app), ${page.where} (workers taken away).`)
  console.log(
    `Cores the page sees: ${worker.cores}; the layout ${worker.cores > 2 ? 'ran during' : 'waited for'} the write.`,
  )
  console.log(
    `The import's one update: ${fmt(updateBytes / 1048576)} MiB (the server takes updates up to ${fmt(configWith({}).maxUpdateBytes / 1048576)} MiB).`,
  )
  console.log(
    `Reached the server whole within a minute: ${worker.reachedServer ? 'yes' : 'no'} (app), ${page.reachedServer ? 'yes' : 'no'} (old path).`,
  )
} finally {
  await browser.close()
  await server.stop()
  rmSync(folder, { recursive: true, force: true })
}
