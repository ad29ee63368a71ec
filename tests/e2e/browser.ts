import { existsSync, mkdirSync } from 'node:fs'
import { join as joinPath } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { startTestServer } from '../server/helpers.ts'

export const ROOT = joinPath(import.meta.dirname, '../..')
export const CLIENT_DIR = joinPath(ROOT, 'dist/client')
export const SCREENSHOTS = joinPath(ROOT, 'test-results/screenshots')
export const CHROMIUM = '/usr/bin/chromium'

/** Is Debian's Chromium here? (.ci/run installs it; elsewhere the browser tests say they were skipped.) */
export const hasChromium = existsSync(CHROMIUM)

/**
 * Starts a real server serving the client (built once by tests/global-setup.ts), in open access
 * mode unless `overrides` say `openAccess: false` (the access tests).
 */
export async function startAppServer(
  overrides: Parameters<typeof startTestServer>[0] = {},
  parts: Parameters<typeof startTestServer>[1] = {},
) {
  if (!existsSync(joinPath(CLIENT_DIR, 'index.html'))) throw new Error('the client is not built')
  return startTestServer({ clientDir: CLIENT_DIR, roomIdleMs: 60_000, ...overrides }, parts)
}

export async function launch(extraArgs: string[] = []): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  })
}

/**
 * A page that records every console error, page error and request to anywhere but the
 * server's own origin: the app must never reach outside (the venue may have no internet).
 */
export interface WatchedPage {
  readonly page: Page
  readonly errors: string[]
  readonly foreignRequests: string[]
}

export async function watchedPage(context: BrowserContext, origin: string): Promise<WatchedPage> {
  const page = await context.newPage()
  const errors: string[] = []
  const foreignRequests: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  context.on('request', (request) => {
    const url = request.url()
    if (url.startsWith('data:') || url.startsWith('blob:')) return
    if (new URL(url).origin !== origin && !url.startsWith(origin.replace('http', 'ws')))
      foreignRequests.push(url)
  })
  return { page, errors, foreignRequests }
}

/** Joins a workspace page as a named participant (answering the name prompt). */
export async function join(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Display name').fill(name)
  await page.getByRole('button', { name: 'Join' }).click()
  await page.locator('.tl-canvas').waitFor()
  await page.getByText('All changes saved').waitFor({ timeout: 15_000 })
}
