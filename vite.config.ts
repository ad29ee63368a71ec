import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { defineConfig } from 'vitest/config'

/**
 * Emits /sw.js with the list of every file of this build, so the service worker can keep the
 * whole app shell (scripts, styles, tldraw's fonts, icons and translations) on the device.
 */
function serviceWorker(): Plugin {
  return {
    name: 'network-map-service-worker',
    apply: 'build',
    // After Vite's own: it drops the chunks that only imported CSS (the Urdu font's, loaded with
    // the language) from the bundle, and a listed file that is not there fails the whole install.
    enforce: 'post',
    generateBundle(_options, bundle) {
      const publicFiles = readdirSync(new URL('./client/public', import.meta.url))
      const files = [...Object.keys(bundle), ...publicFiles].filter((name) => !name.endsWith('.map'))
      const precache = [
        '/',
        '/index.html',
        ...files.filter((name) => name !== 'index.html').map((name) => `/${name}`),
      ]
      const version = createHash('sha256').update(files.sort().join('\n')).digest('hex').slice(0, 12)
      const source = readFileSync(new URL('./client/service-worker.js', import.meta.url), 'utf8')
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: `const PRECACHE = ${JSON.stringify(precache)};\nconst VERSION = ${JSON.stringify(version)};\n${source}`,
      })
    },
  }
}

/**
 * Has the page fetch the workspace's own script (OpenWorkspace.tsx: tldraw and the rest, most of
 * the app) and its styles from the start, beside the small first script, without running it: the
 * page runs it only once it has drawn what it can without it (WorkspacePage.tsx). Vite preloads a
 * dynamic import's files only when the import runs, which on a slow link would start the
 * download of most of the app only then.
 */
function preloadWorkspace(): Plugin {
  return {
    name: 'network-map-preload-workspace',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const chunk = Object.values(bundle).find(
        (file) =>
          file.type === 'chunk' && file.isDynamicEntry && file.facadeModuleId?.endsWith('/OpenWorkspace.tsx'),
      )
      const html = bundle['index.html']
      if (chunk?.type !== 'chunk' || !html || html.type !== 'asset') {
        this.error('the workspace chunk or index.html is missing from the build')
      }
      const page = String(html.source)
      // Its imports the first script already has are linked already.
      const scripts = [chunk.fileName, ...chunk.imports]
        .filter((file) => !page.includes(`/${file}"`))
        .map((file) => `<link rel="modulepreload" crossorigin href="/${file}">`)
      const styles = [...(chunk.viteMetadata?.importedCss ?? [])].map(
        (file) => `<link rel="preload" as="style" href="/${file}">`,
      )
      html.source = page.replace('</head>', `  ${[...scripts, ...styles].join('\n    ')}\n  </head>`)
    },
  }
}

// The server's build (`ssr`, see scripts/build.mjs) shares this file but not the app's plugins.
export default defineConfig(({ isSsrBuild }) => ({
  root: 'client',
  publicDir: 'public',
  plugins: isSsrBuild ? [] : [react(), preloadWorkspace(), serviceWorker()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // tldraw is large; one chunk warning is expected and not actionable.
    chunkSizeWarningLimit: 4096,
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/sync': { target: 'ws://127.0.0.1:8080', ws: true },
      '/api': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
    },
  },
  test: {
    root: '.',
    include: ['model/**/*.test.ts', 'tests/**/*.test.ts', 'sync-server/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    // One test file at a time: the browser tests each run a server and Chromium on a 2-core
    // machine, and beside other files their timing-sensitive steps (a selection, a drag, the
    // address after a click) flaked in CI. Slower, but every run means the same.
    fileParallelism: false,
    // In CI a failed test runs once more, and the run says so ("retry x1"). Two browser tests of
    // a box removed with its arrows (map-truth, borough-place) each failed once in a clean-clone
    // run and passed in every run before and after: a race not yet found (see the closing note
    // of the change-over-time session). A test that fails twice still fails the run.
    retry: process.env.CI ? 1 : 0,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
}))
