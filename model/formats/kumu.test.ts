import { readFileSync } from 'node:fs'
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { type Dataset, DatasetSchema } from '../dataset-schema.ts'
import type { Actor } from '../records/actor.ts'
import { parseCsv } from './csv.ts'
import type { ImportIssue } from './format.ts'
import { fromKumuCsv, toKumu } from './kumu.ts'

const fixture: Dataset = DatasetSchema.parse(
  JSON.parse(readFileSync(new URL('../../tests/fixtures/neighbourhood-map.json', import.meta.url), 'utf8')),
)

const kumuFiles = (dataset: Dataset) => {
  const { body } = toKumu(dataset)
  if (typeof body === 'string') throw new Error('a zip is bytes')
  return Object.fromEntries(Object.entries(unzipSync(body)).map(([name, bytes]) => [name, strFromU8(bytes)]))
}
const rowsOf = (text: string | undefined) => {
  const parsed = parseCsv(text ?? '', 'sheet.csv')
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error))
  return parsed.value
}
const issuesOf = (input: { elements: string; connections?: string }): ImportIssue[] => {
  const result = fromKumuCsv(input)
  if (result.ok) throw new Error('expected the import to fail')
  return result.error
}
const imported = (input: { elements: string; connections?: string }) => {
  const result = fromKumuCsv(input)
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value
}

describe('toKumu', () => {
  it('zips elements, connections and Kumu JSON, named after the workspace', () => {
    const file = toKumu(fixture)
    expect(file.filename).toBe('riverside-ward-network-map-kumu.zip')
    expect(file.mediaType).toBe('application/zip')
    expect(Object.keys(kumuFiles(fixture)).sort()).toEqual(['connections.csv', 'elements.csv', 'kumu.json'])
  })

  it('writes elements with human types and "|" between values, and no contacts', () => {
    const files = kumuFiles(fixture)
    const elements = rowsOf(files['elements.csv'])
    expect(elements.header).toEqual([
      'Label',
      'Type',
      'Description',
      'Tags',
      'Domains',
      'Area',
      'Reach',
      'Website',
      'Charity Number',
      'Company Number',
      'Languages spoken',
      'Offers',
      'Needs',
      'ID',
    ])
    expect(elements.rows.find((row) => row.ID === 'a-citizens-advice')).toEqual({
      Label: 'Citizens Advice Eastbridge',
      Type: 'Organisation',
      Description: expect.stringMatching(/^Free, confidential advice/),
      Tags: 'debt|benefits|Universal Credit|drop-in',
      Domains: 'Money & welfare|Housing|Employment & skills',
      Area: 'Eastbridge',
      Reach: '6,500 clients a year borough-wide',
      Website: 'https://citizensadvice-eastbridge.example',
      'Charity Number': '1087432',
      'Company Number': '04123987',
      'Languages spoken': 'Bengali|Somali|Polish',
      Offers: 'skills: benefits and debt training for frontline volunteers',
      Needs: '',
      ID: 'a-citizens-advice',
    })
    expect(elements.rows.find((row) => row.ID === 'a-adult-social-care')?.Type).toBe('Statutory service')
    expect(JSON.stringify(files)).not.toContain('advice@citizensadvice-eastbridge.example')
  })

  it('writes connections between element labels, with funding and direction', () => {
    const connections = rowsOf(kumuFiles(fixture)['connections.csv'])
    expect(connections.header).toEqual([
      'From',
      'To',
      'Type',
      'Direction',
      'Label',
      'Description',
      'Tags',
      'Strength',
      'Amount',
      'Currency',
      'Period Start',
      'Period End',
      'Purpose',
      'ID',
    ])
    expect(connections.rows[0]).toEqual({
      From: 'National Lottery Community Fund',
      To: 'Riverside Food Bank',
      Type: 'Funding',
      Direction: 'directed',
      Label: 'Reaching Communities grant',
      Description: '',
      Tags: '',
      Strength: '4',
      Amount: '89500',
      Currency: 'GBP',
      'Period Start': '2024-04-01',
      'Period End': '2027-03-31',
      Purpose: 'Three years of an advice worker and warehouse rent.',
      ID: 'l-001',
    })
    expect(connections.rows.find((row) => row.ID === 'l-027')).toMatchObject({
      Type: 'Partnership',
      Direction: 'mutual',
      Description: 'An adviser is at every Thursday distribution; the best-known tie on the map.',
      Amount: '',
      Currency: '',
    })
  })

  it('writes kumu.json in Kumu import shape', () => {
    const json = JSON.parse(kumuFiles(fixture)['kumu.json'] ?? '{}')
    expect(json.elements).toHaveLength(fixture.actors.length)
    expect(
      json.elements.find((element: { label: string }) => element.label === 'Citizens Advice Eastbridge'),
    ).toEqual({
      label: 'Citizens Advice Eastbridge',
      type: 'Organisation',
      description: expect.any(String),
      tags: ['debt', 'benefits', 'Universal Credit', 'drop-in'],
      attributes: {
        domains: ['Money & welfare', 'Housing', 'Employment & skills'],
        area: 'Eastbridge',
        reach: '6,500 clients a year borough-wide',
        website: 'https://citizensadvice-eastbridge.example',
        'charity number': '1087432',
        'company number': '04123987',
        'languages spoken': ['Bengali', 'Somali', 'Polish'],
        offers: ['skills: benefits and debt training for frontline volunteers'],
        id: 'a-citizens-advice',
      },
    })
    expect(json.connections[0]).toEqual({
      from: 'National Lottery Community Fund',
      to: 'Riverside Food Bank',
      type: 'Funding',
      direction: 'directed',
      label: 'Reaching Communities grant',
      attributes: {
        strength: 4,
        amount: 89500,
        currency: 'GBP',
        'period start': '2024-04-01',
        'period end': '2027-03-31',
        purpose: 'Three years of an advice worker and warehouse rent.',
        id: 'l-001',
      },
    })
  })

  it('gives namesakes distinct labels, the same in both sheets', () => {
    const base = fixture.actors[0] as Actor
    const actors = [
      { ...base, id: 'a-1', name: 'Food bank' },
      { ...base, id: 'a-2', name: 'Food bank' },
      { ...base, id: 'a-3', name: 'Food bank (2)' },
      { ...base, id: 'a-4', name: 'food bank' },
    ]
    const links = [{ ...(fixture.links[0] as Dataset['links'][number]), from: 'a-2', to: 'a-4' }]
    const files = kumuFiles({ ...fixture, actors, links, themes: [], quickWins: [], journeys: [] })
    expect(rowsOf(files['elements.csv']).rows.map((row) => row.Label)).toEqual([
      'Food bank',
      'Food bank (3)',
      'Food bank (2)',
      'food bank (4)',
    ])
    expect(rowsOf(files['connections.csv']).rows[0]).toMatchObject({
      From: 'Food bank (3)',
      To: 'food bank (4)',
    })
    const result = fromKumuCsv({
      elements: files['elements.csv'] ?? '',
      connections: files['connections.csv'],
    })
    expect(result.ok && result.value.links[0]).toMatchObject({ from: 'a-2', to: 'a-4' })
  })
})

