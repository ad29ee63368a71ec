import { describe, expect, it } from 'vitest'
import { readConfig } from '../../sync-server/config.ts'
import { openConfiguredStore } from '../../sync-server/storage/open.ts'
import { tempDataDir } from './helpers.ts'

describe('choosing the store', () => {
  it('takes DATABASE_URL from the environment only, never a flag (it may hold a password)', () => {
    const config = readConfig([], { DATABASE_URL: 'postgres://map:pw@db.internal:5432/maps' })
    expect(config).toMatchObject({
      ok: true,
      value: { databaseUrl: 'postgres://map:pw@db.internal:5432/maps' },
    })
    expect(readConfig(['--database-url', 'postgres://x@y/z'], {})).toMatchObject({ ok: false })
  })

  it('refuses an address that is not PostgreSQL, without repeating it', () => {
    const config = readConfig([], { DATABASE_URL: 'mysql://root:secret-pw@db/maps' })
    expect(config.ok).toBe(false)
    if (!config.ok) {
      expect(config.error).toContain('databaseUrl: a postgres:// or postgresql:// URL')
      expect(config.error).not.toContain('secret-pw')
    }
  })

  it('uses SQLite in DATA_DIR when DATABASE_URL is not set', async () => {
    const data = tempDataDir()
    const config = readConfig(['--data-dir', data.dir], {})
    if (!config.ok) throw new Error(config.error)
    expect(config.value.databaseUrl).toBeUndefined()
    expect(config.value.databaseSchema).toBe('network_map')
    const { store, description } = await openConfiguredStore(config.value)
    expect(description).toBe(`sqlite ${data.dir}/workspaces.sqlite`)
    await store.close()
    data.remove()
  })
})
