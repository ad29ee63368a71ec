import { readFileSync } from 'node:fs'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { type Dataset, DatasetSchema } from '../dataset-schema.ts'
import { parseCsv, toCsv } from './csv.ts'
import type { ImportIssue } from './format.ts'
import { prepareForExport } from './privacy.ts'
import { fromCsvZip, toCsvZip } from './tables.ts'

const fixture: Dataset = DatasetSchema.parse(
  JSON.parse(readFileSync(new URL('../../tests/fixtures/neighbourhood-map.json', import.meta.url), 'utf8')),
)

const zipOf = (dataset: Dataset, redactPersonal = false) => {
  const file = toCsvZip(dataset, { redactPersonal })
  if (typeof file.body === 'string') throw new Error('a zip is bytes')
  return file.body
}
const filesOf = (bytes: Uint8Array) =>
  Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, body]) => [name, strFromU8(body)]))
const table = (files: Record<string, string>, name: string) => {
  const parsed = parseCsv(files[name] ?? '', name)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error))
  return parsed.value
}
const rowsOf = (dataset: Dataset, name: string, redactPersonal = false) =>
  table(filesOf(zipOf(dataset, redactPersonal)), name).rows
const zipTexts = (files: Record<string, string>) =>
  zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])))
const issuesOf = (bytes: Uint8Array): ImportIssue[] => {
  const result = fromCsvZip(bytes)
  if (result.ok) throw new Error('expected the import to fail')
  return result.error
}

