import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  ACTOR_KINDS,
  DATASET_FORMAT,
  DATASET_VERSION,
  type Dataset,
  DatasetSchema,
  Workspace,
} from '../../model/index.ts'
import { provider, synced, waitFor } from '../server/helpers.ts'
import { hasChromium, join as joinAs, SCREENSHOTS, useAppInBrowser, watchedPage } from './browser.ts'

const ACTORS = 3000

/**
 * A map of `ACTORS` actors named "Actor 0001" to "Actor 3000" (so the name order is the number
 * order) with a link from each to the next, valid throughout.
 */
function generatedMap(): Dataset {
  const name = (i: number) => `Actor ${String(i + 1).padStart(4, '0')}`
  return DatasetSchema.parse({
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    meta: { title: 'A borough-sized table', area: 'Borough', facilitator: '', description: '' },
    actors: Array.from({ length: ACTORS }, (_, i) => ({
      id: `a${i}`,
      kind: ACTOR_KINDS[i % ACTOR_KINDS.length],
      name: name(i),
      area: `Ward ${i % 40}`,
    })),
    links: Array.from({ length: ACTORS - 1 }, (_, i) => ({
      id: `l${i}`,
      from: `a${i}`,
      to: `a${i + 1}`,
      kind: 'referral',
    })),
    themes: [],
    quickWins: [],
    journeys: [],
  })
}

/** The rows of a table that are in the DOM (spacer rows have no row index). */
const drawnRows = (table: Locator) => table.locator('tbody tr[aria-rowindex]')

/** Whether the element holding focus is inside the visible part of the table's scroll box. */
const focusedRowInView = (page: Page) =>
  page.evaluate(() => {
    const focused = document.activeElement as HTMLElement | null
    const box = focused?.closest('.table-view__scroll')
    if (!focused || !box) return false
    const outer = box.getBoundingClientRect()
    const inner = focused.getBoundingClientRect()
    return inner.top >= outer.top && inner.bottom <= outer.bottom
  })

/** The row number ("row 2,001 of 3,001") a screen reader would announce for the focused element. */
const focusedRowIndex = (page: Page) =>
  page.evaluate(() => Number(document.activeElement?.closest('tr')?.getAttribute('aria-rowindex')))

/**
 * The table view at borough scale: 3,000 actors reach the page through the real server (written
 * by a y-websocket peer with the model's `load`), and the actors table draws only the rows in
 * view while telling screen readers the whole count and each row's place, scrolls to the end,
 * and keeps its buttons usable by keyboard.
 */
