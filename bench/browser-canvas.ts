/**
 * `npm run bench:canvas`: a borough-sized map (5,000 actors, 20,000 links of every kind) on the
 * canvas in Chromium (Debian's /usr/bin/chromium, through playwright-core), against a reference
 * measured in the same run: a 500-actor, 2,000-link map opened, panned, zoomed and dragged the
 * same way. Each figure is printed with its ratio to the reference.
 *
 * - Cold open on a second device (a fresh browser context: empty IndexedDB): time from
 *   navigation to the first actor box drawn (of the map's preview, which the server sends ahead
 *   of the document, or of the map), to the first box of the map itself, and to every box of the
 *   map drawn (as a tldraw shape, or on a large map zoomed out as a plain box on the link
 *   layer's canvas). The maps are stored as rooms that have been worked on: compacted, with
 *   their previews.
 * - Panning and zooming, zoomed out (the whole map in view) and at 100%: frames per second and
 *   the worst frame, from requestAnimationFrame timing in the page while page.mouse.wheel drives
 *   the camera.
 * - A drag of one box at 100%: the page's main-thread time per frame (Chrome's TaskDuration over
 *   the drag, divided by the frames drawn; the median of three drags from the same place), and
 *   the long tasks (a PerformanceObserver). At 100%
 *   in the middle of the map (Shift+0), on the box nearest the middle; the middle can fall
 *   between wards, with no box in view, and then the view is panned a screen at a time round it.
 *
 * BENCH_ACTORS / BENCH_LINKS change the large map; BENCH_SCREENS=dir saves screenshots.
 * BENCH_ONLY=drag skips the pans and zooms (their figures print as 0), to measure drags alone.
 * BENCH_TRACE=dir drags each map twice more after the measured drag: once under a Chrome trace
 * (devtools.timeline), saved as `trace-<map>.json` and summarised (self time by event, the
 * elements each style recalculation restyled: trace-summary.ts), once under a CPU profile, saved
 * as `drag-<map>.cpuprofile` (open it in Chrome's DevTools) with its heaviest functions printed.
 * The drag is also measured, in the same run, in a bare tldraw page (bare-tldraw.ts): the floor
 * of what any drag costs on this machine with tldraw, each map's drag printed as a ratio to it.
 * BENCH_BEFORE=dir also measures the borough with another build of the client (a `dist/client`
 * built from an earlier commit, e.g. in a `git worktree`), served from the same store in the
 * same run, so a change is measured before and after under the same load.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import * as Y from 'yjs'
import { encodePreview, previewOfDoc } from '../model/map-preview.ts'
import { openSqliteStore } from '../sync-server/storage/sqlite.ts'
import { CHROMIUM, hasChromium, launch, startAppServer } from '../tests/e2e/browser.ts'
import { startTestServer } from '../tests/server/helpers.ts'
import { measureBareDrag } from './bare-tldraw.ts'
import { boroughMap } from './borough.ts'
import { dragMoves, frames, mainThreadSeconds } from './page-timing.ts'
import { fmt, printComparison, type Row } from './report.ts'
import { summariseTrace } from './trace-summary.ts'

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const ACTORS = env('BENCH_ACTORS', 5000)
const LINKS = env('BENCH_LINKS', 20_000)
const SCREENS = process.env.BENCH_SCREENS
const BEFORE = process.env.BENCH_BEFORE
const DRAG_ONLY = process.env.BENCH_ONLY === 'drag'
const TRACE = process.env.BENCH_TRACE
/** Drags measured on each map (and in the bare page), the median reported: one drag's figure varies. */
const DRAGS = 3
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
/**
 * The performance.measure entry of each redraw of the canvas of lines (link-layer.tsx's
 * LINES_DRAWN; not imported, which would load the page's modules, its language among them, here).
 */
const LINES_DRAWN = 'link lines drawn'

interface Figures {
  firstBoxMs: number
  firstMapBoxMs: number
  allBoxesMs: number
  panFpsOut: number
  worstFrameOutMs: number
  zoomFpsOut: number
  panFpsIn: number
  worstFrameInMs: number
  dragTaskMsPerFrame: number
  dragFps: number
  dragLongTasks: number
  /** The actor whose box was dragged (what a drag costs depends on its lines: how many, how long). */
  draggedActor: string
  arrowShapes: number
  /** Redraws of the canvas of lines while panning and zooming zoomed out, and their mean cost. */
  lineDrawsOut: number
  lineDrawMs: number
}

