import { beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { collection, metaMap, SCHEMA_KEY } from './document.ts'
import { type ActorCreate, CommandOrigin, Workspace } from './workspace.ts'
import { connectedPair, expectRefused } from './workspace-testing.ts'

let ws: Workspace
beforeEach(() => {
  ws = new Workspace(new Y.Doc(), { participantId: 'amina' })
})

const foodBank: ActorCreate = {
  kind: 'organisation',
  name: 'Riverside Food Bank',
  domains: ['money-welfare'],
}
const council: ActorCreate = { kind: 'statutory-service', name: 'Eastbridge Council Early Help' }

describe('actors', () => {
  it('adds an actor with defaults and a fresh id', () => {
    const actor = ws.addActor(foodBank)
    expect(actor.id).toMatch(/^[A-Za-z0-9_-]{21}$/)
    expect(ws.actor(actor.id)).toEqual({
      ...actor,
      description: '',
      area: '',
      tags: [],
    } satisfies typeof actor)
    expect(ws.actors()).toHaveLength(1)
  })

  it('takes an id chosen by the caller and refuses one already used', () => {
    ws.addActor({ ...foodBank, id: 'a-food' })
    expect(ws.actor('a-food')?.name).toBe('Riverside Food Bank')
    expectRefused(ws, 'invalid-reference', () => ws.addActor({ ...council, id: 'a-food' }))
  })

  it.each([
    ['no name', { kind: 'organisation' }],
    ['a blank name', { kind: 'organisation', name: '  ' }],
    ['an unknown kind', { kind: 'club', name: 'X' }],
    ['an unknown domain', { ...foodBank, domains: ['weather'] }],
    ['an unknown field', { ...foodBank, colour: 'red' }],
    ['a javascript: website', { ...foodBank, website: 'javascript:alert(1)' }],
    ['a bad id', { ...foodBank, id: 'a b' }],
    ['not an object', 'Food bank'],
    ['null', null],
  ])('refuses %s, leaving the document unchanged', (_, input) => {
    const error = expectRefused(ws, 'invalid-input', () => ws.addActor(input as never))
    expect(error.command).toBe('addActor')
    expect(error.message).toMatch(/^addActor: /)
  })

  it('names the fields that are wrong', () => {
    const error = expectRefused(ws, 'invalid-input', () => ws.addActor({ kind: 'club', name: '' } as never))
    expect(error.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['kind', 'name']))
  })

  it('updates only the fields given', () => {
    const actor = ws.addActor({ ...foodBank, area: 'Riverside' })
    const updated = ws.updateActor(actor.id, { reach: '400 families a year' })
    expect(updated).toMatchObject({
      name: 'Riverside Food Bank',
      area: 'Riverside',
      reach: '400 families a year',
    })
    expect(ws.actor(actor.id)).toEqual(updated)
  })

  it('refuses a bad update, an unknown actor, and a change of id', () => {
    const actor = ws.addActor(foodBank)
    expectRefused(ws, 'invalid-input', () => ws.updateActor(actor.id, { name: '' }))
    expectRefused(ws, 'invalid-input', () => ws.updateActor(actor.id, { id: 'x' } as never))
    expectRefused(ws, 'invalid-input', () => ws.updateActor(actor.id, { kind: null } as never))
    expectRefused(ws, 'not-found', () => ws.updateActor('nobody', { name: 'X' }))
  })

  it('an update that changes nothing writes nothing', () => {
    const actor = ws.addActor(foodBank)
    const before = Y.encodeStateVector(ws.doc)
    ws.updateActor(actor.id, { name: 'Riverside Food Bank', domains: ['money-welfare'] })
    expect(Y.encodeStateVector(ws.doc)).toEqual(before)
  })

  it('two people editing different fields of one actor both win', () => {
    const [a, b] = connectedPair()
    const actor = a.addActor(foodBank)
    a.doc.transact(() => undefined)
    // Edit while disconnected, then exchange.
    const offlineA = new Y.Doc()
    const offlineB = new Y.Doc()
    Y.applyUpdate(offlineA, Y.encodeStateAsUpdate(a.doc))
    Y.applyUpdate(offlineB, Y.encodeStateAsUpdate(b.doc))
    new Workspace(offlineA).updateActor(actor.id, { name: 'Riverside Community Food Bank' })
    new Workspace(offlineB).updateActor(actor.id, { area: 'Riverside Ward' })
    Y.applyUpdate(offlineA, Y.encodeStateAsUpdate(offlineB))
    Y.applyUpdate(offlineB, Y.encodeStateAsUpdate(offlineA))
    for (const doc of [offlineA, offlineB]) {
      expect(new Workspace(doc).actor(actor.id)).toMatchObject({
        name: 'Riverside Community Food Bank',
        area: 'Riverside Ward',
      })
    }
  })

  it('removing an actor removes its links and description and keeps journeys readable', () => {
    const food = ws.addActor(foodBank)
    const help = ws.addActor(council)
    const other = ws.addActor({ kind: 'funder', name: 'Community Fund' })
    const referral = ws.connect({ from: help.id, to: food.id, kind: 'referral' })
    const grant = ws.connect({ from: other.id, to: food.id, kind: 'funding', amount: 5000 })
    const kept = ws.connect({ from: other.id, to: help.id, kind: 'partnership' })
    const theme = ws.addTheme({ title: 'Trust' })
    const point = ws.addPoint(theme.id, { text: 'People trust the food bank', actorIds: [food.id, help.id] })
    const journey = ws.addJourney({ title: 'A mum of two' })
    const step = ws.addStep(journey.id, { actorId: food.id, happened: 'Got a parcel' })
    ws.doc.getMap<Y.XmlFragment>('notes').set(`actor:${food.id}`, new Y.XmlFragment())

    const removal = ws.removeActor(food.id)

    expect(removal.actor.name).toBe('Riverside Food Bank')
    expect(removal.links.map((link) => link.id).sort()).toEqual([referral.id, grant.id].sort())
    expect(removal.journeySteps).toEqual([{ journeyId: journey.id, stepId: step.id }])
    expect(removal.themePoints).toEqual([{ themeId: theme.id, pointId: point.id }])
    expect(ws.actor(food.id)).toBeUndefined()
    expect(ws.links().map((link) => link.id)).toEqual([kept.id])
    expect(ws.journey(journey.id)?.steps[0]).toMatchObject({
      place: 'Riverside Food Bank',
      happened: 'Got a parcel',
    })
    expect(ws.journey(journey.id)?.steps[0]?.actorId).toBeUndefined()
    expect(ws.theme(theme.id)?.points[0]?.actorIds).toEqual([help.id])
    expect(ws.doc.getMap('notes').has(`actor:${food.id}`)).toBe(false)
    expect(ws.snapshot().problems).toEqual([])
  })

  it('refuses to remove an actor that is not there', () => {
    expectRefused(ws, 'not-found', () => ws.removeActor('nobody'))
  })
})

