import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Dataset } from '../../model/index.ts'
import { waitFor } from '../server/helpers.ts'
import {
  addActor,
  hasChromium,
  join as joinAs,
  useAppInBrowser,
  type WatchedPage,
  watchedPage,
} from './browser.ts'

/** Where the panels' screenshots go, one per panel and size: <panel>-<wide|phone>.png. */
const SCREENS = '/tmp/screens'

describe.skipIf(!hasChromium)('the workshop board in two browsers', () => {
  const app = useAppInBrowser()
  beforeAll(() => mkdirSync(SCREENS, { recursive: true }))

  async function openTab(page: Page, tab: string) {
    if ((await page.getByRole('tablist', { name: 'Workshop' }).count()) === 0) {
      await page.getByRole('button', { name: 'Workshop' }).click()
    }
    await page.getByRole('tab', { name: tab }).click()
  }

  const themeCard = (page: Page, title: string): Locator =>
    page.locator('.themes__theme').filter({ has: page.getByRole('heading', { name: title, exact: true }) })
  const point = (page: Page, text: string): Locator => page.locator('.themes__point', { hasText: text })
  const quickWin = (page: Page, text: string): Locator => page.locator('.quick-win', { hasText: text })
  const journeyCard = (page: Page, title: string): Locator =>
    page.locator('.journey').filter({ has: page.getByRole('heading', { name: title, exact: true }) })

  /** Picks an actor in a combobox by typing part of its name and choosing the option. */
  async function pickActor(scope: Locator, label: string, typed: string, name: string) {
    const box = scope.getByRole('combobox', { name: label })
    await box.fill(typed)
    await scope.getByRole('option', { name: new RegExp(name) }).click()
  }

  async function addPoint(page: Page, theme: string, text: string, actor?: { typed: string; name: string }) {
    const card = themeCard(page, theme)
    await card.getByLabel(`New point under ${theme}`).fill(text)
    if (actor) await pickActor(card, 'Name something on the map (optional)', actor.typed, actor.name)
    await card.getByRole('button', { name: 'Add', exact: true }).click()
    await point(page, text).waitFor()
  }

  it('themes, quick wins, models and journeys are shared, voted on, drawn and exported', async () => {
    const room = `board-${Date.now().toString(36)}`
    const url = `${app.server.httpUrl}/w/${room}`
    const contextA = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const contextB = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const a = await watchedPage(contextA, app.server.httpUrl)
    const b = await watchedPage(contextB, app.server.httpUrl)
    for (const { page } of [a, b]) page.setDefaultTimeout(15_000)
    await joinAs(a.page, url, 'Amina')
    await joinAs(b.page, url, 'Dave')

    // The map's actors, which points and journey steps name.
    await addActor(a.page, 'statutory-service', 'Council Housing Options')
    await addActor(a.page, 'organisation', 'Riverside Food Bank')
    await addActor(a.page, 'resident-group', 'Tenants Association')
    await a.page.getByRole('button', { name: 'Close inspector' }).click()
    await b.page.locator('.actor-card', { hasText: 'Tenants Association' }).waitFor()

    // ---- themes: Amina sets up the board and adds points, one naming an actor on the map.
    await openTab(a.page, 'Themes')
    await a.page.getByRole('button', { name: 'Start with the usual themes' }).click()
    await themeCard(a.page, 'Challenges').waitFor()
    // A blank point is refused with a plain message next to the field.
    await themeCard(a.page, 'Trust').getByLabel('New point under Trust').fill('   ')
    await themeCard(a.page, 'Trust').getByRole('button', { name: 'Add', exact: true }).click()
    await themeCard(a.page, 'Trust').getByText('Write something here first.').waitFor()
    await addPoint(a.page, 'Trust', 'Residents do not know who to ask', {
      typed: 'river',
      name: 'Riverside Food Bank',
    })
    await addPoint(a.page, 'Trust', 'People get sent round in circles')
    await addPoint(a.page, 'Connect', 'Nobody shares a contact list')

    // Dave sees them, with the actor, and adds his own.
    await openTab(b.page, 'Themes')
    await point(b.page, 'Residents do not know who to ask')
      .getByRole('button', { name: 'Riverside Food Bank' })
      .waitFor()
    await point(b.page, 'Nobody shares a contact list').waitFor()
    await addPoint(b.page, 'Trust', 'Trust takes time to build')
    await point(a.page, 'Trust takes time to build').waitFor()

    // The facilitator merges two points that say the same thing, and moves one to another theme.
    const circles = point(a.page, 'People get sent round in circles')
    await circles.getByRole('button', { name: 'Edit' }).click()
    await circles
      .getByLabel('Merge into another point')
      .selectOption({ label: 'Residents do not know who to ask' })
    await circles.getByRole('button', { name: 'Merge' }).click()
    await themeCard(b.page, 'Trust')
      .locator('.themes__point', { hasText: 'Residents do not know who to ask' })
      .getByText('People get sent round in circles', { exact: false })
      .waitFor()
    const building = point(a.page, 'Trust takes time to build')
    await building.getByRole('button', { name: 'Edit' }).click()
    await building.getByLabel('Move to theme').selectOption({ label: 'Relationships' })
    await building.scrollIntoViewIfNeeded()
    await a.page.screenshot({ path: join(SCREENS, 'themes-point-editor-wide.png') })
    await building.getByRole('button', { name: 'Move', exact: true }).click()
    await themeCard(b.page, 'Relationships').getByText('Trust takes time to build').waitFor()
    expect(await themeCard(b.page, 'Trust').locator('.themes__point').count()).toBe(1)
    await themeCard(a.page, 'Trust').scrollIntoViewIfNeeded()
    await a.page.screenshot({ path: join(SCREENS, 'themes-wide.png') })

    // ---- quick wins: the facilitator gives everyone 3 dots; both add quick wins and vote at once.
    await openTab(a.page, 'Quick wins')
    await openTab(b.page, 'Quick wins')
    const budget = a.page.getByLabel('Dots per person')
    await budget.fill('3')
    await budget.press('Enter')
    await b.page.getByTestId('dots-left').getByText('3 of 3 dots left').waitFor()
    await a.page.getByLabel('New quick win').fill('Shared contact list for the ward')
    await a.page.getByRole('button', { name: 'Add quick win' }).click()
    await b.page.getByLabel('New quick win').fill('Monthly drop-in at the library')
    await b.page.getByLabel('Owner (optional)').fill('Dave')
    await b.page.getByRole('button', { name: 'Add quick win' }).click()
    for (const { page } of [a, b]) {
      await quickWin(page, 'Shared contact list').waitFor()
      await quickWin(page, 'Monthly drop-in').waitFor()
    }
    const give = (page: Page, text: string) =>
      quickWin(page, text)
        .getByRole('button', { name: /^Give a dot to/ })
        .click()
    await Promise.all([
      (async () => {
        await give(a.page, 'Monthly drop-in')
        await give(a.page, 'Monthly drop-in')
        await give(a.page, 'Shared contact list')
      })(),
      (async () => {
        for (let dot = 0; dot < 3; dot++) await give(b.page, 'Shared contact list')
      })(),
    ])
    await a.page.getByTestId('dots-left').getByText('0 of 3 dots left').waitFor()
    // A fourth dot is refused, plainly; taking one back is always allowed.
    await give(a.page, 'Shared contact list')
    await quickWin(a.page, 'Shared contact list')
      .getByRole('alert')
      .getByText('You have used all 3 of your dots. Take one back from another quick win to give one here.')
      .waitFor()
    for (const { page } of [a, b]) {
      await waitFor(
        async () =>
          (await quickWin(page, 'Shared contact list').getByTestId('total-dots').textContent()) === '4 dots',
        10_000,
        'the votes on both devices',
      )
      await quickWin(page, 'Monthly drop-in').getByTestId('total-dots').getByText('2 dots').waitFor()
    }
    const order = (page: Page) => page.locator('.quick-win__text').allTextContents()
    expect(await order(a.page)).toEqual([
      'Shared contact list for the ward',
      'Monthly drop-in at the library',
    ])
    expect(await order(b.page)).toEqual(await order(a.page))
    await quickWin(b.page, 'Monthly drop-in').getByLabel('Status').selectOption('agreed')
    await quickWin(a.page, 'Monthly drop-in').locator('.quick-win__status', { hasText: 'Agreed' }).waitFor()
    await a.page.screenshot({ path: join(SCREENS, 'quick-wins-wide.png') })

    // ---- emerging models: a bad link is refused in words, then the example is added.
    await openTab(b.page, 'Models')
    const form = b.page.getByRole('form', { name: 'Add an example' })
    await form.getByLabel('Name').fill('The Wigan Deal')
    await form.getByLabel('Where').fill('Wigan Council')
    await form.getByLabel('Why it matters here').fill('Asks residents what they can do, not what is wrong.')
    await form.getByLabel('Read more').fill('javascript:alert(1)')
    await form.getByRole('button', { name: 'Add example' }).click()
    await form.getByText('Enter a web address starting with https://').waitFor()
    await form.getByLabel('Read more').fill('https://example.org/wigan-deal')
    await form.getByRole('button', { name: 'Add example' }).click()
    await b.page.getByRole('heading', { name: 'The Wigan Deal' }).waitFor()
    await openTab(a.page, 'Models')
    await a.page.getByRole('link', { name: /example\.org\/wigan-deal/ }).waitFor()
    await b.page.screenshot({ path: join(SCREENS, 'models-wide.png') })

    // ---- journeys: Amina records a resident's journey with three steps.
    await openTab(a.page, 'Journeys')
    const addJourney = async (title: string, resident: string) => {
      const journeyForm = a.page.getByRole('form', { name: 'Add a journey' })
      await journeyForm.getByLabel('Title').fill(title)
      await journeyForm.getByLabel('Resident (optional)').fill(resident)
      await journeyForm.getByRole('button', { name: 'Add journey' }).click()
      await journeyCard(a.page, title).waitFor()
    }
    await addJourney('Private account', 'K')
    await journeyCard(a.page, 'Private account').getByRole('button', { name: 'Close' }).click()
    await addJourney('Rent arrears', 'Sam')
    const journey = journeyCard(a.page, 'Rent arrears')
    await journey.getByLabel('The resident said yes to writing down their story').check()
    await journey.getByText('Without both ticks this journey is never shared').waitFor()
    await journey.getByLabel('The resident said yes to sharing it in exports').check()
    await journey.getByText('this journey is shared when the workspace is exported').waitFor()
    const stepForm = journey.getByRole('form', { name: /^Add step \d+$/ })
    // A step with neither an actor nor a place is refused, next to the place.
    await stepForm.getByRole('button', { name: 'Add step' }).click()
    await stepForm.getByText('Name an actor on the map or the place in words.').waitFor()
    await pickActor(stepForm, 'Who, on the map', 'council', 'Council Housing Options')
    await stepForm.getByLabel('What happened').fill('Told to come back next week.')
    await stepForm.getByLabel('Sent on').check()
    await stepForm.getByRole('button', { name: 'Add step' }).click()
    await journey.locator('.journey-step').nth(0).waitFor()
    await stepForm.getByLabel('Or a place that is not on the map').fill('GP reception')
    await stepForm.getByLabel('What happened').fill('Waited an hour; nobody knew who could help.')
    await stepForm.getByLabel('How it felt').selectOption('negative')
    await stepForm.getByRole('button', { name: 'Add step' }).click()
    await journey.locator('.journey-step').nth(1).waitFor()
    // By keyboard: type, arrow to the match, Enter.
    const combobox = stepForm.getByRole('combobox', { name: 'Who, on the map' })
    await combobox.fill('o')
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowUp']) await combobox.press(key)
    await stepForm.getByRole('option', { name: /Riverside Food Bank/, selected: true }).waitFor()
    await combobox.press('Enter')
    await stepForm.getByRole('button', { name: 'Remove Riverside Food Bank' }).waitFor()
    await stepForm.getByLabel('What happened').fill('Got food and advice on arrears.')
    await stepForm.getByLabel('How it felt').selectOption('positive')
    await stepForm.getByRole('button', { name: 'Add step' }).click()
    await journey.locator('.journey-step').nth(2).waitFor()
    // The first step was where Sam fell between services.
    const first = journey.locator('.journey-step').nth(0)
    await first.getByRole('button', { name: 'Edit step' }).click()
    await first.getByLabel('Nobody helped').check()
    await first.scrollIntoViewIfNeeded()
    await a.page.screenshot({ path: join(SCREENS, 'journeys-step-editor-wide.png') })
    await first.getByRole('button', { name: 'Done' }).click()
    await journey.locator('.journey-step[data-fell-through]').waitFor()

    // Shown on the map: two stops drawn (the GP is not on the map), the first marked.
    await journey.getByRole('button', { name: 'Show on map' }).click()
    const overlay = a.page.getByTestId('journey-overlay')
    await overlay.waitFor()
    await waitFor(async () => (await overlay.getByTestId('journey-stop').count()) === 2, 5_000, 'two stops')
    expect(await overlay.locator('[data-testid="journey-stop"][data-fell-through]').count()).toBe(1)
    await overlay.getByText('2 of 3 steps drawn on the map').waitFor()
    await overlay.getByText('Not on the map: 2. GP reception').waitFor()
    // Each stop's number sits on its actor's box (its top-left corner), and stays there when the camera moves.
    const stopOn = async (step: number, actor: string) => {
      const stop = await overlay.locator(`[data-step="${step}"] .journey-overlay__dot`).boundingBox()
      const box = await a.page.locator('.actor-card', { hasText: actor }).boundingBox()
      if (!stop || !box) return false
      const [x, y] = [stop.x + stop.width / 2, stop.y + stop.height / 2]
      return Math.abs(x - box.x) < 6 && Math.abs(y - box.y) < 6
    }
    await waitFor(
      async () => (await stopOn(1, 'Council Housing Options')) && (await stopOn(3, 'Riverside Food Bank')),
      5_000,
      'the stops on their actors',
    )
    await a.page.screenshot({ path: join(SCREENS, 'journey-map-wide.png') })
    const before = await overlay.locator('[data-step="1"] .journey-overlay__dot').boundingBox()
    await a.page.mouse.move(300, 400)
    await a.page.mouse.wheel(120, 80)
    await waitFor(
      async () =>
        (await overlay.locator('[data-step="1"] .journey-overlay__dot').boundingBox())?.x !== before?.x,
      5_000,
      'the camera to move',
    )
    await waitFor(
      async () => (await stopOn(1, 'Council Housing Options')) && (await stopOn(3, 'Riverside Food Bank')),
      5_000,
      'the stops after the camera moved',
    )

    // Dave sees the journey and its steps.
    await openTab(b.page, 'Journeys')
    const theirs = journeyCard(b.page, 'Rent arrears')
    await theirs.getByText('3 steps', { exact: false }).waitFor()
    await theirs.getByRole('button', { name: 'Open and edit' }).click()
    await theirs.getByText('Waited an hour; nobody knew who could help.').waitFor()
    await theirs.getByText('Nobody helped', { exact: true }).waitFor()
    await b.page.screenshot({ path: join(SCREENS, 'journeys-wide.png') })

    await overlay.getByRole('button', { name: 'Hide journey' }).click()
    await overlay.waitFor({ state: 'detached' })

    // ---- the dataset: everything is in the server's export, but the journey without consent.
    const complete = (data: Dataset | null) =>
      data !== null &&
      data.journeys.length === 1 &&
      data.journeys[0]?.steps.length === 3 &&
      data.journeys[0]?.steps[0]?.fellThrough === true &&
      data.quickWins.find((each) => each.text.startsWith('Monthly'))?.status === 'agreed'
    await waitFor(async () => complete(await app.exportOf(room)), 15_000, 'the board to reach the server')
    const data = (await app.exportOf(room)) as Dataset
    const actorId = (name: string) => data.actors.find((actor) => actor.name === name)?.id
    const theme = (title: string) => data.themes.find((each) => each.title === title)
    expect(data.themes.map((each) => each.title)).toEqual([
      'Connect',
      'Continuity',
      'Context',
      'Communication',
      'Relationships',
      'Shared ethos',
      'Trust',
      'Challenges',
    ])
    expect(theme('Trust')?.points).toHaveLength(1)
    expect(theme('Trust')?.points[0]).toMatchObject({
      text: 'Residents do not know who to ask\nPeople get sent round in circles',
      actorIds: [actorId('Riverside Food Bank')],
      author: 'Amina',
    })
    expect(theme('Relationships')?.points.map((each) => [each.text, each.author])).toEqual([
      ['Trust takes time to build', 'Dave'],
    ])
    expect(theme('Connect')?.points.map((each) => each.text)).toEqual(['Nobody shares a contact list'])
    expect(data.facilitation.voteBudget).toBe(3)
    const totals = Object.fromEntries(
      data.quickWins.map((each) => [each.text, Object.values(each.votes).reduce((sum, n) => sum + n, 0)]),
    )
    expect(totals).toEqual({ 'Shared contact list for the ward': 4, 'Monthly drop-in at the library': 2 })
    expect(data.quickWins.find((each) => each.text.startsWith('Monthly'))?.owner).toBe('Dave')
    expect(data.emergingModels).toEqual([
      expect.objectContaining({
        name: 'The Wigan Deal',
        where: 'Wigan Council',
        link: 'https://example.org/wigan-deal',
      }),
    ])
    const [rent] = data.journeys
    expect(rent).toMatchObject({ title: 'Rent arrears', resident: 'Sam', consent: true, exportable: true })
    expect(
      rent?.steps.map((step) => [step.actorId ?? step.place, step.passedOn, step.fellThrough, step.feeling]),
    ).toEqual([
      [actorId('Council Housing Options'), true, true, undefined],
      ['GP reception', false, false, 'negative'],
      [actorId('Riverside Food Bank'), false, false, 'positive'],
    ])
    expect(JSON.stringify(data)).not.toContain('Private account')

    for (const watched of [a, b]) {
      expect(watched.errors).toEqual([])
      expect(watched.foreignRequests).toEqual([])
    }

    // ---- phone-sized screenshots of each panel, and the journey on the map.
    await screenshotsOnPhone(url)
    await Promise.all([contextA.close(), contextB.close()])
  }, 240_000)

  it('shows participants no facilitator controls, and viewers no editing at all', async () => {
    const room = `roles-${Date.now().toString(36)}`
    const url = `${app.server.httpUrl}/w/${room}`
    const contextF = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const f = await watchedPage(contextF, app.server.httpUrl)
    f.page.setDefaultTimeout(15_000)
    await joinAs(f.page, url, 'Amina')
    await openTab(f.page, 'Themes')
    await f.page.getByRole('button', { name: 'Start with the usual themes' }).click()
    await addPoint(f.page, 'Trust', 'Residents do not know who to ask')
    await openTab(f.page, 'Quick wins')
    await f.page.getByLabel('New quick win').fill('Shared contact list for the ward')
    await f.page.getByRole('button', { name: 'Add quick win' }).click()
    await quickWin(f.page, 'Shared contact list').waitFor()

    const invite = async (role: 'participant' | 'viewer'): Promise<string> => {
      const response = await fetch(`${app.server.httpUrl}/api/rooms/${room}/invites`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role }),
      })
      expect(response.status).toBe(201)
      return ((await response.json()) as { link: string }).link
    }
    const enter = async (link: string, name: string, role: string) => {
      const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
      const watched = await watchedPage(context, app.server.httpUrl)
      watched.page.setDefaultTimeout(15_000)
      await watched.page.goto(link)
      await watched.page.getByLabel('Your name', { exact: true }).fill(name)
      await watched.page.getByRole('button', { name: 'Join' }).click()
      await watched.page.getByTestId('role-badge').getByText(role).waitFor()
      return { context, ...watched }
    }

    // A participant adds points and votes, but neither orders, merges nor removes, nor sets the budget.
    const p = await enter(await invite('participant'), 'Pat', 'Participant')
    await openTab(p.page, 'Themes')
    await point(p.page, 'Residents do not know who to ask').waitFor()
    expect(await p.page.getByRole('button', { name: 'Move Trust up' }).count()).toBe(0)
    await addPoint(p.page, 'Trust', 'Opening hours clash with school pick-up')
    await openTab(f.page, 'Themes')
    await point(f.page, 'Opening hours clash with school pick-up').waitFor()
    await openTab(f.page, 'Quick wins')
    const theirs = point(p.page, 'Residents do not know who to ask')
    await theirs.getByRole('button', { name: 'Edit' }).click()
    await theirs.getByLabel('Point').waitFor()
    for (const control of ['Move to theme', 'Merge into another point']) {
      expect(await theirs.getByLabel(control).count()).toBe(0)
    }
    expect(await theirs.getByRole('button', { name: 'Remove point' }).count()).toBe(0)
    await openTab(p.page, 'Quick wins')
    expect(await p.page.getByLabel('Dots per person').count()).toBe(0)
    await quickWin(p.page, 'Shared contact list')
      .getByRole('button', { name: /^Give a dot to/ })
      .click()
    await quickWin(f.page, 'Shared contact list').getByTestId('total-dots').getByText('1 dot').waitFor()

    // A viewer sees it all and can change none of it.
    const v = await enter(await invite('viewer'), 'Vic', 'Viewer')
    await openTab(v.page, 'Themes')
    await point(v.page, 'Opening hours clash with school pick-up').waitFor()
    const panel = v.page.getByRole('tabpanel')
    expect(await panel.getByRole('button', { name: /^(Add|Edit|Options for|Start with)/ }).count()).toBe(0)
    expect(await v.page.getByLabel('New theme').count()).toBe(0)
    await openTab(v.page, 'Quick wins')
    await quickWin(v.page, 'Shared contact list').getByTestId('total-dots').getByText('1 dot').waitFor()
    expect(await panel.getByRole('button', { name: /dot/ }).count()).toBe(0)
    await openTab(v.page, 'Journeys')
    expect(await v.page.getByRole('form', { name: 'Add a journey' }).count()).toBe(0)

    for (const watched of [f, p, v]) {
      expect(watched.errors).toEqual([])
      expect(watched.foreignRequests).toEqual([])
    }
    await Promise.all([contextF.close(), p.context.close(), v.context.close()])
  }, 120_000)

  async function screenshotsOnPhone(url: string) {
    const phone = await app.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    const p: WatchedPage = await watchedPage(phone, app.server.httpUrl)
    p.page.setDefaultTimeout(15_000)
    await joinAs(p.page, url, 'Sam')
    await p.page.locator('.actor-card', { hasText: 'Riverside Food Bank' }).waitFor()
    const shots = [
      ['Themes', 'themes'],
      ['Quick wins', 'quick-wins'],
      ['Models', 'models'],
      ['Journeys', 'journeys'],
    ] as const
    for (const [tab, file] of shots) {
      await openTab(p.page, tab)
      await p.page.getByRole('tabpanel').getByRole('heading', { level: 2 }).first().waitFor()
      await p.page.screenshot({ path: join(SCREENS, `${file}-phone.png`) })
    }
    // On a phone "Show on map" closes the drawer so the path can be seen.
    await journeyCard(p.page, 'Rent arrears').getByRole('button', { name: 'Show on map' }).click()
    await p.page.getByTestId('journey-overlay').waitFor()
    await waitFor(
      async () => (await p.page.getByTestId('journey-stop').count()) === 2,
      5_000,
      'two stops on the phone',
    )
    await p.page.waitForTimeout(400)
    await p.page.screenshot({ path: join(SCREENS, 'journey-map-phone.png') })
    expect(p.errors).toEqual([])
    expect(p.foreignRequests).toEqual([])
    await phone.close()
  }
})
