import type { ChildProcess } from 'node:child_process'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { Workspace } from '../../model/index.ts'
import type { Role } from '../../sync-server/write-rules.ts'
import {
  exited,
  killMidStream,
  provider,
  roundTrip,
  spawnServer,
  startTestServer,
  synced,
  tempDataDir,
  waitFor,
} from './helpers.ts'
import { dropSchema, freshSchemaName, TEST_DATABASE_URL, withoutPostgres } from './postgres-helpers.ts'

/**
 * Change over time (issue 17) against real servers: snapshots saved, listed, fetched and
 * restored over HTTP with real invite tokens, the restore received by connected stock
 * providers, history recorded at commit time with the right person and records, and all of it
 * still there after a restart and a kill -9 of a server process.
 */

type TestServer = Awaited<ReturnType<typeof startTestServer>>
let server: TestServer
const providers: WebsocketProvider[] = []
const children: ChildProcess[] = []
const cleanups: (() => void)[] = []
const asyncCleanups: (() => Promise<void>)[] = []
const skipPostgres = withoutPostgres('the change-over-time tests on PostgreSQL')

beforeAll(async () => {
  server = await startTestServer({ openAccess: false, roomIdleMs: 300 })
})
afterEach(() => {
  for (const p of providers.splice(0)) p.destroy()
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const cleanup of cleanups.splice(0)) cleanup()
})
afterEach(async () => {
  for (const cleanup of asyncCleanups.splice(0)) await cleanup()
})
afterAll(async () => {
  await server.stop()
})

let roomCount = 0
const freshRoom = (name: string) => `${name}-${++roomCount}-${Date.now().toString(36)}`

async function invite(room: string, role: Role, label: string) {
  const { token, invite } = await server.auth.issue({ room, role, expiresIn: 3600, label })
  return { token, jti: invite.jti }
}

/** A stock provider with a token, showing a display name in its presence as the app does. */
function connect(baseUrl: string, room: string, token: string | null, name?: string): WebsocketProvider {
  const doc = new Y.Doc()
  const p = new WebsocketProvider(baseUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    ...(token ? { params: { token } } : {}),
  })
  if (name) p.awareness.setLocalStateField('user', { id: `device-${doc.clientID}`, name, colour: '#123456' })
  providers.push(p)
  return p
}

interface Item {
  id: string
  name: string
  createdAt: number
  createdBy: { name: string; role: string } | null
  auto: boolean
}
interface Entry {
  at: number
  by: { id: string; name: string; role: string } | null
  changes: { kind: string; id: string; label: string; change: string }[]
}
/** Every answer's fields, as the API sends them (each call reads those of its route). */
interface Answer {
  snapshot: Item
  snapshots: Item[]
  before: Item
  entries: Entry[]
  error: string
}

async function call(
  baseUrl: string,
  path: string,
  token: string | null,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; json: Answer; bytes: Uint8Array }> {
  const headers: Record<string, string> = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined
      ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
      : {}),
  })
  const bytes = new Uint8Array(await response.arrayBuffer())
  const type = response.headers.get('content-type') ?? ''
  return {
    status: response.status,
    json: (type.includes('json') ? JSON.parse(new TextDecoder().decode(bytes)) : null) as Answer,
    bytes,
  }
}

const names = (doc: Y.Doc) =>
  new Workspace(doc)
    .actors()
    .map((actor) => actor.name)
    .sort()