describe('toCsvZip', () => {
  it('names the zip after the workspace and lists every table with a README', () => {
    const file = toCsvZip(fixture)
    expect(file.filename).toBe('riverside-ward-network-map-csv.zip')
    expect(file.mediaType).toBe('application/zip')
    expect(Object.keys(filesOf(zipOf(fixture))).sort()).toEqual([
      'README.txt',
      'actors.csv',
      'agenda.csv',
      'emerging_models.csv',
      'journeys.csv',
      'links.csv',
      'measures.csv',
      'meta.csv',
      'notes/actors/a-age-uk.md',
      'notes/actors/a-community-centre.md',
      'notes/workshop.md',
      'quick_wins.csv',
      'themes.csv',
    ])
    expect(filesOf(zipOf(fixture))['README.txt']).toMatch(/quick_wins\.csv\s+One row per quick win/)
    // The column list is derived from the same columns the tables are written with.
    expect(filesOf(zipOf(fixture))['README.txt']).toMatch(
      /\r\n {2}languages +Languages spoken: The languages/,
    )
    expect(filesOf(zipOf(fixture))['notes/workshop.md']).toBe(fixture.notes.workshop)
  })

  it('writes actors field by field, lists joined with "; "', () => {
    const files = filesOf(zipOf(fixture))
    const actors = table(files, 'actors.csv')
    expect(actors.header).toEqual([
      'id',
      'kind',
      'name',
      'description',
      'domains',
      'area',
      'reach',
      'website',
      'contact',
      'tags',
      'charity_number',
      'company_number',
      'languages',
      'offers',
      'needs',
    ])
    expect(actors.rows).toHaveLength(fixture.actors.length)
    expect(actors.rows.find((row) => row.id === 'a-citizens-advice')).toEqual({
      id: 'a-citizens-advice',
      kind: 'organisation',
      name: 'Citizens Advice Eastbridge',
      description: expect.stringMatching(/^Free, confidential advice/),
      domains: 'money-welfare; housing; employment-skills',
      area: 'Eastbridge',
      reach: '6,500 clients a year borough-wide',
      website: 'https://citizensadvice-eastbridge.example',
      contact: 'advice@citizensadvice-eastbridge.example',
      tags: 'debt; benefits; Universal Credit; drop-in',
      charity_number: '1087432',
      company_number: '04123987',
      languages: 'Bengali; Somali; Polish',
      offers: 'skills: benefits and debt training for frontline volunteers',
      needs: '',
    })
    expect(actors.rows.find((row) => row.id === 'a-community-solutions')).toMatchObject({
      offers: 'space (Riverside Ward): two meeting rooms, weekday daytimes; skills: bid writing',
      needs: 'referrals (Riverside Ward): residents looking for work',
    })
    expect(files['actors.csv']).toContain('"4,000 people supported"')
  })

  it('writes a funding link with its amount and both actors named', () => {
    const links = rowsOf(fixture, 'links.csv')
    expect(links).toHaveLength(fixture.links.length)
    expect(links[0]).toEqual({
      id: 'l-001',
      from: 'a-nlcf',
      from_name: 'National Lottery Community Fund',
      to: 'a-foodbank',
      to_name: 'Riverside Food Bank',
      kind: 'funding',
      direction: 'directed',
      label: 'Reaching Communities grant',
      strength: '4',
      amount: '89500',
      currency: 'GBP',
      period_start: '2024-04-01',
      period_end: '2027-03-31',
      purpose: 'Three years of an advice worker and warehouse rent.',
      notes: '',
    })
    const partnership = links.find((row) => row.id === 'l-027')
    expect(partnership).toMatchObject({ direction: 'mutual', amount: '', period_start: '', strength: '5' })
  })

  it('writes one row per theme point, and one empty-point row for a theme without points', () => {
    const empty = { id: 't-empty', title: 'Parked', colour: 'grey' as const, order: 'a9', points: [] }
    const rows = rowsOf({ ...fixture, themes: [...fixture.themes, empty] }, 'themes.csv')
    const points = fixture.themes.reduce((sum, theme) => sum + theme.points.length, 0)
    expect(rows).toHaveLength(points + 1)
    expect(rows.find((row) => row.point_id === 'tp-context-2')).toEqual({
      theme_id: 't-context',
      theme_title: 'Context',
      colour: 'orange',
      theme_order: 'a2',
      point_id: 'tp-context-2',
      point_text: 'Overcrowding, damp and mould on the estate come up in every conversation.',
      point_actor_ids: 'a-housing-assoc; a-tra',
      point_author: 'Amina',
      point_added_by: '',
      point_order: 'a1',
    })
    expect(rows.at(-1)).toMatchObject({ theme_id: 't-empty', point_id: '', point_text: '', point_order: '' })
  })

  it('writes quick wins with their votes and total', () => {
    const rows = rowsOf(fixture, 'quick_wins.csv')
    expect(rows[0]).toEqual({
      id: 'qw-1',
      text: 'Put family hub leaflets and the timetable in the GP waiting room and on the surgery screens.',
      owner: 'Riverside Family Hub manager',
      status: 'done',
      theme_id: 't-connect',
      added_by: '',
      votes_total: '6',
      votes: 'p-dave:2; p-grace:1; p-lucy:3',
    })
    expect(rows.find((row) => row.id === 'qw-5')?.theme_id).toBe('')
  })

  it('writes only the journeys residents agreed to share, one row per step', () => {
    const rows = rowsOf(fixture, 'journeys.csv')
    expect(new Set(rows.map((row) => row.journey_id))).toEqual(new Set(['j-1', 'j-4']))
    expect(rows).toHaveLength(10)
    expect(rows[0]).toEqual({
      journey_id: 'j-1',
      title: "Looking for help with a toddler's speech",
      resident: 'Fatima',
      summary: expect.stringMatching(/^A mum worried/),
      consent: 'true',
      exportable: 'true',
      added_by: '',
      step_id: 'js-1-1',
      step_order: 'a0',
      actor_id: 'a-gp',
      actor_name: fixture.actors.find((actor) => actor.id === 'a-gp')?.name,
      place: '',
      happened: 'Told to wait and see, and to ask the health visitor.',
      passed_on: 'true',
      fell_through: 'false',
      feeling: 'negative',
    })
    const text = filesOf(zipOf(fixture))['journeys.csv'] ?? ''
    expect(text).not.toContain('Jay')
    expect(text).not.toContain('Mark')
  })

  it('writes the meta table with the format and version', () => {
    expect(rowsOf(fixture, 'meta.csv')).toEqual([
      {
        title: 'Riverside Ward network map',
        area: 'Riverside Ward, Eastbridge',
        start_date: '2025-03-04',
        end_date: '2025-05-20',
        facilitator: 'Priya Shah, Eastbridge VCS Forum',
        description: fixture.meta.description,
        vote_budget: '5',
        format: 'community-network-map',
        version: '2',
      },
    ])
  })

  it('empties every personal cell with redactPersonal', () => {
    const cells = (name: string, columns: string[]) =>
      rowsOf(fixture, name, true).flatMap((row) => columns.map((column) => row[column]))
    expect(new Set(cells('actors.csv', ['contact']))).toEqual(new Set(['']))
    expect(new Set(cells('themes.csv', ['point_author']))).toEqual(new Set(['']))
    expect(new Set(cells('quick_wins.csv', ['owner']))).toEqual(new Set(['']))
    expect(new Set(cells('journeys.csv', ['resident', 'summary', 'happened']))).toEqual(new Set(['']))
    expect(new Set(cells('meta.csv', ['facilitator']))).toEqual(new Set(['']))
    expect(rowsOf(fixture, 'actors.csv', true)[0]?.name).not.toBe('')
  })
})

