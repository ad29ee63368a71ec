import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { syntheticDataset } from '../../bench/synthetic.ts'
import { fundingWidths } from '../../client/insight/lens.ts'
import { canvasMap, Workspace } from '../../model/index.ts'
import { previewBoxCount } from '../../model/map-preview.ts'
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'
import { waitFor } from '../server/helpers.ts'
import { hasChromium, join as joinAs, SCREENSHOTS, useAppInBrowser, watchedPage } from './browser.ts'

/**
 * More actors than tldraw's default limit of 4,000 shapes a page, more boxes than the map keeps
 * as tldraw shapes (ALL_BOXES_UP_TO) and more links than it keeps as arrow shapes
 * (ALL_ARROWS_UP_TO): "Place all" must place every box and draw every link, zoomed out on the
 * link layer, and a box drawn there must still be selectable, deletable and, at 100%, a shape.
 */
const ACTORS = 4200
const LINKS = 6000

interface CanvasRecord {
  readonly id: string
  readonly typeName: string
  readonly type: string
  readonly fromId?: string
  readonly toId?: string
  readonly x?: number
  readonly y?: number
  readonly props: { actorId?: string; w?: number; h?: number }
}

/** Boxes drawn: tldraw's actor shapes, and those the link layer draws on its canvas. */
const drawnBoxes = (page: Page) =>
  page.evaluate(
    () =>
      document.querySelectorAll('.tl-shape[data-shape-type="actor"]').length +
      Number(document.querySelector<HTMLElement>('[data-testid="link-lines"]')?.dataset.boxes ?? 0),
  )

/** Where a page point is on the screen, from where the link layer's canvas lies on the page. */
const layerToScreen = (page: Page, point: { x: number; y: number }) =>
  page.getByTestId('link-lines').evaluate((canvas, { x, y }) => {
    const [minX, minY, w] = ((canvas as HTMLElement).dataset.area ?? '').split(' ').map(Number)
    const rect = canvas.getBoundingClientRect()
    const scale = rect.width / (w as number)
    return { x: rect.x + (x - (minX as number)) * scale, y: rect.y + (y - (minY as number)) * scale }
  }, point)

const isArrow = (record: CanvasRecord) => record.typeName === 'shape' && record.type === 'arrow'

