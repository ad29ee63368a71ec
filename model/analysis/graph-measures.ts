import { seededRandom } from '../random.ts'
import type { Actor } from '../records/actor.ts'
import type { TieGraph } from './betweenness.ts'
import { louvain } from './louvain.ts'
import { compareText } from './order.ts'

export {
  type Betweenness,
  betweenness,
  MIN_SOURCES,
  PATH_BUDGET,
  sourcesFor,
  tieGraphOf,
} from './betweenness.ts'

const LOUVAIN_SEED = 0x5eed

/**
 * Louvain communities of the tie graph (seeded, so deterministic), renumbered from 0 by size,
 * largest first, equal sizes by their smallest actor id. `actors` are the graph's nodes, in id
 * order.
 */
export function communities(graph: TieGraph, actors: readonly Actor[]): Map<string, number> {
  const raw = louvain(graph, seededRandom(LOUVAIN_SEED))
  const members = new Map<number, string[]>()
  // Actors are in id order, so each community's first member is its smallest id.
  actors.forEach((actor, i) => {
    const id = raw[i] as number
    const list = members.get(id)
    if (list) list.push(actor.id)
    else members.set(id, [actor.id])
  })
  const ordered = [...members.values()].sort(
    (a, b) => b.length - a.length || compareText(a[0] as string, b[0] as string),
  )
  const numbering = new Map<string, number>()
  ordered.forEach((list, index) => {
    for (const id of list) numbering.set(id, index)
  })
  return numbering
}
