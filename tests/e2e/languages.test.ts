import { join } from 'node:path'
import type { BrowserContextOptions, Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  addActor,
  clickOnMap,
  hasChromium,
  join as joinAs,
  SCREENSHOTS,
  useAppInBrowser,
  type WatchedPage,
  watchedPage,
} from './browser.ts'

/**
 * Every word a person reads in a region, visible or for a screen reader: its text, and the
 * labels, titles and placeholders of everything in it, less the given data (names people typed).
 */
async function wordsIn(region: Locator, data: readonly string[] = []): Promise<string[]> {
  const texts = await region.evaluate((element) => {
    // innerText, not textContent: what is rendered, as a reader meets it (no style or script text).
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
    const out = [(element as HTMLElement).innerText]
    for (const each of [element, ...element.querySelectorAll('*')]) {
      for (const name of ['aria-label', 'title', 'placeholder']) {
        const value = each.getAttribute(name)
        if (value) out.push(value)
      }
    }
    return out
  })
  let all = texts.join('\n')
  for (const text of data) all = all.split(text).join(' ')
  return all.match(/[A-Za-z]{2,}/g) ?? []
}

const dir = (page: Page) => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])

/** Picks a language in a language list and waits for the page to turn to its direction. */
async function chooseLanguage(picker: Locator, language: 'ur' | 'en'): Promise<void> {
  await picker.selectOption(language)
  await picker
    .page()
    .waitForFunction((rtl) => document.documentElement.dir === (rtl ? 'rtl' : 'ltr'), language === 'ur')
}

/** Answers the name prompt in Urdu and waits for the workspace to be saved. */
async function joinInUrdu(page: Page, name: string): Promise<void> {
  await page.getByLabel('آپ کا نام', { exact: true }).fill(name)
  await page.getByRole('button', { name: 'شامل ہوں' }).click()
  await page.getByText('تمام تبدیلیاں محفوظ ہیں').waitFor()
}

/** Waits for the self-hosted Nastaliq font to draw the text, so a screenshot shows it. */
const nastaliqDrawn = (page: Page, text: string) =>
  page.waitForFunction((text) => document.fonts.check('16px "Noto Nastaliq Urdu"', text), text)

/** A screenshot of the interface in Urdu, named for its screen and device. */
const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `language-urdu-${name}.png`) })

/** No device logged an error or asked another site for anything. */
function expectNoErrors(...devices: Pick<WatchedPage, 'errors' | 'foreignRequests'>[]): void {
  for (const device of devices) {
    expect(device.errors).toEqual([])
    expect(device.foreignRequests).toEqual([])
  }
}

