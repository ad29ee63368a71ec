import { z } from 'zod'
import { type CommandContext, findRecord, parseInput, updateRecord } from './collection.ts'
import { plainFields } from './document.ts'
import { WorkspaceError } from './errors.ts'
import { newId } from './ids.ts'
import { type AgendaItem, agendaItemKind } from './records/agenda-item.ts'
import {
  type Facilitation,
  facilitationKind,
  type Summon,
  type Timer,
  timeLeft,
  type ViewBounds,
  ViewBoundsSchema,
} from './records/facilitation.ts'

/**
 * How a facilitator steers the session: the current agenda item, the shared timer, the vote
 * budget, the presentation lock and "bring everyone to me". Each is a patch of the one
 * `facilitation` record, written through the same validated update as every record.
 */

const Duration = z
  .number()
  .int()
  .min(0)
  .max(24 * 3_600_000)
const ParticipantName = z.string().max(100)

/** The commands' view of the workspace: writing, the current steering, who is acting. */
export interface SessionContext extends CommandContext {
  facilitation(): Facilitation
  readonly participantId: string | undefined
}

function patch(ctx: SessionContext, command: string, changes: Record<string, unknown>): Facilitation {
  return updateRecord<Facilitation>(ctx, facilitationKind, 'facilitation', changes, { command })
}

function setTimer(ctx: SessionContext, command: string, timer: Timer): Timer {
  return patch(ctx, command, { timer }).timer as Timer
}

/**
 * Makes an agenda item the current one (null: none). With `startTimer`, the timer starts on
 * the item's planned minutes, so "next item" is one tap.
 */
export function setCurrentItem(
  ctx: SessionContext,
  id: string | null,
  options: { startTimer?: boolean; now?: number } = {},
): void {
  if (id === null) {
    patch(ctx, 'setCurrentItem', { currentItemId: null })
    return
  }
  const { map } = findRecord(ctx.doc, agendaItemKind, 'setCurrentItem', id, {})
  const item = parseInput('setCurrentItem', agendaItemKind.schema, plainFields(map)) as AgendaItem
  const durationMs = item.minutes * 60_000
  const timer =
    options.startTimer && durationMs > 0
      ? { durationMs, remainingMs: durationMs, endsAt: (options.now ?? Date.now()) + durationMs }
      : undefined
  patch(ctx, 'setCurrentItem', { currentItemId: id, ...(timer ? { timer } : {}) })
}

/** Starts the shared countdown afresh for `durationMs`, or resumes a paused one. */
export function startTimer(ctx: SessionContext, options: { durationMs?: number; now?: number } = {}): Timer {
  const now = options.now ?? Date.now()
  if (options.durationMs !== undefined) {
    const durationMs = parseInput('startTimer', Duration, options.durationMs)
    return setTimer(ctx, 'startTimer', { durationMs, remainingMs: durationMs, endsAt: now + durationMs })
  }
  const timer = ctx.facilitation().timer
  if (!timer || timer.remainingMs === 0) {
    throw new WorkspaceError('invalid-input', 'startTimer', 'set how long the timer runs for', [
      { path: 'durationMs', message: 'required when no timer is paused' },
    ])
  }
  if (timer.endsAt !== undefined) return timer
  return setTimer(ctx, 'startTimer', { ...timer, endsAt: now + timer.remainingMs })
}

/** Stops the countdown where it is. */
export function pauseTimer(ctx: SessionContext, now: number = Date.now()): Timer | undefined {
  const timer = ctx.facilitation().timer
  if (!timer || timer.endsAt === undefined) return timer
  return setTimer(ctx, 'pauseTimer', { durationMs: timer.durationMs, remainingMs: timeLeft(timer, now) })
}

/** Puts the time back to the full duration, paused. */
export function resetTimer(ctx: SessionContext): Timer | undefined {
  const timer = ctx.facilitation().timer
  if (!timer) return undefined
  return setTimer(ctx, 'resetTimer', { durationMs: timer.durationMs, remainingMs: timer.durationMs })
}

/** Gives the countdown more time (or less, with a negative amount, never below zero). */
export function addTime(ctx: SessionContext, ms: number, now: number = Date.now()): Timer | undefined {
  const timer = ctx.facilitation().timer
  if (!timer) return undefined
  const left = Math.max(0, timeLeft(timer, now) + ms)
  const durationMs = Math.max(0, timer.durationMs + ms)
  return setTimer(
    ctx,
    'addTime',
    timer.endsAt === undefined
      ? { durationMs, remainingMs: left }
      : { durationMs, remainingMs: left, endsAt: now + left },
  )
}

/** Takes the timer away. */
export function clearTimer(ctx: SessionContext): void {
  patch(ctx, 'clearTimer', { timer: null })
}

/** Sets how many dots each participant may place across all quick wins. */
export function setVoteBudget(ctx: SessionContext, dots: number): void {
  patch(ctx, 'setVoteBudget', { voteBudget: dots })
}

/** Makes the map read-only for everyone but this replica's participant (and facilitators). */
export function lockMap(ctx: SessionContext): void {
  patch(ctx, 'lockMap', { locked: true, lockedBy: ctx.participantId ?? null })
}

export function unlockMap(ctx: SessionContext): void {
  patch(ctx, 'unlockMap', { locked: false, lockedBy: null })
}

/** "Bring everyone to me": every other device fits its view of the map to `view`, once. */
export function summon(
  ctx: SessionContext,
  view: ViewBounds,
  name: string,
  now: number = Date.now(),
): Summon {
  const by = ctx.participantId
  if (by === undefined) {
    throw new WorkspaceError('invalid-input', 'summon', 'only a named participant can bring everyone to them')
  }
  const value = {
    id: newId(),
    by,
    name: parseInput('summon', ParticipantName, name),
    at: now,
    view: parseInput('summon', ViewBoundsSchema, view),
  }
  return patch(ctx, 'summon', { summon: value }).summon as Summon
}
