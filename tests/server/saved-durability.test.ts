import type { ChildProcess } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { SaveTracker } from '../../client/sync/save-tracker.ts'
import { Workspace } from '../../model/index.ts'
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'
import {
  exited,
  provider,
  spawnServer,
  startTestServer,
  storedDoc,
  synced,
  tempDataDir,
  waitFor,
} from './helpers.ts'

// SQLite's default durability, 'saved': a commit is relayed once it is in the WAL, and the WAL
// is synced to disk before the client's "saved" acknowledgement (the answer to its presence
// query, read by the client's own SaveTracker here) and at the latest an interval after.

const children: ChildProcess[] = []
const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function open(wsUrl: string, room: string): WebsocketProvider {
  const p = provider(wsUrl, room)
  // The client's "saved" answer is the presence message carrying its own entry.
  p.awareness.setLocalState({ user: { name: 'tester' } })
  cleanups.push(() => p.destroy())
  return p
}

const actorNames = (p: WebsocketProvider) => new Set(new Workspace(p.doc).actors().map((actor) => actor.name))

describe("SQLite 'saved': relayed from the WAL, acknowledged once on disk", () => {
  it('relays a commit before any sync of the disk, and answers "saved" only after the sync that covers it', async () => {
    const data = tempDataDir()
    cleanups.push(data.remove)
    // No sync by the clock: every sync here is one an acknowledgement asked for.
    const store = openSqliteStore({ dataDir: data.dir, syncIntervalMs: Number.POSITIVE_INFINITY })
    const server = await startTestServer({ dataDir: data.dir }, { store })
    cleanups.push(() => server.close())
    const writer = open(server.wsUrl, 'acks')
    const reader = open(server.wsUrl, 'acks')
    await Promise.all([synced(writer), synced(reader)])

    let asking = false
    const tracker = new SaveTracker(writer.doc, writer, [], () => !asking)
    cleanups.push(() => tracker.destroy())
    const workspace = new Workspace(writer.doc)
    workspace.addActor({ kind: 'funder', name: 'Relayed unsynced' })
    await waitFor(() => actorNames(reader).has('Relayed unsynced'), 10_000, 'the relay')
    // The other client has it, and nothing asked for a sync yet: it is committed, not on disk.
    expect(store.unsyncedCommits()).toBeGreaterThan(0)
    expect(tracker.unsaved).toBeGreaterThan(0)

    let unsyncedWhenSaved: number | null = null
    tracker.subscribe(() => {
      if (tracker.unsaved === 0 && unsyncedWhenSaved === null) unsyncedWhenSaved = store.unsyncedCommits()
    })
    asking = true
    workspace.addActor({ kind: 'funder', name: 'Acknowledged' })
    await waitFor(() => unsyncedWhenSaved !== null, 10_000, 'the "saved" acknowledgement')
    // When the client was told "saved", every commit before its question was on disk.
    expect(unsyncedWhenSaved).toBe(0)
  })

  it('syncs commits nobody asked about within its interval', async () => {
    const data = tempDataDir()
    cleanups.push(data.remove)
    const store = openSqliteStore({ dataDir: data.dir, syncIntervalMs: 50 })
    const server = await startTestServer({ dataDir: data.dir }, { store })
    cleanups.push(() => server.close())
    const writer = open(server.wsUrl, 'interval')
    const reader = open(server.wsUrl, 'interval')
    await Promise.all([synced(writer), synced(reader)])
    new Workspace(writer.doc).addActor({ kind: 'funder', name: 'Unasked' })
    await waitFor(() => actorNames(reader).has('Unasked'), 10_000, 'the relay')
    await waitFor(() => store.unsyncedCommits() === 0, 10_000, 'the sync by the clock')
  })

  it('a server killed with SIGKILL after the acknowledgement loses nothing acknowledged', async () => {
    const data = tempDataDir()
    cleanups.push(data.remove)
    // As it ships: SQLITE_SYNC unset is 'saved'.
    const server = await spawnServer(data.dir)
    children.push(server.child)
    const writer = open(server.wsUrl, 'killed')
    await synced(writer)
    const tracker = new SaveTracker(writer.doc, writer, [])
    cleanups.push(() => tracker.destroy())
    const workspace = new Workspace(writer.doc)
    for (let i = 0; i < 40; i++) workspace.addActor({ kind: 'organisation', name: `Org ${i}` })
    await waitFor(() => tracker.unsaved === 0, 10_000, 'the "saved" acknowledgement')
    server.child.kill('SIGKILL')
    await exited(server.child)
    writer.destroy()

    const stored = new Workspace(await storedDoc(data.dir, 'killed'))
    const names = new Set(stored.actors().map((actor) => actor.name))
    expect([...Array(40).keys()].filter((i) => !names.has(`Org ${i}`))).toEqual([])
  })
})
