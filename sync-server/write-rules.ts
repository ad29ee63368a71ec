import type { UpdateScope } from './update-scope.ts'

/** Who someone is in a workspace. The person who creates a workspace is its facilitator. */
export const ROLES = ['facilitator', 'participant', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role)

/** Why a write was refused: a code for programs, a sentence for people. */
export interface Refusal {
  readonly code: 'read-only' | 'facilitators-only' | 'map-locked' | 'untraceable'
  readonly reason: string
}

/** Roots only a facilitator may change: how the session is steered, and the workspace's details. */
const FACILITATOR_ROOTS = new Set(['facilitation', 'agenda', 'meta'])
/** `meta` keys anyone who edits may write: the record versions every first command stamps... */
const SHARED_META_KEYS = new Set<string | null>(['schema', 'canvasSchema'])
/** ...and the canvas binding's schema, written beside the map's first records (so it is map). */
const LOCKED_META_KEYS = new Set<string | null>(['canvasSchema'])
/** What a lock freezes for participants: the map and what it draws. */
const LOCKED_ROOTS = new Set(['canvas', 'actors', 'links'])

/** The outcome of the checks that do not depend on the document's state. */
export type WriteCheck =
  | { readonly ok: true; readonly lockSensitive: boolean }
  | { readonly ok: false; readonly refusal: Refusal }

/**
 * Checks an update against a role, before it is stored:
 * - a viewer changes nothing;
 * - a participant changes neither `facilitation`, `agenda` nor `meta` (except the `schema` and
 *   `canvasSchema` stamps that editing writes), and an update that cannot be traced to its
 *   roots is refused, as it might touch anything;
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
    if (LOCKED_ROOTS.has(root)) lockSensitive = true
    if (!FACILITATOR_ROOTS.has(root)) continue
    if (root === 'meta' && [...keys].every((key) => SHARED_META_KEYS.has(key))) {
      if ([...keys].some((key) => LOCKED_META_KEYS.has(key))) lockSensitive = true
      continue
    }
    return {
      ok: false,
      refusal: {
        code: 'facilitators-only',
        reason:
          root === 'meta'
            ? 'Only a facilitator can change the workspace details.'
            : root === 'agenda'
              ? 'Only a facilitator can change the agenda.'
              : 'Only a facilitator can steer the session (timer, lock, votes, current item).',
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
