import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'
import { provider, rawSocket, startTestServer, synced, waitFor } from './helpers.ts'

/**
 * Limits per connection and per network address, each tripped on purpose: the offender's
 * connection is closed with a reason, and everyone else carries on.
 */

type TestServer = Awaited<ReturnType<typeof startTestServer>>
const servers: TestServer[] = []
const providers: WebsocketProvider[] = []
afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy()
  for (const server of servers.splice(0)) await server.stop()
})

async function serve(overrides: Parameters<typeof startTestServer>[0]) {
  const server = await startTestServer(overrides)
  servers.push(server)
  return server
}

const QUERY = new Uint8Array([3])

describe('per network address', () => {
  it('too many connections from one address: the extra one is closed (1013), others are not', async () => {
    const server = await serve({ maxConnectionsPerIp: 3 })
    const open = await Promise.all([1, 2, 3].map(() => rawSocket(server.wsUrl, 'crowd')))
    const extra = await rawSocket(server.wsUrl, 'crowd')
    expect(await extra.closed).toEqual({
      code: 1013,
      reason: 'too many connections from your network address',
    })
    expect(open.every(({ socket }) => socket.readyState === socket.OPEN)).toBe(true)
    open[0]?.socket.close()
    await open[0]?.closed
    await waitFor(() => server.connectionCount() === 2)
    const again = await rawSocket(server.wsUrl, 'crowd')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(again.socket.readyState).toBe(again.socket.OPEN)
    for (const { socket } of [...open, again]) socket.close()
  })

  it('behind a trusted proxy, the address is the forwarded one; otherwise the header is ignored', async () => {
    const proxied = await serve({ maxConnectionsPerIp: 1, trustProxy: true })
    const a = await rawSocket(proxied.wsUrl, 'room', { 'x-forwarded-for': '203.0.113.9, 10.0.0.1' })
    const b = await rawSocket(proxied.wsUrl, 'room', { 'x-forwarded-for': '203.0.113.9, 10.0.0.2' })
    const c = await rawSocket(proxied.wsUrl, 'room', { 'x-forwarded-for': '10.0.0.2' })
    expect((await c.closed).code).toBe(1013)
    expect(a.socket.readyState).toBe(a.socket.OPEN)
    expect(b.socket.readyState).toBe(b.socket.OPEN)

    const direct = await serve({ maxConnectionsPerIp: 1 })
    const d = await rawSocket(direct.wsUrl, 'room', { 'x-forwarded-for': '10.0.0.1' })
    const e = await rawSocket(direct.wsUrl, 'room', { 'x-forwarded-for': '10.0.0.2' })
    expect((await e.closed).code).toBe(1013)
    for (const { socket } of [a, b, d]) socket.close()
  })

  it('too many messages from one address across its connections: 1008, other addresses carry on', async () => {
    const server = await serve({
      trustProxy: true,
      messagesPerSecond: 10_000,
      messageBurst: 10_000,
      ipMessagesPerSecond: 20,
      ipMessageBurst: 40,
    })
    const flood = { 'x-forwarded-for': '198.51.100.7' }
    const [one, two] = await Promise.all([
      rawSocket(server.wsUrl, 'r', flood),
      rawSocket(server.wsUrl, 'r', flood),
    ])
    const calm = await rawSocket(server.wsUrl, 'r', { 'x-forwarded-for': '198.51.100.8' })
    for (let i = 0; i < 30; i++) {
      one.socket.send(QUERY)
      two.socket.send(QUERY)
    }
    const closed = await Promise.race([one.closed, two.closed])
    expect(closed).toEqual({ code: 1008, reason: 'too many messages from your network address' })
    for (let i = 0; i < 10; i++) calm.socket.send(QUERY)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(calm.socket.readyState).toBe(calm.socket.OPEN)
    calm.socket.close()
  })
})

