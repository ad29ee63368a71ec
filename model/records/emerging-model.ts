import { z } from 'zod'
import { Id } from '../ids.ts'
import { WebAddress } from './actor.ts'
import { defineRecord, Name, Text } from './record.ts'

/**
 * An example of good practice elsewhere that the workshop thinks worth copying: a model from
 * another borough, a pilot, a way of working.
 */
export const EmergingModelSchema = z.object({
  id: Id,
  name: Name,
  /** Where it runs: a place, an organisation. */
  where: Text(200),
  /** Why it matters here, in the workshop's words. */
  why: Text(5000),
  /** Where to read more: an http(s) address or nothing. */
  link: WebAddress.default(''),
  /** The theme it answers, if any. */
  themeId: Id.optional(),
})
export type EmergingModel = z.infer<typeof EmergingModelSchema>

export const emergingModelKind = defineRecord('emerging model', EmergingModelSchema)
