import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join as joinPath } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import type { Dataset } from '../../model/index.ts'
import { startTestServer } from '../server/helpers.ts'

export const ROOT = joinPath(import.meta.dirname, '../..')
export const CLIENT_DIR = joinPath(ROOT, 'dist/client')
export const SCREENSHOTS = joinPath(ROOT, 'test-results/screenshots')
export const CHROMIUM = '/usr/bin/chromium'

/** Is Debian's Chromium here? (.ci/run installs it; elsewhere the browser tests say they were skipped.) */
export const hasChromium = existsSync(CHROMIUM)
if (!hasChromium)
  console.warn('Browser tests skipped: /usr/bin/chromium is not installed (.ci/run installs it).')

type ServerOverrides = Parameters<typeof startTestServer>[0]
type ServerParts = Parameters<typeof startTestServer>[1]
export type AppServer = Awaited<ReturnType<typeof startTestServer>>

/**
 * Starts a real server serving the client (built once by tests/global-setup.ts), in open access
 * mode unless `overrides` say `openAccess: false` (the access tests). It serves a private copy of
 * the build, removed when it stops: another test run rebuilding dist/client meanwhile cannot
 * pull the files from under its pages.
 */
export async function startAppServer(
  overrides: ServerOverrides = {},
  parts: ServerParts = {},
): Promise<AppServer> {
  if (!existsSync(joinPath(CLIENT_DIR, 'index.html'))) throw new Error('the client is not built')
  const clientDir = mkdtempSync(joinPath(tmpdir(), 'network-map-client-'))
  cpSync(CLIENT_DIR, clientDir, { recursive: true })
  const server = await startTestServer({ clientDir, roomIdleMs: 60_000, ...overrides }, parts)
  return {
    ...server,
    stop: async () => {
      await server.stop()
      rmSync(clientDir, { recursive: true, force: true })
    },
  }
}

/** The app on a real server and a Chromium to open it in, for one describe block. */
export interface AppInBrowser {
  readonly server: AppServer
  readonly browser: Browser
  /** The server's JSON export of a room (with a facilitator's token where needed), or null if refused. */
  exportOf(room: string, token?: string): Promise<Dataset | null>
}

/**
 * Starts the app's server and Chromium before the describe block's tests and stops both after.
 * Call it inside `describe`.
 */
export function useAppInBrowser(
  options: { server?: ServerOverrides; parts?: ServerParts; browserArgs?: string[] } = {},
): AppInBrowser {
  let server: AppServer | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    server = await startAppServer(options.server, options.parts)
    browser = await launch(options.browserArgs)
  }, 240_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the app is started in beforeAll')
    return value
  }
  return {
    get server() {
      return started(server)
    },
    get browser() {
      return started(browser)
    },
    async exportOf(room, token) {
      const response = await fetch(`${started(server).httpUrl}/api/rooms/${room}/export?format=json`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      })
      return response.ok ? ((await response.json()) as Dataset) : null
    },
  }
}

/** Adds an actor with the map toolbar and names it in the inspector (closing it after, if asked). */
export async function addActor(
  page: Page,
  kind: string,
  name: string,
  options: { closeInspector?: boolean } = {},
) {
  await page.getByLabel('Kind of actor to add').selectOption(kind)
  await page.getByRole('button', { name: 'Add actor' }).click()
  const inspector = page.getByRole('complementary', { name: 'Inspector' })
  const field = inspector.getByLabel('Name', { exact: true })
  await field.fill(name)
  await field.press('Enter')
  await page.locator('.actor-card', { hasText: name }).waitFor()
  if (options.closeInspector) await inspector.getByRole('button', { name: 'Close inspector' }).click()
}

/**
 * Clicks a box on the map as a person would, after bringing it to the middle of the view: a box
 * laid out near the bottom can sit under the map's toolbar, which would take the click. The map
 * pans by the mouse wheel, as on a laptop's trackpad.
 */
export async function clickOnMap(page: Page, target: Locator): Promise<void> {
  const box = await target.boundingBox()
  const view = page.viewportSize()
  if (box && view) {
    const dx = box.x + box.width / 2 - view.width / 2
    const dy = box.y + box.height / 2 - view.height / 2
    await page.mouse.move(view.width / 2, view.height / 2)
    await page.mouse.wheel(dx, dy)
    await expect
      .poll(async () => {
        const moved = await target.boundingBox()
        return moved ? Math.abs(moved.y + moved.height / 2 - view.height / 2) < 40 : false
      })
      .toBe(true)
  }
  await target.click()
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
  await page.getByLabel('Your name', { exact: true }).fill(name)
  await page.getByRole('button', { name: 'Join' }).click()
  await page.locator('.tl-canvas').waitFor()
  await page.getByText('All changes saved').waitFor({ timeout: 15_000 })
}
