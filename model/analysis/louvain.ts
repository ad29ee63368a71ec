import type { TieGraph } from './betweenness.ts'

/**
 * Louvain communities (Blondel et al., 2008) of the unweighted tie graph, over flat typed arrays:
 * each level moves actors (then communities) to the neighbouring community that most raises the
 * modularity, visiting them in a seeded random order and revisiting only the neighbours of those
 * that moved ("fast local moves", as graphology-communities-louvain does), then folds each
 * community into one node and starts again, until a level moves nothing. The tests check its
 * modularity against graphology-communities-louvain's on the same maps; it takes a fraction of
 * the time, and needs no graphology graph built first.
 *
 * Returns a community number per actor (not yet in any meaningful order).
 */
export function louvain(graph: TieGraph, random: () => number): Int32Array {
  const n0 = graph.n
  const membership = new Int32Array(n0)
  for (let i = 0; i < n0; i++) membership[i] = i
  if (graph.adjacent.length === 0) return membership

  // The current level: n nodes, weighted adjacency without self-loops, and each node's loop weight.
  let n = n0
  let start = graph.start
  let adjacent = graph.adjacent
  let weight = new Float64Array(adjacent.length).fill(1)
  let loops = new Float64Array(n)
  let total = adjacent.length // twice the edge weight of the whole graph

  for (;;) {
    const strength = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      let k = 2 * (loops[i] as number)
      for (let e = start[i] as number, end = start[i + 1] as number; e < end; e++) k += weight[e] as number
      strength[i] = k
    }
    const community = new Int32Array(n)
    const tot = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      community[i] = i
      tot[i] = strength[i] as number
    }

    // Fast local moves: a ring queue of the nodes to visit, each at most once in it at a time.
    const queue = new Int32Array(n)
    const queued = new Uint8Array(n)
    const offset = Math.floor(random() * n)
    // A seeded shuffle of the visiting order, as the random walk of graphology's Louvain.
    const visit = new Int32Array(n)
    for (let i = 0; i < n; i++) visit[i] = i
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      const swap = visit[i] as number
      visit[i] = visit[j] as number
      visit[j] = swap
    }
    for (let i = 0; i < n; i++) {
      const node = visit[(i + offset) % n] as number
      queue[i] = node
      queued[node] = 1
    }
    let head = 0
    let size = n
    let moved = false
    const toCommunity = new Float64Array(n)
    const touched = new Int32Array(n)
    const isTouched = new Uint8Array(n)
    while (size > 0) {
      const i = queue[head] as number
      head = head + 1 === n ? 0 : head + 1
      size--
      queued[i] = 0
      const own = community[i] as number
      const k = strength[i] as number
      let count = 0
      for (let e = start[i] as number, end = start[i + 1] as number; e < end; e++) {
        const c = community[adjacent[e] as number] as number
        if (!isTouched[c]) {
          isTouched[c] = 1
          touched[count++] = c
          toCommunity[c] = 0
        }
        toCommunity[c] = (toCommunity[c] as number) + (weight[e] as number)
      }
      tot[own] = (tot[own] as number) - k
      let best = own
      let bestGain = (isTouched[own] ? (toCommunity[own] as number) : 0) - (k * (tot[own] as number)) / total
      for (let t = 0; t < count; t++) {
        const c = touched[t] as number
        isTouched[c] = 0
        if (c === own) continue
        const gain = (toCommunity[c] as number) - (k * (tot[c] as number)) / total
        if (gain > bestGain || (gain === bestGain && best !== own && c < best)) {
          best = c
          bestGain = gain
        }
      }
      tot[best] = (tot[best] as number) + k
      if (best === own) continue
      community[i] = best
      moved = true
      for (let e = start[i] as number, end = start[i + 1] as number; e < end; e++) {
        const j = adjacent[e] as number
        if (queued[j] || community[j] === best) continue
        queued[j] = 1
        queue[(head + size) % n] = j
        size++
      }
    }
    if (!moved) break

    // Number the communities 0.. in node order, and carry the actors' membership up a level.
    const renumber = new Int32Array(n).fill(-1)
    let m = 0
    for (let i = 0; i < n; i++) {
      const c = community[i] as number
      if (renumber[c] === -1) renumber[c] = m++
      community[i] = renumber[c] as number
    }
    for (let a = 0; a < n0; a++) membership[a] = community[membership[a] as number] as number
    if (m === n) break

    // Fold each community into a node: members by community, then their ties summed per pair.
    const first = new Int32Array(m + 1)
    for (let i = 0; i < n; i++)
      first[(community[i] as number) + 1] = (first[(community[i] as number) + 1] as number) + 1
    for (let c = 0; c < m; c++) first[c + 1] = (first[c + 1] as number) + (first[c] as number)
    const members = new Int32Array(n)
    const fill = first.slice(0, m)
    for (let i = 0; i < n; i++) {
      const c = community[i] as number
      members[fill[c] as number] = i
      fill[c] = (fill[c] as number) + 1
    }
    const nextStart = new Int32Array(m + 1)
    const nextAdjacent: number[] = []
    const nextWeight: number[] = []
    const nextLoops = new Float64Array(m)
    for (let c = 0; c < m; c++) {
      let count = 0
      let loop = 0
      for (let p = first[c] as number, end = first[c + 1] as number; p < end; p++) {
        const i = members[p] as number
        loop += loops[i] as number
        for (let e = start[i] as number, stop = start[i + 1] as number; e < stop; e++) {
          const d = community[adjacent[e] as number] as number
          const w = weight[e] as number
          // A tie inside the community is met from both ends: half each time.
          if (d === c) loop += w / 2
          else {
            if (!isTouched[d]) {
              isTouched[d] = 1
              touched[count++] = d
              toCommunity[d] = 0
            }
            toCommunity[d] = (toCommunity[d] as number) + w
          }
        }
      }
      nextLoops[c] = loop
      for (let t = 0; t < count; t++) {
        const d = touched[t] as number
        isTouched[d] = 0
        nextAdjacent.push(d)
        nextWeight.push(toCommunity[d] as number)
      }
      nextStart[c + 1] = nextAdjacent.length
    }
    n = m
    start = nextStart
    adjacent = Int32Array.from(nextAdjacent)
    weight = Float64Array.from(nextWeight)
    loops = nextLoops
    total = 0
    for (let i = 0; i < n; i++) total += 2 * (loops[i] as number)
    for (let e = 0; e < weight.length; e++) total += weight[e] as number
  }
  return membership
}
