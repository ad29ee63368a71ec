import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { cellText, optionsOf } from '../../client/forms/field-input.ts'
import {
  choiceLabel,
  fieldHelp,
  fieldLabel,
  fieldOf,
  groupLabel,
  setLabel,
} from '../../client/i18n/declared-words.ts'
import { wordsOptions } from '../../client/i18n/resources.ts'
import { actorKind, type FieldInfo, linkKind } from '../../model/index.ts'

/** The record declarations' words in the interface's language, English from the declarations. */

const field = (kind: typeof actorKind | typeof linkKind, key: string) => fieldOf(kind, key) as FieldInfo

describe('declared words', () => {
  beforeAll(async () => {
    await i18next.init({ ...wordsOptions, lng: 'en' })
  })

  it("are the declarations' own words in English", async () => {
    await i18next.changeLanguage('en')
    expect(fieldLabel(field(actorKind, 'languages'))).toBe('Languages spoken')
    expect(fieldHelp(field(actorKind, 'area'))).toBe('The ward or area it serves.')
    expect(fieldHelp(field(actorKind, 'name'))).toBeUndefined()
    expect(groupLabel(field(linkKind, 'amount'))).toBe('Funding')
    expect(choiceLabel(field(linkKind, 'direction'), 'mutual')).toBe('Both ways')
    expect(setLabel('domains', 'children-families')).toBe('Children & families')
    expect(cellText(field(actorKind, 'domains'), ['health', 'housing'])).toBe('Health, Housing')
    expect(cellText(field(actorKind, 'offers'), [{ what: 'space', ward: 'Riverside', note: 'hall' }])).toBe(
      'space (Riverside): hall',
    )
  })

  it("are the locale file's in another language: forms, choices, groups and table cells", async () => {
    await i18next.changeLanguage('ur')
    expect(fieldLabel(field(actorKind, 'area'))).toBe('علاقہ')
    expect(fieldHelp(field(actorKind, 'tags'))).toBe('ٹیگ کوما سے الگ کریں۔')
    expect(groupLabel(field(linkKind, 'periodEnd'))).toBe('فنڈنگ')
    expect(optionsOf(field(linkKind, 'direction'))).toEqual([
      ['directed', 'ایک طرفہ'],
      ['mutual', 'دو طرفہ'],
    ])
    expect(optionsOf(field(actorKind, 'kind'))[0]).toEqual(['organisation', 'تنظیم'])
    expect(cellText(field(actorKind, 'domains'), ['health', 'housing'])).toBe('صحت، رہائش')
    expect(cellText(field(actorKind, 'needs'), [{ what: 'volunteers', ward: '', note: 'Saturdays' }])).toBe(
      'رضاکار: Saturdays',
    )
    await i18next.changeLanguage('en')
  })
})
