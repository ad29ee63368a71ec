import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyse } from '../../model/analysis.ts'
import type { Dataset } from '../../model/index.ts'
import { waitFor } from '../server/helpers.ts'
import { hasChromium, join as joinAs, useAppInBrowser, watchedPage } from './browser.ts'

const FIXTURE = join(import.meta.dirname, '../fixtures/neighbourhood-map.json')
const fixture = (): Dataset => JSON.parse(readFileSync(FIXTURE, 'utf8'))
/** Where the screenshots go: insight-<what>-<wide|phone>.png. */
const SCREENS = '/tmp/screens'

describe.skipIf(!hasChromium)('network insight and map lenses in the browser', () => {
  const downloads = mkdtempSync(join(tmpdir(), 'insight-downloads-'))

  const app = useAppInBrowser()
  beforeAll(() => mkdirSync(SCREENS, { recursive: true }))
  afterAll(() => rmSync(downloads, { recursive: true, force: true }))

  /** Arrows tldraw draws: a lens's hidden arrows are not rendered at all. */
  const arrows = (page: Page) => page.locator('.tl-shape[data-shape-type="arrow"]').count()
  const arrowsBecome = async (page: Page, count: number, what: string) => {
    await waitFor(async () => (await arrows(page)) === count, 20_000, what)
    // ...and stay so (nothing left to arrive).
    await page.waitForTimeout(300)
    expect(await arrows(page)).toBe(count)
  }
  const lensParams = (page: Page) => new URL(page.url()).searchParams

  async function openInsight(page: Page) {
    if ((await page.getByRole('tablist', { name: 'Workshop' }).count()) === 0)
      await page.getByRole('button', { name: 'Workshop' }).click()
    await page.getByRole('tab', { name: 'Insight' }).click()
    await page.getByRole('heading', { name: 'Network insight' }).waitFor()
  }

  it('lists the measures, shows an item on the map, switches and shares lenses, and exports the Sankey', async () => {
    const data = fixture()
    const expected = analyse(data)
    const byId = new Map(data.actors.map((actor) => [actor.id, actor]))
    const topBroker = byId.get(expected.brokers[0] as string)?.name as string
    const count = (kind: string) => data.links.filter((link) => link.kind === kind).length

    const room = `insight-${Date.now().toString(36)}`
    const url = `${app.server.httpUrl}/w/${room}`
    const context = await app.browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    })
    const watched = await watchedPage(context, app.server.httpUrl)
    const { page } = watched
    page.setDefaultTimeout(20_000)
    await joinAs(page, url, 'Ines')

    // ---- the fixture, through the Import dialog.
    await page.getByRole('button', { name: 'Import' }).click()
    await page.locator('#import-files').setInputFiles(FIXTURE)
    await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click()
    await page.getByText(`Imported: ${data.actors.length} actors added`).waitFor({ timeout: 30_000 })
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
    await arrowsBecome(page, data.links.length, 'every link drawn')

    // ---- the panel: figures and ranked lists, from the worker.
    await openInsight(page)
    const brokers = page.getByTestId('insight-brokers')
    await brokers.getByRole('button').first().waitFor()
    await expect
      .poll(() => brokers.getByRole('button').first().locator('.insight__name').textContent())
      .toBe(topBroker)
    await page.getByText(`Measured ${data.actors.length} actors`).waitFor()
    const figure = (label: string) =>
      page
        .locator('.insight__figure')
        .filter({ has: page.getByText(label, { exact: true }) })
        .locator('dd')
    expect(await figure('Actors').textContent()).toBe(String(expected.summary.actors))
    expect(await figure('Isolated').textContent()).toBe(String(expected.summary.isolated))
    expect(await page.getByTestId('insight-isolated').getByRole('button').count()).toBe(
      expected.summary.isolated,
    )
    await page.screenshot({ path: join(SCREENS, 'insight-panel-wide.png') })

    // An item shows its actor: selected on the map, in the inspector.
    await brokers.getByRole('button', { name: new RegExp(`^${topBroker}`) }).click()
    const inspector = page.getByRole('complementary', { name: 'Inspector' })
    await expect.poll(() => inspector.getByLabel('Name', { exact: true }).inputValue()).toBe(topBroker)

    // ---- lenses: only funding links, in the address; nothing written to the shared map.
    await page.getByRole('radio', { name: /Only funding links/ }).check()
    await arrowsBecome(page, count('funding'), 'only the funding arrows')
    expect(lensParams(page).get('lens')).toBe('funding')
    const funded = data.links.filter(
      (link) => link.kind === 'funding' && link.amount && link.currency === 'GBP',
    )
    await expect.poll(() => page.locator('.lens-funding line').count()).toBe(funded.length)
    const widths = await page
      .locator('.lens-funding line')
      .evaluateAll((lines) => lines.map((line) => Number(line.getAttribute('stroke-width'))))
    expect(new Set(widths).size).toBeGreaterThan(1)
    await page.getByTestId('lens-key').getByText('Only funding links').waitFor()

    await page.getByLabel('Size by').selectOption('betweenness')
    await page.getByLabel('Colour by').selectOption('domain')
    await expect.poll(() => lensParams(page).get('size')).toBe('betweenness')
    expect(lensParams(page).get('colour')).toBe('domain')
    // (The import gives actors ids of this workspace: find the box by its name.)
    const cardOf = (target: Page, name: string) =>
      target.locator('.actor-card').filter({ has: target.getByText(name, { exact: true }) })
    const brokerCard = cardOf(page, topBroker)
    await expect
      .poll(() => brokerCard.locator('.actor-card__measure').textContent())
      .toBe((expected.actors[expected.brokers[0] as string]?.betweenness ?? 0).toFixed(2))
    await page.getByRole('button', { name: 'Close inspector' }).click()
    // The whole map in view (tldraw's "zoom to fit", Shift+1, once the map has the focus).
    await page.locator('.tl-canvas').click({ position: { x: 12, y: 320 } })
    await page.keyboard.press('Shift+Digit1')
    await page.waitForTimeout(600)
    await page.screenshot({ path: join(SCREENS, 'insight-funding-lens-wide.png') })
    const shared = page.url()

    // The map in the document is untouched by a lens: the server's copy still has every link.
    const exported = (await (
      await fetch(`${app.server.httpUrl}/api/rooms/${room}/export?format=json`)
    ).json()) as Dataset
    expect(exported.links.length).toBe(data.links.length)

    // ---- the same link in another browser opens the same view.
    const other = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const second = await watchedPage(other, app.server.httpUrl)
    second.page.setDefaultTimeout(20_000)
    await joinAs(second.page, shared, 'Kofi')
    await second.page
      .locator('.actor-card')
      .nth(data.actors.length - 1)
      .waitFor()
    await arrowsBecome(second.page, count('funding'), 'the shared lens in the second browser')
    await second.page.getByTestId('lens-key').getByText('Only funding links').waitFor()
    await expect.poll(() => cardOf(second.page, topBroker).locator('.actor-card__measure').count()).toBe(1)
    await openInsight(second.page)
    expect(await second.page.getByRole('radio', { name: /Only funding links/ }).isChecked()).toBe(true)
    expect(await second.page.getByLabel('Colour by').inputValue()).toBe('domain')
    // Their own switch changes only their own map.
    await second.page.getByRole('radio', { name: 'Only referrals' }).check()
    await arrowsBecome(second.page, count('referral'), 'only referrals in the second browser')
    expect(await arrows(page)).toBe(count('funding'))

    // ---- the funding Sankey, as a file: it parses, with one band per flow.
    const sankey = page.getByTestId('funding-sankey')
    await sankey.scrollIntoViewIfNeeded()
    expect(await sankey.locator('[data-flow]').count()).toBe(expected.funding.flows.length)
    await page.screenshot({ path: join(SCREENS, 'insight-sankey-wide.png') })
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download SVG' }).click(),
    ])
    expect(file.suggestedFilename()).toMatch(/funding-flows\.svg$/)
    const saved = join(downloads, file.suggestedFilename())
    await file.saveAs(saved)
    const svg = readFileSync(saved, 'utf8')
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml')
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.localName,
        bands: doc.querySelectorAll('path[data-flow]').length,
      }
    }, svg)
    expect(parsed).toEqual({ error: null, root: 'svg', bands: expected.funding.flows.length })
    await page.getByText('Flows as a table').click()
    await expect
      .poll(() => page.locator('.sankey__table tbody tr').count())
      .toBe(expected.funding.flows.length)

    // ---- the other lenses.
    await page.getByRole('radio', { name: 'Only disconnects' }).check()
    await arrowsBecome(page, count('disconnect'), 'only the disconnects')
    expect(lensParams(page).get('lens')).toBe('disconnects')

    const journey = [...data.journeys].sort((a, b) => a.title.localeCompare(b.title))[0]
    if (journey) {
      await page.getByRole('radio', { name: 'One resident journey' }).check()
      await page.getByTestId('journey-overlay').waitFor()
      expect(lensParams(page).get('lens')).toBe('journey')
      expect(lensParams(page).get('journey')).toBe(journey.id)
      await page.screenshot({ path: join(SCREENS, 'insight-journey-lens-wide.png') })
      // Hiding the journey on the map leaves its lens.
      await page.getByRole('button', { name: 'Hide journey' }).click()
      await expect.poll(() => lensParams(page).get('lens')).toBe(null)
    }

    await page.getByRole('button', { name: 'Reset' }).click()
    await arrowsBecome(page, data.links.length, 'every arrow back')
    await expect.poll(() => new URL(page.url()).search).toBe('')
    expect(await page.getByTestId('lens-key').count()).toBe(0)

    // ---- on a phone.
    const phone = await app.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    const small = await watchedPage(phone, app.server.httpUrl)
    small.page.setDefaultTimeout(20_000)
    await joinAs(small.page, `${url}?lens=funding&size=fundingIn`, 'Ade')
    await arrowsBecome(small.page, count('funding'), 'the funding lens on a phone')
    await small.page.screenshot({ path: join(SCREENS, 'insight-funding-lens-phone.png') })
    await openInsight(small.page)
    await small.page.getByTestId('insight-brokers').getByRole('button').first().waitFor()
    await small.page.screenshot({ path: join(SCREENS, 'insight-panel-phone.png') })
    await small.page.getByTestId('funding-sankey').scrollIntoViewIfNeeded()
    await small.page.screenshot({ path: join(SCREENS, 'insight-sankey-phone.png') })
    // Showing an item gets the panel out of the way on a phone.
    await small.page.getByTestId('insight-brokers').getByRole('button').first().click()
    await small.page.getByRole('complementary', { name: 'Inspector' }).waitFor()
    await small.page.screenshot({ path: join(SCREENS, 'insight-item-shown-phone.png') })

    for (const each of [watched, second, small]) {
      expect(each.errors).toEqual([])
      expect(each.foreignRequests).toEqual([])
    }
    await Promise.all([context.close(), other.close(), phone.close()])
  }, 300_000)
})
