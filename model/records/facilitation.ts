import { z } from 'zod'
import { Id } from '../ids.ts'
import { defineRecord, Text } from './record.ts'

/** Epoch milliseconds, as the device that wrote them counted. */
const Instant = z.number().int().min(0).max(8.64e15)

/**
 * The shared countdown. Running while `endsAt` is set; paused (or not started) otherwise, with
 * `remainingMs` left on it. Devices count down to `endsAt` on their own clocks, so a device
 * whose clock is off by seconds shows a timer off by as much: fine for a workshop.
 */
export const TimerSchema = z.object({
  durationMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3_600_000),
  remainingMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3_600_000),
  endsAt: Instant.optional(),
})
export type Timer = z.infer<typeof TimerSchema>

/**
 * The part of the map someone is looking at, in page coordinates: what "bring everyone to me"
 * sends people to. A region rather than a camera, so that a phone and a projector both fit the
 * same part of the map whatever their screen size.
 */
export const ViewBoundsSchema = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  w: z.number().finite().positive(),
  h: z.number().finite().positive(),
})
export type ViewBounds = z.infer<typeof ViewBoundsSchema>

/** "Bring everyone to me": each new `id` moves every other device's view once. */
export const SummonSchema = z.object({
  id: Id,
  by: Id,
  name: Text(100),
  at: Instant,
  view: ViewBoundsSchema,
})
export type Summon = z.infer<typeof SummonSchema>

/**
 * How the facilitator is steering the session: the agenda item being worked on, the timer,
 * each participant's dot budget, the presentation lock, and the last "bring everyone to me".
 */
export const FacilitationSchema = z.object({
  currentItemId: Id.optional(),
  timer: TimerSchema.optional(),
  /** Dots each participant may place across all quick wins. */
  voteBudget: z.number().int().min(1).max(100).default(5),
  /** The map is read-only for everyone but `lockedBy` (and, with roles, facilitators). */
  locked: z.boolean().default(false),
  lockedBy: Id.optional(),
  summon: SummonSchema.optional(),
})
export type Facilitation = z.infer<typeof FacilitationSchema>

export const facilitationKind = defineRecord('facilitation', FacilitationSchema)

/** The milliseconds left on a timer at `now`. */
export function timeLeft(timer: Timer | undefined, now: number): number {
  if (!timer) return 0
  if (timer.endsAt === undefined) return timer.remainingMs
  return Math.max(0, timer.endsAt - now)
}
