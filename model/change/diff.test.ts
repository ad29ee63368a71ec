import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DATASET_FORMAT, DATASET_VERSION, type Dataset, DatasetSchema } from '../dataset-schema.ts'
import { toMarkdown } from '../formats/markdown.ts'
import { type Actor, ActorSchema, actorKind, type Domain } from '../records/actor.ts'
import { type Link, type LinkKind, LinkSchema, linkKind } from '../records/link.ts'
import type { RecordDeclaration } from '../records/record.ts'
import { ACTOR_DECLARATION, compareStates, LINK_DECLARATION, shownValue } from './compare.ts'
import { changedFields, comparedFields, diffDatasets, isUnchanged } from './diff.ts'
import { ChangesJsonSchema, changesJsonFile, changesToJson } from './json.ts'
import {
  changesSection,
  measureChange,
  measuresOverTimeFile,
  measuresTable,
  reportWithChanges,
} from './markdown.ts'
import { changeMeasures, measuresOverTime } from './measures.ts'
import { actorPlacements } from './placements.ts'
import { domainPairsBridged } from './ties.ts'

const actor = (id: string, extra: Partial<Actor> = {}): Actor =>
  ActorSchema.parse({ id, kind: 'organisation', name: id.toUpperCase(), ...extra })

const link = (id: string, from: string, to: string, kind: LinkKind = 'referral', extra: Partial<Link> = {}) =>
  LinkSchema.parse({ id, from, to, kind, ...extra })

const map = (actors: Actor[], links: Link[] = []): Dataset =>
  DatasetSchema.parse({
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    meta: { title: 'Riverside', area: '', facilitator: '', description: '' },
    actors,
    links,
    themes: [],
    quickWins: [],
    journeys: [],
  })

const health = (id: string, extra: Partial<Actor> = {}) => actor(id, { domains: ['health'], ...extra })
const housing = (id: string, extra: Partial<Actor> = {}) => actor(id, { domains: ['housing'], ...extra })

