import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { waitFor } from '../server/helpers.ts'
import { hasChromium, join as joinAs, SCREENSHOTS, useAppInBrowser, watchedPage } from './browser.ts'

describe.skipIf(!hasChromium)('facilitating a session from two browsers', () => {
  const app = useAppInBrowser()

  it('agenda, timer, lock and "bring everyone here" reach every participant', async () => {
    const room = `session-${Date.now().toString(36)}`
    const url = `${app.server.httpUrl}/w/${room}`
    const contextA = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const contextB = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const a = await watchedPage(contextA, app.server.httpUrl)
    const b = await watchedPage(contextB, app.server.httpUrl)
    await joinAs(a.page, url, 'Amina')
    await joinAs(b.page, url, 'Dave')

    // Amina plans the agenda in the workshop panel.
    await a.page.getByRole('button', { name: 'Workshop' }).click()
    await a.page.getByRole('tab', { name: 'Agenda' }).click()
    for (const [title, minutes] of [
      ['Welcome', '10'],
      ['Map who supports residents', '40'],
    ] as const) {
      await a.page.getByLabel('Item', { exact: true }).fill(title)
      await a.page.getByLabel('Minutes', { exact: true }).fill(minutes)
      await a.page.getByRole('button', { name: 'Add item' }).click()
      await a.page.getByRole('list', { name: 'Agenda items' }).getByText(title).waitFor()
    }

    // She starts the session: Dave sees the item and the timer counting down from 10 minutes.
    await a.page.getByRole('button', { name: 'Start the first agenda item' }).click()
    const session = b.page.getByRole('region', { name: 'Session' })
    await session.getByText('1/2 · Welcome').waitFor({ timeout: 15_000 })
    await waitFor(
      async () => /^(10:00|9:\d\d)$/.test((await b.page.getByTestId('timer').textContent()) ?? ''),
      10_000,
      'the timer on the second device',
    )
    await a.page.getByRole('button', { name: 'Pause' }).click()
    await session.getByText('minutes left, paused', { exact: false }).waitFor({ timeout: 10_000 })
    await a.page.getByRole('button', { name: 'Next agenda item' }).click()
    await session.getByText('2/2 · Map who supports residents').waitFor({ timeout: 10_000 })

    // The map is locked for a presentation: Dave's tools give way to a plain explanation, and
    // his canvas is read-only (tldraw then shows no drawing tools).
    await a.page.getByRole('button', { name: 'Lock map' }).click()
    await session.getByText('Map locked by Amina').waitFor({ timeout: 10_000 })
    await b.page.getByText('The map is locked while the facilitator presents.').waitFor({ timeout: 5_000 })
    expect(await b.page.getByRole('button', { name: 'Add actor' }).count()).toBe(0)
    await waitFor(
      async () => (await b.page.getByTestId('tools.arrow').count()) === 0,
      5_000,
      'read-only tools',
    )
    await a.page.getByRole('button', { name: 'Add actor' }).click()
    await waitFor(async () => (await app.exportOf(room))?.actors.length === 1, 10_000, 'Amina’s actor')
    await b.page.screenshot({ path: join(SCREENSHOTS, 'session-locked-wide.png') })
    await a.page.getByRole('button', { name: 'Unlock map' }).click()
    await b.page.getByRole('button', { name: 'Add actor' }).click()
    await waitFor(async () => (await app.exportOf(room))?.actors.length === 2, 10_000, 'Dave’s actor')

    // Amina zooms right in and brings everyone to her view.
    const before = await b.page.locator('.tl-html-layer').first().getAttribute('style')
    await a.page.locator('.tl-canvas').hover()
    for (let i = 0; i < 4; i++) await a.page.keyboard.press('Shift+Equal')
    await a.page.getByRole('button', { name: 'Bring everyone here' }).click()
    await b.page.getByText('Amina brought everyone to their view of the map.').waitFor({ timeout: 10_000 })
    await waitFor(
      async () => (await b.page.locator('.tl-html-layer').first().getAttribute('style')) !== before,
      5_000,
      'Dave’s view to move',
    )

    const dataset = await app.exportOf(room)
    expect(dataset?.agenda.map((item) => item.title)).toEqual(['Welcome', 'Map who supports residents'])
    await a.page.screenshot({ path: join(SCREENSHOTS, 'agenda-wide.png') })

    const phone = await app.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    const p = await watchedPage(phone, app.server.httpUrl)
    await joinAs(p.page, url, 'Sam')
    await p.page.getByRole('region', { name: 'Session' }).getByText('Map who supports residents').waitFor()
    await p.page.screenshot({ path: join(SCREENSHOTS, 'session-phone.png') })
    await p.page.getByRole('button', { name: 'Workshop' }).click()
    await p.page.getByRole('tab', { name: 'Agenda' }).click()
    await p.page.screenshot({ path: join(SCREENSHOTS, 'agenda-phone.png') })

    for (const watched of [a, b, p]) {
      expect(watched.errors).toEqual([])
      expect(watched.foreignRequests).toEqual([])
    }
    await Promise.all([contextA.close(), contextB.close(), phone.close()])
  }, 120_000)
})