describe('snapshots, restore and history over HTTP', () => {
  it('facilitators save and restore, everyone lists and fetches, a restore reaches connected devices and is recorded', async () => {
    const room = freshRoom('riverside')
    const facilitator = await invite(room, 'facilitator', 'Workshop lead')
    const participant = await invite(room, 'participant', 'Tuesday group')
    const viewer = await invite(room, 'viewer', 'Projector')
    const base = `/api/workspaces/${room}`

    const ben = connect(server.wsUrl, room, participant.token, 'Ben Okafor')
    const watcher = connect(server.wsUrl, room, viewer.token)
    await Promise.all([synced(ben), synced(watcher)])
    const ws = new Workspace(ben.doc, { authorId: participant.jti })
    const foodBank = ws.addActor({ kind: 'organisation', name: 'Food bank' })
    const council = ws.addActor({ kind: 'statutory-service', name: 'Council' })
    const referral = ws.connect({ from: council.id, to: foodBank.id, kind: 'referral' })
    await roundTrip(ben)

    // Saving: facilitators only, with a name of 1 to 120 characters.
    for (const who of [participant, viewer]) {
      const refused = await call(server.httpUrl, `${base}/snapshots`, who.token, {
        method: 'POST',
        body: { name: 'Mine' },
      })
      expect(refused.status).toBe(403)
      expect(refused.json.error).toMatch(/facilitator/)
    }
    expect(
      (await call(server.httpUrl, `${base}/snapshots`, null, { method: 'POST', body: { name: 'x' } })).status,
    ).toBe(401)
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(121) }, 'not json']) {
      const bad = await call(server.httpUrl, `${base}/snapshots`, facilitator.token, { method: 'POST', body })
      expect(bad.status).toBe(400)
      expect(bad.json.error).toMatch(/1 to 120 characters/)
    }
    const saved = await call(server.httpUrl, `${base}/snapshots`, facilitator.token, {
      method: 'POST',
      body: { name: 'Workshop 1, 20 October' },
    })
    expect(saved.status).toBe(201)
    const morning = saved.json.snapshot
    expect(morning).toEqual({
      id: expect.any(String),
      name: 'Workshop 1, 20 October',
      createdAt: expect.any(Number),
      createdBy: { name: 'Workshop lead', role: 'facilitator' },
      auto: false,
    })

    // Listing and fetching: any member, viewers too.
    const listed = await call(server.httpUrl, `${base}/snapshots`, viewer.token)
    expect(listed.status).toBe(200)
    expect(listed.json.snapshots).toEqual([morning])
    const state = await call(server.httpUrl, `${base}/snapshots/${morning.id}/state`, viewer.token)
    expect(state.status).toBe(200)
    const opened = new Y.Doc()
    Y.applyUpdate(opened, state.bytes)
    expect(names(opened)).toEqual(['Council', 'Food bank'])
    expect((await call(server.httpUrl, `${base}/snapshots/nope/state`, viewer.token)).status).toBe(404)
    expect(
      (await call(server.httpUrl, `${base}/snapshots/nope/restore`, facilitator.token, { method: 'POST' }))
        .status,
    ).toBe(404)
    // A token of another workspace gets nothing of this one.
    const stranger = await invite(freshRoom('elsewhere'), 'facilitator', '')
    expect((await call(server.httpUrl, `${base}/snapshots`, stranger.token)).status).toBe(403)

    // The afternoon: Council removed (with its link), Food bank renamed, Library added.
    ws.removeActor(council.id)
    ws.updateActor(foodBank.id, { name: 'Riverside food bank' })
    const library = ws.addActor({ kind: 'space', name: 'Library' })
    await roundTrip(ben)
    await waitFor(() => names(watcher.doc).includes('Library'), 5000, 'the viewer to see the afternoon')

    for (const who of [participant, viewer]) {
      const refused = await call(server.httpUrl, `${base}/snapshots/${morning.id}/restore`, who.token, {
        method: 'POST',
      })
      expect(refused.status).toBe(403)
    }
    const restored = await call(
      server.httpUrl,
      `${base}/snapshots/${morning.id}/restore`,
      facilitator.token,
      {
        method: 'POST',
      },
    )
    expect(restored.status).toBe(200)
    const before = restored.json.before
    expect(before).toMatchObject({ name: 'Before restoring Workshop 1, 20 October', auto: true })

    // Every connected device receives the restore as an ordinary update.
    for (const p of [watcher, ben]) {
      await waitFor(() => names(p.doc).join() === 'Council,Food bank', 5000, 'the restore to arrive')
      expect(new Workspace(p.doc).link(referral.id)?.from).toBe(council.id)
    }
    const list = (await call(server.httpUrl, `${base}/snapshots`, participant.token)).json.snapshots
    expect(list.map((item: { id: string }) => item.id)).toEqual([before.id, morning.id])

    // History: newest first, who (invite id, the name they gave, role) and which records.
    const history = await call(server.httpUrl, `${base}/history`, viewer.token)
    expect(history.status).toBe(200)
    const [restore, ...earlier] = history.json.entries as [Entry, ...Entry[]]
    expect(restore.by).toEqual({ id: facilitator.jti, name: 'Workshop lead', role: 'facilitator' })
    const changeOf = (entry: Entry, id: string) => entry.changes.find((change) => change.id === id)
    expect(changeOf(restore, council.id)).toMatchObject({ kind: 'actor', change: 'added', label: 'Council' })
    expect(changeOf(restore, library.id)).toMatchObject({
      kind: 'actor',
      change: 'removed',
      label: 'Library',
    })
    expect(changeOf(restore, foodBank.id)).toMatchObject({ kind: 'actor', change: 'changed' })
    expect(changeOf(restore, referral.id)).toMatchObject({
      kind: 'link',
      change: 'added',
      label: 'Council → Food bank',
    })
    for (const entry of earlier) {
      expect(entry.by).toEqual({ id: participant.jti, name: 'Ben Okafor', role: 'participant' })
    }
    const bens = earlier.flatMap((entry: { changes: { id: string; change: string }[] }) =>
      entry.changes.map((change) => `${change.change} ${change.id}`),
    )
    expect(bens).toEqual(
      expect.arrayContaining([
        `added ${foodBank.id}`,
        `added ${council.id}`,
        `added ${referral.id}`,
        `removed ${council.id}`,
        `removed ${referral.id}`,
        `changed ${foodBank.id}`,
        `added ${library.id}`,
      ]),
    )
    for (const entry of history.json.entries) expect(entry.at).toBeGreaterThan(0)
    const ats = history.json.entries.map((entry: { at: number }) => entry.at)
    expect([...ats].sort((a, b) => b - a)).toEqual(ats)

    // By record, by person, and a limit.
    const ofCouncil = (await call(server.httpUrl, `${base}/history?record=${council.id}`, participant.token))
      .json.entries
    expect(ofCouncil.map((entry: Entry) => changeOf(entry, council.id)?.change)).toEqual([
      'added',
      'removed',
      'added',
    ])
    const bensOnly = (
      await call(server.httpUrl, `${base}/history?by=${participant.jti}&limit=2`, viewer.token)
    ).json.entries
    expect(bensOnly).toHaveLength(2)
    for (const entry of bensOnly) expect(entry.by?.id).toBe(participant.jti)
    expect((await call(server.httpUrl, `${base}/history?limit=0`, viewer.token)).status).toBe(400)
    expect((await call(server.httpUrl, `${base}/history`, null)).status).toBe(401)

    // Restoring `before` undoes the restore.
    const undo = await call(server.httpUrl, `${base}/snapshots/${before.id}/restore`, facilitator.token, {
      method: 'POST',
    })
    expect(undo.status).toBe(200)
    await waitFor(
      () => names(watcher.doc).join() === 'Library,Riverside food bank',
      5000,
      'the undo to arrive',
    )
  })

  it('saves from storage when the workspace is not loaded, and answers 404 for a workspace never written', async () => {
    const room = freshRoom('quiet')
    const facilitator = await invite(room, 'facilitator', 'Lead')
    const p = connect(server.wsUrl, room, facilitator.token)
    await synced(p)
    new Workspace(p.doc).addActor({ kind: 'funder', name: 'Trust fund' })
    await roundTrip(p)
    p.destroy()
    await waitFor(() => !server.rooms.isLoaded(room), 5000, 'the room to unload')
    const saved = await call(server.httpUrl, `/api/workspaces/${room}/snapshots`, facilitator.token, {
      method: 'POST',
      body: { name: 'After the meeting' },
    })
    expect(saved.status).toBe(201)
    const state = await call(
      server.httpUrl,
      `/api/workspaces/${room}/snapshots/${saved.json.snapshot.id}/state`,
      facilitator.token,
    )
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state.bytes)
    expect(names(doc)).toEqual(['Trust fund'])

    const empty = freshRoom('empty')
    const lead = await invite(empty, 'facilitator', 'Lead')
    const none = await call(server.httpUrl, `/api/workspaces/${empty}/snapshots`, lead.token, {
      method: 'POST',
      body: { name: 'Nothing' },
    })
    expect(none.status).toBe(404)
    expect((await call(server.httpUrl, `/api/workspaces/${empty}/snapshots`, lead.token)).json).toEqual({
      snapshots: [],
    })
  })
})

