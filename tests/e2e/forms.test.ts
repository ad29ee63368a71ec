import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { actorKind, type FieldInfo } from '../../model/index.ts'
import { waitFor } from '../server/helpers.ts'
import { hasChromium, join as joinAs, SCREENSHOTS, useAppInBrowser, watchedPage } from './browser.ts'

/**
 * The claim: the inspector and the table are drawn from the record declarations, so every
 * field an actor declares (today's, and one added tomorrow, such as the languages spoken) is
 * labelled, edited and listed without an edit to the client. The test reads the declarations
 * and looks for each field, rather than naming fields itself.
 */
const formFields = (fields: readonly FieldInfo[]) =>
  fields.filter((field) => field.meta.input !== 'hidden' && !field.meta.when)
// (A link's funding group, shown only on a funding link, is edited in canvas.test.ts.)

describe.skipIf(!hasChromium)('forms drawn from the record declarations', () => {
  const app = useAppInBrowser()

  it('the inspector edits and the table lists every declared actor field', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } })
    const watched = await watchedPage(context, app.server.httpUrl)
    const { page } = watched
    const room = `forms-${Date.now().toString(36)}`
    await joinAs(page, `${app.server.httpUrl}/w/${room}`, 'Amina')

    // Add two actors from the table's form (the actor's declaration: Name and Kind).
    await page.getByRole('button', { name: 'Table' }).click()
    const add = page.getByRole('form', { name: 'Add an actor' })
    await add.getByLabel('Kind', { exact: true }).selectOption('funder')
    await add.getByLabel('Name', { exact: true }).fill('Ward Community Fund')
    await add.getByRole('button', { name: 'Add' }).click()
    await page.getByRole('status').filter({ hasText: 'Added Ward Community Fund.' }).waitFor()
    // A refused add says why at the field and keeps focus there.
    await add.getByRole('button', { name: 'Add' }).click()
    await add.getByText('Write something here first').waitFor()
    expect(
      await add.getByLabel('Name', { exact: true }).evaluate((node) => node === document.activeElement),
    ).toBe(true)
    await add.getByLabel('Name', { exact: true }).fill('Riverside Food Bank')
    await add.getByLabel('Name', { exact: true }).press('Enter')
    await page.getByRole('rowheader', { name: 'Riverside Food Bank' }).waitFor()

    // Every declared field has its control in the inspector, by its declared label.
    await page.getByRole('button', { name: 'Edit Riverside Food Bank' }).click()
    const inspector = page.getByRole('complementary', { name: 'Inspector' })
    for (const field of formFields(actorKind.fields)) {
      const control =
        field.meta.input === 'choices' || field.meta.input === 'exchanges' || field.options?.length
          ? inspector
              .getByRole('group', { name: field.meta.label })
              .or(inspector.getByLabel(field.meta.label, { exact: true }))
          : inspector.getByLabel(field.meta.label, { exact: true })
      expect(await control.count(), field.key).toBeGreaterThan(0)
    }

    // The languages spoken: a field added after the forms were written, edited as a list.
    const languages = inspector.getByLabel('Languages spoken', { exact: true })
    await languages.fill('Urdu, Polish, Urdu')
    await languages.press('Enter')
    // A refused value stays in its field with the reason, and nothing is saved.
    const website = inspector.getByLabel('Website', { exact: true })
    await website.fill('javascript:alert(1)')
    await website.press('Enter')
    await inspector.getByText('Enter a web address starting with https://').waitFor()
    await website.press('Escape')
    await waitFor(
      async () => {
        const dataset = await app.exportOf(room)
        const actor = dataset?.actors.find((candidate) => candidate.name === 'Riverside Food Bank')
        return actor !== undefined && actor.languages.join() === 'Urdu,Polish' && actor.website === ''
      },
      15_000,
      'the languages to reach the server',
    )

    // The table has a column for it, and offers every listable field as a column.
    await page.getByRole('columnheader', { name: 'Languages spoken' }).waitFor()
    await page.getByRole('cell', { name: 'Urdu, Polish' }).waitFor()
    await page.getByText('Columns', { exact: true }).click()
    const chooser = page.getByRole('group', { name: 'Columns to show' })
    for (const field of actorKind.fields.filter(
      (f) => !['hidden', 'long-text'].includes(f.meta.input ?? ''),
    )) {
      if (field.key === 'name') continue
      await chooser.getByLabel(field.meta.label, { exact: true }).waitFor()
    }
    await chooser.getByLabel('Charity number', { exact: true }).check()
    await page.getByRole('columnheader', { name: 'Charity number' }).waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'forms-table.png') })
    await inspector.screenshot({ path: join(SCREENSHOTS, 'forms-inspector.png') })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: join(SCREENSHOTS, 'forms-phone.png') })

    expect(watched.errors).toEqual([])
    await context.close()
  }, 120_000)
})
