import { z } from 'zod'
import { Id } from '../ids.ts'
import { defineRecord, Name, Text } from './record.ts'

export const FEELINGS = ['positive', 'mixed', 'negative'] as const
export const Feeling = z.enum(FEELINGS)
export type Feeling = z.infer<typeof Feeling>

/**
 * One step of a resident's journey: where they went and what happened. `actorId` names an actor
 * on the map; `place` says where it was in words, for a place not on the map, and keeps the
 * actor's name when that actor is later removed from the map.
 */
export const JourneyStepSchema = z.object({
  id: Id,
  actorId: Id.optional(),
  place: Text(200),
  happened: Text(5000),
  /** They were sent on to somewhere else from here. */
  passedOn: z.boolean().default(false),
  /** They fell between services here: nobody picked them up. */
  fellThrough: z.boolean().default(false),
  feeling: Feeling.optional(),
  order: z.string().min(1).max(100),
})
export type JourneyStep = z.infer<typeof JourneyStepSchema>

/**
 * A resident's account of a path through services. Resident accounts are sensitive: nothing
 * of a journey leaves in an export unless `consent` (the resident agreed to it being recorded)
 * and `exportable` (they agreed to it being shared) are both true.
 */
export const JourneyFieldsSchema = z.object({
  id: Id,
  title: Name,
  /** Who it is about, as they chose to be named (a first name, a pseudonym): personal. */
  resident: Text(200),
  summary: Text(),
  consent: z.boolean().default(false),
  exportable: z.boolean().default(false),
})
export const JourneySchema = JourneyFieldsSchema.extend({ steps: z.array(JourneyStepSchema) })
export type Journey = z.infer<typeof JourneySchema>

export const journeyKind = defineRecord('journey', JourneyFieldsSchema)
export const journeyStepKind = defineRecord('journey step', JourneyStepSchema)

/** May this journey leave the workspace in an export? */
export const isExportable = (journey: Pick<Journey, 'consent' | 'exportable'>): boolean =>
  journey.consent && journey.exportable
