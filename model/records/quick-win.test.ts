import { describe, expect, it } from 'vitest'
import { QuickWinFieldsSchema, QuickWinSchema, totalVotes } from './quick-win.ts'

describe('quick win', () => {
  it('starts as an idea', () => {
    expect(QuickWinFieldsSchema.parse({ id: 'q', text: 'Shared directory' }).status).toBe('idea')
  })

  it('refuses an unknown status and blank text', () => {
    expect(QuickWinFieldsSchema.safeParse({ id: 'q', text: 'x', status: 'maybe' }).success).toBe(false)
    expect(QuickWinFieldsSchema.safeParse({ id: 'q', text: '  ' }).success).toBe(false)
  })

  it('counts votes per participant and refuses negative or fractional dots', () => {
    expect(totalVotes({ votes: { amina: 2, dave: 1 } })).toBe(3)
    const base = { id: 'q', text: 'x', owner: '', status: 'idea' }
    expect(QuickWinSchema.safeParse({ ...base, votes: { amina: -1 } }).success).toBe(false)
    expect(QuickWinSchema.safeParse({ ...base, votes: { amina: 1.5 } }).success).toBe(false)
  })
})
