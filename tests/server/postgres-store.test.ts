import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { DocStore } from '../../sync-server/storage/doc-store.ts'
import {
  openPostgresStore,
  SCHEMA_VERSION,
  StorageError,
  StorageUnavailableError,
} from '../../sync-server/storage/postgres.ts'
import { docStoreSuite } from './doc-store-suite.ts'
import {
  adminQuery,
  dropSchema,
  freshSchemaName,
  outageProxy,
  TEST_DATABASE_URL,
  terminateConnections,
  withoutPostgres,
} from './postgres-helpers.ts'

const skip = withoutPostgres('the PostgreSQL store tests')

/** A store on a schema of its own; its connections are named after the schema too. */
const openOn = (schema: string, url = TEST_DATABASE_URL) =>
  openPostgresStore({ url, schema, applicationName: schema, connectTimeoutMs: 2000 })

/** Distinct one-entry updates, as a client's edits would be. */
function edits(count: number, tag: string): Uint8Array[] {
  const doc = new Y.Doc()
  const collected: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => collected.push(update))
  for (let i = 0; i < count; i++) doc.getMap('actors').set(`${tag}-${i}`, i)
  return collected
}

const keyOf = (update: Uint8Array) => Buffer.from(update).toString('base64')

describe.skipIf(skip)('PostgreSQL store', () => {
  docStoreSuite('PostgreSQL', async () => {
    const schema = freshSchemaName()
    const opened: DocStore[] = [await openOn(schema)]
    return {
      store: opened[0] as DocStore,
      reopen: async () => {
        const again = await openOn(schema)
        opened.push(again)
        return again
      },
      cleanup: async () => {
        for (const store of opened) await store.close()
        await dropSchema(schema)
      },
    }
  })

  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  async function fresh(): Promise<{ schema: string; store: DocStore }> {
    const schema = freshSchemaName()
    cleanups.push(() => dropSchema(schema))
    const store = await openOn(schema)
    cleanups.push(() => store.close())
    return { schema, store }
  }

  describe('schema', () => {
    it('is created once when several instances start at the same moment', async () => {
      const schema = freshSchemaName()
      cleanups.push(() => dropSchema(schema))
      const stores = await Promise.all(Array.from({ length: 6 }, () => openOn(schema)))
      for (const store of stores) cleanups.push(() => store.close())
      const versions = await adminQuery<{ version: number }>(
        `SELECT version FROM ${schema}.schema_version ORDER BY version`,
      )
      expect(versions.map((row) => row.version)).toEqual(
        Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
      )
      // And every one of them works on it.
      await Promise.all(stores.map((store, i) => store.append(`room-${i}`, edits(1, `s${i}`))))
      expect(await stores[0]?.rooms()).toHaveLength(6)
    })

    it('opens an existing schema without changing it', async () => {
      const { schema, store } = await fresh()
      await store.append('kept', edits(3, 'k'))
      const again = await openOn(schema)
      cleanups.push(() => again.close())
      expect((await again.load('kept')).updates).toHaveLength(3)
      const versions = await adminQuery(`SELECT version FROM ${schema}.schema_version`)
      expect(versions).toHaveLength(SCHEMA_VERSION)
    })

    it('refuses a database migrated by a newer server', async () => {
      const { schema } = await fresh()
      await adminQuery(`INSERT INTO ${schema}.schema_version (version, name) VALUES (99, 'from the future')`)
      await expect(openOn(schema)).rejects.toThrow(/version 99, newer than this server knows/)
    })
  })

  describe('sequence numbers', () => {
    it('two instances appending at once: every update kept, numbers per room dense and never shared', async () => {
      const { schema, store: first } = await fresh()
      const second = await openOn(schema)
      cleanups.push(() => second.close())
      const seqs = { shared: [] as number[] }
      const writer = async (store: DocStore, tag: string) => {
        const mine = edits(40, tag)
        const shared = edits(40, `${tag}-shared`)
        for (let i = 0; i < 40; i += 4) {
          await Promise.all([
            store.append(`own-${tag}`, mine.slice(i, i + 4)),
            store.append('shared', shared.slice(i, i + 4)).then((seq) => seqs.shared.push(seq)),
          ])
        }
        return { mine, shared }
      }
      const [a, b] = await Promise.all([writer(first, 'a'), writer(second, 'b')])
      expect((await first.load('own-a')).updates).toEqual(a.mine)
      expect((await first.load('own-b')).updates).toEqual(b.mine)
      const shared = await second.load('shared')
      expect(new Set(shared.updates.map(keyOf))).toEqual(new Set([...a.shared, ...b.shared].map(keyOf)))
      expect(shared.lastSeq).toBe(80)
      // Each batch of four got its own block of numbers.
      expect([...seqs.shared].sort((x, y) => x - y)).toEqual(
        Array.from({ length: 20 }, (_, i) => (i + 1) * 4),
      )
    })
  })

  describe('connection failures', () => {
    it('a backend terminated mid-run: appends carry on after reconnecting, nothing acknowledged is lost', async () => {
      const schema = freshSchemaName()
      cleanups.push(() => dropSchema(schema))
      const warnings: string[] = []
      const note = (_details: object, message: string) => warnings.push(message)
      const store = await openPostgresStore({
        url: TEST_DATABASE_URL,
        schema,
        applicationName: schema,
        log: { warn: note, error: note },
      })
      cleanups.push(() => store.close())
      const acknowledged = new Map<string, Set<string>>()
      const refusals: Error[] = []
      let writing = true
      const writer = async (room: string) => {
        const mine = edits(120, room)
        acknowledged.set(room, new Set())
        for (let i = 0; i < mine.length; i += 3) {
          const batch = mine.slice(i, i + 3)
          try {
            await store.append(room, batch)
            for (const update of batch) acknowledged.get(room)?.add(keyOf(update))
          } catch (error) {
            refusals.push(error as Error)
          }
        }
      }
      const terminator = (async () => {
        let terminated = 0
        while (writing) {
          terminated += await terminateConnections(schema)
          await new Promise((resolve) => setTimeout(resolve, 15))
        }
        return terminated
      })()
      await Promise.all(['north', 'south', 'east', 'west'].map(writer))
      writing = false
      expect(await terminator).toBeGreaterThan(0)
      // The store saw its connections die (and retried or replaced them) rather than crash.
      expect(warnings.length).toBeGreaterThan(0)

      for (const error of refusals) expect(error.message).toMatch(/PostgreSQL/)
      for (const [room, keys] of acknowledged) {
        const stored = new Set((await store.load(room)).updates.map(keyOf))
        const lost = [...keys].filter((key) => !stored.has(key))
        expect(lost, room).toEqual([])
      }
      // The store is still usable afterwards.
      await expect(store.append('north', edits(1, 'after'))).resolves.toBeGreaterThan(0)
    })

    it('PostgreSQL gone: calls reject with a clear error (no password in it), the process lives on, and it recovers', async () => {
      const { schema } = await fresh()
      const proxy = await outageProxy()
      cleanups.push(proxy.close)
      const url = new URL(proxy.url())
      url.password = 'not-a-real-secret'
      const store = await openPostgresStore({
        url: url.toString(),
        schema,
        applicationName: schema,
        connectTimeoutMs: 1000,
      })
      cleanups.push(() => store.close())
      const first = edits(2, 'before')
      await store.append('room', first)

      await proxy.cut()
      const refused = await store.append('room', edits(1, 'during')).then(
        () => null,
        (error: Error) => error,
      )
      expect(refused).toBeInstanceOf(StorageUnavailableError)
      expect(refused?.message).toMatch(
        /^PostgreSQL is unreachable \(127\.0\.0\.1:\d+\/\w+\), could not append/,
      )
      expect(refused?.message).not.toContain('not-a-real-secret')
      await expect(store.check()).rejects.toBeInstanceOf(StorageUnavailableError)
      await expect(store.load('room')).rejects.toThrow(/PostgreSQL is unreachable/)

      await proxy.restore()
      const later = edits(1, 'after')
      await store.append('room', later)
      await expect(store.check()).resolves.toBeUndefined()
      const loaded = await store.load('room')
      expect(loaded.updates.map(keyOf)).toEqual([...first, ...later].map(keyOf))
    })

    it('an unreachable PostgreSQL at start is a clear error, not a hang or a crash', async () => {
      const proxy = await outageProxy()
      const url = proxy.url()
      await proxy.close()
      const started = Date.now()
      const opening = openPostgresStore({ url, schema: freshSchemaName(), connectTimeoutMs: 1000 })
      await expect(opening).rejects.toBeInstanceOf(StorageUnavailableError)
      await expect(opening).rejects.toThrow(/PostgreSQL is unreachable \(127\.0\.0\.1:\d+\/\w+\)/)
      expect(Date.now() - started).toBeLessThan(5000)
    })

    it('a statement PostgreSQL refuses is a StorageError naming what failed', async () => {
      const { schema, store } = await fresh()
      await adminQuery(`DROP TABLE ${schema}.updates`)
      await expect(store.append('room', edits(1, 'x'))).rejects.toBeInstanceOf(StorageError)
      await expect(store.append('room', edits(1, 'x'))).rejects.toThrow(
        /PostgreSQL \(.*\) failed to append updates: relation .* does not exist/,
      )
    })
  })
})
