/**
 * Timing of a page in Chromium, shared by the browser benchmarks (browser-canvas.ts, and
 * bare-tldraw.ts, the floor it is measured against): frames drawn while something drives the
 * page, the measured drag's pointer moves, and the page's main-thread time so far.
 */
import type { CDPSession, Page } from 'playwright-core'

/** Frame timing in the page while `drive` runs: frames per second and the worst frame. */
export async function frames(
  page: Page,
  drive: () => Promise<void>,
): Promise<{ fps: number; worst: number; count: number }> {
  // As text: tsx would wrap a named function in a helper the page does not have.
  await page.evaluate(`
    window.__frames = [];
    window.__stopFrames = false;
    const tick = (time) => {
      window.__frames.push(time);
      if (!window.__stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  `)
  await drive()
  await page.waitForTimeout(100)
  const times = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stopFrames: boolean }
    w.__stopFrames = true
    return w.__frames
  })
  const gaps = times.slice(1).map((time, i) => time - (times[i] as number))
  const span = (times.at(-1) ?? 0) - (times[0] ?? 0)
  return { fps: span > 0 ? (gaps.length / span) * 1000 : 0, worst: Math.max(0, ...gaps), count: gaps.length }
}

/** The measured drag's pointer moves (the button is down): 90 moves, 12 ms apart. */
export async function dragMoves(page: Page, from: { x: number; y: number }): Promise<void> {
  for (let i = 1; i <= 90; i++) {
    await page.mouse.move(from.x + Math.sin(i / 9) * 160, from.y + i * 2)
    await page.waitForTimeout(12)
  }
}

/**
 * The page's main-thread time so far (s): Chrome's TaskDuration, after `Performance.enable`.
 * `page` is not needed (the session is the page's); taken so browser-canvas.ts's calls stand.
 */
export async function mainThreadSeconds(page: Page, cdp: CDPSession): Promise<number> {
  void page
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[]
  }
  return metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0
}
