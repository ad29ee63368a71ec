import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { toDataset } from './dataset.ts'
import { actorNoteKey, canvasMap, notesMap, WORKSHOP_NOTES } from './document.ts'
import { writeMarkdownNote } from './notes.ts'
import { restoreFromSnapshot } from './snapshot-restore.ts'
import { Workspace } from './workspace.ts'

/** A saved state as the server keeps it: the whole document as one update, read into a fresh doc. */
const saved = (doc: Y.Doc): Y.Doc => {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}
const comparable = (doc: Y.Doc) => {
  const { exportedAt: _exportedAt, ...dataset } = toDataset(doc) as ReturnType<typeof toDataset> & {
    exportedAt?: string
  }
  return dataset
}
const notesOf = (doc: Y.Doc) =>
  Object.fromEntries([...notesMap(doc).entries()].map(([key, note]) => [key, note.toString()]))

describe('restoring a saved state as a new change', () => {
  it('makes records, votes, points, the canvas and notes equal the saved state, and restoring the state before undoes it', () => {
    const doc = new Y.Doc()
    const ws = new Workspace(doc, { participantId: 'ama', authorId: 'ama' })
    ws.updateMeta({ title: 'Thames Ward' })
    const foodBank = ws.addActor({ kind: 'organisation', name: 'Food bank' })
    const council = ws.addActor({ kind: 'statutory-service', name: 'Council' })
    const referral = ws.connect({ from: council.id, to: foodBank.id, kind: 'referral' })
    const theme = ws.addTheme({ title: 'Trust' })
    ws.addPoint(theme.id, { text: 'People know each other' })
    const win = ws.addQuickWin({ text: 'Shared directory' })
    ws.vote(win.id, 'ama', 2)
    canvasMap(doc).set('shape:1', { id: 'shape:1', x: 10, y: 20, props: { actorId: foodBank.id } })
    notesMap(doc).set(WORKSHOP_NOTES, new Y.XmlFragment())
    writeMarkdownNote(notesMap(doc).get(WORKSHOP_NOTES) as Y.XmlFragment, '# Morning\n\nWe met.')
    writeMarkdownNote(notesMap(doc).get(actorNoteKey(foodBank.id)) as Y.XmlFragment, 'Open **Tuesdays**.')
    const morning = saved(doc)
    const morningDataset = comparable(morning)
    const morningNotes = notesOf(morning)
    const morningCanvas = canvasMap(morning).toJSON()

    // The afternoon: something removed, something added, fields changed, layout moved, notes edited.
    ws.removeActor(council.id)
    const library = ws.addActor({ kind: 'space', name: 'Library' })
    ws.updateActor(foodBank.id, { name: 'Riverside food bank', area: 'Thames' })
    ws.addPoint(theme.id, { text: 'Waiting lists' })
    ws.vote(win.id, 'ama', 0)
    ws.vote(win.id, 'ben', 1)
    canvasMap(doc).set('shape:1', { id: 'shape:1', x: 300, y: 20, props: { actorId: foodBank.id } })
    canvasMap(doc).set('shape:2', { id: 'shape:2', x: 0, y: 0, props: { actorId: library.id } })
    writeMarkdownNote(notesMap(doc).get(WORKSHOP_NOTES) as Y.XmlFragment, '# Afternoon')
    ws.updateMeta({ title: 'Thames Ward (draft)' })
    const afternoon = saved(doc)
    const afternoonDataset = comparable(afternoon)

    // Another replica that holds the afternoon sees the restore as an ordinary update.
    const peer = saved(doc)
    const sent: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => sent.push(update))
    const summary = restoreFromSnapshot(doc, saved(morning))
    expect(summary.added).toBeGreaterThan(0)
    expect(summary.removed).toBeGreaterThan(0)
    expect(sent).toHaveLength(1) // one transaction
    expect(comparable(doc)).toEqual(morningDataset)
    expect(ws.link(referral.id)?.from).toBe(council.id)
    expect(ws.quickWin(win.id)?.votes).toEqual({ ama: 2 })
    expect(notesOf(doc)).toEqual(morningNotes)
    expect(canvasMap(doc).toJSON()).toEqual(morningCanvas)
    for (const update of sent) Y.applyUpdate(peer, update)
    expect(comparable(peer)).toEqual(morningDataset)
    expect(notesOf(peer)).toEqual(morningNotes)

    // Undo: restore the state saved just before.
    restoreFromSnapshot(doc, saved(afternoon))
    expect(comparable(doc)).toEqual(afternoonDataset)
    expect(canvasMap(doc).get('shape:2')).toBeDefined()
  })

  it('keeps the live session (timer, lock, vote budget) as it is now', () => {
    const doc = new Y.Doc()
    const ws = new Workspace(doc)
    ws.addActor({ kind: 'organisation', name: 'Food bank' })
    const before = saved(doc)
    ws.setVoteBudget(9)
    ws.lockMap()
    restoreFromSnapshot(doc, before)
    expect(ws.facilitation().voteBudget).toBe(9)
    expect(ws.facilitation().locked).toBe(true)
  })

  it('does not bring back the links’ arrows of a snapshot saved before they were derived', () => {
    const doc = new Y.Doc()
    const ws = new Workspace(doc)
    const bank = ws.addActor({ kind: 'organisation', name: 'Food bank' })
    const fund = ws.addActor({ kind: 'funder', name: 'Fund' })
    const link = ws.connect({ from: fund.id, to: bank.id, kind: 'funding' })
    const canvas = canvasMap(doc)
    canvas.set('shape:box', {
      id: 'shape:box',
      typeName: 'shape',
      type: 'actor',
      props: { actorId: bank.id },
    })
    canvas.set('shape:arrow', {
      id: 'shape:arrow',
      typeName: 'shape',
      type: 'arrow',
      meta: { linkId: link.id },
    })
    canvas.set('binding:end', {
      id: 'binding:end',
      typeName: 'binding',
      type: 'arrow',
      fromId: 'shape:arrow',
    })
    const old = saved(doc)
    canvas.delete('shape:arrow')
    canvas.delete('binding:end')
    restoreFromSnapshot(doc, old)
    expect([...canvas.keys()]).toEqual(['shape:box'])
    expect(ws.link(link.id)).toBeDefined()
  })
})
