import { z } from 'zod'
import { Id } from '../ids.ts'
import { defineRecord, Text } from './record.ts'

export const QUICK_WIN_STATUSES = ['idea', 'agreed', 'in-progress', 'done'] as const
export const QuickWinStatus = z.enum(QUICK_WIN_STATUSES)
export type QuickWinStatus = z.infer<typeof QuickWinStatus>

/** A participant's dots on one quick win. */
export const VoteCount = z.number().int().min(0).max(100)

/** A quick win's own fields. Votes live in a nested map keyed by participant id. */
export const QuickWinFieldsSchema = z.object({
  id: Id,
  text: z.string().min(1).max(2000).regex(/\S/, 'must not be blank'),
  owner: Text(200),
  status: QuickWinStatus.default('idea'),
  /** The theme it came out of, if any. */
  themeId: Id.optional(),
})
export const QuickWinSchema = QuickWinFieldsSchema.extend({
  votes: z.record(Id, VoteCount),
})
export type QuickWin = z.infer<typeof QuickWinSchema>

export const quickWinKind = defineRecord('quick win', QuickWinFieldsSchema)

/** Total dots on a quick win. */
export const totalVotes = (quickWin: Pick<QuickWin, 'votes'>): number =>
  Object.values(quickWin.votes).reduce((sum, n) => sum + n, 0)