/**
 * A server process on `env`'s store: snapshots and history saved, the process killed with
 * SIGKILL mid-stream, then restarted twice (after a restore, cleanly).
 */
async function survivesTheProcess(env: Record<string, string>): Promise<void> {
  const data = tempDataDir()
  cleanups.push(data.remove)
  {
    const first = await spawnServer(data.dir, 0, env)
    children.push(first.child)
    const room = 'durable-history'
    const writer = provider(first.wsUrl, room)
    providers.push(writer)
    await synced(writer)
    const ws = new Workspace(writer.doc)
    for (let i = 0; i < 5; i++) ws.addActor({ kind: 'organisation', name: `Early ${i}` })
    await roundTrip(writer)
    const saved = await call(first.httpUrl, `/api/workspaces/${room}/snapshots`, null, {
      method: 'POST',
      body: { name: 'Five actors' },
    })
    expect(saved.status).toBe(201)
    writer.destroy()

    // kill -9 in the middle of a stream of edits: history was written with each commit.
    const seen = await killMidStream(first, room)
    const second = await spawnServer(data.dir, 0, env)
    children.push(second.child)
    const listed = await call(second.httpUrl, `/api/workspaces/${room}/snapshots`, null)
    expect(listed.json.snapshots.map((item: { name: string }) => item.name)).toEqual(['Five actors'])
    const history = (await call(second.httpUrl, `/api/workspaces/${room}/history?limit=500`, null)).json
      .entries
    const added = new Set<string>(
      history.flatMap((entry: { changes: { label: string; change: string }[] }) =>
        entry.changes.filter((change) => change.change === 'added').map((change) => change.label),
      ),
    )
    const missing = [...seen].filter((name) => !added.has(name))
    expect(missing).toEqual([])
    for (let i = 0; i < 5; i++) expect(added.has(`Early ${i}`)).toBe(true)

    // The restore works on the restarted server and reaches a connected device.
    const watcher = provider(second.wsUrl, room)
    providers.push(watcher)
    await synced(watcher)
    const recovered = names(watcher.doc).length
    expect(recovered).toBeGreaterThanOrEqual(seen.size)
    const restored = await call(
      second.httpUrl,
      `/api/workspaces/${room}/snapshots/${saved.json.snapshot.id}/restore`,
      null,
      { method: 'POST' },
    )
    expect(restored.status).toBe(200)
    await waitFor(() => names(watcher.doc).length === 5, 10_000, 'the restore to arrive')

    // And after a clean restart, both snapshots and the restore's history are there.
    second.child.kill('SIGTERM')
    await exited(second.child)
    const third = await spawnServer(data.dir, 0, env)
    children.push(third.child)
    const after = (await call(third.httpUrl, `/api/workspaces/${room}/snapshots`, null)).json.snapshots
    expect(after.map((item: { name: string; auto: boolean }) => [item.name, item.auto])).toEqual([
      ['Before restoring Five actors', true],
      ['Five actors', false],
    ])
    const [latest] = (await call(third.httpUrl, `/api/workspaces/${room}/history?limit=1`, null)).json
      .entries as [Entry]
    expect(latest.by?.role).toBe('facilitator')
    expect(latest.changes.filter((change: { change: string }) => change.change === 'removed').length).toBe(
      recovered - 5,
    )
    const before = await call(third.httpUrl, `/api/workspaces/${room}/snapshots/${after[0]?.id}/state`, null)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, before.bytes)
    expect(names(doc).length).toBeGreaterThan(5)
  }
}