/**
 * Records, from the first script the page runs, when the first actor box is drawn: of the map's
 * preview (sent ahead of the document, model/map-preview.ts) or of the map itself, and when the
 * first of the map itself is.
 */
const INIT = (participant: string) => `
  localStorage.setItem('network-map:participant', ${JSON.stringify(participant)});
  window.__bench = { firstBox: null, firstMapBox: null, longTasks: [] };
  new MutationObserver((_, observer) => {
    const layer = document.querySelector('[data-testid="link-lines"]');
    const now = performance.now();
    const mapBox = document.querySelector('.tl-shape[data-shape-type="actor"] .actor-card, .tl-shape[data-shape-type="actor"] .actor-box') || Number(layer?.dataset.boxes) > 0;
    const previewBox = [...document.querySelectorAll('[data-preview-boxes]')].some((el) => Number(el.dataset.previewBoxes) > 0);
    if (window.__bench.firstBox === null && (mapBox || previewBox)) window.__bench.firstBox = now;
    if (mapBox) {
      window.__bench.firstMapBox = now;
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-boxes', 'data-preview-boxes'] });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bench.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
`

/**
 * The same drag again from where the last began: the last drag undone, the box selected again
 * with a click (a second drag straight after a drop scrolled the map at its edge, tldraw's edge
 * scrolling), `during` run with the button down.
 */
async function dragAgain(
  page: Page,
  from: { x: number; y: number },
  boxCentre: { x: number; y: number },
  during: () => Promise<void>,
): Promise<void> {
  await page.keyboard.press('Control+z')
  await page.keyboard.press('Escape')
  await page.waitForTimeout(300)
  await page.mouse.click(boxCentre.x, boxCentre.y)
  await page.waitForTimeout(800)
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await during()
  await page.mouse.up()
}

/**
 * BENCH_TRACE: the same drag again under a Chrome trace, then under a CPU profile, each from
 * where the measured ones began (dragAgain), saved to BENCH_TRACE's dir and summarised.
 */
async function traceDrags(
  browser: Browser,
  page: Page,
  cdp: import('playwright-core').CDPSession,
  from: { x: number; y: number },
  boxCentre: { x: number; y: number },
  name: string,
): Promise<void> {
  const dir = TRACE as string
  mkdirSync(dir, { recursive: true })
  const again = (during: () => Promise<void>) => dragAgain(page, from, boxCentre, during)
  const categories = [
    'devtools.timeline',
    'disabled-by-default-devtools.timeline',
    'v8.execute',
    'blink.user_timing',
  ]
  let buffer: Buffer = Buffer.alloc(0)
  await again(async () => {
    await browser.startTracing(page, { categories })
    await dragMoves(page, from)
    buffer = await browser.stopTracing()
  })
  writeFileSync(join(dir, `trace-${name}.json`), buffer)
  const summary = summariseTrace(JSON.parse(buffer.toString()))
  console.log(
    `${name}: traced drag: ${Math.round(summary.spanMs)} ms, ${summary.commits} frames committed, ${summary.styleRecalcs} style recalculations (${summary.styledElements} elements), ${summary.layouts} layouts; self time by event (ms):`,
  )
  for (const [event, ms] of summary.selfMs.slice(0, 25))
    console.log(`  ${ms.toFixed(1).padStart(8)}  ${event}`)

  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
  let profile: CpuProfile = { nodes: [], samples: [], timeDeltas: [] }
  await again(async () => {
    await cdp.send('Profiler.start')
    await dragMoves(page, from)
    profile = ((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile
  })
  writeFileSync(join(dir, `drag-${name}.cpuprofile`), JSON.stringify(profile))
  console.log(`${name}: profiled drag: heaviest functions by self time (ms):`)
  for (const [fn, ms] of heaviest(profile).slice(0, 30)) console.log(`  ${ms.toFixed(1).padStart(8)}  ${fn}`)
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
  samples: number[]
  timeDeltas: number[]
}

/** A CPU profile's self time by function (name, file and line), largest first. */
function heaviest(profile: CpuProfile): [string, number][] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const frame = byNode.get(id)?.callFrame
    if (!frame) return
    const file = frame.url.split('/').at(-1) ?? ''
    const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  })
  return [...self].sort((a, b) => b[1] - a[1])
}

