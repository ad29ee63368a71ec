import { describe, expect, it } from 'vitest'
import { isExportable, JourneyFieldsSchema, JourneyStepSchema } from './journey.ts'

describe('journey', () => {
  it('is private until the resident agrees both to recording and to sharing', () => {
    const journey = JourneyFieldsSchema.parse({ id: 'j', title: 'Housing repair' })
    expect(journey).toMatchObject({ consent: false, exportable: false })
    expect(isExportable(journey)).toBe(false)
    expect(isExportable({ consent: true, exportable: false })).toBe(false)
    expect(isExportable({ consent: false, exportable: true })).toBe(false)
    expect(isExportable({ consent: true, exportable: true })).toBe(true)
  })

  it('a step records what happened and how it felt', () => {
    expect(JourneyStepSchema.parse({ id: 's', actorId: 'a-gp', order: 'a0', feeling: 'negative' })).toEqual({
      id: 's',
      actorId: 'a-gp',
      place: '',
      happened: '',
      passedOn: false,
      fellThrough: false,
      feeling: 'negative',
      order: 'a0',
    })
    expect(JourneyStepSchema.safeParse({ id: 's', order: 'a0', feeling: 'sad' }).success).toBe(false)
    expect(JourneyStepSchema.safeParse({ id: 's', order: 'a0', passedOn: 'yes' }).success).toBe(false)
  })
})