describe.skipIf(!hasChromium)('the table view of a 3,000-actor map', () => {
  const app = useAppInBrowser()

  it('draws only the rows in view, announces their place, and works by keyboard', async () => {
    const room = `table-${Date.now().toString(36)}`
    const doc = new Y.Doc()
    const seeder = provider(app.server.wsUrl, room, doc)
    await synced(seeder)
    new Workspace(doc).load(generatedMap())
    await waitFor(
      async () => (await app.exportOf(room))?.actors.length === ACTORS,
      60_000,
      'the map to be stored',
    )
    seeder.destroy()
    doc.destroy()

    const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } })
    const watched = await watchedPage(context, app.server.httpUrl)
    const { page } = watched
    await joinAs(page, `${app.server.httpUrl}/w/${room}`, 'Amina')
    await page.getByRole('button', { name: 'Table' }).click()

    const actors = page.getByRole('region', { name: 'Actors' }).getByRole('table')
    await actors.getByRole('rowheader', { name: 'Actor 0001' }).waitFor()
    // The whole count for screen readers (the header row is row 1), far fewer rows in the DOM.
    expect(await actors.getAttribute('aria-rowcount')).toBe(String(ACTORS + 1))
    const drawn = await drawnRows(actors).count()
    expect(drawn).toBeGreaterThan(5)
    expect(drawn).toBeLessThan(100)
    expect(await actors.locator('thead tr').getAttribute('aria-rowindex')).toBe('1')
    await page.screenshot({ path: join(SCREENSHOTS, 'table-scale-top.png') })

    // Scrolling to the end shows the last actor by name, in the last row, still few rows drawn.
    const scroller = page.getByRole('region', { name: 'Actors' }).locator('.table-view__scroll')
    await scroller.evaluate((box) => box.scrollTo({ top: box.scrollHeight }))
    const last = actors.getByRole('row', { name: /Actor 3000/ })
    await last.waitFor()
    expect(await last.getAttribute('aria-rowindex')).toBe(String(ACTORS + 1))
    expect(await drawnRows(actors).count()).toBeLessThan(100)
    // The header stays at the top of the scroll box as the rows go under it.
    const headTop = await actors
      .locator('thead th')
      .first()
      .evaluate((th) => th.getBoundingClientRect().top)
    const boxTop = await scroller.evaluate((box) => box.getBoundingClientRect().top)
    expect(Math.abs(headTop - boxTop)).toBeLessThan(3)
    await page.screenshot({ path: join(SCREENSHOTS, 'table-scale-end.png') })

    // By keyboard: the last row's Edit button, then up a row with the arrow key, then Enter.
    await last.getByRole('button', { name: 'Edit Actor 3000' }).focus()
    await page.keyboard.press('ArrowUp')
    expect(await focusedRowIndex(page)).toBe(ACTORS)
    await page.keyboard.press('Enter')
    const inspector = page.getByRole('complementary', { name: 'Inspector' })
    await expect
      .poll(() => inspector.getByLabel('Name', { exact: true }).inputValue(), { timeout: 10_000 })
      .toBe('Actor 2999')
    // The edited row is the selected one.
    expect(await actors.getByRole('row', { name: /Actor 2999/ }).getAttribute('aria-selected')).toBe('true')
    await inspector.getByRole('button', { name: 'Close inspector' }).click()

    // From the top, the arrows walk down past the rows first drawn, each scrolled into view.
    await scroller.evaluate((box) => box.scrollTo({ top: 0 }))
    const first = actors.getByRole('button', { name: 'Edit Actor 0001' })
    await first.waitFor()
    await first.focus()
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowDown')
    expect(await focusedRowIndex(page)).toBe(42)
    expect(await focusedRowInView(page)).toBe(true)
    // Tab goes through the row's buttons (Edit, Place on map, Remove) and on to the next row's.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab')
    expect(await focusedRowIndex(page)).toBe(43)
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Edit Actor 0042')
    expect(await focusedRowInView(page)).toBe(true)
    // Tabbing on past the rows drawn at first keeps finding the next row and scrolling it in.
    for (let i = 0; i < 3 * 30; i++) await page.keyboard.press('Tab')
    expect(await focusedRowIndex(page)).toBe(73)
    expect(await focusedRowInView(page)).toBe(true)

    // The focused row is kept while the table scrolls far away from it, so focus is not lost.
    await scroller.evaluate((box) => box.scrollTo({ top: box.scrollHeight / 2 }))
    await page.waitForTimeout(300)
    expect(
      await page.evaluate(() => document.activeElement?.textContent ?? document.activeElement?.tagName),
    ).toBe('Edit Actor 0072')
    expect(await drawnRows(actors).count()).toBeLessThan(100)
    await page.keyboard.press('Enter')
    await expect
      .poll(() => inspector.getByLabel('Name', { exact: true }).inputValue(), { timeout: 10_000 })
      .toBe('Actor 0072')

    await page.setViewportSize({ width: 390, height: 844 })
    await inspector.getByRole('button', { name: 'Close inspector' }).click()
    await page.screenshot({ path: join(SCREENSHOTS, 'table-scale-phone.png') })

    expect(watched.errors).toEqual([])
    await context.close()
  }, 240_000)
})
