import { statSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { SignJWT } from 'jose'
import * as decoding from 'lib0/decoding'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { Workspace } from '../../model/index.ts'
import { Auth, loadSecret } from '../../sync-server/auth.ts'
import type { Role } from '../../sync-server/write-rules.ts'
import { rawSocket, roundTrip, startTestServer, storedDoc, tempDataDir, waitFor } from './helpers.ts'

/**
 * Access over real connections: a real server in token mode (invites required), real
 * y-websocket providers carrying their token as `?token=`, real SQLite. Every role against every
 * kind of write, locked and unlocked; every kind of bad token; and for every refused write, a
 * check that it reached neither storage nor any other client.
 */

type TestServer = Awaited<ReturnType<typeof startTestServer>>

let server: TestServer
const logLines: string[] = []
const issuedTokens: string[] = []
const clients: Client[] = []

beforeAll(async () => {
  const log = pino(
    { level: 'trace', base: undefined },
    new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk))
        done()
      },
    }),
  )
  server = await startTestServer({ openAccess: false, roomIdleMs: 500 }, { log })
})
afterEach(() => {
  for (const client of clients.splice(0)) client.provider.destroy()
})
afterAll(async () => {
  await server.stop()
  // Not one token, in any log line, over everything this file did.
  const logs = logLines.join('\n')
  for (const token of issuedTokens) expect(logs).not.toContain(token)
  expect(logs).not.toMatch(/eyJ[\w-]+\.eyJ/)
})

async function tokenFor(room: string, role: Role, expiresIn = 3600, target = server): Promise<string> {
  const { token } = await target.auth.issue({ room, role, expiresIn })
  issuedTokens.push(token)
  return token
}

interface Client {
  readonly provider: WebsocketProvider
  readonly doc: Y.Doc
  readonly workspace: Workspace
  readonly refusals: { code: string; reason: string }[]
  readonly closes: { code: number; reason: string }[]
  access: { role: Role; open: boolean; room: string } | null
}

/**
 * A stock provider with a token that asks for our two server messages, as the app does, and
 * listens for them.
 */
function connect(room: string, token: string | null, target = server): Client {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(target.wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: token ? { token, messages: 'access' } : { messages: 'access' },
  })
  const client: Client = {
    provider,
    doc,
    workspace: new Workspace(doc, { participantId: `p-${doc.clientID}` }),
    refusals: [],
    closes: [],
    access: null,
  }
  const handlers = provider.messageHandlers as unknown as ((e: unknown, d: decoding.Decoder) => void)[]
  handlers[9] = (_encoder, decoder) => client.refusals.push(JSON.parse(decoding.readVarString(decoder)))
  handlers[10] = (_encoder, decoder) => {
    client.access = JSON.parse(decoding.readVarString(decoder))
  }
  provider.on('connection-close', (event) => {
    if (event) client.closes.push({ code: event.code, reason: event.reason })
  })
  clients.push(client)
  return client
}

async function connected(client: Client): Promise<Client> {
  await waitFor(() => client.provider.synced, 10_000, 'the provider to sync')
  return client
}

/** A room's document as storage holds it. */
const stored = (room: string, dataDir = server.dataDir) => storedDoc(dataDir, room)

let roomCount = 0
const freshRoom = (name: string) => `${name}-${++roomCount}-${Date.now().toString(36)}`

