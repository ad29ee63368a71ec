import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { EXPORT_FORMATS } from '../../model/formats/index.ts'
import { type Dataset, Workspace } from '../../model/index.ts'
import { provider, startTestServer, synced, waitFor } from './helpers.ts'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '../..')
/** The test server keeps its workspaces in SQLite, so the command line must read them there too. */
const SQLITE_ONLY = { ...process.env, DATABASE_URL: '' }
const fixture = (): Dataset =>
  JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/neighbourhood-map.json'), 'utf8'))

let server: Awaited<ReturnType<typeof startTestServer>>
let writer: WebsocketProvider
const ROOM = 'riverside'

beforeAll(async () => {
  server = await startTestServer()
  writer = provider(server.wsUrl, ROOM)
  await synced(writer)
  new Workspace(writer.doc).importDataset(fixture(), { matchBy: 'id' })
  await waitFor(async () => {
    const response = await fetch(`${server.httpUrl}/api/rooms/${ROOM}/export?format=json`)
    return response.ok && ((await response.json()) as Dataset).links.length === fixture().links.length
  })
})
afterAll(async () => {
  writer.destroy()
  await server.stop()
})

describe('GET /api/rooms/<room>/export', () => {
  it.each(Object.keys(EXPORT_FORMATS))('serves %s as a download', async (format) => {
    const response = await fetch(`${server.httpUrl}/api/rooms/${ROOM}/export?format=${format}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="[a-z0-9-]+[.\w-]*"$/)
    const body = new Uint8Array(await response.arrayBuffer())
    expect(body.byteLength).toBeGreaterThan(100)
    if (response.headers.get('content-type') === 'application/zip')
      expect(Object.keys(unzipSync(body)).length).toBeGreaterThan(1)
  })

  it('leaves out journeys without consent, and personal details when asked', async () => {
    const whole = (await (
      await fetch(`${server.httpUrl}/api/rooms/${ROOM}/export?format=json`)
    ).json()) as Dataset
    expect(whole.journeys.every((journey) => journey.consent && journey.exportable)).toBe(true)
    expect(whole.journeys.length).toBeLessThan(fixture().journeys.length)
    expect(whole.actors.some((actor) => actor.contact !== '')).toBe(true)
    const redacted = (await (
      await fetch(`${server.httpUrl}/api/rooms/${ROOM}/export?format=json&redact=1`)
    ).json()) as Dataset
    expect(redacted.actors.every((actor) => actor.contact === '')).toBe(true)
    expect(
      redacted.journeys.every(
        (journey) => journey.resident === '' && journey.steps.every((step) => step.happened === ''),
      ),
    ).toBe(true)
  })
})

describe('GET /api/dataset.schema.json', () => {
  it('serves the JSON Schema of the dataset', async () => {
    const schema = (await (await fetch(`${server.httpUrl}/api/dataset.schema.json`)).json()) as {
      properties: object
    }
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['actors', 'links', 'journeys']))
  })
})

describe('npm run export', () => {
  it('writes a workspace from the data directory to a file', async () => {
    const out = join(server.dataDir, 'map.zip')
    const { stdout } = await run(
      process.execPath,
      [
        'dist/server/export-cli.js',
        '--room',
        ROOM,
        '--format',
        'csv',
        '--out',
        out,
        '--data-dir',
        server.dataDir,
      ],
      { cwd: ROOT, env: SQLITE_ONLY },
    )
    expect(stdout).toMatch(/wrote .*-csv\.zip/)
    const tables = unzipSync(readFileSync(out))
    expect(strFromU8(tables['actors.csv'] as Uint8Array)).toContain('Riverside')
  })

  it('says plainly what is wrong with a bad request', async () => {
    const attempt = run(
      process.execPath,
      [
        'dist/server/export-cli.js',
        '--room',
        'nothing-here',
        '--format',
        'csv',
        '--out',
        '/tmp/x',
        '--data-dir',
        server.dataDir,
      ],
      { cwd: ROOT, env: SQLITE_ONLY },
    )
    await expect(attempt).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/there is no workspace nothing-here/),
    })
    const badFormat = run(
      process.execPath,
      [
        'dist/server/export-cli.js',
        '--room',
        ROOM,
        '--format',
        'pdf',
        '--out',
        '/tmp/x',
        '--data-dir',
        server.dataDir,
      ],
      { cwd: ROOT, env: SQLITE_ONLY },
    )
    await expect(badFormat).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown format "pdf"/),
    })
  })
})