describe.skipIf(!hasChromium)('the interface in Urdu, right to left', () => {
  const app = useAppInBrowser()

  /** A browser on the test server, its page watched for errors and requests elsewhere. */
  const device = async (options: BrowserContextOptions) => {
    const context = await app.browser.newContext(options)
    const watched = await watchedPage(context, app.server.httpUrl)
    watched.page.setDefaultTimeout(15_000)
    return { context, ...watched }
  }
  const wide = () => device({ viewport: { width: 1280, height: 800 } })
  /** A phone whose browser prefers Urdu. */
  const urduPhone = () =>
    device({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ur-PK' })

  it('switches on the name prompt, leaves no English on the joining and journey screens, mirrors the layout, and switches back', async () => {
    const room = `urdu-${Date.now().toString(36)}`
    const { context, page, errors, foreignRequests } = await wide()
    await page.goto(`${app.server.httpUrl}/w/${room}`)

    // ---- joining: the language is the first thing on the name prompt.
    const prompt = page.getByRole('dialog')
    expect(await dir(page)).toEqual(['en', 'ltr'])
    await chooseLanguage(prompt.getByLabel('Language'), 'ur')
    expect(await dir(page)).toEqual(['ur', 'rtl'])
    await prompt.getByRole('heading', { name: 'آپ کا نام کیا ہے؟' }).waitFor()
    expect(await wordsIn(prompt)).toEqual(['English']) // the language list names English in English
    // The self-hosted Nastaliq font is what the prompt is drawn in.
    await nastaliqDrawn(page, 'آپ')
    await screenshot(page, 'join-wide')
    await prompt.getByLabel('آپ کا نام', { exact: true }).fill('عائشہ')
    await prompt.getByRole('button', { name: 'شامل ہوں' }).click()
    await page.locator('.tl-canvas').waitFor()
    await page.getByText('تمام تبدیلیاں محفوظ ہیں').waitFor()

    // tldraw's own toolbar speaks Urdu too.
    const select = page.locator('[data-testid="tools.select"]')
    await select.waitFor()
    expect(`${await select.getAttribute('title')} ${await select.getAttribute('aria-label')}`).toContain(
      'منتخب',
    )

    // ---- a resident's journey, entered in Urdu.
    await page.getByRole('button', { name: 'ورکشاپ' }).click()
    await page.getByRole('tab', { name: 'سفر' }).click()
    const panel = page.locator('#workshop-tabpanel')
    const add = panel.getByRole('form', { name: 'ایک سفر شامل کریں' })
    await add.getByLabel('عنوان').fill('کرائے میں مدد')
    await add.getByLabel('رہائشی (اختیاری)').fill('سارہ')
    await add.getByRole('button', { name: 'سفر شامل کریں' }).click()
    const card = panel.locator('.journey', { hasText: 'کرائے میں مدد' })
    await card.getByLabel('رہائشی نے اپنی کہانی لکھنے کے لیے ہاں کہی').check()
    const step = card.getByRole('form', { name: 'قدم 1 شامل کریں' })
    await step.getByLabel('یا کوئی جگہ جو نقشے پر نہیں ہے').fill('ڈاکٹر کا کلینک')
    await step.getByLabel('کیا ہوا').fill('ایک گھنٹہ انتظار کیا')
    await step.getByLabel('کیسا محسوس ہوا').selectOption('negative')
    await step.getByLabel('کسی نے مدد نہیں کی').check()
    await step.getByRole('button', { name: 'قدم شامل کریں' }).click()
    await card.locator('.journey-step').waitFor()
    await card.getByText('احساس: برا').waitFor()
    // Arrow keys follow the page: in right-to-left, the left arrow goes to the next tab.
    await page.getByRole('tab', { name: 'سفر' }).press('ArrowLeft')
    await page.getByRole('tab', { name: 'ایجنڈا', selected: true }).waitFor()
    await page.getByRole('tab', { name: 'ایجنڈا' }).press('ArrowRight')
    await page.getByRole('tab', { name: 'سفر', selected: true }).waitFor()
    await card.getByRole('button', { name: 'کھولیں اور ترمیم کریں' }).click()
    await card.locator('.journey-step').waitFor()

    const typed = ['کرائے میں مدد', 'سارہ', 'ڈاکٹر کا کلینک', 'ایک گھنٹہ انتظار کیا', 'عائشہ']
    expect(await wordsIn(panel, typed)).toEqual([])
    expect(await wordsIn(page.getByRole('tablist'), typed)).toEqual([])
    // The workspace's title is data (the name it was given); everything else in the bar is interface.
    const title = (await page.locator('.topbar__title').textContent()) ?? ''
    expect(await wordsIn(page.locator('.topbar'), [...typed, title])).toEqual(['English'])

    // ---- mirrored: the drawer opens on the left, the home button sits on the right.
    const drawer = await page.locator('.workspace__workshop').boundingBox()
    const home = await page.locator('.topbar__home').boundingBox()
    expect(drawer?.x).toBeLessThan(2)
    expect(home?.x).toBeGreaterThan(1280 - 80)
    await screenshot(page, 'journeys-wide')

    // ---- a phone whose browser prefers Urdu opens in Urdu without being asked.
    const { context: phone, ...onPhone } = await urduPhone()
    await onPhone.page.goto(`${app.server.httpUrl}/w/${room}`)
    await onPhone.page.getByRole('heading', { name: 'آپ کا نام کیا ہے؟' }).waitFor()
    expect(await dir(onPhone.page)).toEqual(['ur', 'rtl'])
    await screenshot(onPhone.page, 'join-phone')
    await joinInUrdu(onPhone.page, 'بلال')
    await onPhone.page.getByRole('button', { name: 'ورکشاپ' }).click()
    await onPhone.page.getByRole('tab', { name: 'سفر' }).click()
    await onPhone.page.locator('.journey', { hasText: 'کرائے میں مدد' }).waitFor()
    await screenshot(onPhone.page, 'journeys-phone')

    // ---- back to English on the first device: the same journey, the page left to right again.
    await chooseLanguage(page.locator('.topbar__language select'), 'en')
    expect(await dir(page)).toEqual(['en', 'ltr'])
    await page.getByRole('tab', { name: 'Journeys', selected: true }).waitFor()
    await panel.getByRole('heading', { name: 'Residents’ journeys' }).waitFor()
    await card.getByText('Felt: Bad').waitFor()
    expect((await page.locator('.workspace__workshop').boundingBox())?.x).toBeGreaterThan(400)
    // Remembered on this device: a reload stays in English, the phone in Urdu.
    await page.reload()
    await page.getByText('All changes saved').waitFor()
    expect(await dir(page)).toEqual(['en', 'ltr'])

    expectNoErrors({ errors, foreignRequests }, onPhone)
    await Promise.all([context.close(), phone.close()])
  }, 120_000)

  it('leaves no English on the home page and the notes, themes, quick wins, models and agenda tabs', async () => {
    const { context, page, errors, foreignRequests } = await wide()

    // ---- the home page: its own language picker comes first.
    await page.goto(`${app.server.httpUrl}/`)
    await chooseLanguage(page.locator('.home__language select'), 'ur')
    const home = page.locator('main.home')
    await home.getByRole('heading', { name: 'نیٹ ورک کا نقشہ' }).waitFor()
    expect(await wordsIn(home)).toEqual(['English']) // the language list names English in English
    await nastaliqDrawn(page, 'نقشہ')
    await screenshot(page, 'home-wide')
    await home.getByLabel('عنوان').fill('محلے کا نقشہ')
    await home.getByRole('button', { name: 'ورک اسپیس بنائیں' }).click()
    await joinInUrdu(page, 'عائشہ')
    await page.getByRole('button', { name: 'ورکشاپ' }).click()
    const panel = page.locator('#workshop-tabpanel')
    const tab = (name: string) => page.getByRole('tab', { name }).click()

    // ---- notes: the formatting buttons' tooltips name their shortcut keys as printed on the keys.
    await tab('نوٹس')
    await panel.getByRole('heading', { name: 'ورکشاپ کے نوٹس' }).waitFor()
    await panel.getByRole('textbox', { name: 'ورکشاپ کے نوٹس' }).click()
    await page.keyboard.type('کرایہ سب سے بڑا مسئلہ ہے')
    await panel.getByText('کرایہ سب سے بڑا مسئلہ ہے').waitFor()
    const keys = ['Ctrl', 'Alt', 'Shift']
    expect(await wordsIn(panel, ['کرایہ سب سے بڑا مسئلہ ہے', 'عائشہ', ...keys])).toEqual([])
    await screenshot(page, 'notes-wide')

    // ---- themes: the usual themes are added in Urdu; a point under one of them.
    await tab('موضوعات')
    expect(await wordsIn(panel)).toEqual([])
    await panel.getByRole('button', { name: 'عام موضوعات سے شروع کریں' }).click()
    const trust = panel.locator('.themes__theme', { hasText: 'اعتماد' })
    await trust.getByLabel('اعتماد کے نیچے نیا نکتہ').fill('لوگ ایک دوسرے کو جانتے نہیں')
    await trust.getByRole('button', { name: 'شامل کریں', exact: true }).click()
    await trust.getByText('لوگ ایک دوسرے کو جانتے نہیں').waitFor()
    await trust.getByText('1 نکتہ').waitFor()
    expect(await wordsIn(panel, ['لوگ ایک دوسرے کو جانتے نہیں', 'عائشہ'])).toEqual([])
    await screenshot(page, 'themes-wide')

    // ---- quick wins: one added, and a dot given to it.
    await tab('فوری کامیابیاں')
    await panel.getByLabel('نئی فوری کامیابی').fill('رابطوں کی ایک فہرست')
    await panel.getByRole('button', { name: 'فوری کامیابی شامل کریں' }).click()
    await panel.getByRole('button', { name: 'رابطوں کی ایک فہرست کو ایک نقطہ دیں' }).click()
    await panel.getByTestId('total-dots').getByText('1 نقطہ').waitFor()
    expect(await wordsIn(panel, ['رابطوں کی ایک فہرست'])).toEqual([])
    await screenshot(page, 'quick-wins-wide')

    // ---- models: an example added through the form drawn from its record declaration
    // (model/records/emerging-model.ts), whose labels and help are worded in the locale files too.
    await tab('ماڈل')
    const add = panel.getByRole('form', { name: 'ایک مثال شامل کریں' })
    await add.getByLabel('نام', { exact: true }).fill('محلے کا کھانا گھر')
    await add.getByRole('button', { name: 'مثال شامل کریں' }).click()
    await panel.getByRole('heading', { name: 'محلے کا کھانا گھر' }).waitFor()
    expect(await wordsIn(panel, ['محلے کا کھانا گھر'])).toEqual([])
    await screenshot(page, 'models-wide')

    // ---- agenda: an item planned, with its minutes.
    await tab('ایجنڈا')
    expect(await wordsIn(panel)).toEqual([])
    await panel.getByLabel('نکتہ', { exact: true }).fill('خوش آمدید')
    await panel.getByLabel('منٹ', { exact: true }).fill('90')
    await panel.getByRole('button', { name: 'نکتہ شامل کریں' }).click()
    await panel.getByRole('list', { name: 'ایجنڈے کے نکات' }).getByText('خوش آمدید').waitFor()
    await panel.getByText('1 نکتہ، کل 1 گھنٹہ 30 منٹ').waitFor()
    expect(await wordsIn(panel, ['خوش آمدید'])).toEqual([])
    await screenshot(page, 'agenda-wide')

    // ---- the facilitator's invite and export dialogs.
    await page.getByRole('button', { name: 'شیئر کریں' }).click()
    const share = page.getByRole('dialog', { name: 'لوگوں کو بلائیں' })
    await share.getByRole('button', { name: 'لنک بنائیں' }).click()
    await share.getByRole('img', { name: 'لنک کا کیو آر کوڈ' }).waitFor()
    await share.getByRole('list', { name: 'دعوتی لنکس' }).getByRole('listitem').first().waitFor()
    expect(await wordsIn(share)).toEqual([])
    await screenshot(page, 'share-wide')
    await share.getByRole('button', { name: 'ہو گیا' }).click()
    await page.getByRole('button', { name: 'برآمد' }).click()
    const download = page.getByRole('dialog', { name: 'برآمد' })
    // File types and the tools that read them keep their names in every language.
    const formats = [
      'JSON',
      'CSV',
      'GraphML',
      'Gephi',
      'yEd',
      'Cytoscape',
      'GEXF',
      'Kumu',
      'Open',
      'Referral',
    ]
    formats.push('UK', 'Giving', 'Markdown', 'SVG', 'PNG')
    expect((await wordsIn(download)).filter((word) => !formats.includes(word))).toEqual([])
    await download.getByRole('button', { name: 'ہو گیا' }).click()

    // ---- a phone that prefers Urdu: the home page and the themes, in the same workspace.
    const { context: phone, ...onPhone } = await urduPhone()
    await onPhone.page.goto(`${app.server.httpUrl}/`)
    await onPhone.page.getByRole('heading', { name: 'نیٹ ورک کا نقشہ' }).waitFor()
    await nastaliqDrawn(onPhone.page, 'نقشہ')
    expect(await wordsIn(onPhone.page.locator('main.home'))).toEqual(['English'])
    await screenshot(onPhone.page, 'home-phone')
    await onPhone.page.goto(page.url())
    await joinInUrdu(onPhone.page, 'بلال')
    await onPhone.page.getByRole('button', { name: 'ورکشاپ' }).click()
    await onPhone.page.getByRole('tab', { name: 'موضوعات' }).click()
    await onPhone.page.getByText('لوگ ایک دوسرے کو جانتے نہیں').waitFor()
    await screenshot(onPhone.page, 'themes-phone')

    expectNoErrors({ errors, foreignRequests }, onPhone)
    await Promise.all([context.close(), phone.close()])
  }, 120_000)

  it("leaves no English but data on an actor's inspector, the table and the Insight tab", async () => {
    const room = `urdu-records-${Date.now().toString(36)}`
    const { context, page, errors, foreignRequests } = await wide()
    // The map is drawn in English (the tests' helpers know its words), then read in Urdu.
    await joinAs(page, `${app.server.httpUrl}/w/${room}`, 'عائشہ')
    await addActor(page, 'space', 'کمیونٹی ہال')
    const inspector = page.getByRole('complementary', { name: 'Inspector' })
    const offers = inspector.getByRole('group', { name: 'Offers' })
    await offers.getByLabel('New offer: kind').selectOption('space')
    await offers.getByLabel('New offer: ward').fill('دریا وارڈ')
    await offers.getByRole('button', { name: 'Add offer' }).click()
    await offers.getByLabel('Offers 1: note').waitFor()
    await inspector.getByRole('button', { name: 'Close inspector' }).click()
    await addActor(page, 'organisation', 'فوڈ بینک')
    await inspector.getByRole('checkbox', { name: 'Health' }).check()
    await inspector.getByLabel('Area', { exact: true }).fill('دریا وارڈ')
    await inspector.getByLabel('Area', { exact: true }).press('Enter')
    const needs = inspector.getByRole('group', { name: 'Needs' })
    await needs.getByLabel('New need: kind').selectOption('space')
    await needs.getByLabel('New need: note').fill('بڑا کمرہ')
    await needs.getByRole('button', { name: 'Add need' }).click()
    await needs.getByLabel('Needs 1: note').waitFor()
    await page.getByText('All changes saved').waitFor()
    const typed = ['کمیونٹی ہال', 'فوڈ بینک', 'دریا وارڈ', 'بڑا کمرہ', 'عائشہ']

    await chooseLanguage(page.locator('.topbar__language select'), 'ur')
    await nastaliqDrawn(page, 'اندراج')
    // Boxes already on the map follow: their kind in Urdu.
    await page
      .locator('.actor-card', { hasText: 'فوڈ بینک' })
      .locator('.actor-card__kind', { hasText: 'تنظیم' })
      .waitFor()

    // ---- the inspector: the form drawn from the actor's declaration, in Urdu.
    const urduInspector = page.getByRole('complementary', { name: 'تفصیل' })
    await urduInspector.getByLabel('علاقہ', { exact: true }).waitFor()
    await urduInspector.getByRole('checkbox', { name: 'صحت' }).waitFor()
    await urduInspector
      .getByRole('group', { name: 'ضرورتیں' })
      .getByRole('option', { name: 'جگہ' })
      .first()
      .waitFor({
        state: 'attached',
      })
    expect(await wordsIn(urduInspector, typed)).toEqual([])
    // A refusal names the field and says what to fix, in Urdu.
    const website = urduInspector.getByLabel('ویب سائٹ', { exact: true })
    await website.fill('javascript:alert(1)')
    await website.press('Enter')
    await urduInspector.getByText('ویب کا پتہ لکھیں جو https:// سے شروع ہو۔').waitFor()
    await website.press('Escape')
    await screenshot(page, 'inspector-wide')

    // ---- the table: headers, kinds, domains, offers and needs, the column chooser.
    await page.getByRole('button', { name: 'جدول', exact: true }).click()
    const table = page.locator('.table-view')
    await table.getByRole('heading', { name: 'اندراجات', exact: true }).waitFor()
    await table.getByRole('cell', { name: 'جگہ / مقام' }).waitFor()
    await table.getByRole('cell', { name: 'جگہ: بڑا کمرہ' }).waitFor()
    await table.getByText('کالم', { exact: true }).click()
    await table.getByRole('group', { name: 'دکھانے کے لیے کالم' }).getByLabel('ویب سائٹ').waitFor()
    expect(await wordsIn(table, typed)).toEqual([])
    await screenshot(page, 'table-wide')

    // ---- the Insight tab: figures, rankings, the lens, matches, partners, the funding.
    await page.getByRole('button', { name: 'نقشہ', exact: true }).click()
    await page.getByRole('button', { name: 'ورکشاپ', exact: true }).click()
    await page.getByRole('tab', { name: 'بصیرت' }).click()
    const panel = page.locator('#workshop-tabpanel')
    await panel.getByRole('heading', { name: 'نیٹ ورک کی بصیرت' }).waitFor()
    await panel.getByText('2 اندراجات کی پیمائش', { exact: false }).waitFor()
    await panel.getByText('کمیونٹی ہال جگہ دے سکتے ہیں۔').waitFor()
    await panel.getByText('ایک ہی وارڈ: دریا وارڈ؛ ابھی ربط نہیں').waitFor()
    expect(await wordsIn(panel, typed)).toEqual([])
    await screenshot(page, 'insight-wide')
    // The lens coloured by domain: the map's key names the domains in Urdu.
    await panel.getByLabel('رنگ کس سے').selectOption('domain')
    const key = page.getByTestId('lens-key')
    await key.getByText('رنگ: شعبہ').waitFor()
    // Folded beside both drawers; unfolded, it shows its colours.
    await key.getByRole('button', { name: 'نقشے کا منظر' }).click()
    await key.getByText('صحت', { exact: true }).waitFor()
    expect(await wordsIn(key)).toEqual([])
    await panel.getByRole('button', { name: 'پہلے جیسا کریں' }).click()
    await key.waitFor({ state: 'detached' })

    // ---- a link made from the match, opened from the table: its form, made a funding link.
    const match = panel.getByTestId('insight-matches')
    await match.getByRole('button', { name: 'کمیونٹی ہال کو فوڈ بینک سے جوڑیں' }).click()
    await match.getByText('نقشے پر جوڑ دیا گیا۔').waitFor()
    await page.getByRole('button', { name: 'جدول', exact: true }).click()
    const linksTable = table.locator('section', {
      has: page.getByRole('heading', { name: 'روابط', exact: true }),
    })
    await linksTable.getByRole('button', { name: /^ترمیم کریں/ }).click()
    await urduInspector.getByLabel('قسم', { exact: true }).selectOption('funding')
    await urduInspector.getByRole('group', { name: 'فنڈنگ' }).getByLabel('رقم', { exact: true }).waitFor()
    await urduInspector.getByLabel('سمت', { exact: true }).getByRole('option', { name: 'دو طرفہ' }).waitFor({
      state: 'attached',
    })
    expect(await wordsIn(urduInspector, typed)).toEqual([])
    expect(await wordsIn(linksTable, typed)).toEqual([])
    await screenshot(page, 'link-wide')
    await page.getByRole('button', { name: 'نقشہ', exact: true }).click()

    // ---- on a phone: the same screens, right to left.
    await urduInspector.getByRole('button', { name: 'تفصیل بند کریں' }).click()
    await page.setViewportSize({ width: 390, height: 844 })
    await panel.getByRole('heading', { name: 'مشترکہ درخواست کے لیے شراکت دار' }).scrollIntoViewIfNeeded()
    await screenshot(page, 'insight-phone')

    // A phone whose browser prefers Urdu, on the same map: the table and an actor's inspector.
    const { context: phone, ...onPhone } = await urduPhone()
    await onPhone.page.goto(`${app.server.httpUrl}/w/${room}`)
    await joinInUrdu(onPhone.page, 'بلال')
    await onPhone.page.getByRole('button', { name: 'جدول', exact: true }).click()
    const phoneTable = onPhone.page.locator('.table-view')
    await phoneTable.getByRole('cell', { name: 'جگہ / مقام' }).waitFor()
    await nastaliqDrawn(onPhone.page, 'اندراج')
    await screenshot(onPhone.page, 'table-phone')
    await phoneTable.getByRole('button', { name: 'ترمیم کریں فوڈ بینک' }).click()
    await onPhone.page
      .getByRole('complementary', { name: 'تفصیل' })
      .getByLabel('علاقہ', { exact: true })
      .waitFor()
    await screenshot(onPhone.page, 'inspector-phone')
    expectNoErrors(onPhone)
    await phone.close()

    expectNoErrors({ errors, foreignRequests })
    await context.close()
  }, 180_000)

  it("leaves no English on the Changes tab with a snapshot compared with now, nor on the map's key to it", async () => {
    const room = `urdu-changes-${Date.now().toString(36)}`
    const { context, page, errors, foreignRequests } = await wide()
    // The map is drawn in English (the tests' helpers know its words), then read in Urdu.
    await joinAs(page, `${app.server.httpUrl}/w/${room}`, 'عائشہ')
    await addActor(page, 'organisation', 'فوڈ بینک', { closeInspector: true })
    await page.locator('.topbar').getByRole('button', { name: 'Workshop', exact: true }).click()
    await page.getByRole('tab', { name: 'Changes' }).click()
    const panel = page.locator('#workshop-tabpanel')
    await panel.getByLabel('Snapshot name').fill('صبح کا سیشن')
    await panel.getByRole('button', { name: 'Save snapshot' }).click()
    await panel.getByTestId('snapshot-item').filter({ hasText: 'صبح کا سیشن' }).waitFor()
    await addActor(page, 'resident-group', 'یوتھ کلب', { closeInspector: true })
    await clickOnMap(page, page.locator('.actor-card', { hasText: 'فوڈ بینک' }))
    const inspector = page.getByRole('complementary', { name: 'Inspector' })
    await inspector.getByLabel('Name', { exact: true }).fill('فوڈ بینک مرکز')
    await inspector.getByLabel('Name', { exact: true }).press('Enter')
    await inspector.getByRole('button', { name: 'Close inspector' }).click()
    await page.getByText('All changes saved').waitFor()

    await chooseLanguage(page.locator('.topbar__language select'), 'ur')
    await page.getByRole('tab', { name: 'تبدیلیاں', selected: true }).waitFor()
    await panel
      .getByTestId('snapshot-item')
      .filter({ hasText: 'صبح کا سیشن' })
      .getByRole('button', { name: 'ابھی کے نقشے سے موازنہ کریں' })
      .click()
    await panel
      .getByTestId('changes-table')
      .locator('tr[data-change="added"]', { hasText: 'یوتھ کلب' })
      .waitFor()
    await panel.getByText('قسم: رہائشیوں کا گروپ').waitFor()
    // A changed field: its label and values in the declaration's words for Urdu, the names as typed.
    await panel
      .getByTestId('changes-table')
      .locator('tr[data-change="changed"]', { hasText: 'فوڈ بینک مرکز' })
      .getByText('نام: فوڈ بینک ← فوڈ بینک مرکز')
      .waitFor()
    // Who changed what, under the comparison: asked for again, so it has the second actor.
    const history = panel.getByRole('region', { name: 'کس نے کیا بدلا' })
    await history.getByRole('button', { name: 'تازہ کریں' }).click()
    await history.getByText('اندراج “یوتھ کلب” کا اضافہ کیا').waitFor()
    const key = page.getByTestId('change-key')
    await key.getByText('نئے: 1 اندراج، 0 روابط').waitFor()
    await nastaliqDrawn(page, 'تبدیلیاں')

    // Names people typed are data; file types keep their names in every language.
    const typed = ['فوڈ بینک مرکز', 'فوڈ بینک', 'یوتھ کلب', 'صبح کا سیشن', 'عائشہ']
    const formats = ['Markdown', 'JSON']
    expect((await wordsIn(panel, typed)).filter((word) => !formats.includes(word))).toEqual([])
    expect(await wordsIn(key, typed)).toEqual([])
    await panel.getByRole('heading', { name: 'موازنہ' }).scrollIntoViewIfNeeded()
    await screenshot(page, 'changes-wide')

    // On a phone the drawer takes the screen; the comparison is read there, and its marks on the map.
    await page.setViewportSize({ width: 390, height: 844 })
    await panel.getByTestId('changes-table').scrollIntoViewIfNeeded()
    await screenshot(page, 'changes-phone')
    await panel.getByTestId('measures-table').scrollIntoViewIfNeeded()
    await screenshot(page, 'changes-measures-phone')
    await panel.getByRole('button', { name: 'نقشے پر دکھائیں', exact: true }).click()
    await key.waitFor()
    await screenshot(page, 'changes-map-phone')

    // The snapshot opened read-only in place of the map, its bar in Urdu.
    await page.getByRole('button', { name: 'ورکشاپ' }).click()
    await page.getByRole('tab', { name: 'تبدیلیاں' }).click()
    await panel.getByRole('button', { name: 'صرف دیکھنے کے لیے کھولیں' }).click()
    const view = page.getByTestId('snapshot-view')
    await view.locator('.actor-card', { hasText: 'فوڈ بینک' }).waitFor()
    expect(await wordsIn(view.locator('.snapshot-view__bar'), typed)).toEqual([])
    await screenshot(page, 'snapshot-phone')
    await view.getByRole('button', { name: 'موجودہ نقشے پر واپس جائیں' }).click()
    await view.waitFor({ state: 'detached' })

    // An actor's History in the inspector (the inspector's own field labels are the declarations').
    await page.setViewportSize({ width: 1280, height: 800 })
    await clickOnMap(page, page.locator('.actor-card', { hasText: 'یوتھ کلب' }))
    const recordHistory = page.locator('details.record-history')
    await recordHistory.getByText('تبدیلیوں کی تاریخ', { exact: true }).click()
    await recordHistory.getByRole('list', { name: 'اس اندراج کی تبدیلیاں، سب سے نئی پہلے' }).waitFor()
    await recordHistory.getByText('عائشہ (سہولت کار) نے اسے شامل کیا').waitFor()
    // The name the toolbar gave the box, in English then, is the name the record had: data.
    expect(await wordsIn(recordHistory, [...typed, 'New resident group'])).toEqual([])
    await screenshot(page, 'record-history-wide')
    // Right to left like the rest of the page: the time first, on the right, then who.
    const entry = recordHistory.getByRole('listitem').first()
    expect(await entry.evaluate((element) => getComputedStyle(element).direction)).toBe('rtl')
    const time = await entry.locator('time').boundingBox()
    const who = await entry.locator('strong').boundingBox()
    expect(time && who && time.x > who.x).toBe(true)

    expectNoErrors({ errors, foreignRequests })
    await context.close()
  }, 120_000)
})