describe('refused at the door, before any document data', () => {
  const forge = async (claims: Record<string, unknown>, secret = 'another server entirely, 32+ chars long') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret))

  /**
   * Opens a raw socket with `token`, asking for the server's own messages (so "nothing sent"
   * holds for the app too), and returns how it closed and what it was sent.
   */
  async function attempt(room: string, token: string | null) {
    const path =
      token === null
        ? `${room}?messages=access`
        : `${room}?token=${encodeURIComponent(token)}&messages=access`
    const { closed, received } = await rawSocket(server.wsUrl, path)
    const close = await closed
    return { ...close, received }
  }

  it.each([
    ['no token', async () => null, 4401, /needs an invite link/],
    ['a malformed token', async () => 'not-a-token', 4401, /not valid/],
    [
      'a token signed with another secret (forged)',
      async (room: string) => forge({ room, role: 'facilitator', jti: 'forged-jti-123' }),
      4401,
      /not valid/,
    ],
    [
      'a viewer token edited to say facilitator (signature broken)',
      async (room: string) => {
        const [header, , signature] = (await tokenFor(room, 'viewer')).split('.')
        const payload = Buffer.from(
          JSON.stringify({ room, role: 'facilitator', jti: 'x'.repeat(22), iat: 1, exp: 9e9 }),
        ).toString('base64url')
        return `${header}.${payload}.${signature}`
      },
      4401,
      /not valid/,
    ],
    [
      'an expired token',
      async (room: string) => {
        const past = new Auth(
          loadSecret(server.dataDir).key,
          server.auth.invites,
          () => Date.now() - 7_200_000,
        )
        const { token } = await past.issue({ room, role: 'facilitator', expiresIn: 3600 })
        issuedTokens.push(token)
        return token
      },
      4401,
      /expired/,
    ],
    [
      'a withdrawn token',
      async (room: string) => {
        const token = await tokenFor(room, 'facilitator')
        const jti = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti
        await server.auth.invites.revoke(room, jti, Date.now())
        return token
      },
      4403,
      /withdrawn/,
    ],
    [
      'a token for another workspace',
      async () => tokenFor('some-other-room', 'facilitator'),
      4403,
      /another workspace/,
    ],
    [
      'a well-signed token this server never recorded',
      async (room: string) =>
        forge(
          { room, role: 'facilitator', jti: 'never-recorded-1' },
          new TextDecoder().decode(loadSecret(server.dataDir).key),
        ),
      4401,
      /not made by this server/,
    ],
  ] as const)('%s: closed with a reason, nothing sent, nothing loaded', async (_, make, code, reason) => {
    const room = freshRoom('door')
    // The room has content a refused connection must not see.
    const owner = await connected(connect(room, await tokenFor(room, 'facilitator')))
    owner.workspace.addActor({ kind: 'organisation', name: 'Private' })
    await waitFor(async () => (await stored(room)).getMap('actors').size === 1)
    const result = await attempt(room, await make(room))
    expect(result.code).toBe(code)
    expect(result.reason).toMatch(reason)
    expect(result.received).toHaveLength(0)
  })

  it('a refused connection does not load the workspace', async () => {
    const room = freshRoom('unloaded')
    const result = await attempt(room, null)
    expect(result.code).toBe(4401)
    expect(server.rooms.isLoaded(room)).toBe(false)
  })

  it('the stock provider stops retrying and reports why', async () => {
    const room = freshRoom('stops')
    const client = connect(room, await tokenFor('elsewhere', 'participant'))
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      client.provider.once('closed', (event) => resolve(event)),
    )
    expect(closed).toEqual({ code: 4403, reason: 'This invite link is for another workspace.' })
    expect(client.provider.shouldConnect).toBe(false)
  })

  it('an accepted connection that asked is told its role before any document data', async () => {
    const room = freshRoom('welcome')
    const { socket, received } = await rawSocket(
      server.wsUrl,
      `${room}?token=${await tokenFor(room, 'participant')}&messages=access`,
    )
    await waitFor(() => received.length >= 2)
    socket.close()
    expect(received[0]?.[0]).toBe(10)
    const decoder = decoding.createDecoder(received[0] as Uint8Array)
    decoding.readVarUint(decoder)
    expect(JSON.parse(decoding.readVarString(decoder))).toMatchObject({
      role: 'participant',
      room,
      open: false,
    })
    expect(received[1]?.[0]).toBe(0) // then sync step 1
  })

  it('one that did not ask is sent no role message: document data comes first', async () => {
    const room = freshRoom('stock')
    const { socket, received } = await rawSocket(
      server.wsUrl,
      `${room}?token=${await tokenFor(room, 'participant')}`,
    )
    await waitFor(() => received.length >= 1)
    socket.close()
    expect(received[0]?.[0]).toBe(0) // sync step 1
  })
})

/** One kind of write: what a client does, and how to see it in a document. */
interface Write {
  readonly name: string
  /** `me`: the writer's invite id, under which its dots go (someone else's are refused). */
  readonly write: (doc: Y.Doc, me: string) => void
  readonly visible: (doc: Y.Doc) => boolean
  /** Participants may make it (while the map is unlocked / while it is locked). */
  readonly participant: { unlocked: boolean; locked: boolean }
}

