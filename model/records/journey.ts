import { z } from 'zod'
import { Id } from '../ids.ts'
import { addedByField, declareRecord, described, Name, Text } from './record.ts'

export const FEELINGS = ['positive', 'mixed', 'negative'] as const
export const Feeling = z.enum(FEELINGS)
export type Feeling = z.infer<typeof Feeling>

/**
 * One step of a resident's journey: where they went and what happened. `actorId` names an actor
 * on the map; `place` says where it was in words, for a place not on the map, and keeps the
 * actor's name when that actor is later removed from the map.
 */
export const FEELING_LABELS: Record<Feeling, string> = {
  positive: 'Positive',
  mixed: 'Mixed',
  negative: 'Negative',
}

export const JourneyStepSchema = z.object({
  id: described(Id, { label: 'ID', input: 'hidden', csv: 'step_id' }),
  actorId: described(Id.optional(), { label: 'Actor', input: 'hidden' }),
  place: described(Text(200), { label: 'Place' }),
  happened: described(Text(5000), { label: 'What happened', input: 'long-text', personal: true }),
  /** They were sent on to somewhere else from here. */
  passedOn: described(z.boolean().default(false), { label: 'Passed on' }),
  /** They fell between services here: nobody picked them up. */
  fellThrough: described(z.boolean().default(false), { label: 'Fell through' }),
  feeling: described(Feeling.optional(), { label: 'Feeling', labels: FEELING_LABELS }),
  order: described(z.string().min(1).max(100), { label: 'Order', input: 'hidden', csv: 'step_order' }),
})
export type JourneyStep = z.infer<typeof JourneyStepSchema>

/**
 * A resident's account of a path through services. Resident accounts are sensitive: nothing
 * of a journey leaves in an export unless `consent` (the resident agreed to it being recorded)
 * and `exportable` (they agreed to it being shared) are both true.
 */
export const JourneyFieldsSchema = z.object({
  id: described(Id, { label: 'ID', input: 'hidden', csv: 'journey_id' }),
  title: described(Name, { label: 'Title' }),
  /** Who it is about, as they chose to be named (a first name, a pseudonym): personal. */
  resident: described(Text(200), { label: 'Resident', personal: true }),
  summary: described(Text(), { label: 'Summary', input: 'long-text', personal: true }),
  consent: described(z.boolean().default(false), { label: 'Agreed to it being recorded' }),
  exportable: described(z.boolean().default(false), { label: 'Agreed to it being shared' }),
  /** Who recorded it: only they (or a facilitator) may remove it. */
  addedBy: addedByField(),
})
export const JourneySchema = JourneyFieldsSchema.extend({ steps: z.array(JourneyStepSchema) })
export type Journey = z.infer<typeof JourneySchema>

export const journeyKind = declareRecord({
  key: 'journey',
  name: 'journey',
  noun: 'Journey',
  schema: JourneyFieldsSchema,
  migrations: [
    {
      // Journeys recorded before authorship was recorded have no known author ('').
      id: 'journey/2-added-by',
      toVersion: 2,
      up: (journey) => ({ ...journey, addedBy: typeof journey.addedBy === 'string' ? journey.addedBy : '' }),
    },
  ],
  placement: { root: 'journeys' },
  writers: ['facilitator', 'participant'],
  authored: true,
})
export const journeyStepKind = declareRecord({
  key: 'journeyStep',
  name: 'journey step',
  noun: 'Step',
  schema: JourneyStepSchema,
  placement: { parent: 'journey', key: 'steps' },
  references: [{ field: 'actorId', to: 'actor', onDelete: 'keep-as-text', text: 'place' }],
  rule: (step) =>
    step.actorId === undefined && step.place.trim() === ''
      ? { path: 'place', message: 'name an actor on the map or the place in words' }
      : undefined,
  ordered: true,
  writers: ['facilitator', 'participant'],
})

/** May this journey leave the workspace in an export? */
export const isExportable = (journey: Pick<Journey, 'consent' | 'exportable'>): boolean =>
  journey.consent && journey.exportable
