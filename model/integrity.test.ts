import { beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ROOT_RULES } from './access.ts'
import { canvasMap, collection, notesMap } from './document.ts'
import { referenceIssues, repairTree } from './integrity.ts'
import type { Problem } from './read.ts'
import { Workspace } from './workspace.ts'
import { expectRefused } from './workspace-testing.ts'

let ws: Workspace
beforeEach(() => {
  ws = new Workspace(new Y.Doc(), { participantId: 'amina' })
})

/** A box for an actor and an arrow bound to two boxes, as the canvas binding stores them. */
function drawn(doc: Y.Doc, boxes: Record<string, string>, arrows: Record<string, [string, string, string]>) {
  const canvas = canvasMap(doc)
  doc.transact(() => {
    for (const [shapeId, actorId] of Object.entries(boxes)) {
      canvas.set(shapeId, { id: shapeId, typeName: 'shape', type: 'actor', props: { actorId }, meta: {} })
    }
    for (const [arrowId, [linkId, from, to]] of Object.entries(arrows)) {
      canvas.set(arrowId, { id: arrowId, typeName: 'shape', type: 'arrow', props: {}, meta: { linkId } })
      for (const [end, shape] of [
        ['start', from],
        ['end', to],
      ] as const) {
        const id = `binding:${arrowId}-${end}`
        canvas.set(id, { id, typeName: 'binding', type: 'arrow', fromId: arrowId, toId: shape, props: {} })
      }
    }
  })
}

describe('removing a record cascades by the declared rules', () => {
  it('takes an actor’s links, note, boxes and arrows with it, clears points and keeps steps’ words', () => {
    const food = ws.addActor({ id: 'food', kind: 'organisation', name: 'Food Bank' })
    const council = ws.addActor({ id: 'council', kind: 'statutory-service', name: 'Council' })
    const fund = ws.addActor({ id: 'fund', kind: 'funder', name: 'Fund' })
    const referral = ws.connect({ id: 'l-ref', from: council.id, to: food.id, kind: 'referral' })
    const grant = ws.connect({ id: 'l-grant', from: fund.id, to: council.id, kind: 'funding' })
    const theme = ws.addTheme({ title: 'Trust' })
    const point = ws.addPoint(theme.id, { text: 'They know us', actorIds: [food.id, council.id] })
    const journey = ws.addJourney({ title: 'Amina' })
    const step = ws.addStep(journey.id, { actorId: food.id })
    drawn(
      ws.doc,
      { 'shape:food': food.id, 'shape:council': council.id, 'shape:fund': fund.id },
      {
        'shape:ref': [referral.id, 'shape:council', 'shape:food'],
        'shape:grant': [grant.id, 'shape:fund', 'shape:council'],
        // An arrow whose link is gone already but which is still bound to the food bank's box.
        'shape:stale': ['l-old', 'shape:fund', 'shape:food'],
      },
    )

    const removal = ws.removeActor(food.id)

    expect(removal.links.map((link) => link.id)).toEqual([referral.id])
    expect(removal.themePoints).toEqual([{ themeId: theme.id, pointId: point.id }])
    expect(removal.journeySteps).toEqual([{ journeyId: journey.id, stepId: step.id }])
    expect(ws.links().map((link) => link.id)).toEqual([grant.id])
    expect(ws.theme(theme.id)?.points[0]?.actorIds).toEqual([council.id])
    expect(ws.journey(journey.id)?.steps[0]).toMatchObject({ place: 'Food Bank' })
    expect(ws.journey(journey.id)?.steps[0]).not.toHaveProperty('actorId')
    expect(notesMap(ws.doc).has(`actor:${food.id}`)).toBe(false)
    expect([...canvasMap(ws.doc).keys()].sort()).toEqual([
      'binding:shape:grant-end',
      'binding:shape:grant-start',
      'shape:council',
      'shape:fund',
      'shape:grant',
    ])
    expect(ws.snapshot().problems).toEqual([])
  })

  it('unfiles quick wins and models from a removed theme and clears a removed current item', () => {
    const theme = ws.addTheme({ title: 'Trust' })
    const quickWin = ws.addQuickWin({ text: 'Shared directory', themeId: theme.id })
    const model = ws.addEmergingModel({ name: 'Family hubs', themeId: theme.id })
    const item = ws.addAgendaItem({ title: 'Mapping', minutes: 20 })
    ws.setCurrentItem(item.id)
    ws.removeTheme(theme.id)
    ws.removeAgendaItem(item.id)
    expect(ws.quickWin(quickWin.id)).not.toHaveProperty('themeId')
    expect(ws.emergingModels()[0]?.id).toBe(model.id)
    expect(ws.emergingModels()[0]).not.toHaveProperty('themeId')
    expect(ws.facilitation()).not.toHaveProperty('currentItemId')
  })

  it('is one transaction, removing boxes drawn by another device', () => {
    const other = new Workspace(new Y.Doc())
    const food = ws.addActor({ kind: 'organisation', name: 'Food Bank' })
    Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(ws.doc))
    drawn(other.doc, { 'shape:1': food.id }, {})
    Y.applyUpdate(ws.doc, Y.encodeStateAsUpdate(other.doc))
    let transactions = 0
    ws.doc.on('afterTransaction', () => transactions++)
    ws.removeActor(food.id)
    expect(transactions).toBe(1)
    Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(ws.doc))
    expect(canvasMap(other.doc).size).toBe(0)
  })
})

