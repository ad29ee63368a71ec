import { readFileSync } from 'node:fs'
import * as decoding from 'lib0/decoding'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { DatasetSchema, Workspace } from '../../model/index.ts'
import { type Peer, Room } from '../../sync-server/room.ts'
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'
import type { Role } from '../../sync-server/write-rules.ts'
import { startTestServer, storedDoc, tempDataDir, waitFor } from './helpers.ts'

/**
 * Authorship and the vote budget, enforced by the server: real servers in token mode, real
 * y-websocket providers whose replicas write through the model with their invite's id as author
 * (as the app does), real SQLite. A refused write must reach neither storage nor anyone else.
 * Writes a well-behaved app would never send (someone else's dots, too many dots) are made on
 * the replica's document directly, as a modified client would.
 */

type TestServer = Awaited<ReturnType<typeof startTestServer>>

let server: TestServer
const clients: Client[] = []

beforeAll(async () => {
  server = await startTestServer({ openAccess: false, roomIdleMs: 500 })
})
afterEach(() => {
  for (const client of clients.splice(0)) client.provider.destroy()
})
afterAll(async () => {
  await server.stop()
})

interface Client {
  readonly provider: WebsocketProvider
  readonly doc: Y.Doc
  readonly workspace: Workspace
  /** The invite's id: this client's author id and voter key. */
  readonly jti: string
  readonly refusals: { code: string; reason: string; params?: Record<string, string | number> }[]
}

let roomCount = 0
const freshRoom = (name: string) => `${name}-${++roomCount}-${Date.now().toString(36)}`

/**
 * A provider that asks for the server's own messages and records refusals (as in
 * access.test.ts), with a workspace whose author id is its invite's id, as the app's is.
 */
async function join(room: string, role: Role): Promise<Client> {
  const { token, invite } = await server.auth.issue({ room, role, expiresIn: 3600 })
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(server.wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token, messages: 'access' },
  })
  const client: Client = {
    provider,
    doc,
    workspace: new Workspace(doc, { participantId: `p-${doc.clientID}`, authorId: invite.jti }),
    jti: invite.jti,
    refusals: [],
  }
  const handlers = provider.messageHandlers as unknown as ((e: unknown, d: decoding.Decoder) => void)[]
  handlers[9] = (_encoder, decoder) => client.refusals.push(JSON.parse(decoding.readVarString(decoder)))
  handlers[10] = () => undefined
  clients.push(client)
  await waitFor(() => provider.synced, 10_000, 'the provider to sync')
  return client
}

/** A room's document as storage holds it. */
const stored = (room: string) => storedDoc(server.dataDir, room)

/**
 * Waits until a facilitator's later write reaches `watcher`: by then anything sent before it,
 * refused or not, would have reached it too.
 */
async function settled(owner: Client, watcher: Client): Promise<void> {
  const marker = `m-${Math.random().toString(36).slice(2)}`
  owner.doc.getMap('canvas').set(marker, { done: true })
  await waitFor(() => watcher.doc.getMap('canvas').has(marker), 10_000, 'the marker')
}

/** A room with a facilitator, two participants A and B, and a quick win A added. */
async function workshop() {
  const room = freshRoom('authorship')
  const owner = await join(room, 'facilitator')
  const a = await join(room, 'participant')
  const b = await join(room, 'participant')
  const win = a.workspace.addQuickWin({ text: 'Leaflets in the GP surgery' })
  await waitFor(
    () => b.workspace.quickWin(win.id) !== undefined && owner.workspace.quickWin(win.id) !== undefined,
  )
  return { room, owner, a, b, win }
}

const votesOf = (client: Client, quickWinId: string) => client.workspace.quickWin(quickWinId)?.votes ?? {}

