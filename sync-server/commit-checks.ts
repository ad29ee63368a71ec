import type * as Y from 'yjs'
import {
  AUTHORED_KINDS,
  declaration,
  facilitationKind,
  quickWinKind,
  type RecordDeclaration,
} from '../model/index.ts'
import type { Peer } from './peer.ts'
import { type PendingStructs, votesIn } from './record-writes.ts'
import { type CreatedItems, type DecodedUpdate, type PendingItems, scopeOfUpdate } from './update-scope.ts'
import { checkLock, checkVoteBudget, type Refusal } from './write-rules.ts'

/**
 * What a room's group commit checks that cannot be checked on arrival: the lock and the vote
 * budget, judged against the document as the group finds it (an earlier update, not yet
 * applied, may change either), and so where a group must end.
 */

/** An update waiting for its group commit. */
export interface PendingUpdate {
  readonly update: Uint8Array
  /** The frame to relay: the client's own frame when it was already a sync update. */
  readonly frame: Uint8Array
  readonly from: Peer
  /** Changes the map, so it is refused at commit if the map is locked then (participants only). */
  readonly lockSensitive: boolean
  /** What a checked update creates, known to later checks until it is applied; null if unchecked. */
  readonly created: CreatedItems | null
  /**
   * A participant's dots as this update leaves them, checked against the vote budget at commit
   * time (the budget, and their other updates in the group, may change until then).
   */
  readonly votes: VotePlan | null
  /** For a checked update: its items, for checking the updates that build on it before it is applied. */
  readonly structs: PendingStructs | null
  /** The update decoded (once, on arrival): history and the facilitator's scope read it, not the bytes again. */
  readonly decoded: DecodedUpdate
  /** May change records that history keeps (false: its scope touches none of their roots). */
  readonly recorded: boolean
  /** For an unchecked (facilitator's) update: the top-level names it may touch; null: any. Worked out when asked. */
  touches?: ReadonlySet<string> | null
}

/** What one update does to its sender's dots. */
export interface VotePlan {
  readonly voter: string
  /** The count it leaves on each record it votes on (0: taken back). */
  readonly counts: ReadonlyMap<string, number>
  /** Records it removes, with any dots on them. */
  readonly removed: readonly string[]
}

/** The top-level name a kind's records live under (a point's is its theme's). */
const rootOf = (kind: RecordDeclaration): string =>
  'root' in kind.placement
    ? kind.placement.root
    : 'parent' in kind.placement
      ? rootOf(declaration(kind.placement.parent))
      : kind.placement.singleton

/** Where records that remember who added them live, and votes: updates touching them are looked into. */
const VOTE_ROOT = rootOf(quickWinKind)
export const AUTHORSHIP_ROOTS: ReadonlySet<string> = new Set([...AUTHORED_KINDS.map(rootOf), VOTE_ROOT])

/** Is the map locked now? Participants' map changes are refused while it is. */
export function isLocked(doc: Y.Doc): boolean {
  return doc.getMap('facilitation').get('locked') === true
}

/** Dots each participant may place over all quick wins, as the room's document says now. */
export function voteBudgetOf(doc: Y.Doc): number {
  const field = facilitationKind.schema.shape.voteBudget
  const parsed = field.safeParse(doc.getMap('facilitation').get('voteBudget'))
  return parsed.success ? parsed.data : field.parse(undefined)
}

/**
 * How many of the pending updates may be committed as the next group. A participant's map
 * change must not share a group with an earlier update that may change the lock, nor their vote
 * one that may change the budget or the quick wins: such a group ends just before it.
 * Facilitators' updates are looked into (`known`: what the room has) only when a map change or
 * a vote follows them.
 */
export function groupLength(pending: readonly PendingUpdate[], known: PendingItems): number {
  for (let i = 0; i < pending.length; i++) {
    const item = pending[i] as PendingUpdate
    if (!item.lockSensitive && item.votes === null) continue
    for (let j = 0; j < i; j++) {
      const earlier = pending[j] as PendingUpdate
      if (earlier.created !== null) continue
      const touches = touchesOf(earlier, known)
      const matters = (root: string) => touches === null || touches.has(root)
      if (matters('facilitation') || (item.votes !== null && matters(VOTE_ROOT))) return i
    }
  }
  return pending.length
}

/** The top-level names an unchecked (facilitator's) update may touch; null: it might touch any. */
function touchesOf(item: PendingUpdate, known: PendingItems): ReadonlySet<string> | null {
  if (item.touches === undefined) {
    try {
      const scope = scopeOfUpdate(item.decoded as never, known)
      item.touches = scope.untraceable !== null ? null : new Set(scope.roots.keys())
    } catch {
      item.touches = null
    }
  }
  return item.touches
}

/** A group as judged at commit: what may be stored, what is dropped, and why each sender was refused. */
export interface Judgement {
  readonly accepted: PendingUpdate[]
  readonly dropped: PendingUpdate[]
  /** The first refusal of each sender refused (everything it sent after it is dropped too). */
  readonly refusals: Map<Peer, Refusal>
}

/**
 * Drops participants' map changes while the map is locked and their votes beyond the budget,
 * and with each everything its sender queued after it (which may build on it). Judged in
 * arrival order: each vote against the document plus the group's earlier accepted votes.
 */
export function judgeGroup(doc: Y.Doc, batch: readonly PendingUpdate[]): Judgement {
  const refusals = new Map<Peer, Refusal>()
  if (!batch.some((item) => item.lockSensitive || item.votes !== null))
    return { accepted: [...batch], dropped: [], refusals }
  const locked = isLocked(doc)
  // Parsed from the document only when a vote is judged: most groups hold none.
  let budget: number | undefined
  // Each voter's dots by quick win, as the group so far leaves them (read when first needed).
  const dots = new Map<string, Map<string, number>>()
  const removedInGroup = new Set<string>()
  const dotsOf = (voter: string) => {
    let counts = dots.get(voter)
    if (!counts) {
      counts = votesIn(doc, voter)
      for (const id of removedInGroup) counts.delete(id)
      dots.set(voter, counts)
    }
    return counts
  }
  const total = (counts: ReadonlyMap<string, number>) => [...counts.values()].reduce((sum, n) => sum + n, 0)
  const accepted: PendingUpdate[] = []
  const dropped: PendingUpdate[] = []
  for (const item of batch) {
    if (!refusals.has(item.from)) {
      let refusal = checkLock(item.from.role, item.lockSensitive, locked)
      const plan = item.votes
      let after: Map<string, number> | null = null
      if (refusal === null && plan !== null) {
        const before = dotsOf(plan.voter)
        after = new Map(before)
        for (const id of plan.removed) after.delete(id)
        for (const [id, count] of plan.counts) {
          if (count > 0) after.set(id, count)
          else after.delete(id)
        }
        budget ??= voteBudgetOf(doc)
        refusal = checkVoteBudget(item.from.role, total(before), total(after), budget)
      }
      if (refusal === null) {
        if (plan !== null && after !== null) {
          for (const id of plan.removed) {
            removedInGroup.add(id)
            for (const counts of dots.values()) counts.delete(id)
          }
          dots.set(plan.voter, after)
        }
        accepted.push(item)
        continue
      }
      refusals.set(item.from, refusal)
    }
    dropped.push(item)
  }
  return { accepted, dropped, refusals }
}
