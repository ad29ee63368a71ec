import { z } from 'zod'
import { Id } from '../ids.ts'
import { WebAddress } from './actor.ts'
import { addedByField, declareRecord, described, Name, Text } from './record.ts'

/**
 * An example of good practice elsewhere that the workshop thinks worth copying: a model from
 * another borough, a pilot, a way of working.
 */
export const EmergingModelSchema = z.object({
  id: described(Id, { label: 'ID', input: 'hidden' }),
  name: described(Name, { label: 'Name' }),
  /** Where it runs: a place, an organisation. */
  where: described(Text(200), { label: 'Where', help: 'A place, or the organisation running it.' }),
  /** Why it matters here, in the workshop's words. */
  why: described(Text(5000), { label: 'Why it matters here', input: 'long-text' }),
  /** Where to read more: an http(s) address or nothing. */
  link: described(WebAddress.default(''), { label: 'Read more', input: 'url' }),
  /** The theme it answers, if any. */
  themeId: described(Id.optional(), { label: 'Theme it answers', input: 'record' }),
  /** Who added it: only they (or a facilitator) may remove it. */
  addedBy: addedByField(),
})
export type EmergingModel = z.infer<typeof EmergingModelSchema>

export const emergingModelKind = declareRecord({
  key: 'emergingModel',
  name: 'emerging model',
  noun: 'EmergingModel',
  schema: EmergingModelSchema,
  migrations: [
    {
      // Models added before authorship was recorded have no known author ('').
      id: 'emerging-model/2-added-by',
      toVersion: 2,
      up: (model) => ({ ...model, addedBy: typeof model.addedBy === 'string' ? model.addedBy : '' }),
    },
  ],
  placement: { root: 'emergingModels' },
  references: [{ field: 'themeId', to: 'theme', onDelete: 'clear' }],
  writers: ['facilitator', 'participant'],
  authored: true,
})
