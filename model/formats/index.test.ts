import { readFileSync } from 'node:fs'
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import type { Dataset } from '../dataset-schema.ts'
import { exportDataset, readImport } from './index.ts'

const fixture = (): Dataset =>
  JSON.parse(readFileSync(new URL('../../tests/fixtures/neighbourhood-map.json', import.meta.url), 'utf8'))
const bytes = (body: Uint8Array | string) =>
  typeof body === 'string' ? new TextEncoder().encode(body) : body

describe('exportDataset', () => {
  it('carries the network measures into the graph formats, the tables and the report', () => {
    const graphml = String(exportDataset(fixture(), 'graphml').body)
    expect(graphml).toMatch(/attr\.name="betweenness"/)
    expect(String(exportDataset(fixture(), 'gexf').body)).toMatch(/title="betweenness"/)
    const tables = unzipSync(exportDataset(fixture(), 'csv').body as Uint8Array)
    const measures = strFromU8(tables['measures.csv'] as Uint8Array)
    expect(measures.split('\r\n')[0]).toMatch(/actor_id,name,degree/)
    expect(measures.trim().split('\r\n')).toHaveLength(fixture().actors.length + 1)
    expect(String(exportDataset(fixture(), 'markdown').body)).toMatch(/The top broker is/)
  })
})

describe('readImport', () => {
  it.each(['json', 'csv', 'kumu'] as const)('reads back its own %s export', (format) => {
    const file = exportDataset(fixture(), format)
    const read = readImport([{ name: file.filename, bytes: bytes(file.body) }])
    expect(read.ok ? [] : read.error).toEqual([])
    expect(read.ok && read.value.actors.map((actor) => actor.name).sort()).toEqual(
      fixture()
        .actors.map((actor) => actor.name)
        .sort(),
    )
  })

  it('reports its progress as it reads a Kumu spreadsheet: rising, row by row, to the end', () => {
    const file = exportDataset(fixture(), 'kumu')
    const heard: number[] = []
    const read = readImport([{ name: file.filename, bytes: bytes(file.body) }], {
      onProgress: (fraction) => heard.push(fraction),
    })
    expect(read.ok).toBe(true)
    expect(heard).toEqual([...heard].sort((a, b) => a - b))
    expect(heard[0]).toBe(0)
    expect(heard.at(-1)).toBe(1)
    // More than the start and the end: the rows' checks are heard in between.
    expect(heard.filter((fraction) => fraction > 0.1 && fraction < 0.9).length).toBeGreaterThan(3)
  })

  it('says plainly what it cannot read', () => {
    const read = readImport([{ name: 'notes.txt', bytes: new TextEncoder().encode('hello') }])
    expect(read.ok).toBe(false)
    expect(!read.ok && read.error[0]?.message).toMatch(/not a file this app reads/)
    const damaged = readImport([{ name: 'map.zip', bytes: new Uint8Array([1, 2, 3]) }])
    expect(!damaged.ok && damaged.error[0]?.message).toMatch(/damaged or not a zip/)
    const badJson = readImport([{ name: 'map.json', bytes: new TextEncoder().encode('{"format":') }])
    expect(!badJson.ok && badJson.error[0]?.message).toMatch(/not valid JSON/)
  })
})
