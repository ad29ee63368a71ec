/**
 * What this person may do in the workshop. Every panel asks here, so the role (from the invite
 * the person came in with) is consulted in one place.
 *
 * - 'edit': add and change map content, notes, themes, points, quick wins, journeys, votes.
 * - 'facilitate': steer the session: agenda, timer, vote budget, lock, bring everyone, merge
 *   and reorder themes, remove other people's work.
 */
import { useCan as useAccessCan } from '../access/useAccess.ts'

export type WorkshopAction = 'edit' | 'facilitate'

/** Asks the access rules (client/access): the role the server confirmed for this connection. */
export function useCan(action: WorkshopAction): boolean {
  return useAccessCan(action)
}