const mapOf = (doc: Y.Doc, root: string, id: string) => doc.getMap(root).get(id) as Y.Map<unknown> | undefined
const noteText = (doc: Y.Doc) => {
  const fragment = doc.getMap('notes').get('workshop') as Y.XmlFragment | undefined
  const paragraph = fragment?.get(0) as Y.XmlElement | undefined
  return paragraph?.get(0) as Y.XmlText | undefined
}

const WRITES: Write[] = [
  {
    name: 'a new actor',
    write: (doc) => {
      const actor = new Y.Map()
      actor.set('name', 'Written')
      doc.getMap('actors').set('w-actor', actor)
    },
    visible: (doc) => mapOf(doc, 'actors', 'w-actor') !== undefined,
    participant: { unlocked: true, locked: false },
  },
  {
    name: 'an actor’s field',
    write: (doc) => mapOf(doc, 'actors', 'seed-actor')?.set('name', 'Renamed'),
    visible: (doc) => mapOf(doc, 'actors', 'seed-actor')?.get('name') === 'Renamed',
    participant: { unlocked: true, locked: false },
  },
  {
    name: 'a link',
    write: (doc) => doc.getMap('links').set('w-link', new Y.Map([['from', 'seed-actor']])),
    visible: (doc) => doc.getMap('links').has('w-link'),
    participant: { unlocked: true, locked: false },
  },
  {
    name: 'a canvas record',
    write: (doc) => doc.getMap('canvas').set('shape:w', { id: 'shape:w', typeName: 'shape', x: 1 }),
    visible: (doc) => doc.getMap('canvas').has('shape:w'),
    participant: { unlocked: true, locked: false },
  },
  {
    name: 'the canvas schema stamp',
    write: (doc) => doc.getMap('meta').set('canvasSchema', { schemaVersion: 99 }),
    visible: (doc) => JSON.stringify(doc.getMap('meta').get('canvasSchema')) === '{"schemaVersion":99}',
    participant: { unlocked: true, locked: false },
  },
  {
    name: 'typing in the notes',
    write: (doc) => noteText(doc)?.insert(0, 'Typed. '),
    visible: (doc) => noteText(doc)?.toString().startsWith('Typed. ') === true,
    participant: { unlocked: true, locked: true },
  },
  {
    name: 'a vote',
    write: (doc, me) =>
      (mapOf(doc, 'quickWins', 'seed-win')?.get('votes') as Y.Map<number> | undefined)?.set(me, 2),
    visible: (doc) =>
      [...((mapOf(doc, 'quickWins', 'seed-win')?.get('votes') as Y.Map<number>)?.values() ?? [])].includes(2),
    participant: { unlocked: true, locked: true },
  },
  {
    name: 'a theme',
    write: (doc) => doc.getMap('themes').set('w-theme', new Y.Map([['title', 'Trust']])),
    visible: (doc) => doc.getMap('themes').has('w-theme'),
    participant: { unlocked: true, locked: true },
  },
  {
    name: 'the lock',
    write: (doc) =>
      doc.getMap('facilitation').set('locked', doc.getMap('facilitation').get('locked') !== true),
    visible: () => false, // depends on the room's lock: see lockVisible
    participant: { unlocked: false, locked: false },
  },
  {
    name: 'the timer',
    write: (doc) => doc.getMap('facilitation').set('timer', { durationMs: 60_000, remainingMs: 60_000 }),
    visible: (doc) => doc.getMap('facilitation').has('timer'),
    participant: { unlocked: false, locked: false },
  },
  {
    name: 'an agenda item’s title',
    write: (doc) => mapOf(doc, 'agenda', 'seed-item')?.set('title', 'Hijacked'),
    visible: (doc) => mapOf(doc, 'agenda', 'seed-item')?.get('title') === 'Hijacked',
    participant: { unlocked: false, locked: false },
  },
  {
    name: 'a new agenda item',
    write: (doc) => doc.getMap('agenda').set('w-item', new Y.Map([['title', 'Extra']])),
    visible: (doc) => doc.getMap('agenda').has('w-item'),
    participant: { unlocked: false, locked: false },
  },
  {
    name: 'the title (meta)',
    write: (doc) => doc.getMap('meta').set('title', 'Hijacked'),
    visible: (doc) => doc.getMap('meta').get('title') === 'Hijacked',
    participant: { unlocked: false, locked: false },
  },
  {
    name: 'the schema stamp (meta.schema)',
    write: (doc) => doc.getMap('meta').set('schema', { actor: 1, stamped: 'again' }),
    visible: (doc) =>
      (doc.getMap('meta').get('schema') as { stamped?: string } | undefined)?.stamped === 'again',
    participant: { unlocked: true, locked: true },
  },
  {
    // Only the document's known top-level names are open to participants: an allow-list.
    name: 'a top-level name the workspace does not have',
    write: (doc) => doc.getMap('scratch').set('x', 'anything'),
    visible: (doc) => doc.getMap('scratch').has('x'),
    participant: { unlocked: false, locked: false },
  },
]

