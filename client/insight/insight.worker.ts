import { analyse } from '../../model/analysis.ts'
import type { InsightReply, InsightRequest } from './engine.ts'

/**
 * Works out a map's network measures away from the page's thread: on a 2,000-actor map they take
 * longer than a frame (betweenness visits every pair of actors), and the map must keep moving.
 */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<InsightRequest>) => void) | null
  postMessage: (reply: InsightReply) => void
}

scope.onmessage = (event) => {
  const { id, dataset } = event.data
  const started = performance.now()
  try {
    const insight = analyse(dataset)
    scope.postMessage({ id, ok: true, insight, ms: performance.now() - started })
  } catch (error) {
    scope.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) })
  }
}
