import { beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { toDataset } from './dataset.ts'
import { actorNoteKey, notesMap, WORKSHOP_NOTES } from './document.ts'
import { migrateDocument } from './migrate.ts'
import { noteToMarkdown, writeMarkdownNote } from './notes.ts'
import { timeLeft } from './records/facilitation.ts'
import { Workspace } from './workspace.ts'
import { connectedPair, expectRefused } from './workspace-testing.ts'

let ws: Workspace
beforeEach(() => {
  ws = new Workspace(new Y.Doc(), { participantId: 'amina' })
})

describe('emerging models', () => {
  it('are added, changed, filed under a theme and removed', () => {
    const theme = ws.addTheme({ title: 'Connect' })
    const model = ws.addEmergingModel({
      name: 'Family Hub',
      where: 'Barking',
      why: 'One front door',
      link: 'https://example.org/hub',
      themeId: theme.id,
    })
    expect(ws.emergingModels()).toEqual([model])
    ws.updateEmergingModel(model.id, { why: 'Families tell their story once', themeId: null })
    expect(ws.emergingModels()[0]).toEqual({
      id: model.id,
      name: 'Family Hub',
      where: 'Barking',
      why: 'Families tell their story once',
      link: 'https://example.org/hub',
      addedBy: '',
    })
    ws.removeEmergingModel(model.id)
    expect(ws.emergingModels()).toEqual([])
  })

  it('refuses a link that is not a web address and a theme that is not there', () => {
    expectRefused(ws, 'invalid-input', () => ws.addEmergingModel({ name: 'X', link: 'javascript:alert(1)' }))
    expectRefused(ws, 'invalid-reference', () => ws.addEmergingModel({ name: 'X', themeId: 'nope' }))
    expectRefused(ws, 'invalid-input', () => ws.addEmergingModel({ name: '  ' }))
  })

  it('follow their theme when it is merged, and lose it when it is removed', () => {
    const a = ws.addTheme({ title: 'Connect' })
    const b = ws.addTheme({ title: 'Continuity' })
    const model = ws.addEmergingModel({ name: 'Link workers', themeId: a.id })
    ws.mergeThemes(a.id, b.id)
    expect(ws.emergingModels()[0]?.themeId).toBe(b.id)
    ws.removeTheme(b.id)
    expect(ws.emergingModels()[0]).not.toHaveProperty('themeId')
    expect(ws.emergingModels()[0]?.id).toBe(model.id)
  })
})

describe('theme points', () => {
  it('merge into one: texts joined, actors and authors kept, the source gone', () => {
    const gp = ws.addActor({ kind: 'organisation', name: 'GP' })
    const hub = ws.addActor({ kind: 'organisation', name: 'Hub' })
    const theme = ws.addTheme({ title: 'Trust' })
    const first = ws.addPoint(theme.id, {
      text: 'People do not trust the council',
      actorIds: [gp.id],
      author: 'Sam',
    })
    const second = ws.addPoint(theme.id, {
      text: 'Nor the housing office',
      actorIds: [hub.id, gp.id],
      author: 'Jo',
    })
    const merged = ws.mergePoints(theme.id, second.id, first.id)
    expect(merged).toMatchObject({
      id: first.id,
      text: 'People do not trust the council\nNor the housing office',
      actorIds: [gp.id, hub.id],
      author: 'Sam, Jo',
    })
    expect(ws.theme(theme.id)?.points.map((point) => point.id)).toEqual([first.id])
    expectRefused(ws, 'invalid-reference', () => ws.mergePoints(theme.id, first.id, first.id))
    expectRefused(ws, 'not-found', () => ws.mergePoints(theme.id, 'gone', first.id))
  })
})

describe('the agenda', () => {
  it('keeps items in order, moves them, and forgets the current item when it is removed', () => {
    const welcome = ws.addAgendaItem({ title: 'Welcome', minutes: 10 })
    const close = ws.addAgendaItem({ title: 'Close', minutes: 5 })
    const map = ws.addAgendaItem({ title: 'Mapping', minutes: 40 }, { at: 1 })
    expect(ws.agenda().map((item) => item.title)).toEqual(['Welcome', 'Mapping', 'Close'])
    ws.moveAgendaItem(close.id, { at: 0 })
    expect(ws.agenda().map((item) => item.title)).toEqual(['Close', 'Welcome', 'Mapping'])
    ws.updateAgendaItem(map.id, { minutes: 45 })
    ws.setCurrentItem(map.id)
    expect(ws.facilitation().currentItemId).toBe(map.id)
    ws.removeAgendaItem(map.id)
    expect(ws.facilitation().currentItemId).toBeUndefined()
    ws.setCurrentItem(welcome.id)
    ws.setCurrentItem(null)
    expect(ws.facilitation().currentItemId).toBeUndefined()
    expectRefused(ws, 'invalid-input', () => ws.addAgendaItem({ title: 'Too long', minutes: 601 }))
    expectRefused(ws, 'not-found', () => ws.setCurrentItem('gone'))
  })

  it('starts the timer on the item when asked', () => {
    const item = ws.addAgendaItem({ title: 'Mapping', minutes: 40 })
    ws.setCurrentItem(item.id, { startTimer: true, now: 1_000 })
    expect(ws.facilitation().timer).toEqual({
      durationMs: 2_400_000,
      remainingMs: 2_400_000,
      endsAt: 2_401_000,
    })
  })
})

describe('the timer', () => {
  it('starts, pauses, resumes, gains time, resets and clears', () => {
    const now = 5_000_000
    ws.startTimer({ durationMs: 600_000, now })
    expect(timeLeft(ws.facilitation().timer, now + 60_000)).toBe(540_000)
    ws.pauseTimer(now + 60_000)
    expect(ws.facilitation().timer).toEqual({ durationMs: 600_000, remainingMs: 540_000 })
    // Paused, it does not run down.
    expect(timeLeft(ws.facilitation().timer, now + 600_000)).toBe(540_000)
    ws.startTimer({ now: now + 100_000 })
    expect(ws.facilitation().timer?.endsAt).toBe(now + 640_000)
    ws.addTime(60_000, now + 100_000)
    expect(timeLeft(ws.facilitation().timer, now + 100_000)).toBe(600_000)
    ws.addTime(-10_000_000, now + 100_000)
    expect(timeLeft(ws.facilitation().timer, now + 100_000)).toBe(0)
    ws.resetTimer()
    expect(ws.facilitation().timer).toEqual({ durationMs: 0, remainingMs: 0 })
    ws.clearTimer()
    expect(ws.facilitation().timer).toBeUndefined()
  })

  it('refuses to resume a timer that has nothing left, or to run a negative time', () => {
    expectRefused(ws, 'invalid-input', () => ws.startTimer())
    expectRefused(ws, 'invalid-input', () => ws.startTimer({ durationMs: -1 }))
  })

  it('is the same timer on every device', () => {
    const [a, b] = connectedPair()
    a.startTimer({ durationMs: 300_000, now: 0 })
    expect(b.facilitation().timer).toEqual({ durationMs: 300_000, remainingMs: 300_000, endsAt: 300_000 })
  })
})

describe('dot voting', () => {
  it('holds each participant to the budget across all quick wins', () => {
    ws.setVoteBudget(3)
    const a = ws.addQuickWin({ text: 'Shared directory' })
    const b = ws.addQuickWin({ text: 'Warm handovers' })
    ws.vote(a.id, 'amina', 2)
    ws.vote(b.id, 'amina', 1)
    const refused = expectRefused(ws, 'over-budget', () => ws.vote(b.id, 'amina', 2))
    expect(refused.message).toMatch(/3 dots/)
    // Another participant has their own dots.
    ws.vote(b.id, 'dave', 3)
    // Taking a dot back is always allowed, even when a lowered budget leaves someone over.
    ws.setVoteBudget(1)
    ws.vote(a.id, 'amina', 1)
    expect(ws.quickWin(a.id)?.votes).toEqual({ amina: 1 })
    expectRefused(ws, 'invalid-input', () => ws.setVoteBudget(0))
  })
})

describe('the presentation lock', () => {
  it('stops map commands on other devices, not on the one that locked it, and not other work', () => {
    const [facilitator, participant] = connectedPair()
    const actor = facilitator.addActor({ kind: 'organisation', name: 'Food Bank' })
    facilitator.lockMap()
    expect(participant.facilitation()).toMatchObject({ locked: true, lockedBy: 'amina' })
    expect(participant.mapLocked()).toBe(true)
    expect(facilitator.mapLocked()).toBe(false)
    expectRefused(participant, 'locked', () => participant.addActor({ kind: 'funder', name: 'Trust' }))
    expectRefused(participant, 'locked', () => participant.updateActor(actor.id, { name: 'Foodbank' }))
    expectRefused(participant, 'locked', () => participant.removeActor(actor.id))
    facilitator.updateActor(actor.id, { area: 'Riverside' })
    // Themes, quick wins and votes go on during a presentation.
    participant.addTheme({ title: 'Trust' })
    facilitator.unlockMap()
    expect(participant.mapLocked()).toBe(false)
    participant.updateActor(actor.id, { name: 'Foodbank' })
  })

  it('lets a facilitator through when the replica says so', () => {
    const doc = new Y.Doc()
    const locker = new Workspace(doc, { participantId: 'amina' })
    locker.lockMap()
    const cofacilitator = new Workspace(doc, { participantId: 'dave', mayEditLockedMap: () => true })
    cofacilitator.addActor({ kind: 'organisation', name: 'GP' })
    expect(cofacilitator.actors()).toHaveLength(1)
  })
})

describe('bring everyone to me', () => {
  it('sends a new summon each time, with who asked and where to', () => {
    const [a, b] = connectedPair()
    const first = a.summon({ x: 10, y: -20, w: 800, h: 600 }, 'Amina', 1_000)
    expect(b.facilitation().summon).toEqual(first)
    const second = a.summon({ x: 0, y: 0, w: 100, h: 50 }, 'Amina', 2_000)
    expect(second.id).not.toBe(first.id)
    expect(b.facilitation().summon).toMatchObject({
      by: 'amina',
      name: 'Amina',
      view: { x: 0, y: 0, w: 100, h: 50 },
    })
    expectRefused(a, 'invalid-input', () => a.summon({ x: 0, y: 0, w: 0, h: 10 }, 'Amina'))
    const anonymous = new Workspace(new Y.Doc())
    expectRefused(anonymous, 'invalid-input', () => anonymous.summon({ x: 0, y: 0, w: 1, h: 1 }, 'Someone'))
  })
})

describe('notes', () => {
  it('every actor gets its description note with it, and loses it with it', () => {
    const actor = ws.addActor({ kind: 'organisation', name: 'GP' })
    expect(notesMap(ws.doc).get(actorNoteKey(actor.id))).toBeInstanceOf(Y.XmlFragment)
    ws.removeActor(actor.id)
    expect(notesMap(ws.doc).has(actorNoteKey(actor.id))).toBe(false)
  })

  it('the loading replica makes the notes that are missing, once', () => {
    const doc = new Y.Doc()
    doc.getMap('actors').set('a1', new Y.Map())
    migrateDocument(doc)
    expect(notesMap(doc).get(WORKSHOP_NOTES)).toBeInstanceOf(Y.XmlFragment)
    expect(notesMap(doc).get(actorNoteKey('a1'))).toBeInstanceOf(Y.XmlFragment)
    const before = Y.encodeStateVector(doc)
    migrateDocument(doc)
    expect(Y.encodeStateVector(doc)).toEqual(before)
  })

  it('are in the dataset as Markdown, and come back from it', () => {
    const actor = ws.addActor({ kind: 'organisation', name: 'Food Bank' })
    migrateDocument(ws.doc)
    ws.doc.transact(() => {
      writeMarkdownNote(
        notesMap(ws.doc).get(WORKSHOP_NOTES) as Y.XmlFragment,
        `# Notes\n\nAsk [@Food Bank](actor:${actor.id})`,
      )
      writeMarkdownNote(notesMap(ws.doc).get(actorNoteKey(actor.id)) as Y.XmlFragment, 'Open **Tuesdays**')
    })
    const dataset = toDataset(ws.doc)
    expect(dataset.notes).toEqual({
      workshop: `# Notes\n\nAsk [@Food Bank](actor:${actor.id})`,
      actors: { [actor.id]: 'Open **Tuesdays**' },
    })
    const copy = new Workspace(new Y.Doc())
    copy.load(dataset)
    expect(toDataset(copy.doc)).toEqual(dataset)
    expect(noteToMarkdown(notesMap(copy.doc).get(actorNoteKey(actor.id)) as Y.XmlFragment)).toBe(
      'Open **Tuesdays**',
    )
  })
})