describe('authorship', () => {
  it('a participant’s item carries their invite’s id, as everyone sees it', async () => {
    const { room, owner, a, win } = await workshop()
    expect(win.addedBy).toBe(a.jti)
    expect(owner.workspace.quickWin(win.id)?.addedBy).toBe(a.jti)
    expect(new Workspace(await stored(room)).quickWin(win.id)?.addedBy).toBe(a.jti)
    expect(a.refusals).toEqual([])
  })

  it('another participant’s removal is refused: not stored, not relayed', async () => {
    const { room, owner, a, b, win } = await workshop()
    b.workspace.removeQuickWin(win.id)
    await waitFor(() => b.refusals.length > 0, 10_000, 'the refusal')
    expect(b.refusals[0]).toEqual({
      code: 'not-yours',
      params: { act: 'remove' },
      reason: 'Only the person who added this, or a facilitator, can remove it.',
    })
    await settled(owner, a)
    expect(a.workspace.quickWin(win.id)).toBeDefined()
    expect(owner.workspace.quickWin(win.id)).toBeDefined()
    expect(new Workspace(await stored(room)).quickWin(win.id)).toBeDefined()
  })

  it('the author’s own removal goes through', async () => {
    const { room, owner, a, win } = await workshop()
    a.workspace.removeQuickWin(win.id)
    await waitFor(() => owner.workspace.quickWin(win.id) === undefined, 10_000, 'the removal')
    expect(a.refusals).toEqual([])
    expect(new Workspace(await stored(room)).quickWin(win.id)).toBeUndefined()
  })

  it('a facilitator’s removal of a participant’s item goes through', async () => {
    const { room, owner, a, win } = await workshop()
    owner.workspace.removeQuickWin(win.id)
    await waitFor(() => a.workspace.quickWin(win.id) === undefined, 10_000, 'the removal')
    expect(owner.refusals).toEqual([])
    expect(new Workspace(await stored(room)).quickWin(win.id)).toBeUndefined()
  })

  it('anyone may change the other fields of someone else’s item (workshops co-edit)', async () => {
    const { room, a, b, win } = await workshop()
    b.workspace.updateQuickWin(win.id, { status: 'agreed', owner: 'Grace' })
    await waitFor(() => a.workspace.quickWin(win.id)?.status === 'agreed', 10_000, 'the edit')
    expect(b.refusals).toEqual([])
    expect(new Workspace(await stored(room)).quickWin(win.id)).toMatchObject({
      owner: 'Grace',
      addedBy: a.jti,
    })
  })

  it('an item with no known author (made before authorship) may be removed by any participant', async () => {
    const { room, owner, a, b } = await workshop()
    const old = owner.workspace.addEmergingModel({ name: 'Family Hub', addedBy: '' })
    await waitFor(() => b.workspace.emergingModels().some((model) => model.id === old.id))
    b.workspace.removeEmergingModel(old.id)
    await waitFor(() => a.workspace.emergingModels().length === 0, 10_000, 'the removal')
    expect(b.refusals).toEqual([])
    expect(new Workspace(await stored(room)).emergingModels()).toEqual([])
  })

  it('a theme point: only its author or a facilitator removes it, also by removing its theme', async () => {
    const { room, owner, a, b } = await workshop()
    const theme = a.workspace.addTheme({ title: 'Trust' })
    const point = a.workspace.addPoint(theme.id, { text: 'GPs refer late' })
    expect(point.addedBy).toBe(a.jti)
    await waitFor(() => b.workspace.snapshot().themes[0]?.points.length === 1)
    b.workspace.removePoint(theme.id, point.id)
    await waitFor(() => b.refusals.length > 0, 10_000, 'the refusal')
    expect(b.refusals.map((refusal) => refusal.code)).toEqual(['not-yours'])
    await settled(owner, a)
    expect(a.workspace.snapshot().themes[0]?.points).toHaveLength(1)

    // A fresh replica, as the app makes after a refusal, tries removing the whole theme.
    const c = await join(room, 'participant')
    c.workspace.removeTheme(theme.id)
    await waitFor(() => c.refusals.length > 0, 10_000, 'the refusal')
    expect(c.refusals.map((refusal) => refusal.code)).toEqual(['not-yours'])
    await settled(owner, a)
    expect(a.workspace.themes()).toHaveLength(1)

    a.workspace.removePoint(theme.id, point.id)
    await waitFor(() => owner.workspace.snapshot().themes[0]?.points.length === 0, 10_000, 'the removal')
    expect(a.refusals).toEqual([])
    expect(new Workspace(await stored(room)).snapshot().themes[0]?.points).toEqual([])
  })

  it('a participant may neither add an item as someone else nor change who added one', async () => {
    const { room, owner, a, b, win } = await workshop()
    b.workspace.addJourney({ title: 'Housing repair', addedBy: a.jti })
    await waitFor(() => b.refusals.length > 0, 10_000, 'the refusal')
    expect(b.refusals[0]?.code).toBe('not-yours')

    const c = await join(room, 'participant')
    ;(c.doc.getMap('quickWins').get(win.id) as Y.Map<unknown>).set('addedBy', c.jti)
    await waitFor(() => c.refusals.length > 0, 10_000, 'the refusal')
    expect(c.refusals[0]).toEqual({
      code: 'not-yours',
      params: { act: 'author' },
      reason: 'Who added an item cannot be changed.',
    })

    await settled(owner, a)
    expect(a.workspace.journeys()).toEqual([])
    expect(a.workspace.quickWin(win.id)?.addedBy).toBe(a.jti)
    const inStorage = new Workspace(await stored(room))
    expect(inStorage.journeys()).toEqual([])
    expect(inStorage.quickWin(win.id)?.addedBy).toBe(a.jti)
  })

  it('a participant’s import of another workshop’s board goes through, as theirs and without its dots', async () => {
    const { room, owner, b } = await workshop()
    const dataset = DatasetSchema.parse(
      JSON.parse(readFileSync(new URL('../fixtures/neighbourhood-map.json', import.meta.url), 'utf8')),
    )
    const summary = b.workspace.importDataset(dataset, { matchBy: 'name' })
    expect(summary.actorsAdded).toBe(dataset.actors.length)
    await settled(owner, b)
    expect(b.refusals).toEqual([])
    const inStorage = new Workspace(await stored(room))
    const imported = inStorage.quickWins().filter((quickWin) => quickWin.addedBy === b.jti)
    expect(imported.length).toBe(dataset.quickWins.length)
    expect(imported.every((quickWin) => Object.keys(quickWin.votes).length === 0)).toBe(true)
    expect(inStorage.journeys().every((journey) => journey.addedBy === b.jti)).toBe(true)
  })
})

