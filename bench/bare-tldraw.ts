/**
 * The floor for bench:canvas's drag: the same drag of one box at 100%, measured the same way
 * (page-timing.ts: the page's main-thread time per frame drawn, 90 pointer moves 12 ms apart,
 * a 1280x800 view), in a bare tldraw page (bare-tldraw/: <Tldraw /> and nothing of the app) with
 * a grid of labelled boxes in view and a few arrows, three of them bound to the dragged box.
 * What is left of the app's figure above this is the app's own.
 *
 * `npx tsx bench/bare-tldraw.ts` prints three rounds (BENCH_BOXES boxes, 60 unless set);
 * BENCH_TRACE=dir drags once more under a Chrome trace, saved there as `trace-bare.json` and
 * summarised (self time by event, trace-summary.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import react from '@vitejs/plugin-react'
import type { Browser } from 'playwright-core'
import { build } from 'vite'
import { serveClient } from '../sync-server/static-files.ts'
import { launch } from '../tests/e2e/browser.ts'
import { dragMoves, frames, mainThreadSeconds } from './page-timing.ts'
import { summariseTrace, type TraceSummary } from './trace-summary.ts'

const PAGE_DIR = join(import.meta.dirname, 'bare-tldraw')

/** The page built and served once per process; its files go when the process does. */
let served: Promise<string> | undefined
function barePageUrl(): Promise<string> {
  served ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'bare-tldraw-'))
    process.on('exit', () => rmSync(outDir, { recursive: true, force: true }))
    // Not the project's vite.config.ts: its plugins expect the app.
    await build({
      root: PAGE_DIR,
      configFile: false,
      logLevel: 'warn',
      plugins: [react()],
      build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4096, assetsInlineLimit: 0 },
    })
    // Served as the app's own server serves the client.
    const server = createServer((request, response) => serveClient(outDir, request, response))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    // It serves for as long as the process runs, and must not keep it running.
    server.unref()
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })()
  return served
}

/**
 * One drag of the box nearest the middle of a fresh bare page with `boxes` boxes (60 unless
 * given). With `trace`, the drag runs under a Chrome trace (its figures then include the
 * tracing's cost), saved to that file and summarised.
 */
export async function measureBareDrag(
  browser: Browser,
  opts: { boxes?: number; trace?: string } = {},
): Promise<{
  dragTaskMsPerFrame: number
  dragFps: number
  /** The frames counted, and the drag's length: how fast the pointer moves came (the load). */
  dragFrames: number
  dragSeconds: number
  boxesInView: number
  trace?: TraceSummary
}> {
  const url = await barePageUrl()
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  try {
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(url)
    await page.waitForFunction(() => window.__addScene !== undefined)
    const scene = await page.evaluate((boxes) => window.__addScene?.(boxes), opts.boxes ?? 60)
    if (!scene) throw new Error('the bare page made no scene')
    // Fonts loaded and the boxes' labels measured, as bench:canvas waits before its drag.
    await page.waitForTimeout(1500)
    const { x, y, w, h } = scene.screen
    await page.mouse.click(x + w / 2, y + h / 2)
    await page.waitForTimeout(800)
    const selected = await page.evaluate(() => window.__editor?.getSelectedShapeIds())
    if (selected?.length !== 1 || selected[0] !== scene.id) throw new Error('the box to drag is not selected')

    // As bench:canvas's measured drag, from just inside the box's top edge.
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    const from = { x: x + w / 2, y: y + 12 }
    await page.mouse.move(from.x, from.y)
    await page.mouse.down()
    const categories = [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'v8.execute',
      'blink.user_timing',
    ]
    if (opts.trace) await browser.startTracing(page, { categories })
    const before = await mainThreadSeconds(page, cdp)
    const drag = await frames(page, () => dragMoves(page, from))
    const after = await mainThreadSeconds(page, cdp)
    let trace: TraceSummary | undefined
    if (opts.trace) {
      const buffer = await browser.stopTracing()
      writeFileSync(opts.trace, buffer)
      trace = summariseTrace(JSON.parse(buffer.toString()))
    }
    await page.mouse.up()
    // Grabbed just inside its top edge, the box (still the selection) must have moved, not been resized.
    const moved = await page.evaluate(() => {
      const bounds = window.__editor?.getSelectionPageBounds()
      return bounds && { y: bounds.y, w: bounds.w, h: bounds.h }
    })
    if (!moved || moved.w !== w || moved.h !== h || moved.y === scene.page.y)
      throw new Error('the drag did not move the box')
    if (errors.length > 0) console.warn('bare tldraw: page errors', errors.slice(0, 3))
    return {
      dragTaskMsPerFrame: ((after - before) * 1000) / Math.max(1, drag.count),
      dragFps: drag.fps,
      dragFrames: drag.count,
      dragSeconds: drag.fps > 0 ? drag.count / drag.fps : 0,
      boxesInView: scene.boxesInView,
      ...(trace ? { trace } : {}),
    }
  } finally {
    await context.close()
  }
}

/** One round's figures, as a line. */
function line(figures: Awaited<ReturnType<typeof measureBareDrag>>): string {
  const { dragTaskMsPerFrame, dragFps, dragFrames, dragSeconds } = figures
  return `main thread ${dragTaskMsPerFrame.toFixed(2)} ms/frame, ${dragFps.toFixed(1)} frames/s (${dragFrames} frames in ${dragSeconds.toFixed(2)} s)`
}

async function main() {
  const boxes = Number(process.env.BENCH_BOXES ?? 60)
  const traceDir = process.env.BENCH_TRACE
  const browser = await launch()
  try {
    for (let round = 1; round <= 3; round++) {
      const figures = await measureBareDrag(browser, { boxes })
      console.log(
        `bare tldraw, ${boxes} boxes (${figures.boxesInView} in view), round ${round}: ${line(figures)}`,
      )
    }
    if (traceDir) {
      mkdirSync(traceDir, { recursive: true })
      const traced = await measureBareDrag(browser, { boxes, trace: join(traceDir, 'trace-bare.json') })
      const summary = traced.trace as TraceSummary
      console.log(
        `bare tldraw, ${boxes} boxes, traced: ${line(traced)}; ${Math.round(summary.spanMs)} ms, ${summary.commits} frames committed, ${summary.styleRecalcs} style recalculations (${summary.styledElements} elements), ${summary.layouts} layouts; self time by event (ms, and per frame committed):`,
      )
      for (const [event, ms] of summary.selfMs.slice(0, 25))
        console.log(
          `  ${ms.toFixed(1).padStart(8)}  ${(ms / Math.max(1, summary.commits)).toFixed(2).padStart(6)}  ${event}`,
        )
    }
  } finally {
    await browser.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main()
  // Nothing the build or the browser left open may keep Node running, as in bench:canvas.
  process.exit()
}