describe('per connection', () => {
  it('an update over the size limit: 1009, never stored or relayed', async () => {
    const server = await serve({ maxUpdateBytes: 2048 })
    const [writer, reader] = [provider(server.wsUrl, 'big'), provider(server.wsUrl, 'big')]
    providers.push(writer, reader)
    await Promise.all([synced(writer), synced(reader)])
    const closes: { code: number; reason: string }[] = []
    writer.on('connection-close', (event) => {
      if (event) closes.push({ code: event.code, reason: event.reason })
    })
    writer.doc.getMap('notes').set('huge', 'x'.repeat(4096))
    await waitFor(() => closes.length > 0)
    expect(closes[0]).toEqual({ code: 1009, reason: 'update too large' })
    writer.destroy()
    reader.doc.getMap('notes').set('small', 'fine')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(reader.doc.getMap('notes').has('huge')).toBe(false)
    const store = openSqliteStore({ dataDir: server.dataDir })
    const { updates, snapshot } = await store.load('big')
    await store.close()
    const doc = new Y.Doc()
    for (const update of snapshot ? [snapshot, ...updates] : updates) Y.applyUpdate(doc, update)
    expect(doc.getMap('notes').has('huge')).toBe(false)
    expect(doc.getMap('notes').get('small')).toBe('fine')
  })

  it('by default a borough-sized import (one update of several MiB, sent whole) is stored and relayed', async () => {
    // The defaults, not overrides: an import of a borough's directory is a 7 MiB update.
    const server = await serve({})
    const [writer, reader] = [provider(server.wsUrl, 'borough'), provider(server.wsUrl, 'borough')]
    providers.push(writer, reader)
    await Promise.all([synced(writer), synced(reader)])
    const closes: number[] = []
    writer.on('connection-close', (event) => {
      if (event) closes.push(event.code)
    })
    const items = writer.doc.getMap('actors')
    writer.doc.transact(() => {
      for (let i = 0; i < 7000; i++) items.set(`a${i}`, `${i} ${'x'.repeat(1000)}`)
    })
    const size = Y.encodeStateAsUpdate(writer.doc).length
    expect(size).toBeGreaterThan(6 * 1024 * 1024)
    await waitFor(() => reader.doc.getMap('actors').size === 7000, 20_000, 'the import to reach the reader')
    expect(closes).toEqual([])
  })

  it('a presence state over the size limit closes that connection with a reason', async () => {
    const server = await serve({ maxAwarenessStateBytes: 256 })
    const { socket, closed } = await rawSocket(server.wsUrl, 'presence')
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 1)
    const inner = encoding.createEncoder()
    encoding.writeVarUint(inner, 1)
    encoding.writeVarUint(inner, 42)
    encoding.writeVarUint(inner, 1)
    encoding.writeVarString(inner, JSON.stringify({ user: { name: 'x'.repeat(1000) } }))
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner))
    socket.send(encoding.toUint8Array(encoder))
    expect(await closed).toMatchObject({ reason: 'awareness state too large' })
  })

  it('one connection serves one workspace: the one in its URL', async () => {
    const server = await serve({})
    const a = provider(server.wsUrl, 'first')
    providers.push(a)
    await synced(a)
    expect(new URL(a.url).pathname).toBe('/sync/first')
  })
})

describe('origins', () => {
  const attempt = (server: TestServer, origin: string, host?: string) =>
    rawSocket(server.wsUrl, 'o', { origin, ...(host ? { host } : {}) }).then(
      ({ socket }) => {
        socket.close()
        return 'open'
      },
      (error: Error) => error.message,
    )

  it('by default: the server’s own origin, and clients that send none', async () => {
    const server = await serve({})
    expect(await attempt(server, `http://127.0.0.1:${server.port}`)).toBe('open')
    expect(await attempt(server, 'http://evil.example')).toBe('HTTP 403')
    expect(await attempt(server, 'http://venue.lan:8080', 'venue.lan:8080')).toBe('open')
    const { socket } = await rawSocket(server.wsUrl, 'o')
    socket.close()
  })

  it('ALLOWED_ORIGINS adds others; * allows any', async () => {
    const listed = await serve({ allowedOrigins: ['https://map.example.org'] })
    expect(await attempt(listed, 'https://map.example.org')).toBe('open')
    expect(await attempt(listed, 'https://other.example.org')).toBe('HTTP 403')
    const any = await serve({ allowedOrigins: ['*'] })
    expect(await attempt(any, 'https://other.example.org')).toBe('open')
  })
})
