import { afterEach, describe, expect, it } from 'vitest'
import { Auth } from '../../sync-server/auth.ts'
import { configWith } from '../../sync-server/config.ts'
import {
  type InviteStore,
  openConfiguredAccess,
  openSqliteInviteStore,
} from '../../sync-server/invite-store.ts'
import { openPostgresInviteStore } from '../../sync-server/invite-store-postgres.ts'
import { operatorToken } from '../../sync-server/operator-link.ts'
import { tempDataDir } from './helpers.ts'
import { inviteStoreSuite } from './invite-store-suite.ts'
import {
  adminQuery,
  dropSchema,
  freshSchemaName,
  TEST_DATABASE_URL,
  withoutPostgres,
} from './postgres-helpers.ts'

/** The invite stores: SQLite (the embedded default) and PostgreSQL (shared by instances), alike. */

inviteStoreSuite('SQLite', async () => {
  const data = tempDataDir()
  const opened: InviteStore[] = [openSqliteInviteStore(data.dir)]
  return {
    store: opened[0] as InviteStore,
    again: async () => {
      const store = openSqliteInviteStore(data.dir)
      opened.push(store)
      return store
    },
    cleanup: async () => {
      for (const store of opened) await store.close()
      data.remove()
    },
  }
})

const skip = withoutPostgres('the PostgreSQL invite store tests')

describe.skipIf(skip)('PostgreSQL invites', () => {
  inviteStoreSuite('PostgreSQL', async () => {
    const schema = freshSchemaName()
    const opened: InviteStore[] = [await openPostgresInviteStore({ url: TEST_DATABASE_URL, schema })]
    return {
      store: opened[0] as InviteStore,
      again: async () => {
        const store = await openPostgresInviteStore({ url: TEST_DATABASE_URL, schema })
        opened.push(store)
        return store
      },
      cleanup: async () => {
        for (const store of opened) await store.close()
        await dropSchema(schema)
      },
    }
  })

  const cleanups: (() => unknown)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  /** The server's choice of store and key for this schema, on a data directory of its own. */
  async function access(schema: string, secret?: string) {
    const data = tempDataDir()
    const opened = await openConfiguredAccess(
      configWith({ databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, dataDir: data.dir, secret }),
    )
    cleanups.push(data.remove, () => opened.invites.close())
    return { ...opened, dataDir: data.dir }
  }

  it('instances with separate data directories share one signing secret, made once, in the database', async () => {
    const schema = freshSchemaName()
    cleanups.push(() => dropSchema(schema))
    // Started together: whichever inserts first, all read the same secret.
    const all = await Promise.all([access(schema), access(schema), access(schema)])
    const keys = new Set(all.map((each) => Buffer.from(each.key).toString('hex')))
    expect(keys.size).toBe(1)
    expect(await adminQuery(`SELECT name FROM ${schema}.secrets`)).toEqual([{ name: 'invite-signing' }])
    expect(all[0]?.description).toMatch(/key kept in the database/)
    // A token one issues, another accepts; withdrawn on one, refused on the others.
    const [a, b, c] = all.map((each) => new Auth(each.key, each.invites)) as [Auth, Auth, Auth]
    const { token, invite } = await a.issue({ room: 'shared', role: 'participant', expiresIn: 3600 })
    expect((await b.verify(token, 'shared')).ok).toBe(true)
    await c.invites.revoke('shared', invite.jti, Date.now())
    const refused = await b.verify(token, 'shared')
    expect(refused.ok || refused.denial.problem).toBe('revoked')
  })

  it('SECRET, when given, signs instead of the kept secret', async () => {
    const schema = freshSchemaName()
    cleanups.push(() => dropSchema(schema))
    const given = await access(schema, 's'.repeat(40))
    expect(Buffer.from(given.key).toString()).toBe('s'.repeat(40))
    expect(given.description).toMatch(/key from SECRET/)
    expect(await adminQuery(`SELECT name FROM ${schema}.secrets`)).toEqual([])
  })

  it('instances starting together print one operator link, not one each', async () => {
    const schema = freshSchemaName()
    cleanups.push(() => dropSchema(schema))
    const all = await Promise.all([access(schema), access(schema), access(schema)])
    const tokens = await Promise.all(all.map((each) => operatorToken(new Auth(each.key, each.invites))))
    expect(new Set(tokens).size).toBe(1)
    expect(await all[0]?.invites.list('_operator')).toHaveLength(1)
  })

  it('a database that cannot be reached is named in the error, without its password', async () => {
    const url = new URL(TEST_DATABASE_URL)
    url.password = 'hunter2-secret'
    url.port = '1'
    await expect(
      openPostgresInviteStore({ url: url.toString(), schema: freshSchemaName(), connectTimeoutMs: 1000 }),
    ).rejects.toThrow(/PostgreSQL is unreachable \(127\.0\.0\.1:1\/test\)/)
    await expect(
      openPostgresInviteStore({ url: url.toString(), schema: freshSchemaName(), connectTimeoutMs: 1000 }),
    ).rejects.not.toThrow(/hunter2/)
  })

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(
      openPostgresInviteStore({ url: TEST_DATABASE_URL, schema: 'x; drop table y' }),
    ).rejects.toThrow(/invalid PostgreSQL schema name/)
  })
})
