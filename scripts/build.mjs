// The one build step: the client (dist/client) and the server (dist/server), both by Vite.
// Plain JavaScript, so that `npm start` needs no TypeScript loader: it runs this with
// `--if-stale` (rebuilding only what is missing or older than its sources), then the compiled
// server. A deployment that ships dist/ without the sources never rebuilds.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * The server's entry points: the server, the SQLite store's writer thread (found by the store
 * at dist/server/sqlite-writer.js) and its checkpointer thread (found by the writer beside it),
 * and the operator's command lines.
 */
export const SERVER_ENTRIES = {
  main: 'sync-server/main.ts',
  'sqlite-writer': 'sync-server/storage/sqlite-writer.mjs',
  'sqlite-checkpointer': 'sync-server/storage/sqlite-checkpointer.mjs',
  'invite-cli': 'sync-server/invite-cli.ts',
  'export-cli': 'sync-server/export-cli.ts',
  'migrate-store': 'sync-server/migrate-store.ts',
}

/** The newest modification time of any file under these paths (0 if none). */
function newest(paths) {
  let latest = 0
  const visit = (path) => {
    const stat = statSync(path)
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules') visit(join(path, entry))
    } else latest = Math.max(latest, stat.mtimeMs)
  }
  for (const path of paths) if (existsSync(join(root, path))) visit(join(root, path))
  return latest
}

const parts = [
  {
    name: 'client',
    output: 'dist/client/index.html',
    sources: ['client', 'model', 'vite.config.ts'],
    config: {},
  },
  {
    name: 'server',
    output: 'dist/server/main.js',
    sources: ['sync-server', 'model', 'vite.config.ts', 'package.json'],
    config: {
      // Node's own build: dependencies stay in node_modules (better-sqlite3 is native code).
      build: {
        ssr: true,
        outDir: join(root, 'dist/server'),
        emptyOutDir: true,
        target: 'node20',
        sourcemap: true,
        copyPublicDir: false,
        rollupOptions: {
          input: Object.fromEntries(Object.entries(SERVER_ENTRIES).map(([n, p]) => [n, join(root, p)])),
        },
      },
    },
  },
]

/** Whether a part's output is missing or older than its sources (which a deployment may lack). */
function stale(part) {
  const output = join(root, part.output)
  if (!existsSync(output)) return existsSync(join(root, part.sources[0]))
  return statSync(output).mtimeMs < newest(part.sources)
}

/** Builds every part, or with `ifStale` only those older than their sources. */
export async function build({ ifStale = false, log = (message) => console.log(message) } = {}) {
  const todo = parts.filter((part) => !ifStale || stale(part))
  if (todo.length === 0) return
  const { build: viteBuild } = await import('vite')
  // Vite takes "production" from NODE_ENV, which a test runner sets to "test": a build made
  // then would leave out production-only code such as the service worker's registration.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    for (const part of todo) {
      log(`building the ${part.name}${ifStale ? ' (first start, or its sources changed)' : ''}...`)
      await viteBuild({
        configFile: join(root, 'vite.config.ts'),
        mode: 'production',
        logLevel: 'warn',
        ...part.config,
      })
    }
  } finally {
    process.env.NODE_ENV = nodeEnv
  }
  log(`built ${todo.map((part) => part.name).join(' and ')}`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build({ ifStale: process.argv.includes('--if-stale') }).catch((error) => {
    console.error(`Build failed: ${error.message}`)
    process.exit(1)
  })
}
