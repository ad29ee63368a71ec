import { DECLARATIONS } from './records/kinds.ts'
import type { RecordDeclaration, Role } from './records/record.ts'

export { AUTHOR_FIELD, ROLES, type Role } from './records/record.ts'

/** Who may change one top-level name of the document, and whether the map lock freezes it. */
export interface RootRule {
  readonly writers: readonly Role[]
  readonly frozenByLock: boolean
  /**
   * Keys of a facilitator-only root that anyone who edits may write anyway, and whether each is
   * part of the map (frozen by the lock): in `meta`, the record versions every first command
   * stamps, and the canvas binding's schema written beside the map's first records.
   */
  readonly sharedKeys?: Readonly<Record<string, { readonly frozenByLock: boolean }>>
}

const EDITORS: readonly Role[] = ['facilitator', 'participant']

/**
 * The write rule of every top-level name a workspace has: one per record kind's root, from its
 * declaration, and the two roots that hold no records: the notes (anyone who edits) and the
 * canvas (the map's layout, frozen by the lock). A name not listed here is written by nobody
 * but a facilitator: the server allows known names, not all but some.
 */
export const ROOT_RULES: Readonly<Record<string, RootRule>> = Object.fromEntries([
  ...(DECLARATIONS as readonly RecordDeclaration[])
    .filter((kind) => !('parent' in kind.placement))
    .map((kind) => {
      const root =
        'root' in kind.placement ? kind.placement.root : (kind.placement as { singleton: string }).singleton
      const rule: RootRule = {
        writers: kind.writers,
        frozenByLock: kind.frozenByLock ?? false,
        ...(root === 'meta'
          ? { sharedKeys: { schema: { frozenByLock: false }, canvasSchema: { frozenByLock: true } } }
          : {}),
      }
      return [root, rule] as const
    }),
  ['notes', { writers: EDITORS, frozenByLock: false }],
  ['canvas', { writers: EDITORS, frozenByLock: true }],
])

/** The kinds whose records remember who added them (see `AUTHOR_FIELD`). */
export const AUTHORED_KINDS: readonly RecordDeclaration[] = (
  DECLARATIONS as readonly RecordDeclaration[]
).filter((kind) => kind.authored)

/**
 * May the person whose author id is `authorId` remove a record added by `addedBy`, without being
 * a facilitator? Only their own; a record whose author is not known ('', made before authorship
 * was recorded) may be removed by anyone who edits, as all could before. The server applies the
 * same rule to participants' updates; facilitators may remove anything.
 */
export function mayRemoveAuthored(addedBy: string | undefined, authorId: string | null): boolean {
  return !addedBy || addedBy === authorId
}

/** Why the server turned a connection away (see sync-server/auth.ts). */
export const DENIAL_PROBLEMS = [
  'missing',
  'invalid',
  'expired',
  'unknown',
  'revoked',
  'other-room',
  'role',
] as const
export type DenialProblem = (typeof DENIAL_PROBLEMS)[number]

/**
 * The server's sentence for each denial, sent as the WebSocket close reason (at most 123 bytes)
 * and the HTTP error. One table for both sides: the app finds the problem from the sentence and
 * says it in the person's own language (a stock client shows the sentence as it is).
 */
export const DENIAL_REASONS: Readonly<Record<DenialProblem, string>> = {
  missing: 'This workspace needs an invite link. Ask the facilitator for one.',
  invalid: 'This invite link is not valid. Ask the facilitator for a new one.',
  expired: 'This invite link has expired. Ask the facilitator for a new one.',
  unknown: 'This invite link was not made by this server. Ask the facilitator for a new one.',
  revoked: 'The facilitator has withdrawn this invite link.',
  'other-room': 'This invite link is for another workspace.',
  role: 'Only a facilitator can do this.',
}

/** The denial a close reason or an HTTP error names, or null for a sentence not in the table. */
export function denialOf(reason: string): DenialProblem | null {
  return DENIAL_PROBLEMS.find((problem) => DENIAL_REASONS[problem] === reason) ?? null
}
