import { z } from 'zod'
import { Id } from '../ids.ts'
import { addedByField, declareRecord, described, Text } from './record.ts'

export const QUICK_WIN_STATUSES = ['idea', 'agreed', 'in-progress', 'done'] as const
export const QuickWinStatus = z.enum(QUICK_WIN_STATUSES)
export type QuickWinStatus = z.infer<typeof QuickWinStatus>

/** A participant's dots on one quick win. */
export const VoteCount = z.number().int().min(0).max(100)

/**
 * A quick win's own fields. Votes live in a nested map keyed by voter: the invite's id (its
 * token's `jti`), or on an open-access server the device's participant id.
 */
export const QUICK_WIN_STATUS_LABELS: Record<QuickWinStatus, string> = {
  idea: 'Idea',
  agreed: 'Agreed',
  'in-progress': 'In progress',
  done: 'Done',
}

export const QuickWinFieldsSchema = z.object({
  id: described(Id, { label: 'ID', input: 'hidden' }),
  text: described(z.string().min(1).max(2000).regex(/\S/, 'must not be blank'), {
    label: 'Action',
    input: 'long-text',
  }),
  owner: described(Text(200), { label: 'Owner', personal: true }),
  status: described(QuickWinStatus.default('idea'), { label: 'Status', labels: QUICK_WIN_STATUS_LABELS }),
  /** The theme it came out of, if any. */
  themeId: described(Id.optional(), { label: 'Theme', input: 'hidden' }),
  /** Who added it: only they (or a facilitator) may remove it. */
  addedBy: addedByField(),
})
export const QuickWinSchema = QuickWinFieldsSchema.extend({
  votes: z.record(Id, VoteCount),
})
export type QuickWin = z.infer<typeof QuickWinSchema>

export const quickWinKind = declareRecord({
  key: 'quickWin',
  name: 'quick win',
  noun: 'QuickWin',
  schema: QuickWinFieldsSchema,
  migrations: [
    {
      // Quick wins made before authorship was recorded have no known author ('').
      id: 'quick-win/2-added-by',
      toVersion: 2,
      up: (quickWin) => ({
        ...quickWin,
        addedBy: typeof quickWin.addedBy === 'string' ? quickWin.addedBy : '',
      }),
    },
  ],
  placement: { root: 'quickWins' },
  references: [{ field: 'themeId', to: 'theme', onDelete: 'clear' }],
  tally: { key: 'votes', count: VoteCount },
  writers: ['facilitator', 'participant'],
  authored: true,
})

/** Total dots on a quick win. */
export const totalVotes = (quickWin: Pick<QuickWin, 'votes'>): number =>
  Object.values(quickWin.votes).reduce((sum, n) => sum + n, 0)
