import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { Workspace } from '../../model/index.ts'
import { openPostgresStore } from '../../sync-server/storage/postgres.ts'
import {
  killMidStream,
  provider,
  spawnServer,
  startTestServer,
  synced,
  tempDataDir,
  waitFor,
} from './helpers.ts'
import {
  adminQuery,
  dropSchema,
  freshSchemaName,
  outageProxy,
  TEST_DATABASE_URL,
  withoutPostgres,
} from './postgres-helpers.ts'

const skip = withoutPostgres('the server tests on PostgreSQL')

const children: ChildProcess[] = []
const providers: WebsocketProvider[] = []
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy()
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const open = (wsUrl: string, room: string) => {
  const p = provider(wsUrl, room)
  providers.push(p)
  return p
}
const actorNames = (p: WebsocketProvider) => new Set(new Workspace(p.doc).actors().map((actor) => actor.name))

describe.skipIf(skip)('the server on PostgreSQL', () => {
  it('kill -9 in the middle of a stream of edits loses nothing another client had received', async () => {
    const schema = freshSchemaName()
    cleanups.push(() => dropSchema(schema))
    // The data directory holds only the TLS folder here; the workspaces are in PostgreSQL.
    const data = tempDataDir()
    cleanups.push(data.remove)
    const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema }
    const first = await spawnServer(data.dir, 0, env)
    children.push(first.child)
    const seen = await killMidStream(first, 'riverside')
    expect(seen.size).toBeGreaterThanOrEqual(150)

    const second = await spawnServer(data.dir, 0, env)
    children.push(second.child)
    const health = (await (await fetch(`${second.httpUrl}/healthz`)).json()) as { storage: string }
    expect(health.storage).toBe('ok')
    const fresh = open(second.wsUrl, 'riverside')
    await synced(fresh)
    const recovered = actorNames(fresh)
    expect([...seen].filter((name) => !recovered.has(name))).toEqual([])
    // It was PostgreSQL that kept them, not a SQLite file beside the server.
    expect(await adminQuery(`SELECT room FROM ${schema}.rooms`)).toEqual([{ room: 'riverside' }])
    expect(existsSync(join(data.dir, 'workspaces.sqlite'))).toBe(false)
  })

  it('PostgreSQL down: the editor is told to try again, nobody sees an unsaved edit, and it is saved once PostgreSQL is back', async () => {
    const schema = freshSchemaName()
    cleanups.push(() => dropSchema(schema))
    const proxy = await outageProxy()
    cleanups.push(proxy.close)
    const store = await openPostgresStore({ url: proxy.url(), schema, connectTimeoutMs: 1000 })
    const server = await startTestServer({}, { store })
    cleanups.push(server.stop)

    const editor = open(server.wsUrl, 'outage')
    const observer = open(server.wsUrl, 'outage')
    await Promise.all([synced(editor), synced(observer)])
    const closes: number[] = []
    editor.on('connection-close', (event: CloseEvent | null) => {
      if (event) closes.push(event.code)
    })
    new Workspace(editor.doc).addActor({ kind: 'funder', name: 'Before' })
    await waitFor(() => actorNames(observer).has('Before'), 5000, 'the first edit')

    await proxy.cut()
    const down = await fetch(`${server.httpUrl}/healthz`)
    expect(down.status).toBe(503)
    expect(((await down.json()) as { storage: string }).storage).toBe('error')
    new Workspace(editor.doc).addActor({ kind: 'funder', name: 'During' })
    await waitFor(() => closes.includes(1013), 10_000, 'the editor to be told to try again')
    expect(actorNames(observer).has('During')).toBe(false)

    await proxy.restore()
    await waitFor(() => actorNames(observer).has('During'), 15_000, 'the edit to arrive after the outage')
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200)

    for (const p of providers.splice(0)) p.destroy()
    await server.rooms.closeAll()
    const again = await openPostgresStore({ url: TEST_DATABASE_URL, schema })
    cleanups.push(() => again.close())
    const fresh = open(server.wsUrl, 'outage')
    await synced(fresh)
    expect(actorNames(fresh)).toEqual(new Set(['Before', 'During']))
    expect(await again.rooms()).toEqual(['outage'])
  })
})
