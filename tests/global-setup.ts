import { join } from 'node:path'
import { ensureClientBuilt } from '../sync-server/client-build.ts'

/**
 * Builds the client once, before any test file runs: browser test files run in parallel
 * workers, and two builds into the same folder at once would empty it under a running server.
 */
export default async function setup(): Promise<void> {
  const root = join(import.meta.dirname, '..')
  await ensureClientBuilt(root, join(root, 'dist/client'), (message) => console.log(message))
}
