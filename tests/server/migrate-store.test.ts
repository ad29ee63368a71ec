import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { Workspace } from '../../model/index.ts'
import { Auth } from '../../sync-server/auth.ts'
import { openConfiguredAccess } from '../../sync-server/invite-store.ts'
import { copyRooms, mergedState } from '../../sync-server/storage/copy.ts'
import { openPostgresStore } from '../../sync-server/storage/postgres.ts'
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'
import { provider, startTestServer, synced, tempDataDir, waitFor } from './helpers.ts'
import { dropSchema, freshSchemaName, TEST_DATABASE_URL, withoutPostgres } from './postgres-helpers.ts'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '../..')
const skip = withoutPostgres('the migrate-store tests on PostgreSQL')

const providers: WebsocketProvider[] = []
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy()
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const open = (wsUrl: string, room: string, doc?: Y.Doc) => {
  const p = provider(wsUrl, room, doc)
  providers.push(p)
  return p
}
const names = (doc: Y.Doc) =>
  new Workspace(doc)
    .actors()
    .map((actor) => actor.name)
    .sort()

/** `npm run migrate-store -- ...args`, with nothing taken from this test's environment. */
function migrateStore(...args: string[]) {
  return run(process.execPath, ['dist/server/migrate-store.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: '', DATABASE_SCHEMA: '' },
  })
}

/** A SQLite server with two workspaces edited by real clients; returns the doc one client keeps. */
async function sqliteWorkspaces(dataDir: string): Promise<Y.Doc> {
  const server = await startTestServer({ dataDir })
  const riverside = open(server.wsUrl, 'riverside')
  const hillside = open(server.wsUrl, 'hillside')
  await Promise.all([synced(riverside), synced(hillside)])
  const ws = new Workspace(riverside.doc)
  for (let i = 0; i < 40; i++) ws.addActor({ kind: 'organisation', name: `Org ${i}` })
  new Workspace(hillside.doc).addActor({ kind: 'funder', name: 'Hill Fund' })
  const watcher = open(server.wsUrl, 'riverside')
  await waitFor(() => names(watcher.doc).length === 40, 10_000, 'the edits to be saved')
  for (const p of providers.splice(0)) if (p !== riverside) p.destroy()
  riverside.destroy()
  await server.close()
  return riverside.doc
}

describe('copying rooms between stores', () => {
  it('copies each room as one merged snapshot, skips rooms already there, merges with force', async () => {
    const from = tempDataDir()
    const to = tempDataDir()
    cleanups.push(from.remove, to.remove)
    const client = await sqliteWorkspaces(from.dir)
    const source = openSqliteStore({ dataDir: from.dir })
    const target = openSqliteStore({ dataDir: to.dir })
    cleanups.push(
      () => source.close(),
      () => target.close(),
    )

    const morning = { id: 'morning', name: 'Morning', createdAt: 1, createdBy: null, auto: false }
    await source.saveSnapshot('riverside', morning, mergedState(await source.load('riverside')) as Uint8Array)
    const history = await source.history('riverside', { limit: 1000 })
    expect(history.length).toBeGreaterThan(0)

    const first = await copyRooms(source, target)
    expect(first).toMatchObject({ copied: ['hillside', 'riverside'], skipped: [], failed: [] })
    // Named snapshots and history go along, ids and all.
    expect(await target.listSnapshots('riverside')).toEqual([morning])
    expect(await target.snapshotState('riverside', 'morning')).toEqual(
      await source.snapshotState('riverside', 'morning'),
    )
    expect(await target.history('riverside', { limit: 1000 })).toEqual(history)
    const copied = await target.load('riverside')
    expect(copied.updates).toEqual([])
    expect(copied.snapshot).not.toBeNull()
    const doc = new Y.Doc()
    Y.applyUpdate(doc, mergedState(copied) as Uint8Array)
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(client))

    expect(await copyRooms(source, target)).toMatchObject({ copied: [], skipped: ['hillside', 'riverside'] })
    // A later edit in the source, merged in with force: nothing duplicated.
    const later = new Y.Doc()
    Y.applyUpdate(later, mergedState(await source.load('riverside')) as Uint8Array)
    const edit: Uint8Array[] = []
    later.on('update', (update: Uint8Array) => edit.push(update))
    new Workspace(later).addActor({ kind: 'funder', name: 'Late Fund' })
    await source.append('riverside', edit)
    expect(await copyRooms(source, target, { force: true, rooms: ['riverside'] })).toMatchObject({
      merged: ['riverside'],
    })
    const merged = new Y.Doc()
    Y.applyUpdate(merged, mergedState(await target.load('riverside')) as Uint8Array)
    expect(names(merged)).toEqual(names(later))
    expect(names(merged)).toHaveLength(41)
    // Merging again copies no snapshot or history entry twice.
    expect(await target.listSnapshots('riverside')).toEqual([morning])
    expect(await target.history('riverside', { limit: 1000 })).toEqual(history)
  })
})