// "The lock" is visible by its value, which depends on the room: give it its own check.
const lockWrite = WRITES.find((write) => write.name === 'the lock') as Write
const lockVisible = (locked: boolean) => (doc: Y.Doc) => doc.getMap('facilitation').get('locked') === !locked

/** A room with a facilitator's seed content (and the map locked, or not) and a watching client. */
async function seededRoom(locked: boolean) {
  const room = freshRoom(locked ? 'locked' : 'open')
  const owner = await connected(connect(room, await tokenFor(room, 'facilitator')))
  const ws = owner.workspace
  ws.updateMeta({ title: 'Seeded' })
  owner.doc.transact(() => {
    owner.doc.getMap('actors').set('seed-actor', new Y.Map([['name', 'Seed']]))
    const win = new Y.Map<unknown>([['text', 'Open the hall on Sundays']])
    win.set('votes', new Y.Map())
    owner.doc.getMap('quickWins').set('seed-win', win)
    owner.doc.getMap('agenda').set('seed-item', new Y.Map([['title', 'Welcome']]))
    const fragment = new Y.XmlFragment()
    owner.doc.getMap('notes').set('workshop', fragment)
    const paragraph = new Y.XmlElement('paragraph')
    fragment.insert(0, [paragraph])
    paragraph.insert(0, [new Y.XmlText('Notes.')])
  })
  if (locked) ws.lockMap()
  const watcher = await connected(connect(room, await tokenFor(room, 'participant')))
  await waitFor(
    () =>
      watcher.doc.getMap('agenda').has('seed-item') &&
      (watcher.doc.getMap('facilitation').get('locked') === true) === locked,
    10_000,
    'the seed to reach the watcher',
  )
  return { room, owner, watcher }
}