describe('links', () => {
  it('connects two actors and updates the link', () => {
    const fund = ws.addActor({ kind: 'funder', name: 'Community Fund' })
    const food = ws.addActor(foodBank)
    const link = ws.connect({ from: fund.id, to: food.id, kind: 'funding', amount: 12000, purpose: 'Winter' })
    expect(ws.linksOf(food.id)).toEqual([link])
    const updated = ws.updateLink(link.id, { strength: 4, periodStart: '2026-04-01' })
    expect(updated).toMatchObject({ amount: 12000, strength: 4, periodStart: '2026-04-01' })
    expect(ws.updateLink(link.id, { strength: null }).strength).toBeUndefined()
    expect(ws.link(link.id)?.strength).toBeUndefined()
  })

  it('refuses links to missing actors, to itself, and bad fields', () => {
    const food = ws.addActor(foodBank)
    const help = ws.addActor(council)
    expectRefused(ws, 'invalid-reference', () =>
      ws.connect({ from: food.id, to: 'nobody', kind: 'referral' }),
    )
    expectRefused(ws, 'invalid-reference', () => ws.connect({ from: food.id, to: food.id, kind: 'referral' }))
    expectRefused(ws, 'invalid-input', () =>
      ws.connect({ from: food.id, to: help.id, kind: 'gossip' } as never),
    )
    expectRefused(ws, 'invalid-input', () =>
      ws.connect({ from: food.id, to: help.id, kind: 'funding', amount: -5 }),
    )
    const link = ws.connect({ from: food.id, to: help.id, kind: 'referral' })
    expectRefused(ws, 'invalid-input', () => ws.updateLink(link.id, { to: food.id } as never))
    expectRefused(ws, 'invalid-input', () => ws.updateLink(link.id, { currency: 'pounds' }))
    expectRefused(ws, 'not-found', () => ws.updateLink('nothing', { label: 'x' }))
  })

  it('reconnects a link to other actors, keeping its fields', () => {
    const fund = ws.addActor({ kind: 'funder', name: 'Fund' })
    const food = ws.addActor(foodBank)
    const help = ws.addActor(council)
    const link = ws.connect({ from: fund.id, to: food.id, kind: 'funding', amount: 900, label: 'Winter' })
    expect(ws.reconnect(link.id, { from: fund.id, to: help.id })).toMatchObject({
      to: help.id,
      amount: 900,
      label: 'Winter',
    })
    expect(ws.link(link.id)?.to).toBe(help.id)
    expectRefused(ws, 'invalid-reference', () => ws.reconnect(link.id, { from: fund.id, to: fund.id }))
    expectRefused(ws, 'invalid-reference', () => ws.reconnect(link.id, { from: fund.id, to: 'nobody' }))
    expectRefused(ws, 'invalid-input', () => ws.reconnect(link.id, { from: fund.id } as never))
    expectRefused(ws, 'not-found', () => ws.reconnect('nothing', { from: fund.id, to: help.id }))
  })

  it('disconnects', () => {
    const food = ws.addActor(foodBank)
    const help = ws.addActor(council)
    const link = ws.connect({ from: help.id, to: food.id, kind: 'disconnect', label: 'No referral route' })
    expect(ws.disconnect(link.id).label).toBe('No referral route')
    expect(ws.links()).toEqual([])
    expectRefused(ws, 'not-found', () => ws.disconnect(link.id))
  })

  it('a link drawn while its actor was removed elsewhere is hidden and reported, not shown', () => {
    const [a, b] = [new Workspace(new Y.Doc()), new Workspace(new Y.Doc())]
    const food = a.addActor(foodBank)
    const help = a.addActor(council)
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc))
    a.removeActor(food.id)
    const link = b.connect({ from: help.id, to: food.id, kind: 'referral' })
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc))
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc))
    for (const replica of [a, b]) {
      expect(replica.links()).toEqual([])
      expect(replica.snapshot().problems).toEqual([
        expect.objectContaining({
          kind: 'link',
          id: link.id,
          message: expect.stringMatching(/removed actor/),
        }),
      ])
    }
  })
})