describe('refused commands leave the document byte for byte as it was', () => {
  /** A theme and a quick win as an older peer wrote them: without their nested maps. */
  function withoutNestedMaps() {
    const theme = new Y.Map<unknown>()
    for (const [key, value] of Object.entries({ id: 't-old', title: 'Old', colour: 'blue', order: 'a0' })) {
      theme.set(key, value)
    }
    const quickWin = new Y.Map<unknown>()
    for (const [key, value] of Object.entries({ id: 'q-old', text: 'Old win', owner: '', status: 'idea' })) {
      quickWin.set(key, value)
    }
    ws.doc.transact(() => {
      collection(ws.doc, 'themes').set('t-old', theme)
      collection(ws.doc, 'quickWins').set('q-old', quickWin)
    })
  }

  it('a refused point or vote creates no nested map', () => {
    withoutNestedMaps()
    expectRefused(ws, 'invalid-input', () => ws.addPoint('t-old', { text: '   ' }))
    expectRefused(ws, 'invalid-reference', () => ws.addPoint('t-old', { text: 'x', actorIds: ['nobody'] }))
    expectRefused(ws, 'invalid-input', () => ws.vote('q-old', 'amina', -1))
    ws.setVoteBudget(1)
    ws.addQuickWin({ id: 'q-new', text: 'New' })
    ws.vote('q-new', 'amina', 1)
    expectRefused(ws, 'over-budget', () => ws.vote('q-old', 'amina', 1))
  })

  it('an accepted one creates the nested map in its own transaction', () => {
    withoutNestedMaps()
    let transactions = 0
    ws.doc.on('afterTransaction', () => transactions++)
    ws.addPoint('t-old', { text: 'Now it has points' })
    ws.vote('q-old', 'amina', 2)
    expect(transactions).toBe(2)
    expect(ws.theme('t-old')?.points.map((point) => point.text)).toEqual(['Now it has points'])
    expect(ws.quickWin('q-old')?.votes).toEqual({ amina: 2 })
  })
})

describe('snapshots are read per collection', () => {
  it('a canvas or notes change keeps the snapshot; an actor change keeps the other lists', () => {
    const food = ws.addActor({ kind: 'organisation', name: 'Food Bank' })
    const council = ws.addActor({ kind: 'statutory-service', name: 'Council' })
    ws.connect({ from: food.id, to: council.id, kind: 'referral' })
    ws.addTheme({ title: 'Trust' })
    const before = ws.snapshot()
    drawn(ws.doc, { 'shape:1': food.id }, {})
    notesMap(ws.doc).set('workshop', new Y.XmlFragment())
    expect(ws.snapshot()).toBe(before)
    ws.updateActor(food.id, { area: 'Riverside' })
    const after = ws.snapshot()
    expect(after).not.toBe(before)
    expect(after.actors).not.toBe(before.actors)
    expect(after.actors.find((actor) => actor.id === council.id)).toBe(
      before.actors.find((actor) => actor.id === council.id),
    )
    expect(after.links).toBe(before.links)
    expect(after.themes).toBe(before.themes)
  })
})

describe('references in datasets', () => {
  const tree = {
    actors: [{ id: 'a' }, { id: 'b' }],
    links: [
      { id: 'l1', from: 'a', to: 'b' },
      { id: 'l2', from: 'a', to: 'gone' },
      { id: 'l3', from: 'a', to: 'a' },
    ],
    themes: [{ id: 't', points: [{ id: 'p', actorIds: ['a', 'gone'] }] }],
    quickWins: [{ id: 'q', themeId: 'missing' }],
    journeys: [{ id: 'j', steps: [{ id: 's', actorId: 'gone', place: '' }] }],
    emergingModels: [],
    agenda: [],
    facilitation: { currentItemId: 'nothing' },
    notes: { workshop: '', actors: { a: 'x', gone: 'y' } },
  }

  it('reports every broken reference by path', () => {
    expect(referenceIssues(tree)).toEqual([
      { path: 'links.1.to', message: 'no actor gone' },
      { path: 'links.2', message: 'a link joins two different actors' },
      { path: 'themes.0.points.0.actorIds.1', message: 'no actor gone' },
      { path: 'quickWins.0.themeId', message: 'no theme missing' },
      { path: 'journeys.0.steps.0.actorId', message: 'no actor gone' },
      { path: 'facilitation.currentItemId', message: 'no agenda item nothing' },
      { path: 'notes.actors.gone', message: 'no actor gone' },
    ])
  })

  it('repairs them by each reference’s on-delete rule, keeping what did not change', () => {
    const problems: Problem[] = []
    const repaired = repairTree(tree, problems) as typeof tree
    expect(repaired.links.map((link) => link.id)).toEqual(['l1'])
    expect(repaired.links[0]).toBe(tree.links[0])
    expect(repaired.actors).toBe(tree.actors)
    expect(repaired.themes[0]?.points[0]?.actorIds).toEqual(['a'])
    expect(repaired.quickWins[0]).toEqual({ id: 'q' })
    expect(repaired.journeys[0]?.steps[0]).toEqual({ id: 's', place: '' })
    expect(repaired.facilitation).toEqual({})
    expect(repaired.notes.actors).toEqual({ a: 'x' })
    expect(problems.map((problem) => problem.message)).toEqual([
      'link l2 left out: it points at removed actor gone',
      'link l3 left out: a link joins two different actors',
    ])
    expect(referenceIssues(repaired)).toEqual([])
  })
})

describe('who may write each top-level name', () => {
  it('has a rule for every name the document layout declares, derived from the record kinds', () => {
    const doc = new Y.Doc()
    new Workspace(doc)
    expect([...doc.share.keys()].sort()).toEqual(Object.keys(ROOT_RULES).sort())
    expect(ROOT_RULES.actors).toEqual({ writers: ['facilitator', 'participant'], frozenByLock: true })
    expect(ROOT_RULES.agenda?.writers).toEqual(['facilitator'])
    expect(ROOT_RULES.canvas?.frozenByLock).toBe(true)
    expect(ROOT_RULES.notes?.frozenByLock).toBe(false)
  })
})
