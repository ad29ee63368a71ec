import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { boroughMap } from '../../bench/borough.ts'
import { ALL_ARROWS_UP_TO } from '../../client/canvas/canvas-scope.ts'
import { MAX_ARROW_SHAPES } from '../../client/canvas/link-layer.tsx'
import type { Dataset } from '../../model/index.ts'
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'
import { waitFor } from '../server/helpers.ts'
import { hasChromium, join as joinAs, SCREENSHOTS, useAppInBrowser, watchedPage } from './browser.ts'

/** 400 actors in 40 wards (10 each), 1,600 links: more than the map keeps as arrow shapes at once. */
const ACTORS = 400
const LINKS = 1600

describe.skipIf(!hasChromium)('a large map: sub-maps by ward and domain, and level of detail', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sub-map-store-'))
  const store = openSqliteStore({ dataDir, synchronous: 'normal' })
  const app = useAppInBrowser({ parts: { store } })
  afterAll(async () => {
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const boxes = (page: Page) => page.locator('.tl-shape[data-shape-type="actor"]').count()
  const arrows = (page: Page) => page.locator('.tl-shape[data-shape-type="arrow"]').count()
  const settle = async (page: Page, count: () => Promise<number>, expected: number, what: string) => {
    await waitFor(async () => (await count()) === expected, 20_000, what)
    await page.waitForTimeout(400)
    expect(await count()).toBe(expected)
  }
  const inWard = (data: Dataset, ward: string) =>
    new Set(data.actors.filter((a) => a.area === ward).map((a) => a.id))
  const linksWithin = (data: Dataset, ids: ReadonlySet<string>) =>
    data.links.filter((link) => ids.has(link.from) && ids.has(link.to)).length

  it('opens a ward from a link with only its boxes, goes back to the whole map, and draws less when zoomed out', async () => {
    expect(LINKS).toBeGreaterThan(ALL_ARROWS_UP_TO)
    const { dataset, update } = boroughMap(ACTORS, LINKS, 7)
    const room = `borough-${Date.now().toString(36)}`
    await store.append(room, [update])
    const ward3 = inWard(dataset, 'Ward 3')
    expect(ward3.size).toBe(10)

    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const watched = await watchedPage(context, app.server.httpUrl)
    const { page } = watched
    page.setDefaultTimeout(20_000)

    // ---- a ward's sub-map opened from a link: only its boxes and the arrows between them are made.
    await joinAs(page, `${app.server.httpUrl}/w/${room}?area=${encodeURIComponent('Ward 3')}`, 'Ines')
    await settle(page, () => boxes(page), ward3.size, "only Ward 3's boxes")
    await settle(page, () => arrows(page), linksWithin(dataset, ward3), 'the arrows within Ward 3')
    const bar = page.getByTestId('sub-map-bar')
    await bar.getByText('Ward 3', { exact: true }).waitFor()
    await bar.getByText(`(10 of ${ACTORS} actors)`).waitFor()
    expect(new URL(page.url()).searchParams.get('area')).toBe('Ward 3')
    const names = await page.locator('.actor-card__name').allTextContents()
    const wardNames = new Set(
      dataset.actors.filter((actor) => ward3.has(actor.id)).map((actor) => actor.name),
    )
    expect(names.length).toBeGreaterThan(0)
    for (const name of names) expect(wardNames.has(name)).toBe(true)
    await page.screenshot({ path: join(SCREENSHOTS, 'sub-map-ward-wide.png') })

    // An actor added in the sub-map belongs to its ward, and stays in view.
    await page.getByLabel('Kind of actor to add').selectOption('organisation')
    await page.getByRole('button', { name: 'Add actor' }).click()
    await settle(page, () => boxes(page), ward3.size + 1, 'the new box in the sub-map')
    await waitFor(
      async () =>
        (await app.exportOf(room))?.actors.some(
          (a) => a.name === 'New organisation' && a.area === 'Ward 3',
        ) ?? false,
      15_000,
      'the new actor in Ward 3 on the server',
    )
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'Close inspector' }).click()

    // ---- the way back: the whole map, every box; zoomed out, boxes without words, links as lines.
    await bar.getByRole('button', { name: 'Whole map' }).click()
    await settle(page, () => boxes(page), ACTORS + 1, 'every box on the whole map')
    expect(new URL(page.url()).searchParams.get('area')).toBeNull()
    await page.locator('.tl-canvas').click({ position: { x: 12, y: 320 } })
    await page.keyboard.press('Shift+Digit1')
    await settle(page, () => page.locator('.actor-box').count(), ACTORS + 1, 'every box in low detail')
    expect(await page.locator('.actor-card').count()).toBe(0)
    await settle(page, () => arrows(page), 0, 'no arrow shapes zoomed out')
    await expect.poll(() => page.getByTestId('link-lines').getAttribute('data-lines')).toBe(String(LINKS))
    await page.screenshot({ path: join(SCREENSHOTS, 'sub-map-whole-zoomed-out.png') })

    // At 100%: boxes with their words again; the arrows near the view are arrow shapes.
    // (A box picked zoomed out, then "zoom to selection", Shift+2, and 100%, Shift+0.) The box is
    // an actor's outside the health domain, for the domain's sub-map below.
    const outside = new Set(
      dataset.actors.filter((actor) => !actor.domains.includes('health')).map((actor) => actor.name),
    )
    // One in the middle of the view, clear of the toolbars over the map's edges.
    const candidates = await page.locator('.actor-box').evaluateAll((all) =>
      all.map((box) => {
        const rect = box.getBoundingClientRect()
        return {
          title: box.getAttribute('title') ?? '',
          x: rect.x + rect.width / 2,
          y: rect.y + rect.height / 2,
        }
      }),
    )
    const picked = candidates.find(
      (box) => outside.has(box.title) && box.x > 400 && box.x < 880 && box.y > 300 && box.y < 550,
    )
    if (!picked) throw new Error('no box to pick')
    await page.mouse.click(picked.x, picked.y)
    await page.keyboard.press('Shift+Digit2')
    await page.keyboard.press('Shift+Digit0')
    await page.locator('.actor-card__name:visible').first().waitFor()
    expect(await page.locator('.actor-box').count()).toBe(0)
    await waitFor(async () => (await arrows(page)) > 0, 20_000, 'arrow shapes near the view')
    expect(await arrows(page)).toBeLessThanOrEqual(MAX_ARROW_SHAPES)
    await page.screenshot({ path: join(SCREENSHOTS, 'sub-map-whole-100.png') })

    // ---- a domain's sub-map, chosen in the bar by keyboard, the pointer left on the map: opening
    // the sub-map takes the box picked above (outside the domain) and whatever box lies under the
    // pointer out of tldraw's store, and the address must still name the domain. (Taking out the
    // hovered box once threw in tldraw's integrity check and left the address behind, at random:
    // tests/client/canvas-scope.test.ts checks that case itself.)
    await page.getByRole('button', { name: 'Open a sub-map…' }).press('Enter')
    await page.getByLabel('Domain').selectOption('health')
    await page.getByRole('button', { name: 'Open', exact: true }).press('Enter')
    const health = dataset.actors.filter((actor) => actor.domains.includes('health')).length
    await settle(page, () => boxes(page), health, 'only the health actors')
    await expect.poll(() => page.evaluate(() => location.search)).toContain('domain=health')
    expect(watched.errors).toEqual([])
    expect(watched.foreignRequests).toEqual([])
    await context.close()

    // ---- on a phone, from the link.
    const phone = await app.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    const p = await watchedPage(phone, app.server.httpUrl)
    await joinAs(p.page, `${app.server.httpUrl}/w/${room}?area=${encodeURIComponent('Ward 3')}`, 'Sam')
    await settle(p.page, () => boxes(p.page), ward3.size + 1, "Ward 3's boxes on the phone")
    await p.page.getByTestId('sub-map-bar').getByRole('button', { name: 'Whole map' }).waitFor()
    await p.page.screenshot({ path: join(SCREENSHOTS, 'sub-map-ward-phone.png') })
    expect(p.errors).toEqual([])
    await phone.close()
  }, 180_000)
})