describe('diffDatasets: actors and links added, removed and changed', () => {
  it('finds nothing between a map and itself', () => {
    const dataset = map([actor('a'), actor('b')], [link('l1', 'a', 'b')])
    const changes = diffDatasets(dataset, structuredClone(dataset))
    expect(isUnchanged(changes)).toBe(true)
    expect(changes.newLinksAcrossDomains).toEqual([])
    expect(changes.disconnectsResolved).toEqual([])
  })

  it('matches records by id: added, removed and changed, each in id order', () => {
    const before = map([actor('a'), actor('b'), actor('c')], [link('l1', 'a', 'b'), link('l2', 'b', 'c')])
    const after = map(
      [actor('a', { name: 'Ayo Food Bank' }), actor('c'), actor('e'), actor('d')],
      [link('l2', 'a', 'd'), link('l3', 'c', 'd')],
    )
    const { actors, links } = diffDatasets(before, after)
    expect(actors.added.map((each) => each.id)).toEqual(['d', 'e'])
    expect(actors.removed.map((each) => each.id)).toEqual(['b'])
    expect(actors.changed).toEqual([
      {
        id: 'a',
        before: before.actors[0],
        after: after.actors[0],
        fields: [{ key: 'name', label: 'Name', before: 'A', after: 'Ayo Food Bank' }],
      },
    ])
    expect(links.added.map((each) => each.id)).toEqual(['l3'])
    expect(links.removed.map((each) => each.id)).toEqual(['l1'])
    // A link moved to other actors (reconnect) is a change of its ends.
    expect(links.changed[0]?.fields.map((field) => field.key)).toEqual(['from', 'to'])
  })

  it('gives a funding amount before and after, with its declared label', () => {
    const before = map(
      [actor('f', { kind: 'funder' }), actor('g')],
      [link('l1', 'f', 'g', 'funding', { amount: 1000 })],
    )
    const after = map(
      [actor('f', { kind: 'funder' }), actor('g')],
      [link('l1', 'f', 'g', 'funding', { amount: 1500 })],
    )
    const { links } = diffDatasets(before, after)
    expect(links.changed).toHaveLength(1)
    expect(links.changed[0]?.fields).toEqual([{ key: 'amount', label: 'Amount', before: 1000, after: 1500 }])
  })

  it('compares values structurally: a cleared optional field is a change, the same list in a new array is not', () => {
    const before = map(
      [actor('a', { tags: ['food', 'advice'] }), actor('b')],
      [link('l1', 'a', 'b', 'partnership', { strength: 3 })],
    )
    const after = map(
      [actor('a', { tags: ['food', 'advice'] }), actor('b')],
      [link('l1', 'a', 'b', 'partnership')],
    )
    const { actors, links } = diffDatasets(before, after)
    expect(actors.changed).toEqual([])
    expect(links.changed[0]?.fields).toEqual([
      { key: 'strength', label: 'Strength', before: 3, after: undefined },
    ])
  })

  it('treats a list of choices as a set (domains ticked in another order are no change), other lists in order', () => {
    const before = map([actor('a', { domains: ['health', 'housing'], tags: ['a', 'b'] })])
    const reordered = map([actor('a', { domains: ['housing', 'health'], tags: ['a', 'b'] })])
    expect(isUnchanged(diffDatasets(before, reordered))).toBe(true)
    const tagsReordered = map([actor('a', { domains: ['health', 'housing'], tags: ['b', 'a'] })])
    expect(diffDatasets(before, tagsReordered).actors.changed[0]?.fields.map((field) => field.key)).toEqual([
      'tags',
    ])
  })

  it('compares every declared field of actors and links, by the declarations, one by one and all at once', () => {
    for (const [declared, record] of [
      [actorKind, actor('a')],
      [linkKind, link('l', 'a', 'b')],
    ] as const) {
      const kind = declared as unknown as RecordDeclaration
      const keys = kind.fields.map((field) => field.key).filter((key) => key !== 'id')
      expect(comparedFields(kind).map((field) => field.key)).toEqual(keys)
      const everything: Record<string, unknown> = { ...record }
      for (const field of comparedFields(kind)) {
        const was = (record as Record<string, unknown>)[field.key]
        const other =
          field.options?.find((option) => option !== was && !(Array.isArray(was) && was.includes(option))) ??
          null
        const is =
          field.type === 'array'
            ? [other ?? 'something new']
            : field.options
              ? other
              : field.type === 'number'
                ? 4
                : `${String(was ?? '')}changed`
        everything[field.key] = is
        const changes = changedFields(kind, record, { ...record, [field.key]: is })
        expect(changes).toEqual([{ key: field.key, label: field.meta.label, before: was, after: is }])
      }
      expect(changedFields(kind, record, everything).map((field) => field.key)).toEqual(keys)
    }
    const languages = actorKind.fields.find((field) => field.key === 'languages')
    expect(languages?.meta.label).toBe('Languages spoken')
  })
})

describe('diffDatasets: new links across domains', () => {
  it('lists new ties between actors of different domains, with the pairs of domains', () => {
    const before = map([health('h'), housing('u'), health('h2'), actor('n')])
    const after = map(
      [health('h'), housing('u'), health('h2'), actor('n')],
      [
        link('across', 'h', 'u', 'partnership'),
        link('within', 'h', 'h2'),
        link('no-domain', 'h', 'n'),
        link('gap', 'u', 'h2', 'disconnect'),
      ],
    )
    const found = diffDatasets(before, after).newLinksAcrossDomains
    expect(found.map((entry) => entry.link.id)).toEqual(['across'])
    expect(found[0]?.pairs).toEqual([['health', 'housing']])
  })

  it('lists a link that became a tie across domains: its kind, or its actors domains, changed', () => {
    const before = map(
      [health('h'), housing('u'), actor('x')],
      [link('was-gap', 'h', 'u', 'disconnect'), link('gained', 'h', 'x'), link('old', 'u', 'h', 'referral')],
    )
    const after = map(
      [health('h'), housing('u'), actor('x', { domains: ['education', 'health'] })],
      [link('was-gap', 'h', 'u', 'referral'), link('gained', 'h', 'x'), link('old', 'u', 'h', 'referral')],
    )
    const found = diffDatasets(before, after).newLinksAcrossDomains
    expect(found.map((entry) => entry.link.id)).toEqual(['gained', 'was-gap'])
    expect(found[0]?.pairs).toEqual([['health', 'education']])
  })

  it('pairs domains by the analysis rule: a domain of one end with a different one of the other', () => {
    const pairs = (a: Domain[], b: Domain[]) => domainPairsBridged(a, b)
    expect(pairs(['health'], ['health'])).toEqual([])
    expect(pairs(['health', 'housing'], ['health'])).toEqual([['health', 'housing']])
    expect(pairs(['housing'], ['health', 'education'])).toEqual([
      ['health', 'housing'],
      ['housing', 'education'],
    ])
    expect(pairs([], ['health'])).toEqual([])
  })
})

