import { DOMAINS, type Domain } from '../records/actor.ts'
import type { Link } from '../records/link.ts'

/** A tie, as the analysis counts them: any link but a disconnect. */
export const isTie = (link: Link): boolean => link.kind !== 'disconnect'

/** Whether two links join the same two actors, whichever way each runs. */
export const sameEnds = (a: Link, b: Link): boolean =>
  (a.from === b.from && a.to === b.to) || (a.from === b.to && a.to === b.from)

/**
 * The unordered pairs of different domains a tie joins, by the analysis's rule
 * (`analysis/bridges.ts`): a domain of one end with a different domain of the other. Each pair
 * once, in DOMAINS order; none when either end has no domain.
 */
export function domainPairsBridged(
  from: readonly Domain[],
  to: readonly Domain[],
): (readonly [Domain, Domain])[] {
  const pairs: (readonly [Domain, Domain])[] = []
  DOMAINS.forEach((a, i) => {
    DOMAINS.forEach((b, j) => {
      if (i >= j) return
      if ((from.includes(a) && to.includes(b)) || (from.includes(b) && to.includes(a))) pairs.push([a, b])
    })
  })
  return pairs
}
