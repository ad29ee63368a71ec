import { seededRandom } from '../random.ts'

/**
 * Brandes' betweenness over flat typed arrays, exact on small maps and estimated from a seeded
 * sample of sources on large ones.
 *
 * Exact betweenness counts shortest paths from every actor with a tie, each search walking every
 * tie from both ends: on a 5,000-actor, 20,000-link map that is 5,000 searches, seconds of work.
 * The rule: while (actors with ties) x (tie ends) is at most PATH_BUDGET, every such actor is a
 * source and the answer is exact (a map of 1,000 actors and 4,000 links is well inside it). Above
 * it, the paths are counted from k of them, k = max(MIN_SOURCES, PATH_BUDGET / tie ends), chosen
 * without replacement by a seeded generator (the same map always gives the same answer), each
 * path shared between its ends by how far along it an actor is ("linear scaling", Geisberger,
 * Sanders and Schultes 2008: about 40% less error than plain sampling on these maps), and scaled
 * up by (actors with ties) / k (Brandes and Pich 2007): an unbiased estimate, whose error against
 * the exact values the tests and `bench/insight.ts` measure (README, Insight).
 */

/** Steps (sources x tie ends) betweenness may take before it is sampled rather than exact. */
export const PATH_BUDGET = 10_000_000
/** Sampled betweenness never counts from fewer sources than this, however large the map. */
export const MIN_SOURCES = 300
const SAMPLE_SEED = 0xb7a9de5

/** The undirected, simple tie graph as adjacency lists in one array (compressed sparse rows). */
export interface TieGraph {
  /** Actors, 0..n-1. */
  readonly n: number
  /** The neighbours of actor i are adjacent[start[i]] .. adjacent[start[i + 1] - 1]. */
  readonly start: Int32Array
  readonly adjacent: Int32Array
}

export interface BetweennessOptions {
  /** Count paths from this many sources (every actor with ties when it is not fewer). */
  readonly sources?: number
  readonly seed?: number
}

export interface Betweenness {
  /** Per actor, normalised to 0..1 by the pairs of other actors, (n - 1)(n - 2) / 2. */
  readonly values: Float64Array
  /** Estimated from a sample of sources rather than counted from all of them. */
  readonly sampled: boolean
  /** Actors the paths were counted from. */
  readonly sources: number
  /** Actors with at least one tie: every one of them is a source when exact. */
  readonly connected: number
}

/** How many sources the rule counts from, for `connected` actors with ties and `tieEnds`. */
export function sourcesFor(connected: number, tieEnds: number): number {
  if (connected * tieEnds <= PATH_BUDGET) return connected
  return Math.min(connected, Math.max(MIN_SOURCES, Math.floor(PATH_BUDGET / tieEnds)))
}

