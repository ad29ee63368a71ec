import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'vitest'
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'
import { docStoreSuite } from './doc-store-suite.ts'
import { tempDataDir, waitFor } from './helpers.ts'

docStoreSuite('SQLite', async () => {
  const data = tempDataDir()
  const store = openSqliteStore({ dataDir: data.dir })
  const opened = [store]
  return {
    store,
    reopen: async () => {
      const again = openSqliteStore({ dataDir: data.dir })
      opened.push(again)
      return again
    },
    cleanup: async () => {
      for (const s of opened) await s.close()
      data.remove()
    },
  }
})

describe('SQLite: the WAL', () => {
  it('is folded into the database by the checkpointer thread, long before SQLite would in a commit', async () => {
    const data = tempDataDir()
    const store = openSqliteStore({ dataDir: data.dir })
    try {
      const file = join(data.dir, 'workspaces.sqlite')
      await store.append('folded', [new Uint8Array([1])])
      const before = statSync(file).size
      // A few hundred commits: a few hundred pages of WAL, far below the writer's own
      // checkpoint (10,000 pages). Only a checkpoint copies them into the database file.
      for (let i = 0; i < 300; i++) await store.append('folded', [new Uint8Array(200).fill(i % 256)])
      await waitFor(() => statSync(file).size > before, 10_000, 'a checkpoint')
    } finally {
      await store.close()
      data.remove()
    }
  })
})
