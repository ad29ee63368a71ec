import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openSqliteInviteStore } from './invite-store.ts'
import { openPostgresInviteStore } from './invite-store-postgres.ts'
import { copyRooms } from './storage/copy.ts'
import { type AccessCopy, copyInvites, secretIntoDataDir, secretIntoPostgres } from './storage/copy-access.ts'
import type { DocStore } from './storage/doc-store.ts'
import { DEFAULT_SCHEMA, describeDatabase, openPostgresStore } from './storage/postgres.ts'
import { openSqliteStore } from './storage/sqlite.ts'

/**
 * `npm run migrate-store`: moves workspaces between stores, by default from the SQLite file in
 * DATA_DIR to the PostgreSQL at DATABASE_URL (`--from postgres --to sqlite` for the way back).
 * Each room is copied as one merged snapshot of its CRDT state; rooms the target already has are
 * skipped unless --force (which merges). The invites the source's server issued, and the secret
 * that signed them, go along (unless --no-invites), so links made before the move keep working.
 * Stop the server first.
 */
const usage = `usage: npm run migrate-store -- [--from sqlite|postgres] [--to postgres|sqlite] [--data-dir DIR]
         [--database-url URL] [--database-schema NAME] [--room ROOM]... [--force] [--no-invites]

Copies every workspace (or each --room) from one store to the other, as one merged snapshot each.
Defaults: --from sqlite --to postgres, --data-dir $DATA_DIR or ./data, --database-url $DATABASE_URL,
--database-schema $DATABASE_SCHEMA or ${DEFAULT_SCHEMA}. Rooms already in the target are skipped;
--force merges them instead (edits on both sides are kept). The invites (of those rooms) and the
secret that signed their links go along unless --no-invites. Stop the server before running this.`

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

let values: ReturnType<typeof parse>
function parse() {
  return parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      'data-dir': { type: 'string', default: process.env.DATA_DIR || './data' },
      'database-url': { type: 'string', default: process.env.DATABASE_URL || '' },
      'database-schema': { type: 'string', default: process.env.DATABASE_SCHEMA || DEFAULT_SCHEMA },
      room: { type: 'string', multiple: true },
      force: { type: 'boolean', default: false },
      'no-invites': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }).values
}
try {
  values = parse()
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`)
}
if (values.help) {
  console.log(usage)
  process.exit(0)
}
const kinds = ['sqlite', 'postgres'] as const
type Kind = (typeof kinds)[number]
const isKind = (value: string): value is Kind => (kinds as readonly string[]).includes(value)
// Either flag alone implies the other: the move is always between the two stores.
const from = values.from ?? (values.to === 'sqlite' ? 'postgres' : 'sqlite')
const to = values.to ?? (from === 'postgres' ? 'sqlite' : 'postgres')
if (!isKind(from) || !isKind(to)) fail(`--from and --to are "sqlite" or "postgres"\n${usage}`)
if (from === to) fail(`--from and --to are both ${from}: nothing to move\n${usage}`)
const databaseUrl = values['database-url']
if (!databaseUrl) fail(`PostgreSQL needs --database-url or DATABASE_URL\n${usage}`)
const dataDir = resolve(values['data-dir'])
if (from === 'sqlite' && !existsSync(join(dataDir, 'workspaces.sqlite'))) {
  fail(`there is no workspaces.sqlite in ${dataDir} (give --data-dir)`)
}
const schema = values['database-schema']

const names: Record<Kind, string> = {
  sqlite: `SQLite ${dataDir}/workspaces.sqlite`,
  postgres: `PostgreSQL ${describeDatabase(databaseUrl)} (schema ${schema})`,
}
const opened: DocStore[] = []
async function open(kind: Kind): Promise<DocStore> {
  const store =
    kind === 'sqlite'
      ? openSqliteStore({ dataDir })
      : await openPostgresStore({ url: databaseUrl, schema, applicationName: 'network-map migrate-store' })
  opened.push(store)
  return store
}

const SECRET_WORDS: Record<AccessCopy['secret'], string> = {
  adopted: 'copied',
  same: 'already the same',
  none: 'none kept in the source (a server given SECRET: keep giving it the same one)',
  different:
    'the target keeps another one, so links made before the move work only if the server is given SECRET set to the old one',
}

/** The invites and the signing secret, in the same direction as the workspaces. */
async function moveAccess(): Promise<AccessCopy> {
  const sqlite = openSqliteInviteStore(dataDir)
  const postgres = await openPostgresInviteStore({
    url: databaseUrl,
    schema,
    applicationName: 'network-map migrate-store',
  })
  try {
    return from === 'sqlite'
      ? await copyInvites(sqlite, postgres, {
          rooms: values.room,
          moveSecret: secretIntoPostgres(dataDir, postgres),
        })
      : await copyInvites(postgres, sqlite, {
          rooms: values.room,
          moveSecret: secretIntoDataDir(postgres, dataDir),
        })
  } finally {
    await sqlite.close()
    await postgres.close()
  }
}

let failed = false
try {
  const source = await open(from)
  const target = await open(to)
  console.log(`Moving workspaces from ${names[from]} to ${names[to]}`)
  const summary = await copyRooms(source, target, {
    force: values.force,
    rooms: values.room,
    onRoom: (outcome) => {
      const detail =
        'bytes' in outcome
          ? `${outcome.bytes} bytes, ${outcome.snapshots} snapshots, ${outcome.history} history entries`
          : outcome.reason
      console.log(`  ${outcome.status.padEnd(7)} ${outcome.room}: ${detail}`)
    },
  })
  console.log(
    `${summary.copied.length} copied, ${summary.merged.length} merged, ${summary.skipped.length} skipped, ` +
      `${summary.failed.length} failed (${summary.bytes} bytes written)`,
  )
  if (summary.skipped.length > 0 && !values.force) {
    console.log('Skipped rooms are already in the target; run again with --force to merge them into it.')
  }
  failed = summary.failed.length > 0
  if (!values['no-invites']) {
    const access = await moveAccess()
    console.log(
      `Invites: ${access.copied} copied, ${access.present} already there; signing secret: ${SECRET_WORDS[access.secret]}`,
    )
  }
} catch (error) {
  console.error(`migrate-store: ${(error as Error).message}`)
  failed = true
} finally {
  for (const store of opened) await store.close()
}
process.exit(failed ? 1 : 0)