describe('themes and points', () => {
  it('keeps themes and points in the order people put them', () => {
    const trust = ws.addTheme({ title: 'Trust', colour: 'green' })
    const connect = ws.addTheme({ title: 'Connect' }, { at: 0 })
    const p1 = ws.addPoint(trust.id, { text: 'Second' })
    ws.addPoint(trust.id, { text: 'First' }, { at: 0 })
    ws.addPoint(trust.id, { text: 'Middle' }, { at: 1 })
    expect(ws.themes().map((theme) => theme.title)).toEqual(['Connect', 'Trust'])
    expect(ws.theme(trust.id)?.points.map((point) => point.text)).toEqual(['First', 'Middle', 'Second'])
    ws.movePoint(trust.id, p1.id, { at: 0 })
    expect(ws.theme(trust.id)?.points.map((point) => point.text)).toEqual(['Second', 'First', 'Middle'])
    ws.moveTheme(connect.id, { at: 1 })
    expect(ws.themes().map((theme) => theme.title)).toEqual(['Trust', 'Connect'])
  })

  it('moves a point to another theme and merges themes', () => {
    const trust = ws.addTheme({ title: 'Trust' })
    const relationships = ws.addTheme({ title: 'Relationships' })
    const point = ws.addPoint(trust.id, { text: 'Know people by name', author: 'Amina' })
    ws.addPoint(trust.id, { text: 'Same worker every time' })
    ws.addPoint(relationships.id, { text: 'Time to talk' })
    ws.movePoint(trust.id, point.id, { themeId: relationships.id, at: 0 })
    expect(ws.theme(relationships.id)?.points.map((p) => p.text)).toEqual([
      'Know people by name',
      'Time to talk',
    ])
    expect(ws.theme(relationships.id)?.points[0]).toMatchObject({ id: point.id, author: 'Amina' })
    ws.mergeThemes(trust.id, relationships.id)
    expect(ws.theme(trust.id)).toBeUndefined()
    expect(ws.theme(relationships.id)?.points.map((p) => p.text)).toEqual([
      'Know people by name',
      'Time to talk',
      'Same worker every time',
    ])
    expectRefused(ws, 'invalid-reference', () => ws.mergeThemes(relationships.id, relationships.id))
  })

  it('updates and removes points and themes', () => {
    const food = ws.addActor(foodBank)
    const theme = ws.addTheme({ title: 'Trust' })
    const point = ws.addPoint(theme.id, { text: 'x' })
    expect(ws.updatePoint(theme.id, point.id, { text: 'Trusted', actorIds: [food.id] }).actorIds).toEqual([
      food.id,
    ])
    expect(ws.updateTheme(theme.id, { colour: 'red' }).colour).toBe('red')
    ws.removePoint(theme.id, point.id)
    expect(ws.theme(theme.id)?.points).toEqual([])
    ws.removeTheme(theme.id)
    expect(ws.themes()).toEqual([])
  })

  it('refuses bad points and themes', () => {
    const theme = ws.addTheme({ title: 'Trust' })
    expectRefused(ws, 'invalid-input', () => ws.addTheme({ title: '' }))
    expectRefused(ws, 'invalid-input', () => ws.addTheme({ title: 'X', colour: 'pink' } as never))
    expectRefused(ws, 'invalid-input', () => ws.addPoint(theme.id, { text: '' }))
    expectRefused(ws, 'invalid-input', () => ws.addPoint(theme.id, { text: 'x' }, { at: 5 }))
    expectRefused(ws, 'invalid-reference', () => ws.addPoint(theme.id, { text: 'x', actorIds: ['nobody'] }))
    expectRefused(ws, 'not-found', () => ws.addPoint('no-theme', { text: 'x' }))
    const point = ws.addPoint(theme.id, { text: 'x' })
    expectRefused(ws, 'invalid-reference', () => ws.updatePoint(theme.id, point.id, { actorIds: ['nobody'] }))
    expectRefused(ws, 'invalid-input', () => ws.updatePoint(theme.id, point.id, { order: 'a5' } as never))
    expectRefused(ws, 'not-found', () => ws.removePoint(theme.id, 'nothing'))
    expectRefused(ws, 'not-found', () => ws.movePoint(theme.id, point.id, { themeId: 'no-theme' }))
  })

  it('points added at the same place by two people at once both survive', () => {
    const a = new Workspace(new Y.Doc())
    const theme = a.addTheme({ title: 'Trust' })
    const b = new Workspace(new Y.Doc())
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc))
    a.addPoint(theme.id, { text: 'From A' })
    b.addPoint(theme.id, { text: 'From B' })
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc))
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc))
    expect(
      a
        .theme(theme.id)
        ?.points.map((p) => p.text)
        .sort(),
    ).toEqual(['From A', 'From B'])
    expect(a.theme(theme.id)?.points).toEqual(b.theme(theme.id)?.points)
  })
})

