import { join } from 'node:path'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Dataset } from '../../model/index.ts'
import { waitFor } from '../server/helpers.ts'
import { hasChromium, join as joinAs, launch, SCREENSHOTS, startAppServer, watchedPage } from './browser.ts'

/**
 * Invite links in a real browser, against a server that needs them: a facilitator makes links
 * per role in the Share dialog; a viewer sees the map but no way to change it; a participant
 * sees the lock; a withdrawn link is explained; starting a workspace needs a facilitator.
 */
describe.skipIf(!hasChromium)('invite links and roles in the browser', () => {
  let server: Awaited<ReturnType<typeof startAppServer>>
  let browser: Browser
  const logLines: string[] = []

  beforeAll(async () => {
    const log = pino(
      { level: 'info', base: undefined },
      new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk))
          done()
        },
      }),
    )
    server = await startAppServer({ openAccess: false }, { log })
    browser = await launch()
  }, 240_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  const exportOf = async (room: string, token: string): Promise<Dataset> => {
    const response = await fetch(`${server.httpUrl}/api/rooms/${room}/export?format=json`, {
      headers: { authorization: `Bearer ${token}` },
    })
    return (await response.json()) as Dataset
  }
  const topButtons = (page: Page, name: string) =>
    page.locator('.topbar').getByRole('button', { name, exact: true })

  /** Makes a link in the open Share dialog and returns it. */
  async function makeLink(page: Page, role: 'participant' | 'viewer', label: string): Promise<string> {
    await page.getByLabel('Role').selectOption(role)
    await page.getByLabel('Name for this link (optional)').fill(label)
    await page.getByRole('button', { name: 'Make link' }).click()
    await page.getByRole('list', { name: 'Invite links' }).getByText(label).waitFor()
    return page.locator('#share-url').inputValue()
  }

  it('a viewer reads, a participant sees the lock, a withdrawn link is explained', async () => {
    const room = `access-${Date.now().toString(36)}`
    const { token: facilitatorToken } = await server.auth.issue({
      room,
      role: 'facilitator',
      expiresIn: 3600,
    })
    const contextA = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const a = await watchedPage(contextA, server.httpUrl)
    await joinAs(a.page, `${server.httpUrl}/w/${room}#token=${facilitatorToken}`, 'Amina')
    // The token leaves the address bar at once; the role shows in the top bar.
    expect(a.page.url()).toBe(`${server.httpUrl}/w/${room}`)
    await a.page.getByTestId('role-badge').getByText('Facilitator').waitFor()
    await a.page.getByRole('button', { name: 'Add actor' }).click()
    await waitFor(
      async () => (await exportOf(room, facilitatorToken)).actors.length === 1,
      10_000,
      'the actor',
    )

    await topButtons(a.page, 'Share').click()
    const viewerLink = await makeLink(a.page, 'viewer', 'Projector')
    const participantLink = await makeLink(a.page, 'participant', 'Tables')
    expect(viewerLink).toMatch(new RegExp(`/w/${room}#token=`))
    await a.page.screenshot({ path: join(SCREENSHOTS, 'share-invites-wide.png') })
    await a.page.getByRole('button', { name: 'Done' }).click()

    // The viewer: the map and the actor, but nothing to change them with.
    const contextV = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const v = await watchedPage(contextV, server.httpUrl)
    await joinAs(v.page, viewerLink, 'Val')
    await v.page.getByTestId('role-badge').getByText('Viewer').waitFor()
    await v.page.locator('.tl-canvas').getByText('New organisation').waitFor({ timeout: 10_000 })
    for (const name of ['Export', 'Share', 'Import']) expect(await topButtons(v.page, name).count()).toBe(0)
    expect(await v.page.getByRole('button', { name: 'Add actor' }).count()).toBe(0)
    await waitFor(
      async () => (await v.page.getByTestId('tools.arrow').count()) === 0,
      5_000,
      'read-only tools',
    )
    expect(
      await v.page.evaluate(() => document.querySelector('.tl-container')?.getAttribute('data-readonly')),
    ).not.toBe('false')
    await v.page.getByRole('button', { name: 'Table' }).click()
    await v.page.getByRole('button', { name: /Details New organisation/ }).click()
    await expect(v.page.getByRole('textbox', { name: 'Name' }).isDisabled()).resolves.toBe(true)
    expect(await v.page.getByRole('button', { name: /Remove/ }).count()).toBe(0)
    await v.page.screenshot({ path: join(SCREENSHOTS, 'viewer-wide.png') })
    await v.page.getByRole('button', { name: 'Map' }).click()

    // The participant, on a phone: edits, but neither exports nor invites; sees the lock.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    const p = await watchedPage(phone, server.httpUrl)
    await joinAs(p.page, participantLink, 'Pat')
    await p.page.getByTestId('role-badge').getByText('Participant').waitFor()
    for (const name of ['Export', 'Share']) expect(await topButtons(p.page, name).count()).toBe(0)
    // On a phone, Import is in the top bar's "More" menu.
    await topButtons(p.page, 'More').click()
    await topButtons(p.page, 'Import').waitFor()
    await topButtons(p.page, 'More').click()
    await p.page.getByRole('button', { name: 'Add actor' }).click()
    await waitFor(
      async () => (await exportOf(room, facilitatorToken)).actors.length === 2,
      10_000,
      'Pat’s actor',
    )
    await a.page.getByRole('button', { name: 'Lock map' }).click()
    await p.page.getByText('Map locked by Amina').waitFor({ timeout: 10_000 })
    await p.page.getByText('The map is locked while the facilitator presents.').waitFor()
    await waitFor(
      async () => (await p.page.getByTestId('tools.arrow').count()) === 0,
      5_000,
      'Pat’s read-only tools',
    )
    await p.page.screenshot({ path: join(SCREENSHOTS, 'participant-locked-phone.png') })
    const phoneV = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    const vp = await watchedPage(phoneV, server.httpUrl)
    await joinAs(vp.page, viewerLink, 'Vic')
    await vp.page.getByTestId('role-badge').getByText('Viewer').waitFor()
    await vp.page.screenshot({ path: join(SCREENSHOTS, 'viewer-phone.png') })

    // Amina withdraws the projector's link: its pages are told so, plainly, and stop.
    await topButtons(a.page, 'Share').click()
    await a.page.getByRole('button', { name: /Withdraw the viewer link Projector/ }).click()
    await v.page.getByText('The facilitator has withdrawn this invite link.').waitFor({ timeout: 10_000 })
    await v.page.getByTestId('role-badge').getByText('No access').waitFor()
    await v.page.screenshot({ path: join(SCREENSHOTS, 'viewer-withdrawn-wide.png') })
    await a.page.getByRole('button', { name: 'Done' }).click()

    // Nothing any of them did was refused by the server: the viewers' devices sent nothing.
    expect(logLines.filter((line) => line.includes('refused a write'))).toEqual([])
    for (const watched of [a, p, vp]) {
      expect(watched.errors).toEqual([])
      expect(watched.foreignRequests).toEqual([])
    }
    await Promise.all([contextV.close(), phone.close(), phoneV.close()])

    // Starting a workspace: refused without a facilitator's link on this device, allowed with one.
    const stranger = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const s = await stranger.newPage()
    await s.goto(server.httpUrl)
    await s.getByRole('button', { name: 'Create workspace' }).click()
    await s
      .getByRole('alert')
      .getByText('Only a facilitator can start a workspace on this server.', { exact: false })
      .waitFor()
    await stranger.close()
    await a.page.goto(server.httpUrl)
    await a.page.getByLabel('Title').fill('Second workshop')
    await a.page.getByRole('button', { name: 'Create workspace' }).click()
    await a.page.getByRole('heading', { name: 'Second workshop' }).waitFor({ timeout: 15_000 })
    await a.page.getByTestId('role-badge').getByText('Facilitator').waitFor()
    expect(a.page.url()).toMatch(new RegExp(`^${server.httpUrl}/w/[\\w-]{12}$`))
    await contextA.close()
  }, 180_000)
})
