import { build } from '../scripts/build.mjs'

/**
 * Builds the client and the server once, before any test file runs, where either is older than
 * its sources: browser test files run in parallel workers, and two builds into the same folder
 * at once would empty it under a running server. Servers the tests start as processes run the
 * compiled bundle, as `npm start` does.
 */
export default async function setup(): Promise<void> {
  await build({ ifStale: true })
}