describe('diffDatasets: disconnects resolved', () => {
  const actors = () => [health('a'), housing('b'), actor('c'), actor('d')]

  it('a disconnect replaced by a tie (either way) is resolved and tied; one taken off alone is resolved and removed', () => {
    const before = map(actors(), [
      link('gap-ab', 'a', 'b', 'disconnect'),
      link('gap-cd', 'c', 'd', 'disconnect'),
    ])
    const after = map(actors(), [link('ref-ba', 'b', 'a', 'referral')])
    const resolved = diffDatasets(before, after).disconnectsResolved
    expect(
      resolved.map((entry) => [entry.disconnect.id, entry.now, entry.ties.map((tie) => tie.id)]),
    ).toEqual([
      ['gap-ab', 'tied', ['ref-ba']],
      ['gap-cd', 'removed', []],
    ])
  })

  it('a disconnect whose kind changed to a tie is resolved by that tie', () => {
    const before = map(actors(), [link('gap', 'a', 'b', 'disconnect')])
    const after = map(actors(), [link('gap', 'a', 'b', 'partnership')])
    const [entry] = diffDatasets(before, after).disconnectsResolved
    expect(entry?.now).toBe('tied')
    expect(entry?.ties.map((tie) => tie.id)).toEqual(['gap'])
  })

  it('is not resolved while another disconnect joins the pair, nor when an actor left the map', () => {
    const before = map(actors(), [link('gap1', 'a', 'b', 'disconnect'), link('gap2', 'c', 'd', 'disconnect')])
    const after = map([health('a'), housing('b'), actor('c')], [link('gap3', 'b', 'a', 'disconnect')])
    expect(diffDatasets(before, after).disconnectsResolved).toEqual([])
  })
})

describe('measures over time', () => {
  it('counts isolated actors, ties across domains and sectors, and single-funder dependence', () => {
    const dataset = map(
      [
        health('h'),
        housing('u'),
        actor('s', { kind: 'statutory-service', domains: ['health'] }),
        actor('f', { kind: 'funder' }),
        actor('lonely'),
      ],
      [
        link('l1', 'h', 'u'),
        link('l2', 's', 'h'),
        link('l3', 'f', 'h', 'funding', { amount: 500 }),
        link('gap', 'lonely', 'u', 'disconnect'),
      ],
    )
    expect(changeMeasures(dataset)).toEqual({
      actors: 5,
      ties: 3,
      disconnects: 1,
      isolated: 1,
      crossDomainTies: 1,
      crossSectorTies: 1,
      singleFunder: 1,
      communities: 1,
      density: 3 / 10,
      fundingTotal: 500,
    })
  })

  it('gives each state its figures, side by side in the order given', () => {
    const one = map([actor('a'), actor('b')])
    const two = map([actor('a'), actor('b')], [link('l', 'a', 'b')])
    const rows = measuresOverTime([
      { label: 'Start', at: 1000, dataset: one },
      { label: 'Now', dataset: two },
    ])
    expect(rows.map((row) => [row.label, row.at, row.measures.isolated, row.measures.ties])).toEqual([
      ['Start', 1000, 2, 0],
      ['Now', undefined, 0, 1],
    ])
    expect(measuresTable(rows)).toContain('| Isolated actors | 2 | 0 |')
    const file = measuresOverTimeFile(rows, 'Riverside')
    expect(file.filename).toBe('riverside-measures-over-time.md')
    expect(String(file.body).split('\n').slice(0, 3)).toEqual([
      '## Measures over time',
      '',
      '| Measure | Start (1 January 1970 at 00:00 UTC) | Now |',
    ])
    expect(measureChange('isolated', 2, 0)).toBe('−2')
    expect(measureChange('ties', 0, 1)).toBe('+1')
    expect(measureChange('density', 0.1, 0.1)).toBe('')
  })
})

