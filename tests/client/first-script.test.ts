import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The page's first script draws a large map's preview before tldraw and the rest of the
 * workspace have run (WorkspacePage.tsx); one static import of tldraw on its path would bring
 * all of it back into that script, and nothing else would say so. Read from the build the tests
 * run against (tests/global-setup.ts builds it).
 */
const CLIENT = join(import.meta.dirname, '../../dist/client')
/** Every tldraw package registers its version under this name as it is loaded. */
const TLDRAW_MARK = '__TLDRAW_LIBRARY_VERSIONS__'

const page = () => readFileSync(join(CLIENT, 'index.html'), 'utf8')
const asset = (file: string) => readFileSync(join(CLIENT, file), 'utf8')

describe('the first script', () => {
  it('holds no tldraw, which comes in the workspace script the page fetches from the start', () => {
    const html = page()
    const entry = html.match(/<script type="module" crossorigin src="\/(assets\/index-[^"]+\.js)">/)?.[1]
    const workspace = html.match(
      /<link rel="modulepreload" crossorigin href="\/(assets\/OpenWorkspace-[^"]+\.js)">/,
    )?.[1]
    expect(entry).toBeDefined()
    expect(workspace).toBeDefined()
    expect(asset(entry as string)).not.toContain(TLDRAW_MARK)
    expect(asset(workspace as string)).toContain(TLDRAW_MARK)
    // Its styles are fetched from the start too.
    expect(html).toMatch(/<link rel="preload" as="style" href="\/assets\/OpenWorkspace-[^"]+\.css">/)
  })
})