describe.skipIf(skip)('npm run migrate-store', () => {
  it('moves a workspace from SQLite to PostgreSQL: a client that knew it reconnects without duplicates', async () => {
    const data = tempDataDir()
    cleanups.push(data.remove)
    const schema = freshSchemaName()
    cleanups.push(() => dropSchema(schema))
    const client = await sqliteWorkspaces(data.dir)

    const args = ['--data-dir', data.dir, '--database-url', TEST_DATABASE_URL, '--database-schema', schema]
    const { stdout } = await migrateStore(...args)
    expect(stdout).toMatch(
      /Moving workspaces from SQLite .*workspaces\.sqlite to PostgreSQL .*\(schema nm_test_/,
    )
    expect(stdout).toMatch(/copied {2}hillside: \d+ bytes, 0 snapshots, \d+ history entries/)
    expect(stdout).toContain('2 copied, 0 merged, 0 skipped, 0 failed')

    // Run again: nothing overwritten, and it says how to merge.
    const again = await migrateStore(...args)
    expect(again.stdout).toContain('0 copied, 0 merged, 2 skipped, 0 failed')
    expect(again.stdout).toContain('--force')

    // The server on PostgreSQL; the client edited offline meanwhile and reconnects with its own doc.
    const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema })
    // The history the SQLite server recorded came along.
    expect((await store.history('riverside', { limit: 1000 })).length).toBeGreaterThan(0)
    const server = await startTestServer({}, { store })
    cleanups.push(server.stop)
    new Workspace(client).addActor({ kind: 'resident-group', name: 'Offline edit' })
    const back = open(server.wsUrl, 'riverside', client)
    const other = open(server.wsUrl, 'riverside')
    await Promise.all([synced(back), synced(other)])
    await waitFor(() => names(other.doc).includes('Offline edit'), 10_000, 'the offline edit')
    expect(names(other.doc)).toHaveLength(41)
    expect(names(client)).toEqual(names(other.doc))
    const hill = open(server.wsUrl, 'hillside')
    await synced(hill)
    expect(names(hill.doc)).toEqual(['Hill Fund'])
  })

  it('moves back from PostgreSQL to SQLite with --from postgres', async () => {
    const data = tempDataDir()
    const back = tempDataDir()
    cleanups.push(data.remove, back.remove)
    const schema = freshSchemaName()
    cleanups.push(() => dropSchema(schema))
    const client = await sqliteWorkspaces(data.dir)
    const url = ['--database-url', TEST_DATABASE_URL, '--database-schema', schema]
    await migrateStore('--data-dir', data.dir, ...url)
    const { stdout } = await migrateStore('--from', 'postgres', '--data-dir', back.dir, ...url)
    expect(stdout).toMatch(/from PostgreSQL .* to SQLite /)
    expect(stdout).toContain('2 copied')
    const sqlite = openSqliteStore({ dataDir: back.dir })
    cleanups.push(() => sqlite.close())
    const doc = new Y.Doc()
    Y.applyUpdate(doc, mergedState(await sqlite.load('riverside')) as Uint8Array)
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(client))
    expect(names(doc)).toEqual(names(client))
  })

  it('takes the invites and their signing secret along: links made before the move work after it', async () => {
    const data = tempDataDir()
    const elsewhere = tempDataDir()
    cleanups.push(data.remove, elsewhere.remove)
    const schema = freshSchemaName()
    cleanups.push(() => dropSchema(schema))
    openSqliteStore({ dataDir: data.dir }).close()
    // The SQLite server's access: a link that works and one that was withdrawn.
    const before = await openConfiguredAccess({ dataDir: data.dir, databaseUrl: '', databaseSchema: schema })
    const auth = new Auth(before.key, before.invites)
    const kept = await auth.issue({ room: 'riverside', role: 'participant', expiresIn: 3600 })
    const withdrawn = await auth.issue({ room: 'riverside', role: 'viewer', expiresIn: 3600 })
    await before.invites.revoke('riverside', withdrawn.invite.jti, Date.now())
    await before.invites.close()

    const args = ['--data-dir', data.dir, '--database-url', TEST_DATABASE_URL, '--database-schema', schema]
    const { stdout } = await migrateStore(...args)
    expect(stdout).toContain('Invites: 2 copied, 0 already there; signing secret: copied')
    expect((await migrateStore(...args)).stdout).toContain(
      'Invites: 0 copied, 2 already there; signing secret: already the same',
    )

    // A server on PostgreSQL with a data directory of its own and no SECRET.
    const after = await openConfiguredAccess({
      dataDir: elsewhere.dir,
      databaseUrl: TEST_DATABASE_URL,
      databaseSchema: schema,
    })
    cleanups.push(() => after.invites.close())
    const moved = new Auth(after.key, after.invites)
    expect(await moved.verify(kept.token, 'riverside')).toMatchObject({ ok: true })
    expect(await moved.verify(withdrawn.token, 'riverside')).toMatchObject({
      ok: false,
      denial: { problem: 'revoked' },
    })
    expect(await after.invites.list('riverside')).toHaveLength(2)
  })

  it('says plainly what is wrong', async () => {
    await expect(migrateStore('--data-dir', '/tmp/none')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('PostgreSQL needs --database-url or DATABASE_URL'),
    })
    await expect(migrateStore('--from', 'sqlite', '--to', 'sqlite')).rejects.toMatchObject({ code: 2 })
    await expect(
      migrateStore('--data-dir', '/tmp/no-such-data-dir', '--database-url', TEST_DATABASE_URL),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('there is no workspaces.sqlite in') })
    const data = tempDataDir()
    cleanups.push(data.remove)
    openSqliteStore({ dataDir: data.dir }).close()
    const unreachable = await migrateStore(
      '--data-dir',
      data.dir,
      '--database-url',
      'postgres://postgres:hunter2@127.0.0.1:1/test',
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    )
    expect(unreachable).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/PostgreSQL is unreachable \(127\.0\.0\.1:1\/test\)/),
    })
    expect(unreachable.stderr).not.toContain('hunter2')
  })
})
