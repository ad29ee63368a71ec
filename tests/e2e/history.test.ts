import { describe, expect, it } from 'vitest'
import { addActor, hasChromium, join as joinAs, useAppInBrowser, watchedPage } from './browser.ts'

/**
 * History in the app, against a real server and Chromium: the inspector's History of an actor
 * names who added and changed it (by the name they gave and their role), the whole map's list
 * under the Changes tab names each person's changes, and "Select everything they added" selects
 * that person's actors on the map, not another's.
 */
describe.skipIf(!hasChromium)('who changed what', () => {
  const app = useAppInBrowser()

  it('the inspector lists an actor’s history, and a person’s added actors can be selected on the map', async () => {
    const room = `history-${Date.now().toString(36)}`
    const amina = await watchedPage(
      await app.browser.newContext({ viewport: { width: 1280, height: 900 } }),
      app.server.httpUrl,
    )
    const ben = await watchedPage(
      await app.browser.newContext({ viewport: { width: 1280, height: 900 } }),
      app.server.httpUrl,
    )
    for (const { page } of [amina, ben]) page.setDefaultTimeout(15_000)
    await joinAs(amina.page, `${app.server.httpUrl}/w/${room}`, 'Amina')
    await addActor(amina.page, 'organisation', 'Food bank', { closeInspector: true })
    await addActor(amina.page, 'funder', 'Ward fund', { closeInspector: true })
    await joinAs(ben.page, `${app.server.httpUrl}/w/${room}`, 'Ben')
    await addActor(ben.page, 'space', 'Library', { closeInspector: true })

    // Ben changes Amina's actor; its History says who added it and who changed it.
    await ben.page.locator('.actor-card', { hasText: 'Food bank' }).click()
    const inspector = ben.page.getByRole('complementary', { name: 'Inspector' })
    const area = inspector.getByLabel('Area', { exact: true })
    await area.fill('Thames Ward')
    await area.press('Enter')
    await ben.page.getByText('All changes saved').waitFor({ timeout: 15_000 })
    await inspector.getByText('History', { exact: true }).click()
    const list = inspector.getByRole('list', { name: 'Changes to this actor, newest first' })
    await list.waitFor()
    const items = () => list.getByRole('listitem').allInnerTexts()
    await expect
      .poll(async () => (await items())[0] ?? '', { timeout: 10_000 })
      .toMatch(/Ben \(facilitator\) changed it/)
    expect((await items()).at(-1)).toMatch(/Amina \(facilitator\) added it/)

    // The whole map's history, under the Changes tab: pick Amina, select what she added.
    await amina.page.locator('.topbar').getByRole('button', { name: 'Workshop', exact: true }).click()
    await amina.page.getByRole('tab', { name: 'Changes' }).click()
    const history = amina.page.getByRole('region', { name: 'Who changed what' })
    await history.getByRole('list', { name: 'Changes to the map, newest first' }).waitFor()
    await history.getByText('added actor Library').waitFor()
    await history.getByLabel('Person').selectOption({ label: 'Amina (facilitator)' })
    expect(await history.getByText('added actor Library').count()).toBe(0)
    await history.getByRole('button', { name: 'Select everything they added' }).click()
    await history.getByText(/^Selected 2 boxes of the 2 actors Amina \(facilitator\) added/).waitFor()
    // tldraw announces the selection to screen readers: both of Amina's boxes, not Ben's.
    await amina.page.getByText('2 shapes selected').waitFor({ state: 'attached' })
    expect(amina.errors).toEqual([])
    expect(ben.errors).toEqual([])
  }, 120_000)
})