describe('votes', () => {
  it('a participant votes under their invite’s id and takes their dots back', async () => {
    const { room, owner, b, win } = await workshop()
    b.workspace.vote(win.id, b.jti, 2)
    await waitFor(() => votesOf(owner, win.id)[b.jti] === 2, 10_000, 'the vote')
    b.workspace.vote(win.id, b.jti, 1)
    await waitFor(() => votesOf(owner, win.id)[b.jti] === 1, 10_000, 'the dot taken back')
    b.workspace.vote(win.id, b.jti, 0)
    await waitFor(() => votesOf(owner, win.id)[b.jti] === undefined, 10_000, 'every dot taken back')
    expect(b.refusals).toEqual([])
    expect(votesOf({ workspace: new Workspace(await stored(room)) } as Client, win.id)).toEqual({})
  })

  it('votes under another participant’s key are refused: not stored, not relayed', async () => {
    const { room, owner, a, b, win } = await workshop()
    b.workspace.vote(win.id, a.jti, 1)
    await waitFor(() => b.refusals.length > 0, 10_000, 'the refusal')
    expect(b.refusals[0]).toEqual({
      code: 'not-your-vote',
      reason: 'You can place and take back only your own dots.',
    })
    await settled(owner, a)
    expect(votesOf(a, win.id)).toEqual({})
    expect(votesOf({ workspace: new Workspace(await stored(room)) } as Client, win.id)).toEqual({})
  })

  it('taking back someone else’s dots is refused too, but removing one’s own item takes its dots with it', async () => {
    const { room, owner, a, b, win } = await workshop()
    b.workspace.vote(win.id, b.jti, 2)
    await waitFor(() => votesOf(a, win.id)[b.jti] === 2)
    a.workspace.vote(win.id, b.jti, 0)
    await waitFor(() => a.refusals.length > 0, 10_000, 'the refusal')
    expect(a.refusals[0]?.code).toBe('not-your-vote')
    await settled(owner, b)
    expect(votesOf(b, win.id)[b.jti]).toBe(2)

    // The author removes their quick win, with B's dots on it.
    const fresh = await join(room, 'participant')
    const own = fresh.workspace.addQuickWin({ text: 'Mine' })
    await waitFor(() => b.workspace.quickWin(own.id) !== undefined)
    b.workspace.vote(own.id, b.jti, 1)
    await waitFor(() => votesOf(fresh, own.id)[b.jti] === 1)
    fresh.workspace.removeQuickWin(own.id)
    await waitFor(() => owner.workspace.quickWin(own.id) === undefined, 10_000, 'the removal')
    expect(fresh.refusals).toEqual([])
  })

  it('a participant’s dots over the budget are refused; within it, and taking back, go through', async () => {
    const { room, owner, a, b, win } = await workshop()
    owner.workspace.setVoteBudget(3)
    await waitFor(() => b.workspace.facilitation().voteBudget === 3)
    const other = a.workspace.addQuickWin({ text: 'A shared contact list' })
    await waitFor(() => b.workspace.quickWin(other.id) !== undefined)
    b.workspace.vote(win.id, b.jti, 2)
    await waitFor(() => votesOf(owner, win.id)[b.jti] === 2)
    // The model refuses a dot beyond the budget, so this is a modified client writing directly.
    const tally = (b.doc.getMap('quickWins').get(other.id) as Y.Map<unknown>).get('votes') as Y.Map<number>
    tally.set(b.jti, 2)
    await waitFor(() => b.refusals.length > 0, 10_000, 'the refusal')
    expect(b.refusals[0]?.code).toBe('over-budget')
    expect(b.refusals[0]?.reason).toMatch(/3 dots/)
    expect(b.refusals[0]?.params).toEqual({ budget: 3 })
    await settled(owner, a)
    expect(votesOf(a, other.id)).toEqual({})
    expect(votesOf({ workspace: new Workspace(await stored(room)) } as Client, other.id)).toEqual({})

    // A fresh replica of B (as the app makes after a refusal) places its last dot...
    const again = await join(room, 'participant')
    again.workspace.vote(win.id, again.jti, 3)
    await waitFor(() => votesOf(owner, win.id)[again.jti] === 3, 10_000, 'the vote')
    // ...and after the facilitator lowers the budget below what it has, still takes one back.
    owner.workspace.setVoteBudget(1)
    await waitFor(() => again.workspace.facilitation().voteBudget === 1)
    again.workspace.vote(win.id, again.jti, 2)
    await waitFor(() => votesOf(owner, win.id)[again.jti] === 2, 10_000, 'the dot taken back')
    expect(again.refusals).toEqual([])
  })
})

