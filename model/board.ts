import * as Y from 'yjs'
import { type CommandContext, findRecord, orderAt, type Position, parseInput } from './collection.ts'
import { type AnyMap, newRecordMap, plainFields, writeFields } from './document.ts'
import { WorkspaceError } from './errors.ts'
import { Id } from './ids.ts'
import { referencesTo } from './integrity.ts'
import { byOrder, orderBetween } from './order.ts'
import type { QuickWin } from './records/quick-win.ts'
import { quickWinKind } from './records/quick-win.ts'
import { type ThemePoint, themeKind, themePointKind } from './records/theme.ts'

/**
 * The workshop board's own commands: what a facilitator does to tidy what was said (merge
 * themes and points, move a point to another theme) and the dot votes on quick wins. Plain
 * adds, edits and removals are the generic record commands (`collection.ts`).
 */

export interface BoardContext extends CommandContext {
  quickWins(): readonly QuickWin[]
  voteBudget(): number
}

const POINTS_KEY = (themePointKind.placement as { key: string }).key

/** A theme's points map, which an older peer may have left out (created only when written). */
function pointsOf(ctx: CommandContext, command: string, themeId: string) {
  const { map } = findRecord(ctx.doc, themeKind, command, themeId, {})
  const points = map.get(POINTS_KEY)
  return { theme: map, points: points instanceof Y.Map ? (points as Y.Map<Y.Map<unknown>>) : undefined }
}

/** The points map of `theme`, made inside the caller's transaction if it is missing. */
function ensurePoints(
  theme: Y.Map<unknown>,
  points: Y.Map<Y.Map<unknown>> | undefined,
): Y.Map<Y.Map<unknown>> {
  if (points) return points
  const made = new Y.Map<Y.Map<unknown>>()
  theme.set(POINTS_KEY, made)
  return made
}

/**
 * Moves a point within its theme or into another (how a facilitator merges what was said).
 * A point moved to another theme keeps its id and fields.
 */
export function movePoint(
  ctx: CommandContext,
  themeId: string,
  pointId: string,
  to: Position & { themeId?: string },
): void {
  const point = findRecord(ctx.doc, themePointKind, 'movePoint', pointId, { parentId: themeId })
  const target = pointsOf(ctx, 'movePoint', to.themeId ?? themeId)
  const order = orderAt('movePoint', target.points, to, pointId)
  ctx.write('movePoint', () => {
    if (target.points === point.holder) {
      point.map.set('order', order)
      return
    }
    // Read before the delete: a deleted map no longer holds its fields.
    const fields = { ...plainFields(point.map), order }
    point.holder.delete(pointId)
    ensurePoints(target.theme, target.points).set(pointId, newRecordMap(fields))
  })
}

/**
 * Moves every point of one theme to the end of another and removes the emptied theme; what was
 * filed under the old theme (quick wins, emerging models: any reference to a theme) follows.
 */
export function mergeThemes(ctx: CommandContext, sourceId: string, targetId: string): void {
  if (sourceId === targetId) {
    throw new WorkspaceError('invalid-reference', 'mergeThemes', 'a theme cannot be merged into itself')
  }
  const source = pointsOf(ctx, 'mergeThemes', sourceId)
  const target = pointsOf(ctx, 'mergeThemes', targetId)
  const moving = [...(source.points?.entries() ?? [])]
    .map(([id, map]) => ({ id, map, order: String(map.get('order') ?? '') }))
    .sort(byOrder)
  ctx.write('mergeThemes', () => {
    const points = ensurePoints(target.theme, target.points)
    let previous = lastOrder(points)
    for (const { id, map } of moving) {
      previous = orderBetween(previous, null)
      points.set(id, newRecordMap({ ...plainFields(map), order: previous }))
    }
    ctx.doc.getMap((themeKind.placement as { root: string }).root).delete(sourceId)
    for (const { kind, reference } of referencesTo('theme')) {
      if (!('root' in kind.placement)) continue
      for (const record of ctx.doc.getMap(kind.placement.root).values()) {
        if (record instanceof Y.Map && record.get(reference.field) === sourceId)
          record.set(reference.field, targetId)
      }
    }
  })
}

/**
 * Folds one point into another under the same theme: the texts joined, the actors named by
 * either kept, the source removed. How a facilitator tidies two people saying the same thing.
 */
export function mergePoints(
  ctx: CommandContext,
  themeId: string,
  sourceId: string,
  targetId: string,
): ThemePoint {
  if (sourceId === targetId) {
    throw new WorkspaceError('invalid-reference', 'mergePoints', 'a point cannot be merged into itself')
  }
  const source = findRecord(ctx.doc, themePointKind, 'mergePoints', sourceId, { parentId: themeId })
  const target = findRecord(ctx.doc, themePointKind, 'mergePoints', targetId, { parentId: themeId })
  const from = parseInput('mergePoints', themePointKind.schema, plainFields(source.map))
  const into = parseInput('mergePoints', themePointKind.schema, plainFields(target.map))
  const merged = parseInput('mergePoints', themePointKind.schema, {
    ...into,
    text: `${into.text}\n${from.text}`.slice(0, 2000),
    actorIds: [...new Set([...into.actorIds, ...from.actorIds])].slice(0, 50),
    author: [...new Set([into.author, from.author].filter(Boolean))].join(', ').slice(0, 100),
  })
  ctx.write('mergePoints', () => {
    writeFields(target.map, merged)
    source.holder.delete(sourceId)
  })
  return merged
}

/**
 * Sets how many dots a participant has on a quick win (0 takes them all back). Each
 * participant's count is its own key, so people voting at once never overwrite each other.
 * Adding dots beyond the facilitator's budget (counted over every quick win) is refused;
 * taking dots back never is, even when a lowered budget leaves someone over it.
 */
export function vote(ctx: BoardContext, quickWinId: string, participantId: string, count: number): void {
  const tally = quickWinKind.tally as NonNullable<typeof quickWinKind.tally>
  const participant = parseInput('vote', Id, participantId)
  const dots = parseInput('vote', tally.count, count)
  const { map } = findRecord(ctx.doc, quickWinKind, 'vote', quickWinId, {})
  const stored = map.get(tally.key)
  const votes: AnyMap | undefined = stored instanceof Y.Map ? stored : undefined
  const current = Number(votes?.get(participant) ?? 0)
  if (current === dots) return
  const budget = ctx.voteBudget()
  const elsewhere = ctx
    .quickWins()
    .filter((quickWin) => quickWin.id !== quickWinId)
    .reduce((sum, quickWin) => sum + (quickWin.votes[participant] ?? 0), 0)
  if (dots > current && elsewhere + dots > budget) {
    throw new WorkspaceError(
      'over-budget',
      'vote',
      `each person has ${budget} dot${budget === 1 ? '' : 's'}; take one back from another quick win first`,
    )
  }
  ctx.write('vote', () => {
    let target = votes
    if (!target) {
      target = new Y.Map()
      map.set(tally.key, target)
    }
    if (dots === 0) target.delete(participant)
    else target.set(participant, dots)
  })
}

function lastOrder(map: Y.Map<Y.Map<unknown>>): string | null {
  const orders = [...map.values()].map((item) => String(item.get('order') ?? '')).filter(Boolean)
  return orders.sort().at(-1) ?? null
}