describe('every role against every kind of write, over real connections', () => {
  const cases = (['facilitator', 'participant', 'viewer'] as const).flatMap((role) =>
    [false, true].flatMap((locked) => WRITES.map((write) => ({ role, locked, write }))),
  )
  it.each(cases.map((c) => [c.role, c.write.name, c.locked ? 'locked' : 'unlocked', c] as const))(
    '%s: %s, map %s',
    async (_role, _name, _lock, { role, locked, write }) => {
      const { room, owner, watcher } = await seededRoom(locked)
      const token = await tokenFor(room, role)
      const writer = await connected(connect(room, token))
      expect(writer.access).toMatchObject({ role, room, open: false })
      const visible = write === lockWrite ? lockVisible(locked) : write.visible
      const allowed =
        role === 'facilitator' ||
        (role === 'participant' && write.participant[locked ? 'locked' : 'unlocked'])
      expect(visible(writer.doc)).toBe(false)

      write.write(
        writer.doc,
        JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti,
      )
      expect(visible(writer.doc)).toBe(true)

      if (allowed) {
        await waitFor(
          () => visible(watcher.doc) && visible(owner.doc),
          10_000,
          'the write to reach the others',
        )
        expect(visible(await stored(room))).toBe(true)
        expect(writer.refusals).toEqual([])
        return
      }
      await waitFor(() => writer.refusals.length > 0, 10_000, 'the refusal')
      expect(writer.refusals[0]?.code).toBe(
        role === 'viewer'
          ? 'read-only'
          : locked && write.participant.unlocked
            ? 'map-locked'
            : 'facilitators-only',
      )
      expect(writer.refusals[0]?.reason).toMatch(/\w/)
      // A later write by the facilitator reaches the watcher: by then the refused one would have.
      owner.doc.getMap('canvas').set('marker', { done: true })
      await waitFor(() => watcher.doc.getMap('canvas').has('marker'), 10_000, 'the marker')
      expect(visible(watcher.doc)).toBe(false)
      expect(visible(owner.doc)).toBe(false)
      expect(visible(await stored(room))).toBe(false)
      expect(writer.provider.wsconnected).toBe(true)
    },
  )

  it('the real client path: a participant adds an actor with the model (meta.schema stamped with it)', async () => {
    const room = freshRoom('model')
    const owner = await connected(connect(room, await tokenFor(room, 'facilitator')))
    const participant = await connected(connect(room, await tokenFor(room, 'participant')))
    participant.workspace.addActor({ kind: 'organisation', name: 'Food Bank' })
    participant.workspace.addTheme({ title: 'Trust' })
    await waitFor(
      () => new Workspace(owner.doc).actors().length === 1 && new Workspace(owner.doc).themes().length === 1,
    )
    expect(participant.refusals).toEqual([])
    expect(new Workspace(await stored(room)).actors().map((actor) => actor.name)).toEqual(['Food Bank'])
  })

  it('after a refusal, the same replica’s later edits are refused too (they build on it), never left dangling', async () => {
    const { room, owner, watcher } = await seededRoom(false)
    const writer = await connected(connect(room, await tokenFor(room, 'participant')))
    writer.doc.getMap('meta').set('title', 'Hijacked')
    await waitFor(() => writer.refusals.length === 1)
    // Allowed on its own, but its clocks follow the refused write's. The writer was told once;
    // it is not told again for each update it sent before it heard.
    writer.doc.getMap('themes').set('after', new Y.Map([['title', 'After']]))
    await roundTrip(writer.provider)
    expect(writer.refusals.map((refusal) => refusal.code)).toEqual(['facilitators-only'])
    owner.doc.getMap('canvas').set('marker', 1)
    await waitFor(() => watcher.doc.getMap('canvas').has('marker'))
    expect(watcher.doc.getMap('themes').has('after')).toBe(false)
    const inStorage = await stored(room)
    expect(inStorage.getMap('themes').has('after')).toBe(false)
    expect(inStorage.store.pendingStructs).toBeNull()
    // A fresh replica (what the client does after a refusal) edits normally.
    const fresh = await connected(connect(room, await tokenFor(room, 'participant')))
    fresh.doc.getMap('themes').set('fresh', new Y.Map([['title', 'Fresh']]))
    await waitFor(() => watcher.doc.getMap('themes').has('fresh'))
  })

  it('a viewer’s reconnection (its whole delete set in sync step 2) is not a refusal', async () => {
    const { room, owner } = await seededRoom(false)
    owner.doc.getMap('facilitation').set('timer', { durationMs: 1, remainingMs: 1 })
    owner.doc.getMap('facilitation').set('timer', { durationMs: 2, remainingMs: 2 })
    owner.doc.getMap('agenda').delete('seed-item')
    const viewer = await connected(connect(room, await tokenFor(room, 'viewer')))
    await waitFor(() => !viewer.doc.getMap('agenda').has('seed-item'))
    viewer.provider.disconnect()
    viewer.provider.connect()
    await connected(viewer)
    owner.doc.getMap('canvas').set('marker', 1)
    await waitFor(() => viewer.doc.getMap('canvas').has('marker'))
    expect(viewer.refusals).toEqual([])
  })

  it('refused writes are not in storage after a restart either', async () => {
    const data = tempDataDir()
    const first = await startTestServer({ openAccess: false, dataDir: data.dir })
    const room = 'restart-room'
    const tokens = {
      facilitator: await tokenFor(room, 'facilitator', 3600, first),
      participant: await tokenFor(room, 'participant', 3600, first),
      viewer: await tokenFor(room, 'viewer', 3600, first),
    }
    const owner = await connected(connect(room, tokens.facilitator, first))
    owner.workspace.lockMap()
    const participant = await connected(connect(room, tokens.participant, first))
    const viewer = await connected(connect(room, tokens.viewer, first))
    await waitFor(() => participant.doc.getMap('facilitation').get('locked') === true)
    participant.doc.getMap('canvas').set('shape:p', { x: 1 })
    viewer.doc.getMap('notes').set('viewer-note', new Y.XmlFragment())
    await waitFor(() => participant.refusals.length > 0 && viewer.refusals.length > 0)
    owner.doc.getMap('themes').set('kept', new Y.Map())
    await waitFor(() => participant.doc.getMap('themes').has('kept'))
    for (const client of [owner, participant, viewer]) client.provider.destroy()
    await first.close()

    const second = await startTestServer({ openAccess: false, dataDir: data.dir })
    try {
      const reader = await connected(connect(room, tokens.facilitator, second))
      expect(reader.doc.getMap('themes').has('kept')).toBe(true)
      expect(reader.doc.getMap('canvas').has('shape:p')).toBe(false)
      expect(reader.doc.getMap('notes').has('viewer-note')).toBe(false)
    } finally {
      await second.stop()
      data.remove()
    }
  })
})