describe('snapshots and history survive the server process', () => {
  it('on SQLite, after a kill -9 and a restart: snapshots listed and restorable, history of every edit anyone saw', async () => {
    await survivesTheProcess({})
  }, 90_000)

  it.skipIf(skipPostgres)(
    'on PostgreSQL, the same',
    async () => {
      const schema = freshSchemaName()
      asyncCleanups.push(() => dropSchema(schema))
      await survivesTheProcess({ DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema })
    },
    90_000,
  )
})

const TEST_REDIS_URL = process.env.TEST_REDIS_URL || process.env.REDIS_URL || ''

describe.skipIf(skipPostgres || !TEST_REDIS_URL)('with several instances (PostgreSQL and Redis)', () => {
  it('a restore made through one instance reaches devices on another, and is recorded once', async () => {
    const schema = freshSchemaName()
    asyncCleanups.push(() => dropSchema(schema))
    const data = tempDataDir()
    cleanups.push(data.remove)
    const env = {
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `nmtest:${Date.now().toString(36)}:`,
    }
    const one = await spawnServer(data.dir, 0, env)
    children.push(one.child)
    const two = await spawnServer(data.dir, 0, env)
    children.push(two.child)
    const room = 'shared-history'
    const writer = provider(one.wsUrl, room)
    const reader = provider(two.wsUrl, room)
    providers.push(writer, reader)
    await Promise.all([synced(writer), synced(reader)])
    const ws = new Workspace(writer.doc)
    const school = ws.addActor({ kind: 'organisation', name: 'School' })
    ws.addActor({ kind: 'funder', name: 'Fund' })
    await waitFor(() => names(reader.doc).length === 2, 10_000, 'the actors on the other instance')
    const saved = await call(two.httpUrl, `/api/workspaces/${room}/snapshots`, null, {
      method: 'POST',
      body: { name: 'Both' },
    })
    expect(saved.status).toBe(201)
    ws.removeActor(school.id)
    await waitFor(() => names(reader.doc).join() === 'Fund', 10_000, 'the removal on the other instance')

    const restored = await call(
      two.httpUrl,
      `/api/workspaces/${room}/snapshots/${saved.json.snapshot.id}/restore`,
      null,
      {
        method: 'POST',
      },
    )
    expect(restored.status).toBe(200)
    await waitFor(
      () => names(writer.doc).join() === 'Fund,School',
      10_000,
      'the restore on the first instance',
    )
    const history = (await call(one.httpUrl, `/api/workspaces/${room}/history`, null)).json.entries
    const schoolAdded = history.filter((entry) =>
      entry.changes.some((change) => change.id === school.id && change.change === 'added'),
    )
    // Added by the writer, and again by the restore: two entries, not one per instance.
    expect(schoolAdded).toHaveLength(2)
    const listed = (await call(one.httpUrl, `/api/workspaces/${room}/snapshots`, null)).json.snapshots
    expect(listed.map((item) => item.name)).toEqual(['Before restoring Both', 'Both'])
  }, 60_000)
})