describe('quick wins and votes', () => {
  it('records dots per participant; people voting at once never overwrite each other', () => {
    const [a, b] = connectedPair()
    const quickWin = a.addQuickWin({ text: 'One shared referral form', owner: 'Early Help Hub' })
    a.vote(quickWin.id, 'amina', 2)
    b.vote(quickWin.id, 'dave', 1)
    expect(a.quickWin(quickWin.id)?.votes).toEqual({ amina: 2, dave: 1 })
    b.vote(quickWin.id, 'amina', 0)
    expect(a.quickWin(quickWin.id)?.votes).toEqual({ dave: 1 })
  })

  it('updates status and theme, removes, and refuses bad input', () => {
    const theme = ws.addTheme({ title: 'Communication' })
    const quickWin = ws.addQuickWin({ text: 'Shared directory', themeId: theme.id })
    expect(ws.updateQuickWin(quickWin.id, { status: 'agreed', owner: 'Sam' })).toMatchObject({
      status: 'agreed',
    })
    expectRefused(ws, 'invalid-input', () => ws.updateQuickWin(quickWin.id, { status: 'maybe' } as never))
    expectRefused(ws, 'invalid-reference', () => ws.updateQuickWin(quickWin.id, { themeId: 'no-theme' }))
    expectRefused(ws, 'invalid-reference', () => ws.addQuickWin({ text: 'x', themeId: 'no-theme' }))
    expectRefused(ws, 'invalid-input', () => ws.vote(quickWin.id, 'amina', -1))
    expectRefused(ws, 'invalid-input', () => ws.vote(quickWin.id, 'amina', 1.5))
    expectRefused(ws, 'invalid-input', () => ws.vote(quickWin.id, 'not an id', 1))
    expectRefused(ws, 'not-found', () => ws.vote('nothing', 'amina', 1))
    ws.removeQuickWin(quickWin.id)
    expect(ws.quickWins()).toEqual([])
  })
})

