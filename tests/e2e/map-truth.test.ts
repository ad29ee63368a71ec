import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { derivedArrowRecords } from '../../client/canvas/derived-arrows.ts'
import { Workspace } from '../../model/index.ts'
import { provider, synced, waitFor } from '../server/helpers.ts'
import {
  clickOnMap,
  hasChromium,
  join as joinAs,
  SCREENSHOTS,
  useAppInBrowser,
  type WatchedPage,
  watchedPage,
} from './browser.ts'

/**
 * The map's single truth: the dataset decides what the map shows. An arrow's look is derived
 * from its link on each device (never written to the shared canvas), actors that have no box
 * are announced over the map for someone to place, and removing an actor or link anywhere takes
 * its boxes and arrows off every map.
 */
describe.skipIf(!hasChromium)('the map follows the dataset', () => {
  const app = useAppInBrowser()
  const closers: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
  })

  /** Another device, without a browser: a y-websocket peer with the model's commands. */
  async function peer(room: string) {
    const doc = new Y.Doc()
    const connection = provider(app.server.wsUrl, room, doc)
    closers.push(() => {
      connection.destroy()
      doc.destroy()
    })
    await synced(connection)
    return { doc, workspace: new Workspace(doc), canvas: doc.getMap<Record<string, unknown>>('canvas') }
  }

  async function open(room: string, name: string, viewport = { width: 1280, height: 800 }) {
    const context = await app.browser.newContext({ viewport })
    closers.push(() => context.close())
    const watched = await watchedPage(context, app.server.httpUrl)
    await joinAs(watched.page, `${app.server.httpUrl}/w/${room}`, name)
    return watched
  }

  const arrowsOn = (page: Page) => page.locator('.tl-shape[data-shape-type="arrow"]')
  /** The stroke colour and words of the arrow(s) on a page, as drawn. */
  const drawnArrows = (page: Page) =>
    arrowsOn(page).evaluateAll((shapes) =>
      shapes.map((shape) => ({
        stroke: shape.querySelector('g[stroke]')?.getAttribute('stroke') ?? null,
        text: shape.textContent ?? '',
      })),
    )
  const recordsOf = (canvas: Y.Map<Record<string, unknown>>, type: string) =>
    [...canvas.values()].filter((record) => record.typeName === 'shape' && record.type === type)
  const noErrors = (...pages: WatchedPage[]) => {
    for (const watched of pages) {
      expect(watched.errors).toEqual([])
      expect(watched.foreignRequests).toEqual([])
    }
  }

  /** A room whose actors and links were made elsewhere, placed by Amina with "Place all". */
  async function placedRoom() {
    const room = `truth-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`
    const other = await peer(room)
    const bank = other.workspace.addActor({ kind: 'organisation', name: 'Riverside Food Bank' })
    const fund = other.workspace.addActor({ kind: 'funder', name: 'Community Fund' })
    const gp = other.workspace.addActor({ kind: 'statutory-service', name: 'GP surgery' })
    const grant = other.workspace.connect({ from: fund.id, to: bank.id, kind: 'funding', amount: 12000 })
    const referral = other.workspace.connect({
      from: gp.id,
      to: bank.id,
      kind: 'referral',
      label: 'food parcels',
    })
    const a = await open(room, 'Amina')
    const b = await open(room, 'Dave')
    for (const { page } of [a, b]) {
      await page
        .getByTestId('unplaced-notice')
        .getByText('3 actors not placed yet')
        .waitFor({ timeout: 15_000 })
    }
    // From the keyboard: the notice's button is an ordinary, focusable button.
    await a.page.getByRole('button', { name: 'Place all' }).focus()
    await a.page.keyboard.press('Enter')
    for (const { page } of [a, b]) {
      await page.locator('.actor-card', { hasText: 'GP surgery' }).waitFor({ timeout: 15_000 })
      await waitFor(async () => (await arrowsOn(page).count()) === 2, 15_000, 'both arrows drawn')
      await page.getByTestId('unplaced-notice').waitFor({ state: 'detached', timeout: 15_000 })
    }
    await waitFor(() => recordsOf(other.canvas, 'actor').length === 3, 15_000, 'the boxes to reach the peer')
    // Placed once, by the device whose person asked: one box per actor, not one per device.
    expect(recordsOf(other.canvas, 'actor')).toHaveLength(3)
    // Each device derives the links' arrows from the links and the boxes: none is stored.
    expect(recordsOf(other.canvas, 'arrow')).toHaveLength(0)
    expect([...other.canvas.values()].filter((record) => record.typeName === 'binding')).toHaveLength(0)
    return { room, other, a, b, bank, fund, gp, grant, referral }
  }

  it('a link changed on another device restyles its arrow everywhere, with no write to the canvas', async () => {
    const { other, a, b, referral } = await placedRoom()
    const before = await drawnArrows(b.page)
    expect(before.map((arrow) => arrow.text).sort()).toEqual(['food parcels', '£12,000'])
    const referralBefore = before.find((arrow) => arrow.text === 'food parcels')
    const grantStroke = before.find((arrow) => arrow.text === '£12,000')?.stroke
    expect(referralBefore?.stroke).toBeTruthy()
    expect(referralBefore?.stroke).not.toBe(grantStroke)

    // Let both browsers settle, then count every change to the canvas from here on.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    let canvasChanges = 0
    other.canvas.observe(() => {
      canvasChanges++
    })
    let linkChanges = 0
    other.doc.getMap('links').observeDeep(() => {
      linkChanges++
    })
    other.workspace.updateLink(referral.id, { kind: 'disconnect' })

    for (const { page } of [a, b]) {
      await waitFor(
        async () => (await drawnArrows(page)).some((arrow) => arrow.text.includes('✕ disconnect')),
        15_000,
        'the arrow restyled as a disconnect',
      )
    }
    const after = await drawnArrows(b.page)
    const disconnect = after.find((arrow) => arrow.text.includes('✕ disconnect'))
    expect(disconnect?.text).toBe('✕ disconnect · food parcels')
    expect(disconnect?.stroke).not.toBe(referralBefore?.stroke)
    expect(after.find((arrow) => arrow.text === '£12,000')?.stroke).toBe(grantStroke)
    // Nothing on any device wrote to the canvas meanwhile (give late writers time to show).
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(linkChanges).toBeGreaterThan(0)
    expect(canvasChanges).toBe(0)

    // The picture of the map shows the derived look too.
    await b.page.getByRole('button', { name: 'Export' }).click()
    const [picture] = await Promise.all([
      b.page.waitForEvent('download'),
      b.page.getByRole('button', { name: 'Map as picture (SVG)' }).click(),
    ])
    const svg = readFileSync((await picture.path()) as string, 'utf8')
    expect(svg).toContain('✕ disconnect · food parcels')
    expect(svg).toContain('£12,000')
    expect(svg).toContain(`stroke="${disconnect?.stroke}"`)
    noErrors(a, b)
  }, 120_000)

  it('actors added elsewhere are announced over the map, and placed once, by whoever asks', async () => {
    const { room, other, a, b, bank } = await placedRoom()
    const later = other.workspace.addActor({ kind: 'resident-group', name: 'Tenants association' })
    other.workspace.connect({ from: later.id, to: bank.id, kind: 'partnership' })
    for (const { page } of [a, b]) {
      await page
        .getByTestId('unplaced-notice')
        .getByText('1 actor not placed yet')
        .waitFor({ timeout: 15_000 })
    }
    const phone = await open(room, 'Sam', { width: 390, height: 844 })
    await phone.page.getByTestId('unplaced-notice').waitFor({ timeout: 15_000 })
    await a.page.screenshot({ path: join(SCREENSHOTS, 'map-unplaced-wide.png') })
    await phone.page.screenshot({ path: join(SCREENSHOTS, 'map-unplaced-phone.png') })

    // Nobody's device places it by itself.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(recordsOf(other.canvas, 'actor')).toHaveLength(3)

    await b.page.getByRole('button', { name: 'Place all' }).click()
    for (const { page } of [a, b, phone]) {
      // Drawn (another device's view may leave it off screen, where tldraw culls it).
      await page
        .locator('.actor-card', { hasText: 'Tenants association' })
        .waitFor({ state: 'attached', timeout: 15_000 })
      await waitFor(async () => (await arrowsOn(page).count()) === 3, 15_000, 'the new link drawn')
      await page.getByTestId('unplaced-notice').waitFor({ state: 'detached', timeout: 15_000 })
    }
    await waitFor(() => recordsOf(other.canvas, 'actor').length === 4, 15_000, 'the box to reach the peer')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(recordsOf(other.canvas, 'actor')).toHaveLength(4)
    expect(recordsOf(other.canvas, 'arrow')).toHaveLength(0)
    await a.page.screenshot({ path: join(SCREENSHOTS, 'map-placed-wide.png') })
    await phone.page.screenshot({ path: join(SCREENSHOTS, 'map-placed-phone.png') })
    noErrors(a, b, phone)
  }, 120_000)

  it('removing an actor elsewhere takes its box and arrows off every map; strays from old peers do no harm', async () => {
    const { other, a, b, gp, fund } = await placedRoom()
    other.workspace.removeActor(gp.id)
    for (const { page } of [a, b]) {
      await page
        .locator('.actor-card', { hasText: 'GP surgery' })
        .waitFor({ state: 'detached', timeout: 15_000 })
      await waitFor(async () => (await arrowsOn(page).count()) === 1, 15_000, 'the referral arrow gone')
    }
    expect(recordsOf(other.canvas, 'actor')).toHaveLength(2)

    // An older device writes a box for an actor and an arrow for a link the dataset does not have
    // (as it stored links' arrows): the box shows as removed, the arrow is hidden (a stored arrow
    // naming a link is never drawn: the derived one is the link's drawing).
    const box = recordsOf(other.canvas, 'actor').find(
      (record) => (record.props as { actorId: string }).actorId === fund.id,
    ) as Record<string, unknown>
    const [arrow] = derivedArrowRecords(
      'link-nobody-has',
      'shape:stray-box',
      box.id as string,
      box.parentId as string,
    )
    other.doc.transact(() => {
      other.canvas.set('shape:stray-box', {
        ...box,
        id: 'shape:stray-box',
        x: (box.x as number) + 400,
        props: { ...(box.props as object), actorId: 'actor-nobody-has' },
      })
      other.canvas.set('shape:stray-arrow', {
        ...arrow,
        id: 'shape:stray-arrow',
        x: (box.x as number) + 400,
        y: (box.y as number) + 200,
        meta: { linkId: 'link-nobody-has' },
      })
    })
    for (const { page } of [a, b]) await page.locator('.actor-card--removed').waitFor({ timeout: 15_000 })
    await new Promise((resolve) => setTimeout(resolve, 500))
    for (const { page } of [a, b]) expect(await arrowsOn(page).count()).toBe(1)
    // Nothing was written back for them, and both maps still work.
    expect(recordsOf(other.canvas, 'arrow')).toHaveLength(1)
    await clickOnMap(a.page, a.page.locator('.actor-card', { hasText: 'Community Fund' }))
    await a.page.getByRole('complementary', { name: 'Inspector' }).waitFor()
    noErrors(a, b)
  }, 120_000)
})