describe('live changes of access', () => {
  it('withdrawing an invite closes its live connections at once, with a reason', async () => {
    const room = freshRoom('revoke')
    const facilitator = await tokenFor(room, 'facilitator')
    const create = await fetch(`${server.httpUrl}/api/rooms/${room}/invites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${facilitator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'participant', expiresIn: '2h', label: 'Table 3' }),
    })
    expect(create.status).toBe(201)
    const invite = (await create.json()) as { token: string; jti: string; link: string; expiresAt: number }
    issuedTokens.push(invite.token)
    expect(invite.link).toMatch(new RegExp(`/w/${room}#token=`))
    expect(invite.expiresAt - Date.now()).toBeGreaterThan(7_000_000)
    const [first, second] = [connect(room, invite.token), connect(room, invite.token)]
    await Promise.all([connected(first), connected(second)])
    const other = await connected(connect(room, await tokenFor(room, 'participant')))

    const revoke = await fetch(`${server.httpUrl}/api/rooms/${room}/invites/${invite.jti}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${facilitator}` },
    })
    expect(revoke.status).toBe(200)
    await waitFor(() => first.closes.length > 0 && second.closes.length > 0, 5000, 'both to close')
    expect(first.closes[0]).toEqual({ code: 4403, reason: 'The facilitator has withdrawn this invite link.' })
    expect(first.provider.shouldConnect).toBe(false)
    expect(other.provider.wsconnected).toBe(true)

    const list = await fetch(`${server.httpUrl}/api/rooms/${room}/invites`, {
      headers: { authorization: `Bearer ${facilitator}` },
    })
    const { invites } = (await list.json()) as {
      invites: { jti: string; revokedAt: number | null; label: string }[]
    }
    expect(invites.find((entry) => entry.jti === invite.jti)).toMatchObject({ label: 'Table 3' })
    expect(invites.find((entry) => entry.jti === invite.jti)?.revokedAt).toBeGreaterThan(0)
    expect(JSON.stringify(invites)).not.toContain(invite.token)
  })

  it('a connection is closed when its token expires', async () => {
    const room = freshRoom('expiry')
    const client = await connected(connect(room, await tokenFor(room, 'participant', 2)))
    await waitFor(() => client.closes.length > 0, 5000, 'the expiry')
    expect(client.closes[0]?.code).toBe(4401)
    expect(client.closes[0]?.reason).toMatch(/expired/)
  })
})

