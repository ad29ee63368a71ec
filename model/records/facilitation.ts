import { z } from 'zod'
import { Id } from '../ids.ts'
import { declareRecord, described, Text } from './record.ts'

/** Epoch milliseconds, as the device that wrote them counted. */
const Instant = z.number().int().min(0).max(8.64e15)

/**
 * The shared countdown. Running while `endsAt` is set; paused (or not started) otherwise, with
 * `remainingMs` left on it. The app stamps `endsAt` and counts down to it in the server's time,
 * as each device estimates it (client/sync/server-clock.ts), so a device whose own clock is off
 * still shows the right time left.
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
  currentItemId: described(Id.optional(), { label: 'Current item', live: true, input: 'hidden' }),
  timer: described(TimerSchema.optional(), { label: 'Timer', live: true, input: 'hidden' }),
  /** Dots each participant may place across all quick wins. */
  voteBudget: described(z.number().int().min(1).max(100).default(5), { label: 'Vote budget' }),
  /** The map is read-only for everyone but `lockedBy` (and, with roles, facilitators). */
  locked: described(z.boolean().default(false), { label: 'Locked', live: true, input: 'hidden' }),
  lockedBy: described(Id.optional(), { label: 'Locked by', live: true, input: 'hidden' }),
  summon: described(SummonSchema.optional(), { label: 'Bring everyone', live: true, input: 'hidden' }),
})
export type Facilitation = z.infer<typeof FacilitationSchema>

export const facilitationKind = declareRecord({
  key: 'facilitation',
  name: 'facilitation',
  noun: 'Facilitation',
  schema: FacilitationSchema,
  placement: { singleton: 'facilitation' },
  references: [{ field: 'currentItemId', to: 'agendaItem', onDelete: 'clear' }],
  writers: ['facilitator'],
})

/** The milliseconds left on a timer at `now`. */
export function timeLeft(timer: Timer | undefined, now: number): number {
  if (!timer) return 0
  if (timer.endsAt === undefined) return timer.remainingMs
  return Math.max(0, timer.endsAt - now)
}
