import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { boroughMap } from '../../bench/borough.ts'
import { encodePreview, previewOfDoc } from '../../model/map-preview.ts'
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'
import { hasChromium, SCREENSHOTS, useAppInBrowser, watchedPage } from './browser.ts'

/**
 * A device with nothing opening a large map is shown the map's preview in the workspace's frame
 * before the workspace (tldraw, a script of its own) mounts; the preview then stays over the
 * workspace's map until the map has drawn. The frame lays out the workspace's top bar and
 * facilitation bar (OpeningWorkspace.tsx), so the map area, and the preview in it, must not move
 * when the workspace mounts: it jumped about 100 px down at 1280 px wide, 180 on a phone.
 */
const ROOM = 'opening-layout'

/** Records, every frame from the first script on, the preview's top and, once mounted, the map's. */
const RECORD = `
  localStorage.setItem('network-map:participant', ${JSON.stringify(
    JSON.stringify({ id: 'opening-layout', name: 'Robin', colour: '#1d4ed8' }),
  )});
  window.__tops = { opening: [], mounted: [], mapMounted: [] };
  const sample = () => {
    const mounted = document.querySelector('.tl-container') !== null;
    const preview = document.querySelector('.preview-map canvas');
    if (preview) window.__tops[mounted ? 'mounted' : 'opening'].push(preview.getBoundingClientRect().top);
    const map = document.querySelector('.workspace__map');
    if (mounted && map) window.__tops.mapMounted.push(map.getBoundingClientRect().top);
    requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
`

interface Tops {
  readonly opening: number[]
  readonly mounted: number[]
  readonly mapMounted: number[]
}

describe.skipIf(!hasChromium)('the opening frame lays out the workspace: the preview does not move', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'opening-layout-store-'))
  const store = openSqliteStore({ dataDir, synchronous: 'normal' })
  const app = useAppInBrowser({
    server: { maxMessageBytes: 64 * 2 ** 20, maxUpdateBytes: 64 * 2 ** 20 },
    parts: { store },
  })
  beforeAll(async () => {
    // Large enough to be sent its preview first (a room worked on: compacted, with its preview).
    const { update } = boroughMap(1000, 4000)
    await store.compact(ROOM, update, await store.append(ROOM, [update]))
    const doc = new Y.Doc()
    Y.applyUpdate(doc, update)
    await store.savePreview?.(ROOM, encodePreview(previewOfDoc(doc)))
    doc.destroy()
  }, 120_000)
  afterAll(async () => {
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  for (const [name, viewport] of [
    ['wide', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`${name} (${viewport.width}x${viewport.height})`, async () => {
      const context = await app.browser.newContext({ viewport })
      await context.addInitScript(RECORD)
      const { page, errors } = await watchedPage(context, app.server.httpUrl)
      page.setDefaultTimeout(60_000)
      // Slowed, as a venue's laptops are, so that the opening frame stays for frames enough.
      const cdp = await context.newCDPSession(page)
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
      await page.goto(`${app.server.httpUrl}/w/${ROOM}`)
      await page.locator('[data-preview-boxes]').first().waitFor()
      await page.screenshot({ path: join(SCREENSHOTS, `opening-layout-${name}-preview.png`) })
      await page.locator('.tl-container').waitFor()
      await page.locator('.preview-map').waitFor({ state: 'detached', timeout: 120_000 })
      await page.screenshot({ path: join(SCREENSHOTS, `opening-layout-${name}-mounted.png`) })
      const tops = await page.evaluate(() => (window as unknown as { __tops: Tops }).__tops)
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
      await context.close()

      expect(tops.opening.length).toBeGreaterThan(0)
      expect(tops.mapMounted.length).toBeGreaterThan(0)
      const first = tops.opening[0] as number
      for (const top of [...tops.opening, ...tops.mounted, ...tops.mapMounted]) {
        expect(Math.abs(top - first)).toBeLessThanOrEqual(4)
      }
      // The workspace's top bar and facilitation bar were above the map, not a line of "Opening…".
      expect(first).toBeGreaterThan(100)
      expect(errors).toEqual([])
    }, 240_000)
  }
})
