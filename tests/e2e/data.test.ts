import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { toKumu } from '../../model/formats/kumu.ts'
import type { Dataset } from '../../model/index.ts'
import { waitFor } from '../server/helpers.ts'
import { hasChromium, join as joinAs, SCREENSHOTS, useAppInBrowser, watchedPage } from './browser.ts'

const fixture = (): Dataset =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/neighbourhood-map.json'), 'utf8'))

describe.skipIf(!hasChromium)('import and export in the browser', () => {
  const folder = mkdtempSync(join(tmpdir(), 'network-map-files-'))

  const app = useAppInBrowser()

  it('imports a Kumu spreadsheet onto the map, laid out, and exports the CSV tables', async () => {
    const context = await app.browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    })
    const watched = await watchedPage(context, app.server.httpUrl)
    const { page } = watched
    const room = `data-${Date.now().toString(36)}`
    await joinAs(page, `${app.server.httpUrl}/w/${room}`, 'Amina')

    // A bad file first: nothing is imported and the row is named.
    const bad = join(folder, 'elements.csv')
    writeFileSync(bad, 'Label,Type\nFood Bank,Organisation\nSomething,Spaceship\n')
    await page.getByRole('button', { name: 'Import' }).click()
    await page.locator('#import-files').setInputFiles(bad)
    await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click()
    await page.getByRole('alert').getByText(/row 3/).waitFor()
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()

    const kumu = join(folder, 'riverside-kumu.zip')
    writeFileSync(kumu, toKumu(fixture()).body)
    await page.getByRole('button', { name: 'Import' }).click()
    await page.locator('#import-files').setInputFiles(kumu)
    await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click()
    await page.getByText(`Imported: ${fixture().actors.length} actors added`).waitFor({ timeout: 30_000 })
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()

    await waitFor(
      async () => {
        const response = await fetch(`${app.server.httpUrl}/api/rooms/${room}/export?format=json`)
        const dataset = (await response.json()) as Dataset
        return (
          response.ok &&
          dataset.actors.length === fixture().actors.length &&
          dataset.links.length === fixture().links.length
        )
      },
      20_000,
      'the import to reach the server',
    )
    // Laid out, not piled up: every box has its own place.
    const boxes = await page
      .locator('.tl-shape[data-shape-type="actor"]')
      .evaluateAll((shapes) => shapes.map((shape) => (shape as HTMLElement).style.transform))
    expect(boxes.length).toBe(fixture().actors.length)
    expect(new Set(boxes).size).toBe(boxes.length)
    await page.screenshot({ path: join(SCREENSHOTS, 'imported-map.png') })

    await page.getByRole('button', { name: 'Export' }).click()
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Spreadsheet tables (CSV, zipped)' }).click(),
    ])
    const zip = unzipSync(readFileSync((await file.path()) as string))
    expect(strFromU8(zip['actors.csv'] as Uint8Array)).toContain('Riverside')
    expect(Object.keys(zip)).toEqual(expect.arrayContaining(['actors.csv', 'links.csv']))
    const [picture] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Map as picture (PNG)' }).click(),
    ])
    const png = readFileSync((await picture.path()) as string)
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
    expect(png.byteLength).toBeGreaterThan(10_000)
    writeFileSync(join(SCREENSHOTS, 'map-export.png'), png)
    await page.screenshot({ path: join(SCREENSHOTS, 'export-dialog.png') })

    expect(watched.errors).toEqual([])
    expect(watched.foreignRequests).toEqual([])
    await context.close()
  }, 120_000)
})