describe('fromCsvZip', () => {
  it('reads offers and needs from the actors table, and names a cell it cannot read', () => {
    const actors =
      'id,kind,name,offers,needs\r\na-1,space,Church hall,"space (Riverside Ward): main hall, evenings; equipment",\r\n'
    const result = fromCsvZip(zipTexts({ 'actors.csv': actors, 'links.csv': 'id,from,to,kind\r\n' }))
    expect(result.ok && result.value.actors[0]?.offers).toEqual([
      { what: 'space', ward: 'Riverside Ward', note: 'main hall, evenings' },
      { what: 'equipment', ward: '', note: '' },
    ])
    const bad = 'id,kind,name,needs\r\na-1,space,Church hall,lemons\r\n'
    expect(issuesOf(zipTexts({ 'actors.csv': bad, 'links.csv': 'id,from,to,kind\r\n' }))).toEqual([
      expect.objectContaining({ file: 'actors.csv', row: 2, column: 'needs' }),
    ])
  })
  it('round-trips the fixture exactly', () => {
    expect(fromCsvZip(zipOf(fixture))).toStrictEqual({ ok: true, value: prepareForExport(fixture) })
    const redacted = prepareForExport(fixture, { redactPersonal: true })
    expect(fromCsvZip(zipOf(fixture, true))).toStrictEqual({ ok: true, value: redacted })
  })

  it('round-trips formulas, quotes, commas and line breaks in every kind of text', () => {
    const first = fixture.actors[0]
    if (!first) throw new Error('the fixture has actors')
    // A tab only at the start of a cell: list items are trimmed.
    const tricky = [
      { ...first, name: '=SUM(A1)', description: '+1', area: '-x', reach: '@cmd', tags: ['=x', 'ok'] },
      {
        ...first,
        id: 'a-quoted',
        name: 'Smith, Jones & "Partners"\nLtd',
        description: '\rx',
        contact: "'=x",
        area: '\tx',
      },
      ...fixture.actors.slice(1),
    ]
    const dataset = { ...fixture, actors: tricky }
    const text = filesOf(zipOf(dataset))['actors.csv'] ?? ''
    expect(text).toContain(`,"'=SUM(A1)","'+1",`)
    expect(text).toContain(`,"Smith, Jones & ""Partners""\nLtd",`)
    expect(text).toContain(`"'\rx"`)
    expect(fromCsvZip(zipOf(dataset))).toEqual({ ok: true, value: prepareForExport(dataset) })
  })

  it('reads a hand-made zip: tables in a folder, blank lines, empty cells as defaults', () => {
    const result = fromCsvZip(
      zipTexts({
        'export/actors.csv': 'id,kind,name\r\na-1,organisation,Food bank\r\n\r\na-2,funder,Trust\r\n,,\r\n',
        'export/links.csv': 'id,from,to,kind\na-l,a-2,a-1,funding\n',
      }),
    )
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.actors.map((actor) => actor.name)).toEqual(['Food bank', 'Trust'])
    expect(result.value.actors[0]).toMatchObject({
      domains: [],
      tags: [],
      website: '',
      contact: '',
      languages: [],
    })
    expect(result.value.links[0]).toMatchObject({ direction: 'directed', currency: 'GBP', label: '' })
    expect(result.value.links[0]?.amount).toBeUndefined()
    expect(result.value.meta.title).toBe('Untitled workspace')
    expect(result.value).toMatchObject({ themes: [], quickWins: [], journeys: [] })
  })

  it('refuses what is not a zip, or a zip without the required tables', () => {
    expect(issuesOf(strToU8('id,name\n'))).toEqual([{ message: 'this is not a zip file, or it is damaged' }])
    expect(issuesOf(zipTexts({ 'notes.txt': 'hello' }))).toEqual([
      { file: 'actors.csv', message: 'actors.csv is missing from the zip' },
      { file: 'links.csv', message: 'links.csv is missing from the zip' },
    ])
  })

  it('names the missing columns', () => {
    const issues = issuesOf(zipTexts({ 'actors.csv': 'id,title\na,b\n', 'links.csv': 'id,from,to,kind\n' }))
    expect(issues).toEqual([
      { file: 'actors.csv', row: 1, message: 'actors.csv is missing the columns kind, name' },
    ])
  })

  it('reports every bad row by file, row and column, and returns nothing', () => {
    const actors = toCsv(
      ['id', 'kind', 'name', 'website', 'domains'],
      [
        ['a-1', 'organisation', 'Food bank', '', 'health'],
        ['a-2', 'club', 'Chess club', '', ''],
        ['a-3', 'funder', '', 'javascript:alert(1)', 'space'],
        ['a-1', 'funder', 'Copy', '', ''],
      ],
    )
    const links = toCsv(
      ['id', 'from', 'to', 'kind', 'amount', 'strength'],
      [
        ['l-1', 'a-1', 'a-missing', 'funding', 'lots', ''],
        ['l-2', 'a-1', 'a-1', 'referral', '', 9],
      ],
    )
    const issues = issuesOf(zipTexts({ 'actors.csv': actors, 'links.csv': links }))
    const where = issues.map(({ file, row, column }) => `${file}:${row}:${column}`)
    expect(where).toEqual([
      'actors.csv:3:kind',
      'actors.csv:4:name',
      'actors.csv:4:domains',
      'actors.csv:4:website',
      'actors.csv:5:id',
      'links.csv:2:amount',
      'links.csv:2:to',
      'links.csv:3:strength',
    ])
    expect(issues[1]?.message).toBe('name must not be empty')
    expect(issues[4]?.message).toBe('the id a-1 is used twice')
    expect(issues[6]?.message).toBe('there is no actor a-missing')
  })

  it('reports a cell that cannot be read once', () => {
    const files = filesOf(zipOf(fixture))
    const quickWins = toCsv(['id', 'text', 'votes'], [['qw-1', 'Leaflets', 'p-dave:two']])
    expect(issuesOf(zipTexts({ ...files, 'quick_wins.csv': quickWins }))).toEqual([
      { file: 'quick_wins.csv', row: 2, column: 'votes', message: '"p-dave:two" is not participant:count' },
    ])
  })

  it('reports a link that joins an actor to itself', () => {
    const issues = issuesOf(
      zipTexts({
        'actors.csv': 'id,kind,name\na-1,organisation,A\n',
        'links.csv': 'id,from,to,kind\nl,a-1,a-1,referral\n',
      }),
    )
    expect(issues).toEqual([
      { file: 'links.csv', row: 2, column: 'to', message: 'a link joins two different actors' },
    ])
  })

  it('checks references from themes, quick wins and journeys', () => {
    const files = filesOf(zipOf(fixture))
    const edit = (name: string, from: string, to: string) => (files[name] ?? '').replace(from, to)
    const issues = issuesOf(
      zipTexts({
        ...files,
        'themes.csv': edit('themes.csv', 'a-housing-assoc; a-tra', 'a-housing-assoc; a-gone'),
        'quick_wins.csv': edit('quick_wins.csv', 't-trust', 't-gone'),
        'journeys.csv': edit('journeys.csv', 'a-gp', 'a-nowhere'),
      }),
    )
    expect(issues.map(({ file, column, message }) => `${file} ${column}: ${message}`)).toEqual([
      'themes.csv point_actor_ids: there is no actor a-gone',
      'quick_wins.csv theme_id: there is no theme t-gone',
      'journeys.csv actor_id: there is no actor a-nowhere',
    ])
  })

  it('passes on broken quoting and wrong cell counts with row numbers', () => {
    const issues = issuesOf(
      zipTexts({
        'actors.csv': 'id,kind,name\na-1,organisation,A\na-2,organisation\n',
        'links.csv': 'id,from,to,kind\nl-1,a-1,"a-2,referral\n',
      }),
    )
    expect(issues).toEqual([
      { file: 'actors.csv', row: 3, message: 'this row has 2 cells but the header has 3' },
      { file: 'links.csv', row: 2, message: expect.stringMatching(/never closed/) },
    ])
  })

  it('refuses tables of a newer version and another format', () => {
    const files = filesOf(zipOf(fixture))
    const meta = toCsv(['title', 'format', 'version'], [['Map', 'community-network-map', 3]])
    expect(issuesOf(zipTexts({ ...files, 'meta.csv': meta }))[0]?.message).toMatch(/newer than this app/)
    const other = toCsv(['title', 'format'], [['Map', 'something-else']])
    expect(issuesOf(zipTexts({ ...files, 'meta.csv': other }))[0]?.message).toMatch(
      /format is something-else/,
    )
  })
})
