import { describe, expect, it } from 'vitest'
import { ThemeFieldsSchema, ThemePointSchema } from './theme.ts'

describe('theme', () => {
  it('defaults its colour', () => {
    expect(ThemeFieldsSchema.parse({ id: 't', title: 'Trust', order: 'a0' }).colour).toBe('blue')
  })

  it('refuses a blank title, an unknown colour and a missing order', () => {
    expect(ThemeFieldsSchema.safeParse({ id: 't', title: ' ', order: 'a0' }).success).toBe(false)
    expect(ThemeFieldsSchema.safeParse({ id: 't', title: 'T', colour: 'pink', order: 'a0' }).success).toBe(
      false,
    )
    expect(ThemeFieldsSchema.safeParse({ id: 't', title: 'T' }).success).toBe(false)
  })

  it('a point has text and may name actors', () => {
    expect(
      ThemePointSchema.parse({ id: 'p', text: 'GPs refer late', order: 'a0', actorIds: ['a-gp'] }),
    ).toEqual({
      id: 'p',
      text: 'GPs refer late',
      actorIds: ['a-gp'],
      author: '',
      addedBy: '',
      order: 'a0',
    })
    expect(ThemePointSchema.safeParse({ id: 'p', text: '', order: 'a0' }).success).toBe(false)
    expect(
      ThemePointSchema.safeParse({ id: 'p', text: 'x', order: 'a0', actorIds: ['no good'] }).success,
    ).toBe(false)
  })
})