describe('journeys', () => {
  it('records a journey step by step', () => {
    const gp = ws.addActor({ kind: 'statutory-service', name: 'Riverside GP Surgery', domains: ['health'] })
    const hub = ws.addActor(council)
    const journey = ws.addJourney({ title: 'Housing damp', resident: 'R.', consent: true })
    const s2 = ws.addStep(journey.id, { actorId: hub.id, happened: 'Told to call housing', passedOn: true })
    const s1 = ws.addStep(
      journey.id,
      { actorId: gp.id, happened: 'Asthma flare-up', feeling: 'mixed' },
      { at: 0 },
    )
    const s3 = ws.addStep(journey.id, {
      place: 'Housing call centre',
      fellThrough: true,
      feeling: 'negative',
    })
    expect(ws.journey(journey.id)?.steps.map((step) => step.id)).toEqual([s1.id, s2.id, s3.id])
    ws.moveStep(journey.id, s3.id, { at: 0 })
    expect(ws.journey(journey.id)?.steps.map((step) => step.id)).toEqual([s3.id, s1.id, s2.id])
    ws.updateStep(journey.id, s1.id, { feeling: null, passedOn: true })
    expect(ws.journey(journey.id)?.steps[1]).toMatchObject({ passedOn: true })
    expect(ws.journey(journey.id)?.steps[1]?.feeling).toBeUndefined()
    ws.updateJourney(journey.id, { exportable: true })
    expect(ws.journey(journey.id)).toMatchObject({ consent: true, exportable: true })
    ws.removeStep(journey.id, s2.id)
    expect(ws.journey(journey.id)?.steps).toHaveLength(2)
    ws.removeJourney(journey.id)
    expect(ws.journeys()).toEqual([])
  })

  it('refuses steps that name nothing, missing actors, and bad fields', () => {
    const journey = ws.addJourney({ title: 'x' })
    expectRefused(ws, 'invalid-input', () => ws.addStep(journey.id, { happened: 'Nothing named' }))
    expectRefused(ws, 'invalid-reference', () => ws.addStep(journey.id, { actorId: 'nobody' }))
    expectRefused(ws, 'invalid-input', () => ws.addStep(journey.id, { place: 'GP', feeling: 'sad' } as never))
    expectRefused(ws, 'not-found', () => ws.addStep('no-journey', { place: 'GP' }))
    expectRefused(ws, 'invalid-input', () => ws.addJourney({ title: 'x', consent: 'yes' } as never))
    const step = ws.addStep(journey.id, { place: 'GP' })
    expectRefused(ws, 'invalid-reference', () => ws.updateStep(journey.id, step.id, { actorId: 'nobody' }))
    expectRefused(ws, 'not-found', () => ws.moveStep(journey.id, 'nothing', { at: 0 }))
    expectRefused(ws, 'invalid-input', () => ws.moveStep(journey.id, step.id, { at: -1 }))
  })
})

