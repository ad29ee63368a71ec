import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The newest modification time of any file under these folders (0 if none). */
function newest(folders: readonly string[]): number {
  let latest = 0
  const visit = (path: string) => {
    const stat = statSync(path)
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules') visit(join(path, entry))
    } else latest = Math.max(latest, stat.mtimeMs)
  }
  for (const folder of folders) if (existsSync(folder)) visit(folder)
  return latest
}

/**
 * Builds the client when it is missing or older than its sources, so `npm start` on a fresh
 * checkout serves the app without a separate build step. A deployment that ships a built
 * `dist/client` never rebuilds.
 */
export async function ensureClientBuilt(
  root: string,
  clientDir: string,
  log: (message: string) => void,
): Promise<void> {
  const index = join(clientDir, 'index.html')
  const sources = [join(root, 'client'), join(root, 'model'), join(root, 'vite.config.ts')]
  if (existsSync(index) && statSync(index).mtimeMs >= newest(sources)) return
  if (!existsSync(join(root, 'client', 'index.html'))) return
  log('building the client (first start, or its sources changed)...')
  const { build } = await import('vite')
  // Vite takes "production" from NODE_ENV, which a test runner sets to "test": a build made
  // then would leave out production-only code such as the service worker's registration.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({
      configFile: join(root, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: clientDir },
    })
  } finally {
    process.env.NODE_ENV = nodeEnv
  }
  log('client built')
}
