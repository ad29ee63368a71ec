import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Dataset } from '../dataset-schema.ts'
import type { Actor } from '../records/actor.ts'
import { findMatches, linkForMatch, offersSummary, quickWinForMatch } from './matching.ts'

const fixture = (): Dataset =>
  JSON.parse(readFileSync(new URL('../../tests/fixtures/neighbourhood-map.json', import.meta.url), 'utf8'))

const actor = (id: string, fields: Partial<Actor>): Actor => ({
  id,
  kind: 'organisation',
  name: id,
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
  ...fields,
})

describe('findMatches: the neighbourhood fixture', () => {
  const data = fixture()
  const matches = findMatches(data)
  const need = (actorId: string, what: string) =>
    matches.find((entry) => entry.actorId === actorId && entry.need.what === what)

  it('finds the space the Somali Women’s Group needs at Community Solutions and Participatory City', () => {
    const space = need('a-mosque-women', 'space')
    expect(space?.summary).toBe('Community Solutions and Participatory City have space to offer')
    expect(space?.matches.map((match) => [match.offerActorId, match.reasons])).toEqual([
      ['a-community-solutions', ['same ward: Riverside Ward', 'both in Health', 'not yet linked']],
      ['a-participatory-city', ['same ward: Riverside Ward', 'both in Health', 'not yet linked']],
    ])
  })

  it('ranks an offer from an actor already tied lower, and says so', () => {
    const equipment = need('a-community-garden', 'equipment')
    expect(
      equipment?.matches.map((match) => [match.offerActorId, match.score, match.reasons.at(-1)]),
    ).toEqual([
      ['a-participatory-city', 4, 'not yet linked'],
      ['a-friends-park', 3, 'already linked (partnership)'],
    ])
  })

  it('matches by domain alone across wards, and by ward alone across domains', () => {
    expect(need('a-mutual-aid', 'funding')?.matches[0]?.reasons).toEqual([
      'both in Money & welfare',
      'not yet linked',
    ])
    const skills = need('a-refugee', 'skills')?.matches.find((match) => match.offerActorId === 'a-mind')
    expect(skills?.reasons).toEqual(['same ward: Riverside Ward', 'not yet linked'])
  })

  it('ranks needs by their best match and gives the same answer whatever the order of the map', () => {
    const best = matches.map((entry) => entry.matches[0]?.score ?? 0)
    expect([...best].sort((a, b) => b - a)).toEqual(best)
    const shuffled = { ...data, actors: [...data.actors].reverse(), links: [...data.links].reverse() }
    expect(findMatches(shuffled)).toEqual(matches)
  })
})

describe('findMatches: the rules', () => {
  it('matches only the same kind of help, from another actor, nearby or in a shared domain', () => {
    const needy = actor('a-needy', {
      area: 'Thames',
      domains: ['housing'],
      needs: [{ what: 'space', note: '', ward: '' }],
      offers: [{ what: 'space', note: 'its own', ward: '' }],
    })
    const far = actor('a-far', {
      area: 'Elsewhere',
      domains: ['health'],
      offers: [{ what: 'space', note: '', ward: '' }],
    })
    const wrongKind = actor('a-kind', {
      area: 'Thames',
      offers: [{ what: 'volunteers', note: '', ward: '' }],
    })
    const near = actor('a-near', {
      area: 'elsewhere',
      offers: [{ what: 'space', note: '', ward: 'thames ' }],
    })
    const found = findMatches({ actors: [needy, far, wrongKind, near], links: [] })
    expect(found.map((entry) => entry.matches.map((match) => match.offerActorId))).toEqual([['a-near']])
    expect(found[0]?.matches[0]?.reasons).toEqual(['same ward: Thames', 'not yet linked'])
    expect(findMatches({ actors: [needy, far], links: [] })).toEqual([])
  })

  it('lists the best ten offers for a need and counts the rest', () => {
    const needy = actor('a-needy', { area: 'Thames', needs: [{ what: 'space', note: '', ward: '' }] })
    const offering = Array.from({ length: 12 }, (_, n) =>
      actor(`a-${String(n).padStart(2, '0')}`, {
        name: `Hall ${String(n).padStart(2, '0')}`,
        area: 'Thames',
        offers: [{ what: 'space', note: '', ward: '' }],
      }),
    )
    const [entry] = findMatches({ actors: [needy, ...offering], links: [] })
    expect(entry?.matches.map((match) => match.offerActorId)).toEqual(
      offering.slice(0, 10).map((candidate) => candidate.id),
    )
    expect(entry?.more).toBe(2)
    expect(entry?.summary).toBe(
      'Hall 00, Hall 01, Hall 02, Hall 03, Hall 04, Hall 05, Hall 06, Hall 07, Hall 08, Hall 09 and 2 more have space to offer',
    )
  })

  it('says a summary for one and for several, and what to do about a match', () => {
    expect(offersSummary(['A'], 'referrals')).toBe('A has referrals to send')
    expect(offersSummary(['A', 'B', 'C'], 'volunteers')).toBe('A, B and C have volunteers to offer')
    const data = fixture()
    const match = findMatches(data).find((entry) => entry.actorId === 'a-mosque-women')?.matches[0]
    if (!match) throw new Error('expected a match')
    expect(linkForMatch(match)).toEqual({
      from: 'a-community-solutions',
      to: 'a-mosque-women',
      kind: 'partnership',
      label: 'Offers space: two meeting rooms, weekday daytimes',
    })
    const names = new Map(data.actors.map((a) => [a.id, a.name]))
    expect(quickWinForMatch(match, names)).toBe(
      "Put Riverside Somali Women's Group in touch with Community Solutions about space (a room for a weekly wellbeing circle).",
    )
  })
})