// ---- the budget at commit time, in arrival order -------------------------------------------

function peer(role: Role, inviteId: string | null): Peer & { refusals: string[] } {
  const refusals: string[] = []
  return {
    role,
    inviteId,
    refusals,
    send(frame) {
      if (frame[0] !== 9) return
      const decoder = decoding.createDecoder(frame)
      decoding.readVarUint(decoder)
      refusals.push(JSON.parse(decoding.readVarString(decoder)).code)
    },
    close() {},
  }
}

/** An update a fresh replica of `doc` makes with `change`. */
function updateFrom(doc: Y.Doc, change: (replica: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(replica)
  change(replica)
  return Y.encodeStateAsUpdate(replica, before)
}

describe('the vote budget, within one group commit', () => {
  const dirs: { remove: () => void }[] = []
  afterAll(() => {
    for (const dir of dirs.splice(0)) dir.remove()
  })

  async function room() {
    const dir = tempDataDir()
    dirs.push(dir)
    const store = openSqliteStore({ dataDir: dir.dir })
    const loaded = await Room.load(
      'budget-order',
      store,
      {
        compactAfterRows: 1000,
        compactIdleMs: 60_000,
        maxAwarenessStateBytes: 1024,
        maxAwarenessClientsPerPeer: 4,
      },
      pino({ level: 'silent' }),
    )
    const facilitator = peer('facilitator', 'f-invite')
    loaded.receiveUpdate(
      facilitator,
      updateFrom(loaded.doc, (doc) =>
        new Workspace(doc, { authorId: 'f-invite' }).addQuickWin({ id: 'q-1', text: 'Leaflets' }),
      ),
      null,
    )
    await loaded.flush()
    return { loaded, store, facilitator }
  }
  const voteUpdate = (doc: Y.Doc, voter: string, count: number) =>
    updateFrom(doc, (replica) => new Workspace(replica).vote('q-1', voter, count))
  const budgetUpdate = (doc: Y.Doc, budget: number) =>
    updateFrom(doc, (replica) => new Workspace(replica).setVoteBudget(budget))

  it('dots that arrive just after the budget is lowered are judged by the new budget', async () => {
    const { loaded, store, facilitator } = await room()
    const lower = budgetUpdate(loaded.doc, 1)
    const vote = voteUpdate(loaded.doc, 'b-invite', 2)
    const participant = peer('participant', 'b-invite')
    loaded.receiveUpdate(facilitator, lower, null)
    loaded.receiveUpdate(participant, vote, null)
    await loaded.flush()
    expect(participant.refusals).toEqual(['over-budget'])
    expect(new Workspace(loaded.doc).quickWin('q-1')?.votes).toEqual({})
    await loaded.close()
    await store.close()
  })

  it('dots that arrive just before are kept', async () => {
    const { loaded, store, facilitator } = await room()
    const vote = voteUpdate(loaded.doc, 'b-invite', 2)
    const lower = budgetUpdate(loaded.doc, 1)
    const participant = peer('participant', 'b-invite')
    loaded.receiveUpdate(participant, vote, null)
    loaded.receiveUpdate(facilitator, lower, null)
    await loaded.flush()
    expect(participant.refusals).toEqual([])
    expect(new Workspace(loaded.doc).quickWin('q-1')?.votes).toEqual({ 'b-invite': 2 })
    await loaded.close()
    await store.close()
  })

  it('a participant’s quick succession of dots is counted together, before any is applied', async () => {
    const { loaded, store } = await room()
    const participant = peer('participant', 'b-invite')
    // One replica clicking "+" six times: each update builds on the one before, none applied yet.
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(loaded.doc))
    const updates: Uint8Array[] = []
    replica.on('update', (update: Uint8Array) => updates.push(update))
    // Written directly: the model would refuse the sixth dot itself.
    const tally = (replica.getMap('quickWins').get('q-1') as Y.Map<unknown>).get('votes') as Y.Map<number>
    for (let count = 1; count <= 6; count++) tally.set('b-invite', count)
    for (const update of updates) loaded.receiveUpdate(participant, update, null)
    await loaded.flush()
    expect(participant.refusals).toEqual(['over-budget'])
    expect(new Workspace(loaded.doc).quickWin('q-1')?.votes).toEqual({ 'b-invite': 5 })
    await loaded.close()
    await store.close()
  })
})
