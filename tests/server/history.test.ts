import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { actorNoteKey, notesMap, Workspace } from '../../model/index.ts'
import { BURST_MS, historyOf, personFrom } from '../../sync-server/history.ts'
import type { HistoryEntry } from '../../sync-server/storage/doc-store.ts'

/**
 * History as the room records it at commit time: the updates of a batch, read against the
 * room's document before they are applied, give who added, changed and removed which records.
 */

interface Sender {
  readonly role: string
  readonly inviteId: string | null
}

/** A room's document, and a device whose commands are committed to it one batch at a time. */
function room() {
  const server = new Y.Doc()
  const device = new Y.Doc()
  const workspace = new Workspace(device, { authorId: 'jti-ama' })
  const pending: Uint8Array[] = []
  device.on('update', (update: Uint8Array) => pending.push(update))
  const ama: Sender = { role: 'participant', inviteId: 'jti-ama' }
  let clock = 0
  /** Commits what the device did since the last commit, as one batch from `from` (by default a burst later). */
  const commit = (from: Sender = ama, at?: number): HistoryEntry[] => {
    clock = at ?? clock + BURST_MS + 1
    const batch = pending.splice(0).map((update) => ({ update, from }))
    const entries = historyOf(
      server,
      batch,
      (sender) => ({ id: sender.inviteId, name: sender === ama ? 'Ama' : '', role: sender.role }),
      clock,
    )
    for (const { update } of batch) Y.applyUpdate(server, update)
    return entries
  }
  return { server, device, workspace, commit, ama }
}

const changesOf = (entries: HistoryEntry[]) =>
  entries.flatMap((entry) => entry.changes.map((change) => `${change.change} ${change.kind} ${change.label}`))

describe('history of a committed batch', () => {
  it('names who added, changed and removed which records, with their labels', () => {
    const { workspace, commit } = room()
    const foodBank = workspace.addActor({ kind: 'organisation', name: 'Food bank' })
    const council = workspace.addActor({ kind: 'statutory-service', name: 'Council' })
    workspace.connect({ from: council.id, to: foodBank.id, kind: 'referral' })
    const [first, ...rest] = commit()
    expect(rest).toEqual([])
    expect(first?.by).toEqual({ id: 'jti-ama', name: 'Ama', role: 'participant' })
    expect(changesOf([first as HistoryEntry]).sort()).toEqual([
      'added actor Council',
      'added actor Food bank',
      'added link Council → Food bank',
    ])

    workspace.updateActor(foodBank.id, { name: 'Riverside food bank' })
    expect(changesOf(commit())).toEqual(['changed actor Riverside food bank'])

    workspace.removeActor(council.id)
    expect(changesOf(commit()).sort()).toEqual([
      'removed actor Council',
      'removed link Council → Riverside food bank',
    ])
  })

  it('records nested records, votes, descriptions and the workspace details; not the canvas or the session', () => {
    const { workspace, device, commit } = room()
    const theme = workspace.addTheme({ title: 'Trust' })
    commit()
    workspace.addPoint(theme.id, { text: 'People know each other' })
    expect(changesOf(commit())).toEqual(['added themePoint People know each other'])
    const win = workspace.addQuickWin({ text: 'Shared directory' })
    commit()
    workspace.vote(win.id, 'jti-ama', 1)
    expect(changesOf(commit())).toEqual(['changed quickWin Shared directory'])
    const actor = workspace.addActor({ kind: 'space', name: 'Library' })
    commit()
    const note = notesMap(device).get(actorNoteKey(actor.id)) as Y.XmlFragment
    note.insert(0, [new Y.XmlText('Open late')])
    expect(changesOf(commit())).toEqual(['changed actor Library'])
    workspace.updateMeta({ title: 'Thames Ward' })
    expect(changesOf(commit())).toEqual(['changed meta Thames Ward'])
    device.getMap('canvas').set('shape:1', { id: 'shape:1', x: 1, y: 2 })
    workspace.lockMap()
    expect(commit()).toEqual([])
  })

  it('keeps one entry per person per batch, and one for a burst of edits to the same records', () => {
    const { workspace, commit, ama } = room()
    const start = 10 * BURST_MS
    const actor = workspace.addActor({ kind: 'organisation', name: 'Food bank' })
    workspace.addActor({ kind: 'organisation', name: 'Library' })
    expect(commit(ama, start)).toHaveLength(1)
    // Filling in what was just added is part of adding it.
    workspace.updateActor(actor.id, { area: 'Thames' })
    expect(commit(ama, start + 1_000)).toEqual([])
    workspace.updateActor(actor.id, { area: 'Thames Ward' })
    expect(commit(ama, start + BURST_MS + 1)).toHaveLength(1)
    workspace.updateActor(actor.id, { area: 'Riverside' })
    expect(commit(ama, start + BURST_MS + 2_000)).toEqual([]) // more of the same, within the burst
    const ben: Sender = { role: 'facilitator', inviteId: 'jti-ben' }
    workspace.updateActor(actor.id, { area: 'Barking' })
    expect(commit(ben, start + BURST_MS + 3_000).map((entry) => entry.by?.id)).toEqual(['jti-ben'])
    workspace.removeActor(actor.id)
    expect(changesOf(commit(ama, start + BURST_MS + 4_000))).toEqual(['removed actor Food bank'])
  })

  it('takes the name a person gave their device from presence, or from another connection on the same invite', () => {
    const device: Sender = { role: 'participant', inviteId: 'jti-ama' }
    const other: Sender = { role: 'participant', inviteId: 'jti-ama' }
    const open: Sender = { role: 'facilitator', inviteId: null }
    const presence = [
      { peer: other, state: JSON.stringify({ user: { id: 'p-1', name: ' Ama Mensah ' } }) },
      { peer: open, state: JSON.stringify({ user: { id: 'p-open', name: 'Dev' } }) },
    ]
    expect(personFrom(device, presence)).toEqual({ id: 'jti-ama', name: 'Ama Mensah', role: 'participant' })
    expect(personFrom(open, presence)).toEqual({ id: 'p-open', name: 'Dev', role: 'facilitator' })
    expect(personFrom({ role: 'viewer', inviteId: null }, presence)).toEqual({
      id: null,
      name: '',
      role: 'viewer',
    })
  })
})
