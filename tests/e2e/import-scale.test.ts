import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { syntheticDataset } from '../../bench/synthetic.ts'
import { toKumu } from '../../model/formats/kumu.ts'
import { canvasMap } from '../../model/index.ts'
import { provider, synced, waitFor } from '../server/helpers.ts'
import { hasChromium, join as joinAs, SCREENSHOTS, useAppInBrowser, watchedPage } from './browser.ts'

const ACTORS = 1000
// 3,500 boxes and arrows: under tldraw's 4,000 shapes on a page.
const LINKS = 2500

/** The generated map as Kumu's two CSV sheets, written where the file chooser can pick them. */
function kumuSheets(folder: string): string[] {
  const zip = unzipSync(toKumu(syntheticDataset(ACTORS, LINKS)).body as Uint8Array)
  return ['elements.csv', 'connections.csv'].map((name) => {
    const path = join(folder, name)
    writeFileSync(path, zip[name] as Uint8Array)
    return path
  })
}

describe.skipIf(!hasChromium)('importing a large map', () => {
  const app = useAppInBrowser()

  it('imports 1,000 actors from Kumu sheets with a moving progress bar, lays every one out, and syncs them', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const watched = await watchedPage(context, app.server.httpUrl)
    const { page } = watched
    const room = `import-${Date.now().toString(36)}`
    await joinAs(page, `${app.server.httpUrl}/w/${room}`, 'Amina')

    await page.getByRole('button', { name: 'Import' }).click()
    const dialog = page.getByRole('dialog')
    await page.locator('#import-files').setInputFiles(kumuSheets(mkdtempSync(join(tmpdir(), 'import-'))))
    // Every value the bar takes, as the page draws it: a bar that only jumped to the end would
    // show one or two.
    // and what the polite status line said meanwhile.
    type Seen = { values: number[]; said: string[] }
    await page.evaluate(() => {
      const seen: Seen = { values: [], said: [] }
      ;(window as unknown as { progressSeen: Seen }).progressSeen = seen
      new MutationObserver(() => {
        const bar = document.querySelector<HTMLProgressElement>('progress#import-progress')
        if (bar && bar.max === 100 && seen.values.at(-1) !== bar.value) seen.values.push(bar.value)
        const status = document.querySelector('#import-step[role="status"][aria-live="polite"]')
        const text = status?.textContent ?? ''
        if (text && seen.said.at(-1) !== text) seen.said.push(text)
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
    })
    await dialog.getByRole('button', { name: 'Import' }).click()
    await dialog.locator('progress#import-progress').waitFor()
    await dialog.getByText(`Imported: ${ACTORS} actors added`).waitFor({ timeout: 60_000 })
    const { values: seen, said } = await page.evaluate(
      () => (window as unknown as { progressSeen: Seen }).progressSeen,
    )
    expect(said).toEqual(expect.arrayContaining([expect.stringMatching(/^Checking every row… \d+%$/)]))
    expect(said).toEqual(expect.arrayContaining([expect.stringMatching(/^Laying out the map… \d+%$/)]))
    expect(seen.length).toBeGreaterThanOrEqual(5)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    // Up to the last step, placing the boxes (from 88 of 100), after which "Imported" replaces it.
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(88)
    await dialog.getByRole('button', { name: 'Close' }).click()

    // The dataset reached the server whole.
    await waitFor(
      async () => {
        const dataset = await app.exportOf(room)
        return dataset?.actors.length === ACTORS && dataset.links.length === LINKS
      },
      30_000,
      'the import to reach the server',
    )
    const dataset = await app.exportOf(room)
    const names = new Set(dataset?.actors.map((actor) => actor.name))
    expect(names.size).toBe(ACTORS)
    expect(names.has('Organisation 0') && names.has(`Organisation ${ACTORS - 1}`)).toBe(true)

    // Every actor placed once, each box on a spot of its own, all within a sensible area: the
    // map as the server holds it, read by a plain client.
    const doc = new Y.Doc()
    const reader = provider(app.server.wsUrl, room, doc)
    try {
      await synced(reader, 30_000)
      const boxes = () =>
        [...canvasMap(doc).values()].filter(
          (record) => (record as { type?: string }).type === 'actor',
        ) as unknown as { x: number; y: number; props: { actorId: string } }[]
      await waitFor(async () => boxes().length >= ACTORS, 30_000, 'the boxes to reach the server')
      const placed = boxes()
      expect(placed).toHaveLength(ACTORS)
      const actorIds = new Set(dataset?.actors.map((actor) => actor.id))
      expect(new Set(placed.map((box) => box.props.actorId))).toEqual(actorIds)
      expect(new Set(placed.map((box) => `${box.x},${box.y}`)).size).toBe(ACTORS)
      const xs = placed.map((box) => box.x)
      const ys = placed.map((box) => box.y)
      const [width, height] = [Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)]
      // A box with room around it is about 320 x 180 (layout.ts): 1,000 of them need at least a
      // few thousand units each way, and a layout that flung them far apart would need far more.
      expect(Math.min(width, height)).toBeGreaterThan(2_000)
      expect(Math.max(width, height)).toBeLessThan(60_000)
    } finally {
      reader.destroy()
    }

    await page.screenshot({ path: join(SCREENSHOTS, 'imported-large-map.png') })
    expect(watched.errors).toEqual([])
    expect(watched.foreignRequests).toEqual([])
    await context.close()
  }, 180_000)
})
