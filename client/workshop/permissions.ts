/**
 * What this person may do in the workshop. Every panel asks here, so the role (from the invite
 * the person came in with) is consulted in one place.
 *
 * - 'edit': add and change map content, notes, themes, points, quick wins, journeys, votes.
 * - 'facilitate': steer the session: agenda, timer, vote budget, lock, bring everyone, merge
 *   and reorder themes, remove other people's work.
 */
import { mayRemoveAuthored } from '../../model/index.ts'
import { useCan as useAccessCan } from '../access/useAccess.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'

export type WorkshopAction = 'edit' | 'facilitate'

/** Asks the access rules (client/access): the role the server confirmed for this connection. */
export function useCan(action: WorkshopAction): boolean {
  return useAccessCan(action)
}

/**
 * Who this person is as an author: the invite's id their records are added by and their dots
 * placed under (see WorkspaceConnection.authorId).
 */
export function useAuthorId(): string {
  return useWorkspaceUi().connection.authorId
}

/**
 * Whether this person may remove a record that remembers who added it (a quick win, model,
 * journey or theme point): a facilitator anything; anyone who edits, what they added, or what
 * has no known author (made before authorship was recorded). The server holds participants to
 * the same rule (sync-server/write-rules.ts), so this only hides what it would refuse.
 */
export function useMayRemove(): (record: { readonly addedBy: string }) => boolean {
  const canEdit = useCan('edit')
  const canFacilitate = useCan('facilitate')
  const authorId = useAuthorId()
  return (record) => canFacilitate || (canEdit && mayRemoveAuthored(record.addedBy, authorId))
}
