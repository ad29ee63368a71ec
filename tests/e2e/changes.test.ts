import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChangesJsonSchema } from '../../model/change/index.ts'
import { canvasMap, type Dataset } from '../../model/index.ts'
import { storedDoc, waitFor } from '../server/helpers.ts'
import {
  addActor,
  clickOnMap,
  hasChromium,
  join as joinAs,
  launch,
  SCREENSHOTS,
  startAppServer,
  watchedPage,
} from './browser.ts'

/**
 * Change over time in a real browser (issue 17), against a server that needs invites: a
 * facilitator saves a snapshot, adds an actor, compares the snapshot with now and sees the new
 * actor ringed on the map and listed in the table; opens the snapshot read-only; restores it and
 * undoes the restore. A viewer compares but is offered neither saving nor restoring, and the
 * server refuses both to a viewer's token.
 */
describe.skipIf(!hasChromium)('snapshots and changes in the browser', () => {
  let server: Awaited<ReturnType<typeof startAppServer>>
  let browser: Browser

  beforeAll(async () => {
    server = await startAppServer({ openAccess: false })
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
  const actorNames = async (room: string, token: string) =>
    (await exportOf(room, token)).actors.map((actor) => actor.name).sort()

  /** The label of the first option naming a snapshot in the compare pickers (it carries the time). */
  const optionLabel = async (panel: Locator, name: string) =>
    (await panel
      .getByLabel('Compare to', { exact: true })
      .locator('option', { hasText: name })
      .first()
      .textContent()) ?? name

  /**
   * Draws an arrow with tldraw's arrow tool from one actor box to another (as canvas.test.ts
   * does), after bringing the whole map into view (tldraw's "zoom to fit", Shift+1, once the map
   * has the focus) and waiting for both boxes to stand still.
   */
  async function drawArrow(page: Page, fromName: string, toName: string) {
    await page.locator('.tl-canvas').click({ position: { x: 12, y: 320 } })
    await page.keyboard.press('Shift+Digit1')
    const boxes = async () =>
      JSON.stringify([
        await page.locator('.actor-card', { hasText: fromName }).boundingBox(),
        await page.locator('.actor-card', { hasText: toName }).boundingBox(),
      ])
    let last = ''
    await expect
      .poll(async () => {
        const now = await boxes()
        const settled = now === last && !now.includes('null')
        last = now
        return settled
      })
      .toBe(true)
    const [from, to] = JSON.parse(last) as { x: number; y: number; width: number; height: number }[]
    if (!from || !to) throw new Error('actor boxes not on screen')
    await page.getByTestId('tools.arrow').click()
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await page.mouse.down()
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 })
    await page.mouse.up()
  }

  const openChanges = async (page: Page) => {
    await page.locator('.topbar').getByRole('button', { name: 'Workshop', exact: true }).click()
    await page.getByRole('tab', { name: 'Changes' }).click()
    return page.getByTestId('changes-panel')
  }

  it('saves, edits, compares with now and sees the added actor; opens, restores and undoes the restore', async () => {
    const room = `changes-${Date.now().toString(36)}`
    const { token } = await server.auth.issue({ room, role: 'facilitator', expiresIn: 3600 })
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const { page, errors } = await watchedPage(context, server.httpUrl)
    page.setDefaultTimeout(10_000)
    await joinAs(page, `${server.httpUrl}/w/${room}#token=${token}`, 'Amina')
    await addActor(page, 'organisation', 'Riverside Food Bank', { closeInspector: true })
    await waitFor(async () => (await actorNames(room, token)).length === 1, 10_000, 'the first actor saved')

    const panel = await openChanges(page)
    await panel.getByText('No snapshots yet').waitFor()
    await panel.getByLabel('Snapshot name').fill('Start of the day')
    await panel.getByRole('button', { name: 'Save snapshot' }).click()
    await panel.getByTestId('snapshot-item').filter({ hasText: 'Start of the day' }).waitFor()
    await panel.getByText('Saved “Start of the day”.').waitFor()

    await addActor(page, 'resident-group', 'Thames Youth Club', { closeInspector: true })
    await page.getByText('All changes saved').waitFor({ timeout: 15_000 })
    const added = await page
      .locator('.actor-card', { hasText: 'Thames Youth Club' })
      .getAttribute('data-actor-id')
    expect(added).toBeTruthy()

    // From the newest snapshot to now, as the panel picks them at first.
    const picked = await panel
      .getByLabel('Compare from', { exact: true })
      .evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent)
    expect(picked).toContain('Start of the day')
    expect(await panel.getByLabel('Compare to', { exact: true }).inputValue()).toBe('now')
    await panel.getByRole('button', { name: 'Compare', exact: true }).click()
    const table = panel.getByTestId('changes-table')
    await table.locator('tr[data-change="added"]', { hasText: 'Thames Youth Club' }).waitFor()
    expect(await table.locator('tbody tr').count()).toBe(1)
    // Ringed green on the live map, and the key says what the marks are.
    const ring = page.locator(`.change-ring--added[data-actor-id="${added}"]`)
    await ring.waitFor({ state: 'attached' })
    expect(await page.locator('.change-ring').count()).toBe(1)
    await page.getByTestId('change-key').getByText('Start of the day → Now').waitFor()
    await page.getByTestId('change-key').getByText('Added: 1 actor, 0 links').waitFor()
    const measures = panel.getByTestId('measures-table')
    const cells = (row: number) =>
      measures
        .locator('tbody tr')
        .nth(row)
        .locator('th, td')
        .evaluateAll((each) => each.map((cell) => cell.textContent))
    expect(await cells(0)).toEqual(['Actors', '1', '2', '+1'])
    await page.screenshot({ path: join(SCREENSHOTS, 'changes-compare-wide.png') })

    // Kept current: a change to the new actor's name shows in the table.
    // Its row in the table shows it on the map: selected, in the inspector.
    await table.getByRole('button', { name: 'Thames Youth Club' }).click()
    const inspector = page.getByRole('complementary', { name: 'Inspector' })
    const name = inspector.getByLabel('Name', { exact: true })
    await name.fill('Thames Youth Centre')
    await name.press('Enter')
    await table.locator('tr[data-change="added"]', { hasText: 'Thames Youth Centre' }).waitFor()
    await inspector.getByRole('button', { name: 'Close inspector' }).click()

    // The changes downloaded as a section of the report and as the JSON diff.
    const downloaded = async (button: string) => {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        panel.getByRole('button', { name: button }).click(),
      ])
      return readFileSync(await file.path(), 'utf8')
    }
    const section = await downloaded('Report section (Markdown)')
    expect(section).toMatch(/^## Changes from Start of the day \(.+ UTC\) to Now\n/)
    expect(section).toContain('### Actors added (1)\n\n- **Thames Youth Centre**')
    expect(section).toContain('| Actors | 1 | 2 |')
    const diff = ChangesJsonSchema.parse(JSON.parse(await downloaded('JSON diff')))
    expect(diff.actors.added.map((actor) => actor.name)).toEqual(['Thames Youth Centre'])
    expect(diff.before.label).toBe('Start of the day')
    expect(diff.after).toMatchObject({ label: 'Now', at: null })
    const report = await downloaded('Whole report with the changes')
    const headings = report.split('\n').filter((line) => line.startsWith('## '))
    const at = headings.findIndex((line) => line.startsWith('## Changes from Start of the day'))
    expect(headings.slice(at - 1, at + 2).map((line) => line.split(' (')[0])).toEqual([
      '## Network insight',
      '## Changes from Start of the day',
      '## Actors',
    ])

    // The snapshot read-only, in place of the live map, and back.
    await panel
      .getByTestId('snapshot-item')
      .filter({ hasText: 'Start of the day' })
      .getByRole('button', { name: /Open .* read-only/ })
      .click()
    const view = page.getByTestId('snapshot-view')
    await view.locator('.actor-card', { hasText: 'Riverside Food Bank' }).waitFor()
    expect(await view.locator('.actor-card', { hasText: 'Thames Youth' }).count()).toBe(0)
    await view.getByText('Read-only').waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'changes-snapshot-open.png') })
    await view.getByRole('button', { name: 'Back to the live map' }).click()
    await view.waitFor({ state: 'detached' })

    // Restoring is a new change on top; the state before is saved, and restoring it undoes it.
    const item = panel.getByTestId('snapshot-item').filter({ hasText: 'Start of the day' })
    await item.getByRole('button', { name: /Restore/ }).click()
    await item.getByRole('button', { name: 'Restore this snapshot' }).click()
    await panel.getByText(/Restored “Start of the day”/).waitFor()
    await waitFor(
      async () => (await actorNames(room, token)).join() === 'Riverside Food Bank',
      10_000,
      'the restore',
    )
    await page.locator('.actor-card', { hasText: 'Thames Youth' }).waitFor({ state: 'detached' })
    const before = panel.getByTestId('snapshot-item').filter({ hasText: 'Before restoring Start of the day' })
    await before.waitFor()
    await before.getByRole('button', { name: /Restore/ }).click()
    await before.getByRole('button', { name: 'Restore this snapshot' }).click()
    await waitFor(
      async () => (await actorNames(room, token)).join() === 'Riverside Food Bank,Thames Youth Centre',
      10_000,
      'the undone restore',
    )
    await page.locator('.actor-card', { hasText: 'Thames Youth Centre' }).waitFor()

    // On a phone the drawer takes the screen: the comparison is read there.
    await page.setViewportSize({ width: 390, height: 844 })
    await panel.getByRole('button', { name: 'Compare', exact: true }).click()
    await panel.getByTestId('changes-table').waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'changes-compare-phone.png') })
    // "Show on the map" gives the phone's screen to the map, the marks and their key on it.
    await panel.getByRole('button', { name: 'Show on the map' }).click()
    await page.getByTestId('change-key').waitFor()
    await page.locator('.change-ring').first().waitFor({ state: 'attached' })
    await page.screenshot({ path: join(SCREENSHOTS, 'changes-map-phone.png') })
    expect(errors).toEqual([])
    await context.close()
  }, 90_000)

  it('compares two snapshots on the later one, read-only: a changed actor outlined, a removed one faint where it stood', async () => {
    const room = `changes-two-${Date.now().toString(36)}`
    const { token } = await server.auth.issue({ room, role: 'facilitator', expiresIn: 3600 })
    const save = async (name: string) => {
      const response = await fetch(`${server.httpUrl}/api/workspaces/${room}/snapshots`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      })
      expect(response.status).toBe(201)
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const { page, errors } = await watchedPage(context, server.httpUrl)
    page.setDefaultTimeout(10_000)
    await joinAs(page, `${server.httpUrl}/w/${room}#token=${token}`, 'Amina')
    await addActor(page, 'organisation', 'Old Library', { closeInspector: true })
    await addActor(page, 'statutory-service', 'Housing Office', { closeInspector: true })
    await addActor(page, 'resident-group', 'Youth Club', { closeInspector: true })
    await waitFor(async () => (await actorNames(room, token)).length === 3, 10_000, 'the actors saved')
    await save('Morning')
    const removed = await page
      .locator('.actor-card', { hasText: 'Old Library' })
      .getAttribute('data-actor-id')
    const changed = await page
      .locator('.actor-card', { hasText: 'Housing Office' })
      .getAttribute('data-actor-id')

    await clickOnMap(page, page.locator('.actor-card', { hasText: 'Old Library' }))
    const inspector = page.getByRole('complementary', { name: 'Inspector' })
    await inspector.getByRole('button', { name: 'Remove from dataset' }).click()
    await clickOnMap(page, page.locator('.actor-card', { hasText: 'Housing Office' }))
    const name = inspector.getByLabel('Name', { exact: true })
    await name.fill('Housing Options Service')
    await name.press('Enter')
    await inspector.getByRole('button', { name: 'Close inspector' }).click()
    await drawArrow(page, 'Housing Options Service', 'Youth Club')
    await waitFor(
      async () => {
        const dataset = await exportOf(room, token)
        return (
          dataset.actors
            .map((actor) => actor.name)
            .sort()
            .join() === 'Housing Options Service,Youth Club' && dataset.links.length === 1
        )
      },
      10_000,
      'the edits saved',
    )
    // The drawn arrow gives way to the link's derived arrow in a later write than the link: the
    // snapshot waits for it to leave the stored canvas (a link's arrow is never stored).
    await waitFor(
      async () =>
        ![...canvasMap(await storedDoc(server.dataDir, room)).values()].some(
          (record) => (record as { type?: unknown }).type === 'arrow',
        ),
      10_000,
      'the drawn arrow gone from the stored canvas',
    )
    await save('Afternoon')

    const panel = await openChanges(page)
    await panel
      .getByLabel('Compare from', { exact: true })
      .selectOption({ label: await optionLabel(panel, 'Morning') })
    await panel
      .getByLabel('Compare to', { exact: true })
      .selectOption({ label: await optionLabel(panel, 'Afternoon') })
    await panel.getByRole('button', { name: 'Compare', exact: true }).click()
    const table = panel.getByTestId('changes-table')
    await table.locator('tr[data-change="removed"]', { hasText: 'Old Library' }).waitFor()
    const changedRow = table.locator('tr[data-change="changed"]', { hasText: 'Housing Options Service' })
    await changedRow.getByText('Name: Housing Office → Housing Options Service').waitFor()
    await table
      .locator('tr[data-change="added"]', { hasText: 'Housing Options Service → Youth Club (referral)' })
      .waitFor()

    // The later snapshot opens read-only, with the marks on its map.
    const view = page.getByTestId('snapshot-view')
    await view.getByText('Snapshot “Afternoon”').waitFor()
    await view.locator(`.change-ring--changed[data-actor-id="${changed}"]`).waitFor({ state: 'attached' })
    await view.locator(`.change-ghost[data-actor-id="${removed}"]`, { hasText: 'Old Library' }).waitFor({
      state: 'attached',
    })
    expect(await view.locator('.actor-card', { hasText: 'Old Library' }).count()).toBe(0)
    await view.locator('.change-line--added').waitFor({ state: 'attached' })
    // Its link drawn as an arrow, derived from the snapshot's link and boxes.
    await view.locator('.tl-shape[data-shape-type="arrow"]').waitFor({ state: 'attached' })
    await view.getByTestId('change-key').getByText('Added: 0 actors, 1 link').waitFor()
    await view.getByTestId('change-key').getByText('Removed (faint): 1 actor, 0 links').waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'changes-two-snapshots.png') })
    await table.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SCREENSHOTS, 'changes-two-snapshots-table.png') })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByRole('button', { name: 'Close the workshop panel' }).click()
    await view.getByRole('button', { name: 'Back to the live map' }).waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'changes-snapshot-phone.png') })
    await page.setViewportSize({ width: 1280, height: 800 })
    await openChanges(page)
    await view.getByRole('button', { name: 'Back to the live map' }).click()
    await view.waitFor({ state: 'detached' })

    // The measures of every snapshot and now, oldest first.
    await panel.getByRole('button', { name: 'Show the measures of every snapshot' }).click()
    const overTime = panel.getByTestId('measures-table').last()
    await overTime.getByRole('columnheader', { name: 'Now' }).waitFor()
    const headers = await overTime
      .locator('thead th')
      .evaluateAll((cells) => cells.map((cell) => cell.textContent))
    expect(headers).toEqual(['Measure', 'Morning', 'Afternoon', 'Now', 'Change'])
    const actorsRow = await overTime
      .locator('tbody tr')
      .first()
      .locator('th, td')
      .evaluateAll((cells) => cells.map((cell) => cell.textContent))
    expect(actorsRow).toEqual(['Actors', '3', '2', '2', '−1'])
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Download the measures (Markdown)' }).click(),
    ])
    const measures = readFileSync(await file.path(), 'utf8')
    expect(measures).toMatch(
      /^## Measures over time\n\n\| Measure \| Morning \(.+\) \| Afternoon \(.+\) \| Now \|\n/,
    )
    expect(measures).toContain('| Actors | 3 | 2 | 2 |')
    expect(errors).toEqual([])
    await context.close()
  }, 60_000)

  it('a viewer compares snapshots but may not save or restore them', async () => {
    const room = `changes-viewer-${Date.now().toString(36)}`
    const { token } = await server.auth.issue({ room, role: 'facilitator', expiresIn: 3600 })
    const { token: viewerToken } = await server.auth.issue({ room, role: 'viewer', expiresIn: 3600 })
    const api = (path: string, init: RequestInit, bearer: string) =>
      fetch(`${server.httpUrl}/api/workspaces/${room}/snapshots${path}`, {
        ...init,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      })

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const facilitator = await watchedPage(context, server.httpUrl)
    await joinAs(facilitator.page, `${server.httpUrl}/w/${room}#token=${token}`, 'Amina')
    await addActor(facilitator.page, 'organisation', 'Advice Centre', { closeInspector: true })
    await waitFor(async () => (await actorNames(room, token)).length === 1, 10_000, 'the actor saved')
    const saved = await api('', { method: 'POST', body: JSON.stringify({ name: 'Morning' }) }, token)
    expect(saved.status).toBe(201)
    const { snapshot } = (await saved.json()) as { snapshot: { id: string } }
    await addActor(facilitator.page, 'funder', 'Ward Fund', { closeInspector: true })
    await waitFor(async () => (await actorNames(room, token)).length === 2, 10_000, 'the second actor saved')

    // The server: a viewer lists and reads, but saving and restoring are refused.
    expect((await api('', { method: 'GET' }, viewerToken)).status).toBe(200)
    expect((await api(`/${snapshot.id}/state`, { method: 'GET' }, viewerToken)).status).toBe(200)
    const refusedSave = await api('', { method: 'POST', body: JSON.stringify({ name: 'Mine' }) }, viewerToken)
    expect(refusedSave.status).toBe(403)
    expect(((await refusedSave.json()) as { error: unknown }).error).toEqual(expect.any(String))
    expect((await api(`/${snapshot.id}/restore`, { method: 'POST', body: '{}' }, viewerToken)).status).toBe(
      403,
    )

    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const viewer = await watchedPage(viewerContext, server.httpUrl)
    await viewer.page.goto(`${server.httpUrl}/w/${room}#token=${viewerToken}`)
    await viewer.page.getByLabel('Your name', { exact: true }).fill('Projector')
    await viewer.page.getByRole('button', { name: 'Join' }).click()
    await viewer.page.getByTestId('role-badge').getByText('Viewer').waitFor()
    await viewer.page.locator('.actor-card', { hasText: 'Ward Fund' }).waitFor()
    const panel = await openChanges(viewer.page)
    await panel.getByTestId('snapshot-item').filter({ hasText: 'Morning' }).waitFor()
    expect(await panel.getByRole('button', { name: 'Save snapshot' }).count()).toBe(0)
    expect(await panel.getByLabel('Snapshot name').count()).toBe(0)
    expect(await panel.getByRole('button', { name: /Restore/ }).count()).toBe(0)

    await panel
      .getByTestId('snapshot-item')
      .filter({ hasText: 'Morning' })
      .getByRole('button', { name: 'Compare “Morning” with now' })
      .click()
    await panel
      .getByTestId('changes-table')
      .locator('tr[data-change="added"]', { hasText: 'Ward Fund' })
      .waitFor()
    const added = await viewer.page
      .locator('.actor-card', { hasText: 'Ward Fund' })
      .getAttribute('data-actor-id')
    await viewer.page.locator(`.change-ring--added[data-actor-id="${added}"]`).waitFor({ state: 'attached' })
    // The comparison is there, but downloads are exports, which are for facilitators.
    await panel.getByTestId('measures-table').waitFor()
    expect(await panel.getByRole('button', { name: 'JSON diff' }).count()).toBe(0)
    await viewer.page.screenshot({ path: join(SCREENSHOTS, 'changes-viewer.png') })
    expect(viewer.errors).toEqual([])
    await viewerContext.close()
    await context.close()
  }, 60_000)
})
