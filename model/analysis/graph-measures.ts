import type Graph from 'graphology'
import louvain from 'graphology-communities-louvain'
import { seededRandom } from '../random.ts'
import type { Actor } from '../records/actor.ts'
import { compareText } from './order.ts'

const LOUVAIN_SEED = 0x5eed

/**
 * Brandes' betweenness on the undirected, unweighted tie graph, normalised to 0..1 by the number
 * of pairs of other actors, (n - 1)(n - 2) / 2. Written here over flat typed arrays rather than
 * taken from graphology-metrics, which gives the same values but about ten times slower on a
 * 2,000-actor map.
 */
export function betweennessOf(graph: Graph, actors: readonly Actor[]): Map<string, number> {
  const n = actors.length
  const result = new Map<string, number>()
  if (n < 3) {
    for (const actor of actors) result.set(actor.id, 0)
    return result
  }
  const index = new Map<string, number>(actors.map((actor, i) => [actor.id, i]))
  const start = new Int32Array(n + 1)
  actors.forEach((actor, i) => {
    start[i + 1] = (start[i] ?? 0) + graph.degree(actor.id)
  })
  const adjacent = new Int32Array(start[n] ?? 0)
  const fill = start.slice(0, n)
  graph.forEachEdge((_edge, _attributes, source, target) => {
    const s = index.get(source) ?? 0
    const t = index.get(target) ?? 0
    adjacent[fill[s] as number] = t
    adjacent[fill[t] as number] = s
    fill[s] = (fill[s] as number) + 1
    fill[t] = (fill[t] as number) + 1
  })

  const centrality = new Float64Array(n)
  const sigma = new Float64Array(n)
  const delta = new Float64Array(n)
  const distance = new Int32Array(n).fill(-1)
  const order = new Int32Array(n)
  // The shortest-path edges of one search as (parent, child) pairs, in the order found: each
  // undirected edge is one at most, and walking them backwards meets every child's pairs before
  // its parent's, so dependencies accumulate without a second look at every neighbour.
  const parents = new Int32Array(adjacent.length / 2)
  const children = new Int32Array(adjacent.length / 2)
  for (let source = 0; source < n; source++) {
    if (start[source] === start[source + 1]) continue
    sigma[source] = 1
    distance[source] = 0
    order[0] = source
    let head = 0
    let tail = 1
    let pairs = 0
    while (head < tail) {
      const v = order[head++] as number
      const next = (distance[v] as number) + 1
      const paths = sigma[v] as number
      for (let e = start[v] as number, end = start[v + 1] as number; e < end; e++) {
        const w = adjacent[e] as number
        const d = distance[w] as number
        if (d === -1) {
          distance[w] = next
          order[tail++] = w
        } else if (d !== next) continue
        sigma[w] = (sigma[w] as number) + paths
        parents[pairs] = v
        children[pairs++] = w
      }
    }
    while (pairs-- > 0) {
      const v = parents[pairs] as number
      const w = children[pairs] as number
      delta[v] =
        (delta[v] as number) + ((sigma[v] as number) / (sigma[w] as number)) * (1 + (delta[w] as number))
    }
    for (let k = 0; k < tail; k++) {
      const v = order[k] as number
      if (v !== source) centrality[v] = (centrality[v] as number) + (delta[v] as number)
      sigma[v] = 0
      delta[v] = 0
      distance[v] = -1
    }
  }
  // Each pair was counted from both ends.
  const scale = 1 / ((n - 1) * (n - 2))
  actors.forEach((actor, i) => {
    result.set(actor.id, (centrality[i] as number) * scale)
  })
  return result
}

/**
 * Louvain communities of the tie graph (seeded, so deterministic), renumbered from 0 by size,
 * largest first, equal sizes by their smallest actor id.
 */
export function communities(graph: Graph, actors: readonly Actor[]): Map<string, number> {
  const raw = louvain(graph, { getEdgeWeight: null, rng: seededRandom(LOUVAIN_SEED) })
  const members = new Map<number, string[]>()
  // Actors are in id order, so each community's first member is its smallest id.
  for (const actor of actors) {
    const id = raw[actor.id] ?? -1
    const list = members.get(id)
    if (list) list.push(actor.id)
    else members.set(id, [actor.id])
  }
  const ordered = [...members.values()].sort(
    (a, b) => b.length - a.length || compareText(a[0] as string, b[0] as string),
  )
  const numbering = new Map<string, number>()
  ordered.forEach((list, index) => {
    for (const id of list) numbering.set(id, index)
  })
  return numbering
}