/** Betweenness of every actor of the tie graph: exact on small maps, sampled on large ones. */
export function betweenness(graph: TieGraph, options: BetweennessOptions = {}): Betweenness {
  const { n, start, adjacent } = graph
  const values = new Float64Array(n)
  const candidates: number[] = []
  for (let i = 0; i < n; i++) if ((start[i] as number) < (start[i + 1] as number)) candidates.push(i)
  const c = candidates.length
  const k = Math.max(0, Math.min(c, options.sources ?? sourcesFor(c, adjacent.length)))
  if (n < 3 || k === 0) return { values, sampled: false, sources: c, connected: c }
  const sampled = k < c
  const linear = sampled
  const connected = Int32Array.from(candidates)
  if (sampled) {
    // The first k of a seeded Fisher-Yates shuffle, then in actor order.
    const random = seededRandom(options.seed ?? SAMPLE_SEED)
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(random() * (c - i))
      const swap = candidates[i] as number
      candidates[i] = candidates[j] as number
      candidates[j] = swap
    }
    candidates.length = k
    candidates.sort((a, b) => a - b)
  }

  const sigma = new Float64Array(n)
  const delta = new Float64Array(n)
  const distance = new Int32Array(n).fill(-1)
  // One search: the actors in the order found, level by level (level L is order[levelStart[L]]
  // up to order[levelStart[L + 1]]), and the shortest-path edges as (parent, child) pairs, those
  // with a parent at level L from pairStart[L]. Each undirected edge is one pair at most.
  const order = new Int32Array(n)
  const levelStart = new Int32Array(n + 2)
  const pairStart = new Int32Array(n + 1)
  const parents = new Int32Array(adjacent.length / 2)
  const children = new Int32Array(adjacent.length / 2)
  // The actors a search has not reached yet, for looking up from them (below).
  const unreached = new Int32Array(c)
  let connectedEnds = 0
  for (let i = 0; i < n; i++) connectedEnds += (start[i + 1] as number) - (start[i] as number)

  for (const source of candidates) {
    sigma[source] = 1
    distance[source] = 0
    order[0] = source
    levelStart[0] = 0
    levelStart[1] = 1
    let tail = 1
    let pairs = 0
    let level = 0
    // Tie ends to walk from the frontier looking down, and from the actors not reached looking up.
    let frontierEnds = (start[source + 1] as number) - (start[source] as number)
    let unreachedEnds = connectedEnds - frontierEnds
    let unreachedCount = -1
    while ((levelStart[level] as number) < (levelStart[level + 1] as number)) {
      pairStart[level] = pairs
      const next = level + 1
      let nextEnds = 0
      if (frontierEnds <= unreachedEnds) {
        // Down from each actor of the frontier (the usual breadth-first step).
        for (let h = levelStart[level] as number, end = levelStart[level + 1] as number; h < end; h++) {
          const v = order[h] as number
          const paths = sigma[v] as number
          for (let e = start[v] as number, stop = start[v + 1] as number; e < stop; e++) {
            const w = adjacent[e] as number
            const d = distance[w] as number
            if (d === -1) {
              distance[w] = next
              order[tail++] = w
              nextEnds += (start[w + 1] as number) - (start[w] as number)
            } else if (d !== next) continue
            sigma[w] = (sigma[w] as number) + paths
            parents[pairs] = v
            children[pairs++] = w
          }
        }
      } else {
        // Up from each actor not yet reached, when the frontier has more ties than they do (the
        // middle of a search on a large map: "direction-optimising" search, Beamer et al. 2012).
        if (unreachedCount === -1) {
          unreachedCount = 0
          for (let q = 0; q < c; q++) {
            const u = connected[q] as number
            if (distance[u] === -1) unreached[unreachedCount++] = u
          }
        }
        let kept = 0
        for (let q = 0; q < unreachedCount; q++) {
          const u = unreached[q] as number
          if (distance[u] !== -1) continue
          let paths = 0
          for (let e = start[u] as number, stop = start[u + 1] as number; e < stop; e++) {
            const v = adjacent[e] as number
            if (distance[v] !== level) continue
            paths += sigma[v] as number
            parents[pairs] = v
            children[pairs++] = u
          }
          if (paths > 0) {
            sigma[u] = paths
            order[tail++] = u
            nextEnds += (start[u + 1] as number) - (start[u] as number)
          } else unreached[kept++] = u
        }
        unreachedCount = kept
        // Only now, so that no actor found at this level is taken for a parent at it.
        for (let h = levelStart[level + 1] as number; h < tail; h++) distance[order[h] as number] = next
      }
      level++
      levelStart[level + 1] = tail
      frontierEnds = nextEnds
      unreachedEnds -= nextEnds
    }
    pairStart[level] = pairs

    // Back up the levels: an actor's dependency is the sum over its children w of
    // (its paths / w's paths) x (1 + w's dependency). `delta` holds, per actor of the level below,
    // (1 + dependency) / paths, what it passes to each parent. With linear scaling (sampled only)
    // each path counts by how far along it the actor is from the source, d(s, v) / d(s, t), its
    // other part falling to the source as the path's far end: 1 becomes 1 / d(s, t), the sum is
    // multiplied by d(s, v), and the whole by 2, each pair then being counted once, not twice.
    for (let l = level - 1; l >= 0; l--) {
      const own = linear ? 1 / (l + 1) : 1
      for (let h = levelStart[l + 1] as number, end = levelStart[l + 2] as number; h < end; h++) {
        const w = order[h] as number
        delta[w] = (own + (delta[w] as number)) / (sigma[w] as number)
      }
      for (let p = pairStart[l] as number, end = pairStart[l + 1] as number; p < end; p++) {
        const v = parents[p] as number
        delta[v] = (delta[v] as number) + (delta[children[p] as number] as number)
      }
      if (l === 0) break
      for (let h = levelStart[l] as number, end = levelStart[l + 1] as number; h < end; h++) {
        const v = order[h] as number
        const dependency = (sigma[v] as number) * (delta[v] as number)
        delta[v] = dependency
        values[v] = (values[v] as number) + (linear ? 2 * l * dependency : dependency)
      }
    }
    for (let i = 0; i < tail; i++) {
      const v = order[i] as number
      sigma[v] = 0
      delta[v] = 0
      distance[v] = -1
    }
  }
  // Each pair is counted from both ends when every actor is a source; a sample of k of the c
  // candidates counts each from either end with chance k / c.
  const scale = c / k / ((n - 1) * (n - 2))
  for (let i = 0; i < n; i++) values[i] = (values[i] as number) * scale
  return { values, sampled, sources: k, connected: c }
}

/**
 * The tie graph of `n` actors from the ends of their ties (indices into the actors): two actors
 * are joined once however many ties run between them, whichever way.
 */
export function tieGraphOf(n: number, from: Int32Array, to: Int32Array): TieGraph {
  // Each pair once: sort the pairs (smaller end first) as numbers, then drop repeats.
  const keys = new Float64Array(from.length)
  let m = 0
  for (let i = 0; i < from.length; i++) {
    const a = from[i] as number
    const b = to[i] as number
    if (a === b) continue
    keys[m++] = a < b ? a * n + b : b * n + a
  }
  const pairs = keys.subarray(0, m).sort()
  const degree = new Int32Array(n + 1)
  let unique = 0
  for (let i = 0; i < m; i++) {
    const key = pairs[i] as number
    if (i > 0 && key === pairs[i - 1]) continue
    pairs[unique++] = key
    const a = Math.floor(key / n)
    degree[a + 1] = (degree[a + 1] as number) + 1
    degree[key - a * n + 1] = (degree[key - a * n + 1] as number) + 1
  }
  const start = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) start[i + 1] = (start[i] as number) + (degree[i + 1] as number)
  const adjacent = new Int32Array(start[n] as number)
  const fill = start.slice(0, n)
  for (let i = 0; i < unique; i++) {
    const key = pairs[i] as number
    const a = Math.floor(key / n)
    const b = key - a * n
    adjacent[fill[a] as number] = b
    fill[a] = (fill[a] as number) + 1
    adjacent[fill[b] as number] = a
    fill[b] = (fill[b] as number) + 1
  }
  return { n, start, adjacent }
}