describe('fromKumuCsv', () => {
  it('round-trips the map through Kumu: names, kinds, domains, link kinds, amounts, directions', () => {
    const files = kumuFiles(fixture)
    const dataset = imported({ elements: files['elements.csv'] ?? '', connections: files['connections.csv'] })
    expect(dataset.actors).toEqual(fixture.actors.map((actor) => ({ ...actor, contact: '' })))
    expect(dataset.links).toEqual(fixture.links)
    expect(dataset.meta.title).toBe('Imported from Kumu')
    expect(dataset).toMatchObject({ themes: [], quickWins: [], journeys: [] })
  })

  it('reads a hand-made sheet: synonyms, any case, "|" or ";", bare web addresses, new ids', () => {
    const elements = [
      'label,TYPE,Description,tags,Domain,Ward,Website,ID',
      'Food Bank,Charity,Emergency food,food; crisis|volunteers,Money & welfare|health,Riverside,foodbank.example,bad id!',
      'GP surgery,NHS,,,"Health;social care",,,',
      "Residents' association,Residents' group,,,children-families,,,tra",
      'Big Trust,Foundation,,,,,,',
      'VCS forum,Partnership,,,,,,',
      'Library,Venue,,,culture & leisure,,,',
      'Connector,person,,,,,,',
      'Youth club,,,,,,,',
      'Council,Statutory,,,,,,',
    ].join('\n')
    const connections = [
      'From,To,Type,Direction,Label,Description,Strength,Amount',
      'big trust, food bank ,Funds,,Small grant,Two years,3,"£1,200"',
      'Big Trust,VCS forum,Grant,,,,,1200.50',
      'GP surgery,Food Bank,Refers,,,,,',
      'Food Bank,GP surgery,,,,,,',
      'Food Bank,VCS forum,Member of,mutual,,,,',
      'Library,Youth club,Partner,Undirected,,,,',
      'Council,Youth club,Commissions,,,,,',
      'GP surgery,Council,Data sharing,,,,,',
      'Connector,Council,Broken link,,,,,',
    ].join('\r\n')
    const dataset = imported({ elements, connections })
    expect(dataset.actors.map((actor) => [actor.id, actor.name, actor.kind])).toEqual([
      ['kumu-e-2', 'Food Bank', 'organisation'],
      ['kumu-e-3', 'GP surgery', 'statutory-service'],
      ['tra', "Residents' association", 'resident-group'],
      ['kumu-e-5', 'Big Trust', 'funder'],
      ['kumu-e-6', 'VCS forum', 'network'],
      ['kumu-e-7', 'Library', 'space'],
      ['kumu-e-8', 'Connector', 'role'],
      ['kumu-e-9', 'Youth club', 'organisation'],
      ['kumu-e-10', 'Council', 'statutory-service'],
    ])
    expect(dataset.actors[0]).toMatchObject({
      description: 'Emergency food',
      tags: ['food', 'crisis', 'volunteers'],
      domains: ['money-welfare', 'health'],
      area: 'Riverside',
      website: 'https://foodbank.example',
    })
    expect(dataset.actors[1]?.domains).toEqual(['health', 'social-care'])
    expect(dataset.actors[2]?.domains).toEqual(['children-families'])
    expect(dataset.actors[5]?.domains).toEqual(['culture-leisure'])
    expect(dataset.links.map((link) => [link.id, link.from, link.to, link.kind, link.direction])).toEqual([
      ['kumu-c-2', 'kumu-e-5', 'kumu-e-2', 'funding', 'directed'],
      ['kumu-c-3', 'kumu-e-5', 'kumu-e-6', 'funding', 'directed'],
      ['kumu-c-4', 'kumu-e-3', 'kumu-e-2', 'referral', 'directed'],
      ['kumu-c-5', 'kumu-e-2', 'kumu-e-3', 'referral', 'directed'],
      ['kumu-c-6', 'kumu-e-2', 'kumu-e-6', 'membership', 'mutual'],
      ['kumu-c-7', 'kumu-e-7', 'kumu-e-9', 'partnership', 'mutual'],
      ['kumu-c-8', 'kumu-e-10', 'kumu-e-9', 'commissioning', 'directed'],
      ['kumu-c-9', 'kumu-e-3', 'kumu-e-10', 'information-sharing', 'directed'],
      ['kumu-c-10', 'kumu-e-8', 'kumu-e-10', 'disconnect', 'directed'],
    ])
    expect(dataset.links[0]).toMatchObject({
      label: 'Small grant',
      notes: 'Two years',
      strength: 3,
      amount: 1200,
    })
    expect(dataset.links[0]?.currency).toBe('GBP')
    expect(dataset.links[1]?.amount).toBe(1200.5)
    expect(fromKumuCsv({ elements, connections })).toEqual({ ok: true, value: dataset })
  })

  it('imports elements alone', () => {
    expect(imported({ elements: 'Label\nFood bank\n' }).actors).toMatchObject([
      { id: 'kumu-e-2', name: 'Food bank', kind: 'organisation' },
    ])
  })

  it('names the file and the missing columns', () => {
    expect(issuesOf({ elements: 'Name,Type\nFood bank,Charity\n' })).toEqual([
      { file: 'elements.csv', row: 1, message: 'elements.csv is missing the column Label' },
    ])
    expect(issuesOf({ elements: 'Label\nA\n', connections: 'Source,Target\nA,A\n' })).toEqual([
      { file: 'connections.csv', row: 1, message: 'connections.csv is missing the columns From, To' },
    ])
  })

  it('reports every bad row, naming unknown types and elements, and returns nothing', () => {
    const elements = [
      'Label,Type,Domains,Website',
      'Food bank,Charity,,',
      'Chess club,Club,,',
      ',Charity,,',
      'GP,NHS,Space,',
      'Food Bank,Funder,,javascript:alert(1)',
    ].join('\n')
    const connections = [
      'From,To,Type,Amount,Strength',
      'Food bank,GP,Friendship,,',
      'Food bank,Nowhere,Referral,,',
      'Somewhere,GP,,lots,',
      'GP,GP,,,',
      'GP,Food bank,,,9',
    ].join('\n')
    const issues = issuesOf({ elements, connections })
    expect(issues.map(({ file, row, column }) => `${file}:${row}:${column}`)).toEqual([
      'elements.csv:3:Type',
      'elements.csv:4:Label',
      'elements.csv:5:Domains',
      'elements.csv:6:Website',
      'elements.csv:6:Label',
      'connections.csv:2:Type',
      'connections.csv:3:To',
      'connections.csv:4:From',
      'connections.csv:4:Amount',
      'connections.csv:5:To',
      'connections.csv:6:Strength',
    ])
    const message = (file: string, row: number, column: string) =>
      issues.find((issue) => issue.file === file && issue.row === row && issue.column === column)?.message
    expect(message('elements.csv', 3, 'Type')).toBe(
      '"Club" is not a known element type; use one of Organisation, Statutory service, Resident group, Funder, Network / partnership, Space / venue, Role',
    )
    expect(message('elements.csv', 4, 'Label')).toBe('Label must not be empty')
    expect(message('elements.csv', 6, 'Label')).toMatch(/^row 2 is also named "Food Bank"/)
    expect(message('connections.csv', 2, 'Type')).toMatch(
      /^"Friendship" is not a known connection type; use one of Referral, Funding/,
    )
    expect(message('connections.csv', 3, 'To')).toBe('no element named "Nowhere"')
    expect(message('connections.csv', 4, 'From')).toBe('no element named "Somewhere"')
    expect(message('connections.csv', 4, 'Amount')).toBe('"lots" is not an amount of money, e.g. 1200.50')
    expect(message('connections.csv', 5, 'To')).toBe('a connection joins two different elements')
  })

  it('reads offers and needs columns, "|" or ";" between items, and names an item it cannot read', () => {
    const elements = [
      'Label,Type,Offers,Needs',
      'Church hall,Space,Space (Riverside Ward): main hall | volunteer: Saturday crew,',
      'Food bank,Charity,,referrals in; Space (Riverside Ward)',
    ].join('\n')
    const [hall, foodBank] = imported({ elements }).actors
    expect(hall?.offers).toEqual([
      { what: 'space', ward: 'Riverside Ward', note: 'main hall' },
      { what: 'volunteers', ward: '', note: 'Saturday crew' },
    ])
    expect(foodBank?.needs).toEqual([
      { what: 'referrals', ward: '', note: '' },
      { what: 'space', ward: 'Riverside Ward', note: '' },
    ])
    const issues = issuesOf({ elements: 'Label,Type,Needs\nFood bank,Charity,space | cake: lemon\n' })
    expect(issues).toEqual([
      {
        file: 'elements.csv',
        row: 2,
        column: 'Needs',
        message: expect.stringMatching(/^"cake: lemon" does not start with one of space, volunteers/),
      },
    ])
  })

  it('passes on broken quoting and wrong cell counts with row numbers', () => {
    expect(issuesOf({ elements: 'Label,Type\nA,Charity\nB\nC,Charity,extra\n' })).toEqual([
      { file: 'elements.csv', row: 3, message: 'this row has 1 cell but the header has 2' },
      { file: 'elements.csv', row: 4, message: 'this row has 3 cells but the header has 2' },
    ])
    expect(issuesOf({ elements: 'Label\nA\nB\n', connections: 'From,To\nA,B\nA,"B\n' })).toEqual([
      { file: 'connections.csv', row: 3, message: expect.stringMatching(/never closed/) },
    ])
  })

  it('refuses a 50 MB sheet quickly, without parsing it', () => {
    const huge = 'a'.repeat(50 * 1024 * 1024)
    const started = performance.now()
    expect(issuesOf({ elements: huge })).toEqual([
      { file: 'elements.csv', message: 'the file is 50.0 MB; the largest import is 20 MB' },
    ])
    expect(performance.now() - started).toBeLessThan(50)
  })
})
