import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { hasChromium, SCREENSHOTS, useAppInBrowser, watchedPage } from './browser.ts'

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

describe.skipIf(!hasChromium)('the interface in Urdu, right to left', () => {
  const app = useAppInBrowser()

  it('switches on the name prompt, leaves no English on the joining and journey screens, mirrors the layout, and switches back', async () => {
    const room = `urdu-${Date.now().toString(36)}`
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } })
    const { page, errors, foreignRequests } = await watchedPage(context, app.server.httpUrl)
    page.setDefaultTimeout(15_000)
    await page.goto(`${app.server.httpUrl}/w/${room}`)

    // ---- joining: the language is the first thing on the name prompt.
    const prompt = page.getByRole('dialog')
    expect(await dir(page)).toEqual(['en', 'ltr'])
    await prompt.getByLabel('Language').selectOption('ur')
    await page.waitForFunction(() => document.documentElement.dir === 'rtl')
    expect(await dir(page)).toEqual(['ur', 'rtl'])
    await prompt.getByRole('heading', { name: 'آپ کا نام کیا ہے؟' }).waitFor()
    expect(await wordsIn(prompt)).toEqual(['English']) // the language list names English in English
    // The self-hosted Nastaliq font is what the prompt is drawn in.
    await page.waitForFunction(() => document.fonts.check('16px "Noto Nastaliq Urdu"', 'آپ'))
    await page.screenshot({ path: join(SCREENSHOTS, 'language-urdu-join-wide.png') })
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
    await page.screenshot({ path: join(SCREENSHOTS, 'language-urdu-journeys-wide.png') })

    // ---- a phone whose browser prefers Urdu opens in Urdu without being asked.
    const phone = await app.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'ur-PK',
    })
    const onPhone = await watchedPage(phone, app.server.httpUrl)
    onPhone.page.setDefaultTimeout(15_000)
    await onPhone.page.goto(`${app.server.httpUrl}/w/${room}`)
    await onPhone.page.getByRole('heading', { name: 'آپ کا نام کیا ہے؟' }).waitFor()
    expect(await dir(onPhone.page)).toEqual(['ur', 'rtl'])
    await onPhone.page.screenshot({ path: join(SCREENSHOTS, 'language-urdu-join-phone.png') })
    await onPhone.page.getByLabel('آپ کا نام', { exact: true }).fill('بلال')
    await onPhone.page.getByRole('button', { name: 'شامل ہوں' }).click()
    await onPhone.page.getByText('تمام تبدیلیاں محفوظ ہیں').waitFor()
    await onPhone.page.getByRole('button', { name: 'ورکشاپ' }).click()
    await onPhone.page.getByRole('tab', { name: 'سفر' }).click()
    await onPhone.page.locator('.journey', { hasText: 'کرائے میں مدد' }).waitFor()
    await onPhone.page.screenshot({ path: join(SCREENSHOTS, 'language-urdu-journeys-phone.png') })

    // ---- back to English on the first device: the same journey, the page left to right again.
    await page.locator('.topbar__language select').selectOption('en')
    await page.waitForFunction(() => document.documentElement.dir === 'ltr')
    expect(await dir(page)).toEqual(['en', 'ltr'])
    await page.getByRole('tab', { name: 'Journeys', selected: true }).waitFor()
    await panel.getByRole('heading', { name: 'Residents’ journeys' }).waitFor()
    await card.getByText('Felt: Bad').waitFor()
    expect((await page.locator('.workspace__workshop').boundingBox())?.x).toBeGreaterThan(400)
    // Remembered on this device: a reload stays in English, the phone in Urdu.
    await page.reload()
    await page.getByText('All changes saved').waitFor()
    expect(await dir(page)).toEqual(['en', 'ltr'])

    for (const watched of [{ errors, foreignRequests }, onPhone]) {
      expect(watched.errors).toEqual([])
      expect(watched.foreignRequests).toEqual([])
    }
    await Promise.all([context.close(), phone.close()])
  }, 120_000)
})