describe('the report section and the JSON diff', () => {
  const before = map(
    [
      health('a', { name: 'Ayo *Food* Bank' }),
      housing('b', { name: 'Housing Options' }),
      actor('f', { kind: 'funder', name: 'Trust' }),
    ],
    [link('gap', 'a', 'b', 'disconnect'), link('fund', 'f', 'a', 'funding', { amount: 1000 })],
  )
  const after = map(
    [
      health('a', { name: 'Ayo *Food* Bank' }),
      housing('b', { name: 'Housing Options' }),
      actor('f', { kind: 'funder', name: 'Trust' }),
      actor('n', { name: 'New Hub', contact: 'Sam 0700' }),
    ],
    [
      link('ref', 'b', 'a', 'referral'),
      link('fund', 'f', 'a', 'funding', { amount: 1500 }),
      link('n-a', 'n', 'a'),
    ],
  )
  const comparison = compareStates(
    { label: 'Morning', at: Date.UTC(2027, 2, 3, 10, 15), dataset: before },
    { label: 'Now', dataset: after },
  )

  it('writes a report section: every kind of change, escaped, and the measures of both states', () => {
    const section = changesSection(comparison)
    expect(section.split('\n')[0]).toBe('## Changes from Morning (3 March 2027 at 10:15 UTC) to Now')
    expect(section).toContain('### Actors added (1)\n\n- **New Hub**')
    expect(section).toContain('### Links added (2)')
    expect(section).toContain('- Housing Options → Ayo \\*Food\\* Bank (referral)')
    expect(section).toContain('### Links removed (1)\n\n- Ayo \\*Food\\* Bank → Housing Options (disconnect)')
    expect(section).toContain(
      '### Links changed (1)\n\n- Trust → Ayo \\*Food\\* Bank (funding)\n  - Amount: £1,000 → £1,500',
    )
    expect(section).toContain(
      '### New links across domains (1)\n\n- Housing Options → Ayo \\*Food\\* Bank (referral): Health – Housing',
    )
    expect(section).toContain(
      '### Disconnects resolved (1)\n\n- Ayo \\*Food\\* Bank – Housing Options: now joined by referral',
    )
    expect(section).toContain('| Measure | Morning (3 March 2027 at 10:15 UTC) | Now |')
    expect(section).toContain('| Actors | 3 | 4 |')
    expect(section).toContain('| Disconnects | 1 | 0 |')
    expect(section).not.toContain('### Actors removed')
  })

  it('places the section in the workshop report, after the network insight', () => {
    const report = String(reportWithChanges(after, comparison).body)
    const headings = report.split('\n').filter((line) => line.startsWith('## '))
    const at = headings.indexOf('## Changes from Morning (3 March 2027 at 10:15 UTC) to Now')
    expect(headings[at - 1]).toBe('## Network insight')
    expect(headings[at + 1]).toBe('## Actors')
    expect(report).toContain('### Links changed (1)')
    expect(String(toMarkdown(after).body)).not.toContain('## Changes')
  })

  it('leaves personal fields out of both sides when redacting', () => {
    const contactChanged = compareStates(
      { label: 'Before', dataset: map([actor('a', { contact: 'Sam' })]) },
      { label: 'After', dataset: map([actor('a', { contact: 'Jo' })]) },
      { redactPersonal: true },
    )
    expect(isUnchanged(contactChanged.changes)).toBe(true)
    const shown = compareStates(
      { label: 'Before', dataset: map([actor('a', { contact: 'Sam' })]) },
      { label: 'After', dataset: map([actor('a', { contact: 'Jo' })]) },
    )
    expect(shown.changes.actors.changed[0]?.fields).toEqual([
      { key: 'contact', label: 'Contact', before: 'Sam', after: 'Jo' },
    ])
  })

  it('gives a JSON diff matching its schema, absent values as null, that survives a round trip', () => {
    const json = changesToJson(comparison)
    expect(ChangesJsonSchema.safeParse(json).success).toBe(true)
    expect(json.format).toBe('community-network-map-changes')
    expect(json.before).toMatchObject({ label: 'Morning', at: Date.UTC(2027, 2, 3, 10, 15) })
    expect(json.after.at).toBeNull()
    expect(json.actors.added.map((each) => each.id)).toEqual(['n'])
    expect(json.links.changed).toEqual([
      {
        id: 'fund',
        kind: 'funding',
        fromName: 'Trust',
        toName: 'Ayo *Food* Bank',
        fields: [{ field: 'amount', label: 'Amount', before: 1000, after: 1500 }],
      },
    ])
    expect(json.disconnectsResolved).toEqual([
      expect.objectContaining({
        fromName: 'Ayo *Food* Bank',
        toName: 'Housing Options',
        now: 'tied',
        ties: ['ref'],
      }),
    ])
    expect(json.newLinksAcrossDomains[0]?.domains).toEqual([['health', 'housing']])
    const file = changesJsonFile(comparison, 'Riverside map')
    expect(file.filename).toBe('riverside-map-changes.json')
    expect(ChangesJsonSchema.parse(JSON.parse(String(file.body)))).toEqual(json)

    const cleared = changesToJson(
      compareStates(
        {
          label: 'A',
          dataset: map([actor('a'), actor('b')], [link('l', 'a', 'b', 'referral', { strength: 2 })]),
        },
        { label: 'B', dataset: map([actor('a'), actor('b')], [link('l', 'a', 'b')]) },
      ),
    )
    expect(cleared.links.changed[0]?.fields).toEqual([
      { field: 'strength', label: 'Strength', before: 2, after: null },
    ])
  })

  it('shows values as people read them: references by name, choices by label, amounts in their currency', () => {
    const names = new Map([
      ['a', 'Ayo'],
      ['b', 'Bee'],
    ])
    expect(shownValue(ACTOR_DECLARATION, { key: 'kind' }, 'funder', {}, names)).toBe('Funder')
    expect(shownValue(ACTOR_DECLARATION, { key: 'domains' }, ['health', 'money-welfare'], {}, names)).toBe(
      'Health, Money & welfare',
    )
    expect(shownValue(ACTOR_DECLARATION, { key: 'website' }, '', {}, names)).toBe('(none)')
    expect(shownValue(LINK_DECLARATION, { key: 'from' }, 'b', {}, names)).toBe('Bee')
    expect(shownValue(LINK_DECLARATION, { key: 'amount' }, 2500.5, { currency: 'EUR' }, names)).toBe(
      '€2,500.50',
    )
    expect(shownValue(LINK_DECLARATION, { key: 'strength' }, 4, { currency: 'GBP' }, names)).toBe('4')
  })
})

describe('actorPlacements', () => {
  it('reads where each actor box stood on a document canvas, by actor id', () => {
    const doc = new Y.Doc()
    const canvas = doc.getMap<unknown>('canvas')
    canvas.set('shape:1', {
      id: 'shape:1',
      typeName: 'shape',
      type: 'actor',
      parentId: 'page:page',
      x: 40,
      y: -20,
      props: { actorId: 'a', w: 220, h: 100 },
    })
    canvas.set('shape:2', {
      id: 'shape:2',
      typeName: 'shape',
      type: 'arrow',
      parentId: 'page:page',
      x: 0,
      y: 0,
      props: {},
    })
    canvas.set('shape:3', {
      id: 'shape:3',
      typeName: 'shape',
      type: 'actor',
      parentId: 'shape:frame',
      x: 5,
      y: 5,
      props: { actorId: 'b', w: 200, h: 96 },
    })
    expect([...actorPlacements(canvas)]).toEqual([['a', { x: 40, y: -20, w: 220, h: 100 }]])
  })
})
