import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { DocStore } from '../../sync-server/storage/doc-store.ts'

/** Updates that each add one actor-like entry to a shared map. */
function updates(count: number, base = new Y.Doc()): { doc: Y.Doc; updates: Uint8Array[] } {
  const collected: Uint8Array[] = []
  base.on('update', (update: Uint8Array) => collected.push(update))
  for (let i = 0; i < count; i++) base.getMap('actors').set(`a${i}`, `actor ${i}`)
  return { doc: base, updates: collected }
}

function rebuild(stored: { snapshot: Uint8Array | null; updates: readonly Uint8Array[] }): Y.Doc {
  const doc = new Y.Doc()
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const update of stored.updates) Y.applyUpdate(doc, update)
  return doc
}

/**
 * The behaviour every DocStore must have. The SQLite store runs it here; any other store
 * (PostgreSQL) runs the same suite against its own real database.
 */
export function docStoreSuite(
  name: string,
  open: () => Promise<{ store: DocStore; reopen: () => Promise<DocStore>; cleanup: () => Promise<void> }>,
) {
  describe(`${name} DocStore`, () => {
    it('loads a room never written to as empty', async () => {
      const { store, cleanup } = await open()
      expect(await store.load('nothing-here')).toEqual({ snapshot: null, updates: [], lastSeq: 0 })
      await cleanup()
    })

    it('keeps updates in order, per room, across a reopen', async () => {
      const { store, reopen, cleanup } = await open()
      const a = updates(5)
      const b = updates(3)
      const lastA = await store.append('room-a', a.updates.slice(0, 2))
      await store.append('room-b', b.updates)
      const lastA2 = await store.append('room-a', a.updates.slice(2))
      expect(lastA2).toBeGreaterThan(lastA)
      await store.close()
      const again = await reopen()
      const loaded = await again.load('room-a')
      expect(loaded.updates).toEqual(a.updates)
      expect(loaded.lastSeq).toBe(lastA2)
      expect(rebuild(loaded).getMap('actors').toJSON()).toEqual(a.doc.getMap('actors').toJSON())
      expect((await again.load('room-b')).updates).toHaveLength(3)
      await again.close()
      await cleanup()
    })

    it('compaction replaces the rows it covers with one snapshot and keeps later rows', async () => {
      const { store, cleanup } = await open()
      const { doc, updates: all } = updates(10)
      await store.append('room', all.slice(0, 6))
      const upto = (await store.load('room')).lastSeq
      const partial = new Y.Doc()
      for (const update of all.slice(0, 6)) Y.applyUpdate(partial, update)
      await store.append('room', all.slice(6))
      await store.compact('room', Y.encodeStateAsUpdate(partial), upto)
      const loaded = await store.load('room')
      expect(loaded.snapshot).not.toBeNull()
      expect(loaded.updates).toHaveLength(4)
      expect(await store.pendingRows('room')).toBe(4)
      expect(rebuild(loaded).getMap('actors').toJSON()).toEqual(doc.getMap('actors').toJSON())
      await cleanup()
    })

    it('never moves a snapshot backwards when an older compaction finishes late', async () => {
      const { store, cleanup } = await open()
      const { doc, updates: all } = updates(4)
      const first = await store.append('room', all.slice(0, 2))
      const second = await store.append('room', all.slice(2))
      await store.compact('room', Y.encodeStateAsUpdate(doc), second)
      await store.compact('room', new Uint8Array([0, 0]), first)
      const loaded = await store.load('room')
      expect(rebuild(loaded).getMap('actors').toJSON()).toEqual(doc.getMap('actors').toJSON())
      await cleanup()
    })

    it('lists every room with something stored, snapshot or log', async () => {
      const { store, cleanup } = await open()
      expect(await store.rooms()).toEqual([])
      const { doc, updates: all } = updates(2)
      const seq = await store.append('room-b', all)
      await store.compact('room-b', Y.encodeStateAsUpdate(doc), seq)
      await store.append('room-a', all.slice(0, 1))
      expect(await store.rooms()).toEqual(['room-a', 'room-b'])
      await cleanup()
    })

    it('commits a large batch in one append, numbered in order', async () => {
      const { store, cleanup } = await open()
      const { doc, updates: all } = updates(300)
      const first = await store.append('room', all.slice(0, 1))
      const last = await store.append('room', all.slice(1))
      expect(last - first).toBe(299)
      const loaded = await store.load('room')
      expect(loaded.updates).toEqual(all)
      expect(loaded.lastSeq).toBe(last)
      expect(rebuild(loaded).getMap('actors').toJSON()).toEqual(doc.getMap('actors').toJSON())
      await cleanup()
    })

    it('loads what was committed after a sequence number, with the snapshot once rows are folded', async () => {
      const { store, cleanup } = await open()
      const { doc, updates: all } = updates(6)
      expect(await store.loadSince('room', 0)).toEqual({ snapshot: null, updates: [], lastSeq: 0 })
      const first = await store.append('room', all.slice(0, 2))
      const second = await store.append('room', all.slice(2, 4))
      const since = await store.loadSince('room', first)
      expect(since.snapshot).toBeNull()
      expect(since.updates).toEqual(all.slice(2, 4))
      expect(since.lastSeq).toBe(second)
      expect(await store.loadSince('room', second)).toEqual({ snapshot: null, updates: [], lastSeq: second })
      const partial = new Y.Doc()
      for (const update of all.slice(0, 4)) Y.applyUpdate(partial, update)
      await store.compact('room', Y.encodeStateAsUpdate(partial), second)
      const third = await store.append('room', all.slice(4))
      // Rows after `first` were folded into the snapshot: it comes along, then the later rows.
      const after = await store.loadSince('room', first)
      expect(after.snapshot).not.toBeNull()
      expect(after.updates).toEqual(all.slice(4))
      expect(after.lastSeq).toBe(third)
      expect(rebuild(after).getMap('actors').toJSON()).toEqual(doc.getMap('actors').toJSON())
      const later = await store.loadSince('room', second)
      expect(later.snapshot).toBeNull()
      expect(later.updates).toEqual(all.slice(4))
      await cleanup()
    })

    it('keeps named snapshots apart from the log, newest first, across a reopen and a compaction', async () => {
      const { store, reopen, cleanup } = await open()
      const { doc, updates: all } = updates(3)
      const seq = await store.append('room', all)
      const facilitator = { id: 'jti-1', name: 'Ama', role: 'facilitator' }
      await store.saveSnapshot(
        'room',
        { id: 's1', name: 'Workshop 1, 20 October', createdAt: 1000, createdBy: facilitator, auto: false },
        Y.encodeStateAsUpdate(doc),
      )
      doc.getMap('actors').set('later', 'later')
      await store.saveSnapshot(
        'room',
        { id: 's2', name: 'Before restoring Workshop 1', createdAt: 2000, createdBy: null, auto: true },
        Y.encodeStateAsUpdate(doc),
      )
      // Saving an id again changes nothing (a copy run twice).
      await store.saveSnapshot(
        'room',
        { id: 's1', name: 'other', createdAt: 3000, createdBy: null, auto: true },
        new Uint8Array([0, 0]),
      )
      await store.compact('room', Y.encodeStateAsUpdate(doc), seq)
      await store.close()
      const again = await reopen()
      expect(await again.listSnapshots('room')).toEqual([
        { id: 's2', name: 'Before restoring Workshop 1', createdAt: 2000, createdBy: null, auto: true },
        { id: 's1', name: 'Workshop 1, 20 October', createdAt: 1000, createdBy: facilitator, auto: false },
      ])
      expect(await again.listSnapshots('another-room')).toEqual([])
      const state = await again.snapshotState('room', 's1')
      const first = new Y.Doc()
      Y.applyUpdate(first, state as Uint8Array)
      expect(Object.keys(first.getMap('actors').toJSON()).sort()).toEqual(['a0', 'a1', 'a2'])
      expect(await again.snapshotState('room', 'nope')).toBeNull()
      expect(await again.snapshotState('another-room', 's1')).toBeNull()
      await again.close()
      await cleanup()
    })

    it("keeps each room's last map preview, apart from its log, across a reopen", async () => {
      const { store, reopen, cleanup } = await open()
      expect(await store.loadPreview?.('room')).toBeNull()
      await store.savePreview?.('room', new Uint8Array([1, 2, 3]))
      await store.savePreview?.('room', new Uint8Array([4, 5]))
      await store.savePreview?.('other', new Uint8Array([6]))
      await store.close()
      const again = await reopen()
      expect(await again.loadPreview?.('room')).toEqual(new Uint8Array([4, 5]))
      expect(await again.loadPreview?.('other')).toEqual(new Uint8Array([6]))
      expect(await again.load('room')).toEqual({ snapshot: null, updates: [], lastSeq: 0 })
      await again.close()
      await cleanup()
    })

    it('writes history with the updates, and reads it newest first by record and by person', async () => {
      const { store, reopen, cleanup } = await open()
      const { updates: all } = updates(3)
      const ama = { id: 'jti-ama', name: 'Ama', role: 'participant' }
      const ben = { id: 'jti-ben', name: 'Ben', role: 'facilitator' }
      const change = (id: string, kind: 'added' | 'changed' | 'removed') => ({
        kind: 'actor',
        id,
        label: `Org ${id}`,
        change: kind,
      })
      await store.append('room', all.slice(0, 1), [
        { id: 'h1', at: 10, by: ama, changes: [change('a', 'added')] },
      ])
      await store.append('room', all.slice(1, 2), [
        { id: 'h2', at: 20, by: ben, changes: [change('a', 'changed'), change('b', 'added')] },
        { id: 'h3', at: 20, by: null, changes: [change('c', 'added')] },
      ])
      await store.append('room', all.slice(2))
      await store.append('other', all.slice(0, 1), [
        { id: 'h4', at: 30, by: ama, changes: [change('a', 'removed')] },
      ])
      await store.close()
      const again = await reopen()
      const ids = (entries: { id: string }[]) => entries.map((entry) => entry.id)
      expect(ids(await again.history('room', { limit: 10 }))).toEqual(['h3', 'h2', 'h1'])
      expect(ids(await again.history('room', { limit: 2 }))).toEqual(['h3', 'h2'])
      expect(ids(await again.history('room', { record: 'a', limit: 10 }))).toEqual(['h2', 'h1'])
      expect(ids(await again.history('room', { by: 'jti-ama', limit: 10 }))).toEqual(['h1'])
      expect(ids(await again.history('room', { record: 'b', by: 'jti-ama', limit: 10 }))).toEqual([])
      expect(await again.history('room', { record: 'b', limit: 10 })).toEqual([
        { id: 'h2', at: 20, by: ben, changes: [change('a', 'changed'), change('b', 'added')] },
      ])
      expect((await again.history('room', { record: 'c', limit: 10 }))[0]?.by).toBeNull()
      // Entries copied from elsewhere: ids already there are skipped.
      await again.addHistory('room', [
        { id: 'h1', at: 10, by: ama, changes: [change('a', 'added')] },
        { id: 'h5', at: 40, by: ama, changes: [change('d', 'added')] },
      ])
      expect(ids(await again.history('room', { by: 'jti-ama', limit: 10 }))).toEqual(['h5', 'h1'])
      await again.close()
      await cleanup()
    })

    it('answers a health check', async () => {
      const { store, cleanup } = await open()
      await expect(store.check()).resolves.toBeUndefined()
      await cleanup()
    })
  })
}