describe.skipIf(!hasChromium)(
  'a borough placed on the map: Place all, lines, the funding lens, deleting a box',
  () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'borough-place-store-'))
    const store = openSqliteStore({ dataDir, synchronous: 'normal' })
    const app = useAppInBrowser({
      server: { maxMessageBytes: 64 * 2 ** 20, maxUpdateBytes: 64 * 2 ** 20 },
      parts: { store },
    })
    afterAll(async () => {
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    })

    /** The room's shared canvas as the server stores it. */
    const storedCanvas = async (room: string): Promise<CanvasRecord[]> => {
      const { snapshot, updates } = await store.load(room)
      const doc = new Y.Doc()
      for (const update of snapshot ? [snapshot, ...updates] : updates) Y.applyUpdate(doc, update)
      return [...canvasMap(doc).values()] as CanvasRecord[]
    }

    it("places 4,200 actors and 6,000 links, widens funding lines under the lens, and takes a deleted box's lines off the canvas", async () => {
      const dataset = syntheticDataset(ACTORS, LINKS, 11)
      const doc = new Y.Doc()
      new Workspace(doc, { participantId: 'seed' }).load(dataset)
      const room = `place-${Date.now().toString(36)}`
      await store.append(room, [Y.encodeStateAsUpdate(doc)])

      const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
      const watched = await watchedPage(context, app.server.httpUrl)
      const { page } = watched
      page.setDefaultTimeout(30_000)
      await joinAs(page, `${app.server.httpUrl}/w/${room}`, 'Pat')

      // ---- Place all: every box, and every link a line (zoomed out to fit them all).
      const notice = page.getByTestId('unplaced-notice')
      await notice.getByText(`${ACTORS} actors not placed yet`).waitFor()
      await notice.getByRole('button', { name: 'Place all' }).click()
      await waitFor(async () => (await drawnBoxes(page)) === ACTORS, 180_000, 'every box on the map')
      const lines = page.getByTestId('link-lines')
      // Zoomed out, every box is the layer's: none is a tldraw shape.
      await expect.poll(() => lines.getAttribute('data-boxes'), { timeout: 30_000 }).toBe(String(ACTORS))
      expect(await page.locator('.tl-shape[data-shape-type="actor"]').count()).toBe(0)
      await expect.poll(() => lines.getAttribute('data-lines'), { timeout: 60_000 }).toBe(String(LINKS))
      expect(await page.locator('.tl-shape[data-shape-type="arrow"]').count()).toBe(0)
      await expect.poll(() => notice.count()).toBe(0)
      await page.getByText('All changes saved').waitFor({ timeout: 60_000 })
      await page.screenshot({ path: join(SCREENSHOTS, 'borough-placed-zoomed-out.png') })
      await waitFor(
        async () => (await storedCanvas(room)).filter((record) => record.type === 'actor').length === ACTORS,
        60_000,
        'every box in the stored canvas',
      )
      // The links' arrows are derived on each device: none of them, nor their bindings, is stored.
      expect(
        (await storedCanvas(room)).filter((record) => isArrow(record) || record.typeName === 'binding'),
      ).toEqual([])

      // ---- a box deleted zoomed out (the actor kept): clicked on the layer, it becomes a selected
      // tldraw box; deleted, its lines go, and nothing is left bound to it.
      let picked: { actorId: string; x: number; y: number } | null = null
      for (const record of await storedCanvas(room)) {
        if (record.type !== 'actor' || record.x === undefined || record.y === undefined) continue
        const centre = { x: record.x + (record.props.w ?? 0) / 2, y: record.y + (record.props.h ?? 0) / 2 }
        const at = await layerToScreen(page, centre)
        if (at.x > 400 && at.x < 880 && at.y > 300 && at.y < 550) {
          picked = { actorId: record.props.actorId ?? '', ...at }
          break
        }
      }
      if (!picked) throw new Error('no box in the middle of the view')
      const actor = dataset.actors.find((each) => each.id === picked.actorId)
      if (!actor) throw new Error(`no actor ${picked.actorId}`)
      const touching = dataset.links.filter((link) => link.from === actor.id || link.to === actor.id)
      expect(touching.length).toBeGreaterThan(0)
      await page.mouse.click(picked.x, picked.y)
      await page.locator(`.tl-shape [data-actor-id="${actor.id}"]`).waitFor()
      await expect.poll(() => lines.getAttribute('data-boxes')).toBe(String(ACTORS - 1))
      // The selected box's lines are drawn apart, as one element each (hot-lines.ts).
      await expect
        .poll(() =>
          page
            .getByTestId('link-lines-selected-elements')
            .locator('.link-lines__hot')
            .evaluateAll(
              (each) => each.filter((line) => (line as HTMLElement).style.display === 'block').length,
            ),
        )
        .toBe(touching.length)
      await page.keyboard.press('Delete')
      // "Keep the actor" is the dialog's first, focused choice.
      await page.getByRole('dialog').locator('.button--primary').click()
      await expect.poll(() => lines.getAttribute('data-lines')).toBe(String(LINKS - touching.length))
      await waitFor(
        async () => {
          const records = await storedCanvas(room)
          const box = records.some((record) => record.props?.actorId === actor.id)
          const arrowsOrBindings = records.filter(
            (record) => isArrow(record) || record.typeName === 'binding',
          )
          return !box && arrowsOrBindings.length === 0
        },
        30_000,
        'the box gone from the stored canvas, and no arrow or binding written for its links',
      )
      // Its links went from the dataset with their arrows, as when a tldraw arrow loses its box.
      const exported = await app.exportOf(room)
      expect(exported?.actors.some((each) => each.id === actor.id)).toBe(true)
      expect(exported?.links.length).toBe(LINKS - touching.length)

      // ---- the funding lens, from a link: only funding lines, each over a band as wide as its amount.
      const left = dataset.links.filter((link) => !touching.includes(link))
      const funding = left.filter((link) => link.kind === 'funding')
      await page.goto(`${app.server.httpUrl}/w/${room}?lens=funding`)
      await waitFor(
        async () => (await drawnBoxes(page)) === ACTORS - 1,
        120_000,
        'the map again, under the funding lens',
      )
      await expect
        .poll(() => lines.getAttribute('data-lines'), { timeout: 60_000 })
        .toBe(String(funding.length))
      await expect.poll(() => lines.getAttribute('data-bands')).toBe(String(fundingWidths(funding).length))
      await page.screenshot({ path: join(SCREENSHOTS, 'borough-funding-lens-zoomed-out.png') })
      await page.setViewportSize({ width: 390, height: 844 })
      await page.screenshot({ path: join(SCREENSHOTS, 'borough-funding-lens-phone.png') })

      expect(watched.errors).toEqual([])
      expect(watched.foreignRequests).toEqual([])

      // ---- a second device with nothing: the map's preview (saved when the room went quiet) is
      // drawn first, every box of it, where the map will be, before the workspace has mounted
      // (PreviewMap), then gives way to the map itself.
      await waitFor(
        async () => previewBoxCount((await store.loadPreview?.(room)) ?? new Uint8Array()) === ACTORS - 1,
        60_000,
        'the map preview saved once the room went quiet',
      )
      const second = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
      await second.addInitScript(() => {
        const seen = { most: 0 }
        Object.assign(window, { __preview: seen })
        new MutationObserver(() => {
          for (const drawn of document.querySelectorAll<HTMLElement>('[data-preview-boxes]')) {
            seen.most = Math.max(seen.most, Number(drawn.dataset.previewBoxes))
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-preview-boxes'] })
      })
      const other = await watchedPage(second, app.server.httpUrl)
      other.page.setDefaultTimeout(30_000)
      await joinAs(other.page, `${app.server.httpUrl}/w/${room}`, 'Sam')
      await waitFor(
        async () => (await drawnBoxes(other.page)) === ACTORS - 1,
        120_000,
        'the map on a second device',
      )
      const previewed = await other.page.evaluate(
        () => (window as unknown as { __preview: { most: number } }).__preview.most,
      )
      expect(previewed).toBe(ACTORS - 1)
      await expect
        .poll(() => other.page.getByTestId('link-lines').getAttribute('data-preview-boxes'))
        .toBe('0')
      expect(await other.page.locator('.preview-map').count()).toBe(0)
      expect(other.errors).toEqual([])
      await second.close()
      await context.close()
    }, 600_000)
  },
)
