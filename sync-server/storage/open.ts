import type { Config } from '../config.ts'
import type { DocStore } from './doc-store.ts'
import type { StoreLog } from './postgres.ts'
import { openSqliteStore } from './sqlite.ts'

export interface OpenedStore {
  readonly store: DocStore
  /** Which store and where, for logs: `sqlite /path/workspaces.sqlite` or `postgresql host:port/db schema x`. */
  readonly description: string
}

/**
 * The store the configuration asks for: PostgreSQL when `DATABASE_URL` is set (its schema
 * created or migrated first), otherwise SQLite in `DATA_DIR`. Rejects with a message naming the
 * database, never its password, when PostgreSQL cannot be reached.
 */
export async function openConfiguredStore(
  config: Pick<Config, 'databaseUrl' | 'databaseSchema' | 'dataDir' | 'sqliteSync'>,
  log?: StoreLog,
): Promise<OpenedStore> {
  if (config.databaseUrl) {
    // PostgreSQL's client loads only when it is used: the embedded default never needs it.
    const { describeDatabase, openPostgresStore } = await import('./postgres.ts')
    const store = await openPostgresStore({ url: config.databaseUrl, schema: config.databaseSchema, log })
    return {
      store,
      description: `postgresql ${describeDatabase(config.databaseUrl)} schema ${config.databaseSchema}`,
    }
  }
  return {
    store: openSqliteStore({ dataDir: config.dataDir, synchronous: config.sqliteSync }),
    description: `sqlite ${config.dataDir}/workspaces.sqlite`,
  }
}
