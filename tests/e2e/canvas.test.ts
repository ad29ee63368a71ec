import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { Dataset } from '../../model/index.ts'
import { waitFor } from '../server/helpers.ts'
import {
  addActor,
  hasChromium,
  join as joinAs,
  SCREENSHOTS,
  useAppInBrowser,
  watchedPage,
} from './browser.ts'

describe.skipIf(!hasChromium)('the map in two browsers', () => {
  const app = useAppInBrowser()

  /** Draws an arrow with tldraw's arrow tool from one actor box to another. */
  async function drawArrow(page: Page, fromName: string, toName: string) {
    const from = await page.locator('.actor-card', { hasText: fromName }).boundingBox()
    const to = await page.locator('.actor-card', { hasText: toName }).boundingBox()
    if (!from || !to) throw new Error('actor boxes not on screen')
    await page.getByTestId('tools.arrow').click()
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await page.mouse.down()
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 })
    await page.mouse.up()
  }

  it('an actor and a link made in one browser appear in the other and in the server’s export', async () => {
    const contextA = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const a = await watchedPage(contextA, app.server.httpUrl)
    await a.page.goto(`${app.server.httpUrl}/`)
    await a.page.getByLabel('Title').fill('Riverside network')
    await a.page.getByRole('button', { name: 'Create workspace' }).click()
    await a.page.getByLabel('Your name', { exact: true }).fill('Amina')
    await a.page.getByRole('button', { name: 'Join' }).click()
    await a.page.getByText('All changes saved').waitFor({ timeout: 20_000 })
    const url = a.page.url()
    const room = url.split('/w/')[1] as string
    await a.page.getByRole('heading', { name: 'Riverside network' }).waitFor()

    await addActor(a.page, 'organisation', 'Riverside Food Bank')
    await addActor(a.page, 'funder', 'Community Fund')
    await a.page.getByLabel('Arrows make').selectOption('funding')
    await drawArrow(a.page, 'Community Fund', 'Riverside Food Bank')

    await waitFor(
      async () => ((await app.exportOf(room))?.links.length ?? 0) === 1,
      15_000,
      'the link to reach the server',
    )
    const exported = (await app.exportOf(room)) as Dataset
    const fund = exported.actors.find((actor) => actor.name === 'Community Fund')
    const bank = exported.actors.find((actor) => actor.name === 'Riverside Food Bank')
    expect(fund?.kind).toBe('funder')
    expect(bank?.kind).toBe('organisation')
    expect(exported.meta.title).toBe('Riverside network')
    expect(exported.links[0]).toMatchObject({ from: fund?.id, to: bank?.id, kind: 'funding' })
    // The drawn arrow gave way to the link's derived arrow: one arrow, not two.
    const arrowsOn = (page: Page) => page.locator('.tl-shape[data-shape-type="arrow"]').count()
    await waitFor(async () => (await arrowsOn(a.page)) === 1, 15_000, 'one arrow for the link')

    const contextB = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const b = await watchedPage(contextB, app.server.httpUrl)
    await joinAs(b.page, url, 'Dave')
    await b.page.locator('.actor-card', { hasText: 'Riverside Food Bank' }).waitFor()
    await b.page.locator('.actor-card', { hasText: 'Community Fund' }).waitFor()
    // Derived from the link and the boxes on Dave's device too.
    await waitFor(async () => (await arrowsOn(b.page)) === 1, 15_000, 'the link drawn for Dave')

    // Dave sets the grant's amount from the table; Amina's map shows it on the arrow.
    await b.page.getByRole('button', { name: 'Table' }).click()
    const linkRow = b.page.locator('tr', { hasText: 'Community Fund' }).filter({ hasText: 'Funding' })
    await linkRow.getByRole('button', { name: 'Edit' }).click()
    const amount = b.page.getByRole('complementary', { name: 'Inspector' }).getByLabel('Amount')
    await amount.fill('12000')
    await amount.press('Enter')
    await waitFor(
      async () => (await app.exportOf(room))?.links[0]?.amount === 12000,
      15_000,
      'the amount to reach the server',
    )
    await a.page
      .locator('.tl-arrow-label, .tl-text-label', { hasText: '£12,000' })
      .first()
      .waitFor({ timeout: 15_000 })

    // Presence: each sees the other in the people list.
    await a.page.getByRole('button', { name: 'Follow Dave’s view' }).waitFor()
    await b.page.getByRole('button', { name: 'Follow Amina’s view' }).waitFor()

    // Amina drags a box: Dave sees where it ends (a drag's moves are written every 50 ms, the
    // last within 50 ms of the drop).
    await b.page.getByRole('button', { name: 'Map', exact: true }).click()
    const daveBox = b.page.locator('.actor-card', { hasText: 'Riverside Food Bank' })
    const daveBefore = await daveBox.boundingBox()
    const dragged = await a.page.locator('.actor-card', { hasText: 'Riverside Food Bank' }).boundingBox()
    if (!dragged || !daveBefore) throw new Error('the food bank is not on screen')
    await a.page.getByTestId('tools.select').click()
    // Nothing selected, or the link's arrow drawn last would be what the pointer takes hold of.
    await a.page.keyboard.press('Escape')
    await a.page.mouse.move(dragged.x + dragged.width / 2, dragged.y + dragged.height / 2)
    await a.page.mouse.down()
    for (let step = 1; step <= 15; step++) {
      await a.page.mouse.move(
        dragged.x + dragged.width / 2 + step * 8,
        dragged.y + dragged.height / 2 + step * 4,
      )
      await a.page.waitForTimeout(40)
    }
    await a.page.mouse.up()
    await waitFor(
      async () => ((await daveBox.boundingBox())?.x ?? daveBefore.x) > daveBefore.x + 20,
      15_000,
      'the dragged box to move on Dave’s map',
    )
    await b.page.getByRole('button', { name: 'Table', exact: true }).click()

    await a.page.keyboard.press('Escape')
    await a.page.screenshot({ path: join(SCREENSHOTS, 'canvas-wide.png') })
    await b.page.screenshot({ path: join(SCREENSHOTS, 'table-wide.png') })

    const phone = await app.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    const p = await watchedPage(phone, app.server.httpUrl)
    await joinAs(p.page, url, 'Sam')
    await p.page.locator('.actor-card', { hasText: 'Riverside Food Bank' }).waitFor()
    await p.page.screenshot({ path: join(SCREENSHOTS, 'canvas-phone.png') })
    await p.page.getByRole('button', { name: 'Table' }).click()
    await p.page.screenshot({ path: join(SCREENSHOTS, 'table-phone.png') })

    for (const watched of [a, b, p]) {
      expect(watched.errors).toEqual([])
      expect(watched.foreignRequests).toEqual([])
    }
    await Promise.all([contextA.close(), contextB.close(), phone.close()])
  }, 120_000)

  it('a drawn arrow gives way to its link’s arrow, selected; deleting that arrow removes the link', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const a = await watchedPage(context, app.server.httpUrl)
    const room = `derived-${Date.now().toString(36)}`
    await joinAs(a.page, `${app.server.httpUrl}/w/${room}`, 'Amina')
    await addActor(a.page, 'organisation', 'Riverside Food Bank')
    await addActor(a.page, 'statutory-service', 'GP surgery')
    await drawArrow(a.page, 'GP surgery', 'Riverside Food Bank')
    await waitFor(async () => ((await app.exportOf(room))?.links.length ?? 0) === 1, 15_000, 'the link made')
    const arrows = a.page.locator('.tl-shape[data-shape-type="arrow"]')
    await waitFor(async () => (await arrows.count()) === 1, 15_000, 'one arrow for the link')
    // The link's own arrow is selected in the drawn one's place: the inspector shows the link.
    await a.page
      .getByRole('complementary', { name: 'Inspector' })
      .getByRole('button', { name: 'Remove link' })
      .waitFor()
    await a.page.keyboard.press('Delete')
    await waitFor(
      async () => ((await app.exportOf(room))?.links.length ?? 1) === 0,
      15_000,
      'the link removed',
    )
    await waitFor(async () => (await arrows.count()) === 0, 15_000, 'its arrow gone')
    expect((await app.exportOf(room))?.actors).toHaveLength(2)
    expect(await a.page.locator('.actor-card').count()).toBe(2)

    // tldraw's overlay canvas (handles, outlines) shows nothing during a drag: it is cleared as
    // the drag starts and a few times in it, not on every frame (19 times for these 15 moves before).
    await a.page.evaluate(() => {
      const overlays = document.querySelector<HTMLCanvasElement>('.tl-canvas-overlays')?.getContext('2d')
      if (!overlays) throw new Error('no overlay canvas')
      const clear = overlays.clearRect.bind(overlays)
      const counted = window as unknown as { overlayClears: number }
      counted.overlayClears = 0
      overlays.clearRect = (...args) => {
        counted.overlayClears++
        clear(...args)
      }
    })
    const box = a.page.locator('.actor-card', { hasText: 'GP surgery' })
    const before = await box.boundingBox()
    if (!before) throw new Error('the GP surgery is not on screen')
    await a.page.keyboard.press('Escape')
    await a.page.mouse.move(before.x + before.width / 2, before.y + before.height / 2)
    await a.page.mouse.down()
    for (let step = 1; step <= 15; step++) {
      await a.page.mouse.move(before.x + before.width / 2 + step * 4, before.y + before.height / 2 + step * 2)
      await a.page.waitForTimeout(30)
    }
    await a.page.mouse.up()
    expect((await box.boundingBox())?.x).toBeGreaterThan(before.x + 40)
    expect(
      await a.page.evaluate(() => (window as unknown as { overlayClears: number }).overlayClears),
    ).toBeLessThanOrEqual(6)
    expect(a.errors).toEqual([])
    await context.close()
  }, 120_000)

  it('keeps working offline, reloads offline from the service worker, and merges on return', async () => {
    const contextA = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const contextB = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const a = await watchedPage(contextA, app.server.httpUrl)
    const b = await watchedPage(contextB, app.server.httpUrl)
    const room = `offline-${Date.now().toString(36)}`
    const url = `${app.server.httpUrl}/w/${room}`
    await joinAs(a.page, url, 'Amina')
    await joinAs(b.page, url, 'Dave')
    // The service worker has installed (its whole precache fetched) and controls the page.
    await a.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 })
    await addActor(a.page, 'organisation', 'Made online')
    await a.page.getByText('All changes saved').waitFor()

    await contextA.setOffline(true)
    await a.page.reload()
    await a.page.locator('.actor-card', { hasText: 'Made online' }).waitFor({ timeout: 15_000 })
    await a.page
      .getByText(/Offline/)
      .first()
      .waitFor()
    await addActor(a.page, 'resident-group', 'Made offline')
    await a.page.getByText(/Offline: \d+ changes? kept on this device/).waitFor()
    await a.page.screenshot({ path: join(SCREENSHOTS, 'offline.png') })
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await b.page.locator('.actor-card', { hasText: 'Made offline' }).count()).toBe(0)

    await addActor(b.page, 'funder', 'Made while A was away')
    await contextA.setOffline(false)
    await a.page.getByText('All changes saved').waitFor({ timeout: 20_000 })
    await b.page.locator('.actor-card', { hasText: 'Made offline' }).waitFor({ timeout: 15_000 })
    await a.page.locator('.actor-card', { hasText: 'Made while A was away' }).waitFor({ timeout: 15_000 })
    const names = (await app.exportOf(room))?.actors.map((actor) => actor.name).sort()
    expect(names).toEqual(['Made offline', 'Made online', 'Made while A was away'])

    // Going offline on purpose makes the browser itself log failed connection attempts; nothing else may appear.
    const appErrors = a.errors.filter(
      (text) => !/WebSocket connection to .* failed|ERR_INTERNET_DISCONNECTED/.test(text),
    )
    expect(appErrors).toEqual([])
    expect(b.errors).toEqual([])
    expect([...a.foreignRequests, ...b.foreignRequests]).toEqual([])
    await Promise.all([contextA.close(), contextB.close()])
  }, 120_000)
})
