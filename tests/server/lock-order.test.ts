import * as decoding from 'lib0/decoding'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Peer, Room } from '../../sync-server/room.ts'
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'
import type { Role } from '../../sync-server/write-rules.ts'
import { tempDataDir } from './helpers.ts'

/**
 * The lock is judged against the document as each update finds it, in the order updates
 * arrived, even when several arrive in the same turn and are committed as one group. These
 * drive a real Room over a real SQLite store directly, to put updates in one group on purpose.
 */

const dirs: { remove: () => void }[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove()
})

function peer(role: Role): Peer & { refusals: string[]; frames: Uint8Array[] } {
  const refusals: string[] = []
  const frames: Uint8Array[] = []
  return {
    role,
    refusals,
    frames,
    send(frame) {
      frames.push(frame)
      if (frame[0] === 9) {
        const decoder = decoding.createDecoder(frame)
        decoding.readVarUint(decoder)
        refusals.push(JSON.parse(decoding.readVarString(decoder)).code)
      }
    },
    close() {},
  }
}

async function room() {
  const dir = tempDataDir()
  dirs.push(dir)
  const store = openSqliteStore({ dataDir: dir.dir })
  const loaded = await Room.load(
    'lock-order',
    store,
    {
      compactAfterRows: 1000,
      compactIdleMs: 60_000,
      maxAwarenessStateBytes: 1024,
      maxAwarenessClientsPerPeer: 4,
    },
    pino({ level: 'silent' }),
  )
  const stored = async () => {
    const { snapshot, updates } = await store.load('lock-order')
    const doc = new Y.Doc()
    for (const update of snapshot ? [snapshot, ...updates] : updates) Y.applyUpdate(doc, update)
    return doc
  }
  return { loaded, store, stored }
}

/** An update a fresh replica of `doc` makes with `change`. */
function updateFrom(doc: Y.Doc, change: (replica: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(replica)
  change(replica)
  return Y.encodeStateAsUpdate(replica, before)
}

describe('the lock, within one group commit', () => {
  it('a map change that arrives just after the lock is refused, though committed in the same turn', async () => {
    const { loaded, store, stored } = await room()
    const facilitator = peer('facilitator')
    const participant = peer('participant')
    const lock = updateFrom(loaded.doc, (doc) => doc.getMap('facilitation').set('locked', true))
    const move = updateFrom(loaded.doc, (doc) => doc.getMap('canvas').set('shape:a', { x: 1 }))
    const note = updateFrom(loaded.doc, (doc) => doc.getMap('notes').set('n', 'still fine'))
    loaded.receiveUpdate(facilitator, lock, null)
    loaded.receiveUpdate(participant, move, null)
    await loaded.flush()
    expect(participant.refusals).toEqual(['map-locked'])
    expect(loaded.locked).toBe(true)
    loaded.receiveUpdate(peer('participant'), note, null)
    await loaded.flush()
    const doc = await stored()
    expect(doc.getMap('facilitation').get('locked')).toBe(true)
    expect(doc.getMap('canvas').has('shape:a')).toBe(false)
    expect(doc.getMap('notes').get('n')).toBe('still fine')
    await loaded.close()
    await store.close()
  })

  it('a map change that arrives just before the lock is kept', async () => {
    const { loaded, store, stored } = await room()
    const move = updateFrom(loaded.doc, (doc) => doc.getMap('canvas').set('shape:a', { x: 1 }))
    const lock = updateFrom(loaded.doc, (doc) => doc.getMap('facilitation').set('locked', true))
    const participant = peer('participant')
    loaded.receiveUpdate(participant, move, null)
    loaded.receiveUpdate(peer('facilitator'), lock, null)
    await loaded.flush()
    expect(participant.refusals).toEqual([])
    const doc = await stored()
    expect(doc.getMap('canvas').has('shape:a')).toBe(true)
    expect(doc.getMap('facilitation').get('locked')).toBe(true)
    await loaded.close()
    await store.close()
  })

  it('unlocking lets the next map change through, in the same turn', async () => {
    const { loaded, store, stored } = await room()
    const facilitator = peer('facilitator')
    loaded.receiveUpdate(
      facilitator,
      updateFrom(loaded.doc, (doc) => doc.getMap('facilitation').set('locked', true)),
      null,
    )
    await loaded.flush()
    const unlock = updateFrom(loaded.doc, (doc) => doc.getMap('facilitation').set('locked', false))
    const move = updateFrom(loaded.doc, (doc) => doc.getMap('canvas').set('shape:b', { x: 2 }))
    const participant = peer('participant')
    loaded.receiveUpdate(facilitator, unlock, null)
    loaded.receiveUpdate(participant, move, null)
    await loaded.flush()
    expect(participant.refusals).toEqual([])
    expect((await stored()).getMap('canvas').has('shape:b')).toBe(true)
    await loaded.close()
    await store.close()
  })

  it('a refused map change takes with it what its sender queued after it, and nothing else', async () => {
    const { loaded, store, stored } = await room()
    const facilitator = peer('facilitator')
    const participant = peer('participant')
    const other = peer('participant')
    const replica = new Y.Doc()
    const updates: Uint8Array[] = []
    replica.on('update', (update: Uint8Array) => updates.push(update))
    replica.getMap('canvas').set('shape:c', { x: 3 })
    replica.getMap('notes').set('after', 'builds on the refused one')
    loaded.receiveUpdate(
      facilitator,
      updateFrom(loaded.doc, (doc) => doc.getMap('facilitation').set('locked', true)),
      null,
    )
    for (const update of updates) loaded.receiveUpdate(participant, update, null)
    loaded.receiveUpdate(
      other,
      updateFrom(loaded.doc, (doc) => doc.getMap('notes').set('other', 'unrelated')),
      null,
    )
    await loaded.flush()
    expect(participant.refusals).toEqual(['map-locked'])
    expect(other.refusals).toEqual([])
    const doc = await stored()
    expect(doc.getMap('canvas').has('shape:c')).toBe(false)
    expect(doc.getMap('notes').has('after')).toBe(false)
    expect(doc.getMap('notes').get('other')).toBe('unrelated')
    expect(doc.store.pendingStructs).toBeNull()
    await loaded.close()
    await store.close()
  })
})
