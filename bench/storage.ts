/**
 * `npm run bench:storage`: append throughput of the PostgreSQL store against the SQLite store
 * (synchronous=full, the default) in the same run, with group commit as the room does it: one
 * append in flight per room, each carrying the updates that arrived meanwhile. Reported as
 * updates per second, commit latency, and the ratio PostgreSQL / SQLite.
 * Needs BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL; uses a schema of its own and drops it.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import * as Y from 'yjs'
import type { DocStore } from '../sync-server/storage/doc-store.ts'
import { describeDatabase, openPostgresStore } from '../sync-server/storage/postgres.ts'
import { openSqliteStore } from '../sync-server/storage/sqlite.ts'
import { quantile } from './proc.ts'

const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2)
const SHAPES: readonly { rooms: number; batch: number }[] = [
  { rooms: 1, batch: 1 },
  { rooms: 4, batch: 1 },
  { rooms: 4, batch: 16 },
  { rooms: 16, batch: 4 },
  { rooms: 16, batch: 32 },
]

if (!url) {
  console.log(
    'Skipping the storage bench: set BENCH_DATABASE_URL (or DATABASE_URL) to a PostgreSQL to compare.',
  )
  process.exit(0)
}

/** Small updates like a drag's: one canvas record's position, again and again. */
function dragUpdates(count: number): Uint8Array[] {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  const canvas = doc.getMap('canvas')
  for (let i = 0; i < count; i++) canvas.set(`shape:${i % 20}`, { x: i, y: i * 2, rotation: 0 })
  return updates
}
const UPDATES = dragUpdates(4096)

interface Result {
  updatesPerSecond: number
  p50: number
  p99: number
}

async function measure(store: DocStore, rooms: number, batch: number): Promise<Result> {
  const latencies: number[] = []
  let written = 0
  const deadline = performance.now() + SECONDS * 1000
  const tag = randomBytes(3).toString('hex')
  await Promise.all(
    Array.from({ length: rooms }, async (_, r) => {
      let i = 0
      while (performance.now() < deadline) {
        const updates = Array.from({ length: batch }, () => UPDATES[i++ % UPDATES.length] as Uint8Array)
        const started = performance.now()
        await store.append(`bench-${tag}-${r}`, updates)
        latencies.push(performance.now() - started)
        written += batch
      }
    }),
  )
  return {
    updatesPerSecond: written / SECONDS,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
  }
}

const dir = mkdtempSync(join(tmpdir(), 'network-map-bench-'))
const schema = `nm_bench_${randomBytes(4).toString('hex')}`
const sqlite = openSqliteStore({ dataDir: dir, synchronous: 'full' })
const postgres = await openPostgresStore({ url, schema, poolSize: 20 })
try {
  console.log(
    `Append throughput, ${SECONDS} s per row: SQLite (synchronous=full, ${dir}) against PostgreSQL (${describeDatabase(url)}).`,
  )
  console.log(
    'rooms  batch   SQLite upd/s  p50 ms  p99 ms   PostgreSQL upd/s  p50 ms  p99 ms   ratio PG/SQLite',
  )
  for (const { rooms, batch } of SHAPES) {
    const a = await measure(sqlite, rooms, batch)
    const b = await measure(postgres, rooms, batch)
    console.log(
      `${String(rooms).padStart(5)} ${String(batch).padStart(6)} ${a.updatesPerSecond.toFixed(0).padStart(14)} ${a.p50.toFixed(2).padStart(7)} ${a.p99.toFixed(2).padStart(7)} ${b.updatesPerSecond.toFixed(0).padStart(18)} ${b.p50.toFixed(2).padStart(7)} ${b.p99.toFixed(2).padStart(7)} ${(b.updatesPerSecond / a.updatesPerSecond).toFixed(2).padStart(17)}`,
    )
  }
} finally {
  await sqlite.close()
  await postgres.close()
  rmSync(dir, { recursive: true, force: true })
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await admin.end()
}
