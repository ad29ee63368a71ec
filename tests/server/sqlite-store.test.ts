import { openSqliteStore } from '../../sync-server/storage/sqlite.ts'
import { docStoreSuite } from './doc-store-suite.ts'
import { tempDataDir } from './helpers.ts'

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