describe('meta', () => {
  it('updates the workspace details', () => {
    expect(ws.meta().title).toBe('Untitled workspace')
    ws.updateMeta({ title: 'Riverside Ward network map', startDate: '2026-11-23' })
    expect(ws.meta()).toMatchObject({ title: 'Riverside Ward network map', startDate: '2026-11-23' })
    ws.updateMeta({ startDate: null })
    expect(ws.meta().startDate).toBeUndefined()
    expectRefused(ws, 'invalid-input', () => ws.updateMeta({ startDate: 'tomorrow' }))
    expectRefused(ws, 'invalid-input', () => ws.updateMeta({ title: 'x'.repeat(201) }))
  })
})

describe('transactions and observation', () => {
  it('runs each command in one transaction tagged with its name and participant', () => {
    const origins: unknown[] = []
    ws.doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin))
    const food = ws.addActor(foodBank)
    ws.removeActor(food.id)
    expect(origins).toHaveLength(2)
    expect(origins[0]).toBeInstanceOf(CommandOrigin)
    expect(origins.map((origin) => (origin as CommandOrigin).command)).toEqual(['addActor', 'removeActor'])
    expect((origins[0] as CommandOrigin).participantId).toBe('amina')
  })

  it('tells observers what changed, and whether it was local', () => {
    const [a, b] = connectedPair()
    const seen: { changed: string[]; local: boolean }[] = []
    b.onChange((change) => seen.push({ changed: [...change.changed].sort(), local: change.local }))
    const food = a.addActor(foodBank)
    b.updateActor(food.id, { area: 'Riverside' })
    expect(seen).toEqual([
      { changed: ['actors', 'meta', 'notes'], local: false },
      { changed: ['actors'], local: true },
    ])
  })

  it('gives the same snapshot object until the document changes', () => {
    const first = ws.snapshot()
    expect(ws.snapshot()).toBe(first)
    ws.addActor(foodBank)
    expect(ws.snapshot()).not.toBe(first)
  })

  it('stops observing when destroyed', () => {
    let calls = 0
    ws.onChange(() => calls++)
    ws.destroy()
    ws.doc.getMap('meta').set('title', 'x')
    expect(calls).toBe(0)
  })
})

describe('what other peers wrote', () => {
  it('reads a record with a bad field, repairing it and reporting the repair', () => {
    const food = ws.addActor(foodBank)
    collection(ws.doc, 'actors').get(food.id)?.set('domains', ['weather'])
    expect(ws.actor(food.id)?.domains).toEqual([])
    expect(ws.snapshot().problems).toEqual([
      expect.objectContaining({ kind: 'actor', id: food.id, repaired: ['domains'] }),
    ])
  })

  it('leaves out a record that cannot be read, keeping the rest', () => {
    const food = ws.addActor(foodBank)
    ws.addActor(council)
    collection(ws.doc, 'actors').get(food.id)?.delete('name')
    expect(ws.actors().map((actor) => actor.name)).toEqual(['Eastbridge Council Early Help'])
    expect(ws.snapshot().problems).toEqual([expect.objectContaining({ kind: 'actor', id: food.id })])
  })

  it('refuses to write to a document saved by a newer version, and says why', () => {
    const food = ws.addActor(foodBank)
    metaMap(ws.doc).set(SCHEMA_KEY, { ...(metaMap(ws.doc).get(SCHEMA_KEY) as object), actor: 99 })
    const error = expectRefused(ws, 'newer-schema', () => ws.updateActor(food.id, { area: 'x' }))
    expect(error.message).toMatch(/newer version of the app/)
  })
})
