import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import * as Y from 'yjs'
import { EXPORT_FORMATS, exportDataset, isExportFormat } from '../model/formats/index.ts'
import { Id, toDataset } from '../model/index.ts'
import { openConfiguredStore } from './storage/open.ts'
import { DEFAULT_SCHEMA } from './storage/postgres.ts'

/**
 * `npm run export -- --room <room> --format <format> --out <file> [--redact] [--data-dir DIR]`:
 * exports a workspace straight from storage, with or without the server running (SQLite in WAL
 * mode lets this read beside it; PostgreSQL when DATABASE_URL is set).
 */
const usage = `usage: npm run export -- --room <room> --format <${Object.keys(EXPORT_FORMATS).join('|')}> --out <file> [--redact] [--data-dir DIR]`

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

let values: Record<string, string | boolean | undefined>
try {
  values = parseArgs({
    options: {
      room: { type: 'string' },
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
      redact: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: process.env.DATA_DIR ?? './data' },
    },
    strict: true,
  }).values
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`)
}
const room = String(values.room ?? '')
const format = String(values.format)
if (!Id.safeParse(room).success) fail(`--room must be a workspace id (letters, digits, "-" or "_")\n${usage}`)
if (!isExportFormat(format)) fail(`unknown format "${format}"\n${usage}`)
if (!values.out) fail(`--out is required\n${usage}`)

// The server's store: PostgreSQL when DATABASE_URL is set, else SQLite in --data-dir.
const { store, description } = await openConfiguredStore({
  databaseUrl: process.env.DATABASE_URL || undefined,
  databaseSchema: process.env.DATABASE_SCHEMA || DEFAULT_SCHEMA,
  dataDir: resolve(String(values['data-dir'])),
  sqliteSync: 'full',
}).catch((error: Error) => fail(error.message))
try {
  const stored = await store.load(room)
  if (stored.lastSeq === 0) fail(`there is no workspace ${room} in ${description}`)
  const doc = new Y.Doc()
  for (const update of stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates)
    Y.applyUpdate(doc, update)
  const file = exportDataset(toDataset(doc), format, { redactPersonal: Boolean(values.redact) })
  writeFileSync(String(values.out), file.body)
  console.log(`wrote ${file.filename} (${EXPORT_FORMATS[format]}) to ${values.out}`)
} finally {
  await store.close()
}
