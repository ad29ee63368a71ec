import { mayRemoveAuthored, ROLES, ROOT_RULES, type Role } from '../model/index.ts'
import type { RecordWrites } from './record-writes.ts'
import type { UpdateScope } from './update-scope.ts'

export { ROLES, type Role } from '../model/index.ts'

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role)

/** Why a write was refused: a code for programs, a sentence for people. */
export interface Refusal {
  readonly code:
    | 'read-only'
    | 'facilitators-only'
    | 'map-locked'
    | 'untraceable'
    | 'not-yours'
    | 'not-your-vote'
    | 'over-budget'
  readonly reason: string
  /**
   * What the app needs to say the refusal in the person's language: which of the code's
   * sentences it is (`part`, `act`) and its figures (`budget`). The English `reason` stays for
   * stock clients and logs.
   */
  readonly params?: Readonly<Record<string, string | number>>
}

/** What a participant is told when a facilitator-only name is refused. */
const FACILITATORS_ONLY: Readonly<Record<string, string>> = {
  meta: 'Only a facilitator can change the workspace details.',
  agenda: 'Only a facilitator can change the agenda.',
  facilitation: 'Only a facilitator can steer the session (timer, lock, votes, current item).',
}

/** The outcome of the checks that do not depend on the document's state. */
export type WriteCheck =
  | { readonly ok: true; readonly lockSensitive: boolean }
  | { readonly ok: false; readonly refusal: Refusal }

/**
 * Checks an update against a role, before it is stored, by the write rules the record
 * declarations give each top-level name (`ROOT_RULES`):
 * - a viewer changes nothing;
 * - a participant changes only names whose writers include participants (in `meta`, only the
 *   version stamps that editing writes), never a name the workspace does not have, and an
 *   update that cannot be traced to its roots is refused, as it might touch anything;
 * - a facilitator changes anything.
 * `lockSensitive` says the update changes the map, so `checkLock` must pass at commit time.
 */
export function checkWrite(role: Role, scope: UpdateScope): WriteCheck {
  if (role === 'facilitator') return { ok: true, lockSensitive: false }
  if (role === 'viewer') {
    return {
      ok: false,
      refusal: { code: 'read-only', reason: 'You can view this workspace but not change it.' },
    }
  }
  if (scope.untraceable !== null) {
    return {
      ok: false,
      refusal: {
        code: 'untraceable',
        reason: `Your change was not saved: ${scope.untraceable}, such as a change that was not accepted.`,
      },
    }
  }
  let lockSensitive = false
  for (const [root, keys] of scope.roots) {
    const rule = ROOT_RULES[root]
    if (rule?.writers.includes(role)) {
      if (rule.frozenByLock) lockSensitive = true
      continue
    }
    const shared = rule?.sharedKeys
    if (shared && [...keys].every((key) => key !== null && key in shared)) {
      if ([...keys].some((key) => shared[key as string]?.frozenByLock)) lockSensitive = true
      continue
    }
    return {
      ok: false,
      refusal: {
        code: 'facilitators-only',
        params: { part: root in FACILITATORS_ONLY ? root : rule ? 'other' : 'unknown' },
        reason:
          FACILITATORS_ONLY[root] ??
          (rule
            ? 'Only a facilitator can change this.'
            : 'Your change was not saved: this workspace has no such part.'),
      },
    }
  }
  return { ok: true, lockSensitive }
}

/** The lock check, made against the room's document just before the update would be stored. */
export function checkLock(role: Role, lockSensitive: boolean, locked: boolean): Refusal | null {
  if (role === 'facilitator' || !lockSensitive || !locked) return null
  return {
    code: 'map-locked',
    reason: 'The facilitator has locked the map, so your change to it was not saved.',
  }
}

/**
 * Checks what an update does to records that remember who added them (quick wins, emerging
 * models, journeys, theme points) and to votes, against the participant who sends it (see
 * record-writes.ts). A participant may remove only what they added (or what has no known
 * author), never change who added something, add something only as themselves, and place or
 * take back only their own dots. Facilitators may do all of it; viewers are refused before this.
 * Editing the other fields of someone else's item stays open to all: workshops co-edit.
 */
export function checkAuthorship(role: Role, inviteId: string | null, writes: RecordWrites): Refusal | null {
  if (role !== 'participant') return null
  if (writes.removed.some((record) => !mayRemoveAuthored(record.addedBy, inviteId))) {
    return {
      code: 'not-yours',
      params: { act: 'remove' },
      reason: 'Only the person who added this, or a facilitator, can remove it.',
    }
  }
  if (writes.authorChanged.length > 0) {
    return { code: 'not-yours', params: { act: 'author' }, reason: 'Who added an item cannot be changed.' }
  }
  if (writes.created.some((record) => record.addedBy !== inviteId)) {
    return {
      code: 'not-yours',
      params: { act: 'add' },
      reason: 'Your change was not saved: what you add must be added as yourself.',
    }
  }
  if (writes.votes.some((vote) => vote.voter !== inviteId)) {
    return { code: 'not-your-vote', reason: 'You can place and take back only your own dots.' }
  }
  return null
}

/**
 * The vote budget, checked against the room's document when the update would be stored: a
 * participant's update may not leave them with more dots over all quick wins than the budget,
 * unless it lowers their total (taking a dot back always goes through, even over a budget the
 * facilitator has since lowered).
 */
export function checkVoteBudget(role: Role, before: number, after: number, budget: number): Refusal | null {
  if (role !== 'participant' || after <= before || after <= budget) return null
  return {
    code: 'over-budget',
    params: { budget },
    reason: `Each person has ${budget} dot${budget === 1 ? '' : 's'}: take one back from another quick win first.`,
  }
}