async function measure(
  browser: Browser,
  httpUrl: string,
  room: string,
  actors: number,
  name: string,
): Promise<Figures> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const participant = JSON.stringify({ id: `bench-${name}`, name: 'Bench', colour: '#1d4ed8' })
  await context.addInitScript(INIT(participant))
  const page = await context.newPage()
  page.setDefaultTimeout(120_000)
  const began = performance.now()
  const step = (what: string) =>
    console.error(`  ${name}: ${what} at ${Math.round(performance.now() - began)} ms`)
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))

  // ---- cold open: empty IndexedDB in a fresh context.
  await page.goto(`${httpUrl}/w/${room}`)
  await page.waitForFunction(
    () => (window as unknown as { __bench: { firstBox: number | null } }).__bench.firstBox !== null,
    null,
    { polling: 16 },
  )
  const firstBoxMs = await page.evaluate(
    () => (window as unknown as { __bench: { firstBox: number } }).__bench.firstBox,
  )
  await page.waitForFunction(
    () => (window as unknown as { __bench: { firstMapBox: number | null } }).__bench.firstMapBox !== null,
    null,
    { polling: 16 },
  )
  const firstMapBoxMs = await page.evaluate(
    () => (window as unknown as { __bench: { firstMapBox: number } }).__bench.firstMapBox,
  )
  await page.waitForFunction(
    (count) =>
      document.querySelectorAll('.tl-shape[data-shape-type="actor"]').length +
        Number(document.querySelector<HTMLElement>('[data-testid="link-lines"]')?.dataset.boxes ?? 0) >=
      count,
    actors,
    { polling: 16 },
  )
  const allBoxesMs = await page.evaluate(() => performance.now())
  await page.getByText('All changes saved').waitFor()
  await page.waitForTimeout(1500)
  step('opened')
  if (SCREENS) await page.screenshot({ path: join(SCREENS, `bench-${name}-zoomed-out.png`) })

  const box = await page.locator('.tl-canvas').boundingBox()
  if (!box) throw new Error('no canvas')
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
  await page.mouse.move(centre.x, centre.y)

  // ---- zoomed out (the whole map in view, as it opens): pan, then zoom in and out.
  await page.evaluate(() => performance.clearMeasures())
  // With BENCH_ONLY=drag the pans and zooms drive nothing (their figures print as 0).
  const unlessDragOnly = (drive: () => Promise<void>) => (DRAG_ONLY ? async () => undefined : drive)
  const panOut = await frames(
    page,
    unlessDragOnly(async () => {
      for (let i = 0; i < 60; i++) {
        await page.mouse.wheel(i < 30 ? 24 : -24, i < 30 ? 12 : -12)
        await page.waitForTimeout(16)
      }
    }),
  )
  step('panned zoomed out')
  const zoomOut = await frames(
    page,
    unlessDragOnly(async () => {
      await page.keyboard.down('Control')
      for (let i = 0; i < 40; i++) {
        await page.mouse.wheel(0, i < 20 ? -8 : 8)
        await page.waitForTimeout(16)
      }
      await page.keyboard.up('Control')
    }),
  )

  step('zoomed zoomed out')
  // The canvas of lines (link-layer.tsx names each redraw; none in a build without it).
  const draws = await page.evaluate(
    (name) => performance.getEntriesByName(name).map((entry) => entry.duration),
    LINES_DRAWN,
  )
  // ---- at 100% in the middle of the map (Shift+0), on the box nearest the middle, selected.
  await page.mouse.move(centre.x, centre.y)
  await page.keyboard.press('Shift+Digit0')
  await page.waitForTimeout(1500)
  // The boxes are grouped by ward, and the middle of the map can fall between groups: pan a
  // screen at a time, round the middle, until a box is in view (a shape once the view has settled).
  const cardInView = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('.actor-card')].some((card) => card.getBoundingClientRect().width > 0),
    )
  const steps = [
    [0, 0],
    [1, 0],
    [0, 1],
    [-1, 0],
    [-1, 0],
    [0, -1],
    [0, -1],
    [1, 0],
    [1, 0],
  ] as const
  for (const [dx, dy] of steps) {
    if (dx !== 0 || dy !== 0) {
      await page.mouse.wheel(dx * box.width * 0.8, dy * box.height * 0.8)
      await page.waitForTimeout(1000)
    }
    if (await cardInView()) break
  }
  const actorId = await page.locator('.actor-card').evaluateAll((cards, middle) => {
    let best: { id: string; distance: number } | null = null
    for (const card of cards) {
      const rect = card.getBoundingClientRect()
      // A culled card (tldraw hides those out of view) has no box.
      if (rect.width === 0) continue
      const distance = Math.hypot(rect.x + rect.width / 2 - middle.x, rect.y + rect.height / 2 - middle.y)
      if (!best || distance < best.distance)
        best = { id: (card as HTMLElement).dataset.actorId ?? '', distance }
    }
    return best?.id
  }, centre)
  if (!actorId) throw new Error('no box at 100%')
  const target = page.locator(`.actor-card[data-actor-id="${actorId}"]`).first()
  const seen = await target.boundingBox()
  if (!seen) throw new Error('no box to select')
  await page.mouse.click(seen.x + seen.width / 2, seen.y + seen.height / 2)
  await page.waitForTimeout(800)
  if (SCREENS) await page.screenshot({ path: join(SCREENS, `bench-${name}-100.png`) })
  step('at 100%')
  const panIn = await frames(
    page,
    unlessDragOnly(async () => {
      for (let i = 0; i < 60; i++) {
        await page.mouse.wheel(i < 30 ? 30 : -30, 0)
        await page.waitForTimeout(16)
      }
    }),
  )
  await page.waitForTimeout(800)
  const arrowShapes = await page.locator('.tl-shape[data-shape-type="arrow"]').count()

  step('panned at 100%')
  // ---- a drag of the selected box at 100% (panned back to where it was).
  const start = await target.boundingBox()
  if (!start) throw new Error('no box in view to drag')
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  await page.evaluate(() => {
    ;(window as unknown as { __bench: { longTasks: number[] } }).__bench.longTasks = []
  })
  const from = { x: start.x + start.width / 2, y: start.y + 12 }
  const boxCentre = { x: start.x + start.width / 2, y: start.y + start.height / 2 }
  // DRAGS drags of the box from the same place; the median of their figures is reported.
  const drags: { msPerFrame: number; fps: number }[] = []
  const measured = async () => {
    const before = await mainThreadSeconds(page, cdp)
    const drag = await frames(page, () => dragMoves(page, from))
    const after = await mainThreadSeconds(page, cdp)
    drags.push({ msPerFrame: ((after - before) * 1000) / Math.max(1, drag.count), fps: drag.fps })
    // The drag must have moved the box (not, say, selected text in a panel over it).
    const end = await target.boundingBox()
    if (!end || end.y - start.y < 100) throw new Error(`the drag did not move the box of ${actorId}`)
  }
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await measured()
  await page.mouse.up()
  while (drags.length < DRAGS) await dragAgain(page, from, boxCentre, measured)
  step(`dragged: ${drags.map((drag) => drag.msPerFrame.toFixed(2)).join(', ')} ms a frame`)
  if (TRACE) await traceDrags(browser, page, cdp, from, boxCentre, name)
  const longTasks = await page.evaluate(
    () => (window as unknown as { __bench: { longTasks: number[] } }).__bench.longTasks.length,
  )
  if (errors.length > 0) console.warn(`${name}: page errors`, errors.slice(0, 3))
  await context.close()
  return {
    firstBoxMs,
    firstMapBoxMs,
    allBoxesMs,
    panFpsOut: panOut.fps,
    worstFrameOutMs: panOut.worst,
    zoomFpsOut: zoomOut.fps,
    panFpsIn: panIn.fps,
    worstFrameInMs: panIn.worst,
    dragTaskMsPerFrame: median(drags.map((drag) => drag.msPerFrame)),
    dragFps: median(drags.map((drag) => drag.fps)),
    dragLongTasks: longTasks,
    draggedActor: actorId,
    arrowShapes,
    lineDrawsOut: draws.length,
    lineDrawMs: draws.length > 0 ? draws.reduce((sum, ms) => sum + ms, 0) / draws.length : 0,
  }
}

