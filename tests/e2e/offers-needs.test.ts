import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Dataset } from '../../model/index.ts'
import { waitFor } from '../server/helpers.ts'
import { addActor, hasChromium, join as joinAs, ROOT, useAppInBrowser, watchedPage } from './browser.ts'

/** Screenshots to look at: offers-needs-<what>-<wide|phone>.png (gitignored). */
const SCREENS = join(ROOT, '.scratch')

/**
 * The claim (issue 18): an offer recorded on one device and a need on another meet in the
 * Insight tab of both, with the reasons; a facilitator turns the match into a link and a quick
 * win, and saves partners for a bid as a consortium, all of it reaching the server.
 */
describe.skipIf(!hasChromium)('offers, needs and partners for a bid, from two devices', () => {
  const app = useAppInBrowser()
  beforeAll(() => mkdirSync(SCREENS, { recursive: true }))

  /** Names the actor the inspector shows: its area, a domain, and one offer or need. */
  async function describeActor(
    page: Page,
    item: { field: 'Offers' | 'Needs'; kind: string; ward: string; note: string },
  ) {
    const inspector = page.getByRole('complementary', { name: 'Inspector' })
    const area = inspector.getByLabel('Area', { exact: true })
    await area.fill('Riverside Ward')
    await area.press('Enter')
    await inspector.getByRole('group', { name: 'Domains' }).getByLabel('Health').check()
    const group = inspector.getByRole('group', { name: item.field })
    const noun = item.field === 'Offers' ? 'offer' : 'need'
    await group.getByLabel(`New ${noun}: kind`).selectOption({ label: item.kind })
    await group.getByLabel(`New ${noun}: ward`).fill(item.ward)
    await group.getByLabel(`New ${noun}: note`).fill(item.note)
    await group.getByRole('button', { name: `Add ${noun}` }).click()
    await group.getByLabel(`${item.field} 1: note`).waitFor()
    expect(await group.getByLabel(`${item.field} 1: note`).inputValue()).toBe(item.note)
  }

  async function openInsight(page: Page) {
    if ((await page.getByRole('tablist', { name: 'Workshop' }).count()) === 0)
      await page.getByRole('button', { name: 'Workshop' }).click()
    await page.getByRole('tab', { name: 'Insight' }).click()
    await page.getByRole('heading', { name: 'Network insight' }).waitFor()
  }

  it('an offer and a need made on two devices become a suggestion on both, then a link, a quick win and a consortium', async () => {
    const room = `offers-${Date.now().toString(36)}`
    const url = `${app.server.httpUrl}/w/${room}`
    const laptop = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const tablet = await app.browser.newContext({ viewport: { width: 1024, height: 768 } })
    const a = await watchedPage(laptop, app.server.httpUrl)
    const b = await watchedPage(tablet, app.server.httpUrl)
    a.page.setDefaultTimeout(20_000)
    b.page.setDefaultTimeout(20_000)
    await joinAs(a.page, url, 'Ines')
    await joinAs(b.page, url, 'Kwame')

    // ---- a need on one device, an offer on the other.
    await addActor(a.page, 'resident-group', "Riverside Somali Women's Group")
    await describeActor(a.page, {
      field: 'Needs',
      kind: 'Space',
      ward: 'Riverside Ward',
      note: 'a room for a weekly wellbeing circle',
    })
    await a.page
      .getByRole('complementary', { name: 'Inspector' })
      .screenshot({ path: join(SCREENS, 'offers-needs-inspector-wide.png') })
    await addActor(b.page, 'organisation', 'Community Solutions')
    await describeActor(b.page, {
      field: 'Offers',
      kind: 'Space',
      ward: 'Riverside Ward',
      note: 'two meeting rooms, weekday daytimes',
    })

    // ---- both devices suggest the match, with its reasons.
    for (const page of [a.page, b.page]) {
      await openInsight(page)
      const matches = page.getByTestId('insight-matches')
      await matches.getByText('Community Solutions has space to offer.').waitFor()
      await matches.getByText('same ward: Riverside Ward; both in Health; not yet linked').waitFor()
    }
    await a.page.getByTestId('insight-matches').scrollIntoViewIfNeeded()
    await a.page.screenshot({ path: join(SCREENS, 'offers-needs-matches-wide.png') })

    // ---- the facilitator links them and makes a quick win; the other device sees the tie.
    const matches = a.page.getByTestId('insight-matches')
    await matches
      .getByRole('button', { name: "Link Community Solutions to Riverside Somali Women's Group" })
      .click()
    await matches.getByText('Linked on the map.').waitFor()
    await b.page
      .getByTestId('insight-matches')
      .getByRole('button', { name: "Community Solutions and Riverside Somali Women's Group are linked" })
      .waitFor()
    await b.page.getByTestId('insight-matches').getByText('already linked (partnership)').waitFor()
    await matches
      .getByRole('button', {
        name: "Make a quick win: Community Solutions and Riverside Somali Women's Group",
      })
      .click()
    await matches.getByText('Quick win added.').waitFor()

    // ---- partners for a bid: Health in Riverside Ward, both ticked, saved as a consortium.
    const partners = b.page.getByTestId('insight-partners')
    await partners.getByLabel('Domain').selectOption('health')
    await partners.getByLabel('Area').selectOption('Riverside Ward')
    await partners.getByRole('checkbox', { name: 'Community Solutions' }).check()
    await partners.getByRole('checkbox', { name: "Riverside Somali Women's Group" }).check()
    await partners.getByLabel('Consortium name').fill('Riverside Wellbeing Consortium')
    await partners.getByRole('button', { name: 'Save as consortium' }).click()
    await partners.getByText('Saved Riverside Wellbeing Consortium with 2 members.').waitFor()
    await b.page.locator('.actor-card', { hasText: 'Riverside Wellbeing Consortium' }).waitFor()

    let exported: Dataset | null = null
    await waitFor(
      async () => {
        exported = await app.exportOf(room)
        return (
          exported !== null &&
          exported.quickWins.length === 1 &&
          exported.links.filter((link) => link.kind === 'membership').length === 2
        )
      },
      15_000,
      'the link, the quick win and the consortium to reach the server',
    )
    const data = exported as unknown as Dataset
    const id = (name: string) => data.actors.find((actor) => actor.name === name)?.id
    expect(data.actors.find((actor) => actor.name === 'Community Solutions')?.offers).toEqual([
      { what: 'space', ward: 'Riverside Ward', note: 'two meeting rooms, weekday daytimes' },
    ])
    expect(data.links.map((link) => [link.from, link.to, link.kind, link.label]).sort()).toEqual(
      [
        [
          id('Community Solutions'),
          id("Riverside Somali Women's Group"),
          'partnership',
          'Offers space: two meeting rooms, weekday daytimes',
        ],
        [id('Community Solutions'), id('Riverside Wellbeing Consortium'), 'membership', 'Consortium member'],
        [
          id("Riverside Somali Women's Group"),
          id('Riverside Wellbeing Consortium'),
          'membership',
          'Consortium member',
        ],
      ].sort(),
    )
    expect(data.actors.find((actor) => actor.name === 'Riverside Wellbeing Consortium')).toMatchObject({
      kind: 'network',
      domains: ['health'],
      area: 'Riverside Ward',
    })
    expect(data.quickWins[0]?.text).toBe(
      "Put Riverside Somali Women's Group in touch with Community Solutions about space (a room for a weekly wellbeing circle).",
    )

    await partners.scrollIntoViewIfNeeded()
    await b.page.screenshot({ path: join(SCREENS, 'offers-needs-partners-wide.png') })
    // On a phone the inspector covers the workshop panel: closed, to see the lists.
    for (const page of [a.page, b.page])
      await page
        .getByRole('complementary', { name: 'Inspector' })
        .getByRole('button', { name: 'Close inspector' })
        .click()
    await a.page.setViewportSize({ width: 390, height: 844 })
    await a.page.getByTestId('insight-matches').scrollIntoViewIfNeeded()
    await a.page.screenshot({ path: join(SCREENS, 'offers-needs-matches-phone.png') })
    await b.page.setViewportSize({ width: 390, height: 844 })
    await b.page.getByTestId('insight-partners').scrollIntoViewIfNeeded()
    await b.page.screenshot({ path: join(SCREENS, 'offers-needs-partners-phone.png') })

    // The table lists them, and its search finds an actor by what it offers or needs.
    await a.page.setViewportSize({ width: 1280, height: 800 })
    await a.page.getByRole('button', { name: 'Table', exact: true }).click()
    await a.page.getByRole('columnheader', { name: 'Offers' }).waitFor()
    await a.page
      .getByRole('cell', { name: 'space (Riverside Ward): two meeting rooms, weekday daytimes' })
      .waitFor()
    await a.page.getByLabel('Search', { exact: true }).fill('space')
    await a.page.getByText('2 of 3 actors').waitFor()
    await a.page.screenshot({ path: join(SCREENS, 'offers-needs-table-wide.png') })

    expect([...a.errors, ...b.errors]).toEqual([])
    expect([...a.foreignRequests, ...b.foreignRequests]).toEqual([])
    await laptop.close()
    await tablet.close()
  }, 180_000)
})
