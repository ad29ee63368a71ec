import { describe, expect, it } from 'vitest'
import { MetaSchema } from './meta.ts'

describe('meta', () => {
  it('has a title even when nobody gave one', () => {
    expect(MetaSchema.parse({})).toEqual({
      title: 'Untitled workspace',
      area: '',
      facilitator: '',
      description: '',
    })
  })

  it('refuses dates that are not calendar dates', () => {
    expect(MetaSchema.safeParse({ startDate: '23/11/2026' }).success).toBe(false)
    expect(MetaSchema.safeParse({ startDate: '2026-11-23' }).success).toBe(true)
  })
})
