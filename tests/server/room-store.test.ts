import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Peer, Room } from '../../sync-server/room.ts'
import type { DocStore } from '../../sync-server/storage/doc-store.ts'
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'
import { tempDataDir } from './helpers.ts'

/** A Room over a real SQLite store, driven directly: closing, and compaction against the store. */

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const options = {
  compactAfterRows: 1000,
  compactIdleMs: 60_000,
  maxAwarenessStateBytes: 16 * 1024,
  maxAwarenessClientsPerPeer: 8,
}
const log = pino({ level: 'silent' })

function openStore(): DocStore {
  const data = tempDataDir()
  const store = openSqliteStore({ dataDir: data.dir })
  cleanups.push(data.remove, () => store.close())
  return store
}

function peer(): Peer & { frames: Uint8Array[]; closed: number[] } {
  const frames: Uint8Array[] = []
  const closed: number[] = []
  return {
    role: 'facilitator',
    frames,
    closed,
    send: (f) => frames.push(f),
    close: (code) => closed.push(code),
  }
}

/** An update adding `key` to the `actors` map, from a doc of its own. */
function edit(key: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('actors').set(key, key)
  return Y.encodeStateAsUpdate(doc)
}

const keysOf = (parts: { snapshot: Uint8Array | null; updates: readonly Uint8Array[] }) => {
  const doc = new Y.Doc()
  if (parts.snapshot) Y.applyUpdate(doc, parts.snapshot)
  for (const update of parts.updates) Y.applyUpdate(doc, update)
  return [...doc.getMap('actors').keys()].sort()
}

describe('a room and its store', () => {
  it('flush() on a closed room with an update waiting returns instead of looping forever', async () => {
    const store = openStore()
    const room = await Room.load('closed', store, options, log)
    await room.close()
    const sender = peer()
    room.receiveUpdate(sender, edit('late'), null)
    const outcome = await Promise.race([
      room.flush().then(() => 'returned'),
      new Promise((resolve) => setTimeout(() => resolve('hung'), 2000)),
    ])
    expect(outcome).toBe('returned')
    // Nothing was stored after the close; the client sends it again once it reconnects.
    expect(keysOf(await store.load('closed'))).toEqual([])
  })

  it('an update queued just before the close is committed, one after it is ignored', async () => {
    const store = openStore()
    const room = await Room.load('closing', store, options, log)
    room.join(peer())
    room.receiveUpdate(peer(), edit('before'), null)
    const closing = room.close()
    await closing
    room.receiveUpdate(peer(), edit('after'), null)
    await room.flush()
    expect(keysOf(await store.load('closing'))).toEqual(['before'])
  })

  it('compaction folds what storage has, even an update whose commit was acknowledged as failed', async () => {
    const real = openStore()
    let loseAck = false
    // An append that commits, then reports failure (the acknowledgement lost on the way back).
    const store: DocStore = {
      ...real,
      append: async (room, updates) => {
        const seq = await real.append(room, updates)
        if (loseAck) {
          loseAck = false
          throw new Error('connection lost after commit')
        }
        return seq
      },
    }
    const room = await Room.load('lost-ack', store, options, log)
    const sender = peer()
    room.join(sender)
    room.receiveUpdate(sender, edit('one'), null)
    await room.flush()
    loseAck = true
    room.receiveUpdate(sender, edit('stored-but-unacknowledged'), null)
    await room.flush()
    expect(sender.closed).toEqual([1013])
    const other = peer()
    room.join(other)
    room.receiveUpdate(other, edit('three'), null)
    await room.flush()
    await room.compact()
    const stored = await real.load('lost-ack')
    expect(stored.updates).toHaveLength(0)
    expect(keysOf(stored)).toEqual(['one', 'stored-but-unacknowledged', 'three'])
    await room.close()
  })
})