describe('the HTTP API needs a facilitator', () => {
  const get = (path: string, token?: string) =>
    fetch(`${server.httpUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })

  it('exports: 401 without a token, 403 for a participant or another room, 200 for a facilitator', async () => {
    const room = freshRoom('export')
    const owner = await connected(connect(room, await tokenFor(room, 'facilitator')))
    owner.workspace.addActor({ kind: 'organisation', name: 'Food Bank' })
    await waitFor(async () => (await stored(room)).getMap('actors').size === 1)
    const path = `/api/rooms/${room}/export?format=json`
    expect((await get(path)).status).toBe(401)
    expect((await get(path, await tokenFor(room, 'participant'))).status).toBe(403)
    expect((await get(path, await tokenFor(room, 'viewer'))).status).toBe(403)
    expect((await get(path, await tokenFor('elsewhere', 'facilitator'))).status).toBe(403)
    const ok = await get(path, await tokenFor(room, 'facilitator'))
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { actors: unknown[] }).actors).toHaveLength(1)
    // A plain download link may carry the token in the query.
    const link = await fetch(`${server.httpUrl}${path}&token=${await tokenFor(room, 'facilitator')}`)
    expect(link.status).toBe(200)
  })

  it('invites: only a facilitator of that room lists, makes or withdraws them', async () => {
    const room = freshRoom('invites')
    const path = `/api/rooms/${room}/invites`
    const participant = await tokenFor(room, 'participant')
    expect((await get(path)).status).toBe(401)
    expect((await get(path, participant)).status).toBe(403)
    const post = (token: string, body: unknown) =>
      fetch(`${server.httpUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    expect((await post(participant, { role: 'facilitator' })).status).toBe(403)
    const facilitator = await tokenFor(room, 'facilitator')
    expect((await post(facilitator, { role: 'owner' })).status).toBe(400)
    expect((await post(facilitator, { role: 'viewer', expiresIn: '900d' })).status).toBe(400)
    const made = await post(facilitator, { role: 'viewer', expiresIn: '1d' })
    expect(made.status).toBe(201)
    const { token } = (await made.json()) as { token: string }
    issuedTokens.push(token)
    const viewer = await connected(connect(room, token))
    expect(viewer.access?.role).toBe('viewer')
    const gone = await fetch(`${server.httpUrl}${path}/no-such-invite`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${facilitator}` },
    })
    expect(gone.status).toBe(404)
  })

  it('a new workspace: a facilitator of any workspace may start one and becomes its facilitator', async () => {
    const start = (token?: string) =>
      fetch(`${server.httpUrl}/api/workspaces`, {
        method: 'POST',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      })
    const refused = await start()
    expect(refused.status).toBe(401)
    expect(((await refused.json()) as { error: string }).error).toMatch(/Only a facilitator can start/)
    expect((await start(await tokenFor('anywhere', 'participant'))).status).toBe(403)
    const made = await start(await tokenFor('anywhere', 'facilitator'))
    expect(made.status).toBe(201)
    const { room, token, link } = (await made.json()) as { room: string; token: string; link: string }
    issuedTokens.push(token)
    expect(link).toContain(`/w/${room}#token=`)
    const creator = await connected(connect(room, token))
    expect(creator.access).toMatchObject({ role: 'facilitator', room })
  })
})

describe('open access mode (a trusted local network)', () => {
  it('no token makes a facilitator; a token given is still checked', async () => {
    const open = await startTestServer({ openAccess: true })
    try {
      const room = 'open-room'
      const anyone = await connected(connect(room, null, open))
      expect(anyone.access).toMatchObject({ role: 'facilitator', open: true })
      anyone.doc.getMap('facilitation').set('locked', true)
      const viewer = await connected(connect(room, await tokenFor(room, 'viewer', 3600, open), open))
      expect(viewer.access).toMatchObject({ role: 'viewer', open: false })
      viewer.doc.getMap('actors').set('x', new Y.Map())
      await waitFor(() => viewer.refusals.length > 0)
      const { closed } = await rawSocket(open.wsUrl, `${room}?token=forged.token.here`)
      expect((await closed).code).toBe(4401)
      const started = await fetch(`${open.httpUrl}/api/workspaces`, { method: 'POST' })
      expect(started.status).toBe(201)
      expect((await fetch(`${open.httpUrl}/api/rooms/${room}/export?format=json`)).status).toBe(200)
    } finally {
      await open.stop()
    }
  })
})

describe('the signing secret', () => {
  it('is made once in the data directory, readable by its owner only', async () => {
    const mode = statSync(join(server.dataDir, 'secret')).mode & 0o777
    expect(mode).toBe(0o600)
    const again = loadSecret(server.dataDir)
    expect(again.key).toEqual(loadSecret(server.dataDir).key)
  })

  it('SECRET replaces it: tokens signed with the file’s secret then fail', async () => {
    const data = tempDataDir()
    const first = await startTestServer({ openAccess: false, dataDir: data.dir })
    const oldToken = await tokenFor('room-a', 'facilitator', 3600, first)
    await first.close()
    const withSecret = await startTestServer({
      openAccess: false,
      dataDir: data.dir,
      secret: 'a-long-random-secret-from-the-environment-0123456789',
    })
    try {
      expect((await withSecret.auth.verify(oldToken, 'room-a')).ok).toBe(false)
      const token = await tokenFor('room-a', 'facilitator', 3600, withSecret)
      expect((await withSecret.auth.verify(token, 'room-a')).ok).toBe(true)
    } finally {
      await withSecret.stop()
      data.remove()
    }
    expect(() => loadSecret(data.dir, 'too short')).toThrow(/at least 32/)
  })
})