async function main() {
  if (!hasChromium) {
    console.log(`bench:canvas skipped: ${CHROMIUM} is not installed`)
    return
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-canvas-'))
  const store = openSqliteStore({ dataDir, synchronous: 'normal' })
  const maps: (readonly [string, string, number, number, 'before' | 'now'])[] = [
    ['reference (500 actors, 2,000 links)', 'reference', 500, 2000, 'now'],
    ...(BEFORE ? ([[`borough, the earlier build`, 'borough-before', ACTORS, LINKS, 'before']] as const) : []),
    [`borough (${ACTORS} actors, ${LINKS} links)`, 'borough', ACTORS, LINKS, 'now'],
  ]
  for (const [, room, actors, links] of maps) {
    const made = performance.now()
    const { update } = boroughMap(actors, links)
    // Stored as a room that has been worked on is: compacted into a snapshot, which the server
    // sends a client with nothing while it builds the room (sync-server/early-state.ts).
    await store.compact(room, update, await store.append(room, [update]))
    // With the map's preview, as its compaction left it (sync-server/room.ts).
    const doc = new Y.Doc()
    Y.applyUpdate(doc, update)
    await store.savePreview?.(room, encodePreview(previewOfDoc(doc)))
    doc.destroy()
    console.log(
      `${room}: ${(update.byteLength / 2 ** 20).toFixed(1)} MiB document, made in ${Math.round(performance.now() - made)} ms`,
    )
  }
  const limits = { dataDir, maxMessageBytes: 256 * 2 ** 20, maxUpdateBytes: 256 * 2 ** 20 }
  const server = await startAppServer(limits, { store })
  const before = BEFORE
    ? await startTestServer({ ...limits, clientDir: BEFORE, roomIdleMs: 60_000 }, { store })
    : null
  const browser = await launch()
  try {
    const results: [string, Figures][] = []
    for (const [label, room, actors, , build] of maps) {
      const url = build === 'before' && before ? before.httpUrl : server.httpUrl
      results.push([label, await measure(browser, url, room, actors, room)])
      console.log(label, results.at(-1)?.[1])
    }
    const rows: Row<Figures>[] = [
      ['cold open: first box, preview or map (ms)', (f) => f.firstBoxMs, 0],
      ['cold open: first box of the map itself (ms)', (f) => f.firstMapBoxMs, 0],
      ['cold open: every box in the store (ms)', (f) => f.allBoxesMs, 0],
      ['zoomed out: pan (frames/s)', (f) => f.panFpsOut, 1],
      ['zoomed out: worst frame (ms)', (f) => f.worstFrameOutMs, 1],
      ['zoomed out: zoom (frames/s)', (f) => f.zoomFpsOut, 1],
      ['100%: pan (frames/s)', (f) => f.panFpsIn, 1],
      ['100%: worst frame (ms)', (f) => f.worstFrameInMs, 1],
      ['zoomed out: redraws of the lines (pan and zoom)', (f) => f.lineDrawsOut, 0],
      ['zoomed out: a redraw of the lines (ms)', (f) => f.lineDrawMs, 1],
      ['100%: arrow shapes in the page', (f) => f.arrowShapes, 0],
      ['drag: main thread per frame (ms)', (f) => f.dragTaskMsPerFrame, 2],
      ['drag: frames/s', (f) => f.dragFps, 1],
      ['drag: long tasks', (f) => f.dragLongTasks, 0],
    ]
    const reference = results[0]?.[1] as Figures
    printComparison(results, reference, 'the 500-actor map', rows)
    // The floor: the same drag in a bare tldraw page, in the same browser straight after.
    const rounds = []
    for (let round = 0; round < DRAGS; round++) rounds.push(await measureBareDrag(browser))
    const floor = median(rounds.map((round) => round.dragTaskMsPerFrame))
    console.log(
      `\n## the floor: the same drag in a bare tldraw page (${rounds[0]?.boxesInView} labelled boxes in view, three arrows into the one dragged)`,
    )
    console.log(
      `  drag: main thread per frame (ms) ${fmt(floor).padStart(10)}   (median of ${rounds.map((round) => fmt(round.dragTaskMsPerFrame)).join(', ')})`,
    )
    for (const [name, figures] of results)
      console.log(`  ${name}: ratio to the floor ${fmt(figures.dragTaskMsPerFrame / floor)}`)
  } finally {
    await browser.close()
    await before?.stop()
    await server.stop()
    // The store's writer thread would keep the process (and `npm run bench` after it) alive.
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()
// tldraw opens a BroadcastChannel ('tldraw-user-sync') as it is imported (bench/borough.ts makes
// the map with a tldraw store), and Node stays alive while a channel is open: `npm run bench`,
// whose last step this is, would never return.
process.exit()
