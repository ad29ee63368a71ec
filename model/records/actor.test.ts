import { describe, expect, it } from 'vitest'
import { ACTOR_KIND_LABELS, ACTOR_KINDS, ActorSchema, actorKind, DOMAIN_LABELS, DOMAINS } from './actor.ts'

const valid = {
  id: 'a-foodbank',
  kind: 'organisation',
  name: 'Riverside Food Bank',
  domains: ['money-welfare', 'health'],
  website: 'https://foodbank.example',
  charityNumber: '1123456',
  companyNumber: '08123456',
}

describe('actor', () => {
  it('fills defaults for the fields left out', () => {
    expect(ActorSchema.parse({ id: 'a', kind: 'funder', name: 'Fund' })).toEqual({
      id: 'a',
      kind: 'funder',
      name: 'Fund',
      description: '',
      domains: [],
      area: '',
      reach: '',
      website: '',
      contact: '',
      tags: [],
      charityNumber: '',
      companyNumber: '',
      languages: [],
      offers: [],
      needs: [],
    })
  })

  it('accepts a realistic organisation', () => {
    expect(ActorSchema.safeParse(valid).success).toBe(true)
    expect(
      ActorSchema.safeParse({ ...valid, charityNumber: 'SC012345', companyNumber: 'SC123456' }).success,
    ).toBe(true)
  })

  it.each([
    ['an unknown kind', { kind: 'club' }],
    ['a blank name', { name: '   ' }],
    ['a name that is too long', { name: 'x'.repeat(201) }],
    ['an unknown domain', { domains: ['space'] }],
    ['a javascript: address', { website: 'javascript:alert(1)' }],
    ['a data: address', { website: 'data:text/html,hi' }],
    ['a malformed charity number', { charityNumber: '12-34' }],
    ['a malformed company number', { companyNumber: '123' }],
    ['an empty tag', { tags: [''] }],
    ['a bad id', { id: '../etc/passwd' }],
  ])('refuses %s', (_, change) => {
    expect(ActorSchema.safeParse({ ...valid, ...change }).success).toBe(false)
  })

  it('labels every kind and domain for people', () => {
    expect(Object.keys(ACTOR_KIND_LABELS).sort()).toEqual([...ACTOR_KINDS].sort())
    expect(Object.keys(DOMAIN_LABELS).sort()).toEqual([...DOMAINS].sort())
  })

  it('is at version 3: the languages spoken, then offers and needs were added', () => {
    expect(actorKind.version).toBe(3)
    expect(actorKind.migrations.map((migration) => migration.id)).toEqual([
      'actor/2-languages',
      'actor/3-offers-needs',
    ])
  })

  it('keeps offers and needs as lists of a kind, a note and a ward', () => {
    const offers = [{ what: 'space', ward: 'Riverside Ward', note: 'main hall' }]
    expect(ActorSchema.parse({ ...valid, offers }).offers).toEqual(offers)
    expect(ActorSchema.parse({ ...valid, needs: [{ what: 'volunteers' }] }).needs).toEqual([
      { what: 'volunteers', note: '', ward: '' },
    ])
    for (const needs of [
      [{ what: 'cake' }],
      [{ what: 'space', note: 'a; b' }],
      [{ what: 'space', ward: '(x)' }],
    ])
      expect(ActorSchema.safeParse({ ...valid, needs }).success, JSON.stringify(needs)).toBe(false)
  })

  it('declares a label for every field', () => {
    for (const field of actorKind.fields) expect(field.meta.label, field.key).toMatch(/\S/)
    expect(actorKind.fields.find((field) => field.key === 'contact')?.meta.personal).toBe(true)
  })
})
