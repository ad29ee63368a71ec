import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Dataset } from '../../model/index.ts'
import { waitFor } from '../server/helpers.ts'
import { hasChromium, join as joinAs, SCREENSHOTS, useAppInBrowser, watchedPage } from './browser.ts'

/**
 * On the venue network a participant opens http://<laptop address>:8080/, which is not a secure
 * context: no service worker, no crypto.randomUUID, no clipboard. The app must still work live
 * and say that offline reload is unavailable. `venue.lan` is mapped to loopback to make such
 * an origin here.
 */
describe.skipIf(!hasChromium)('on a plain-http venue network', () => {
  const app = useAppInBrowser({ browserArgs: ['--host-resolver-rules=MAP venue.lan 127.0.0.1'] })

  it('works without a secure context, by keyboard from the table, and says offline reload is unavailable', async () => {
    const origin = `http://venue.lan:${app.server.port}`
    const context = await app.browser.newContext({ viewport: { width: 1024, height: 768 } })
    const watched = await watchedPage(context, origin)
    const { page } = watched
    const room = `venue-${Date.now().toString(36)}`
    await joinAs(page, `${origin}/w/${room}`, 'Amina')
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false)
    expect(await page.evaluate(() => typeof crypto.randomUUID)).toBe('undefined')
    await expect(page.getByRole('status').first().getAttribute('title')).resolves.toMatch(
      /Offline reload needs a secure/,
    )

    // The table, by keyboard alone: switch view, type a name, submit with Enter.
    await page.getByRole('button', { name: 'Table' }).focus()
    await page.keyboard.press('Enter')
    const name = page.getByRole('textbox', { name: 'Name' }).first()
    await name.focus()
    await page.keyboard.type('Tenants and Residents Association')
    await page.keyboard.press('Enter')
    await page.getByRole('cell', { name: 'Tenants and Residents Association' }).waitFor()
    await waitFor(
      async () => {
        const response = await fetch(`${app.server.httpUrl}/api/rooms/${room}/export?format=json`)
        return response.ok && ((await response.json()) as Dataset).actors.length === 1
      },
      15_000,
      'the actor to reach the server',
    )
    await page.getByText('All changes saved').waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'venue-table.png') })

    expect(watched.errors).toEqual([])
    expect(watched.foreignRequests).toEqual([])
    await context.close()
  }, 120_000)
})
