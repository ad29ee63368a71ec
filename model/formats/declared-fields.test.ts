import { readFileSync } from 'node:fs'
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { all, readXml } from '../../tests/helpers/xml-reader.ts'
import { type Dataset, DatasetSchema, validateDataset } from '../dataset-schema.ts'
import { type Actor, ActorSchema, actorKind } from '../records/actor.ts'
import { DECLARATIONS } from '../records/kinds.ts'
import { declareRecord, described, type FieldInfo, fieldsOf } from '../records/record.ts'
import { shapeOf } from './fields.ts'
import { toGexf } from './gexf.ts'
import { graphAttributesOf } from './graphml.ts'
import { exportDataset } from './index.ts'
import { KUMU_ELEMENT_FIELDS, kumuColumnsOf } from './kumu.ts'
import { actorDetails } from './markdown.ts'
import { directoryFieldsOf } from './openreferral.ts'
import { PERSONAL_FIELDS, personalFieldsOf, prepareForExport, redactPersonal } from './privacy.ts'
import { csvColumnsOf } from './tables.ts'

/**
 * The claim these tests prove: a field declared on a record kind reaches every export without
 * an edit to any format. An actor is made with a distinctive value in every one of its fields
 * (whatever fields the declaration has today), and each export must show each value, unless
 * the field's metadata keeps it out of that format.
 */

const fixture: Dataset = DatasetSchema.parse(
  JSON.parse(readFileSync(new URL('../../tests/fixtures/neighbourhood-map.json', import.meta.url), 'utf8')),
)
/** The fixture's fullest actor, for values a made-up one cannot have (a charity number's shape). */
const model = fixture.actors.find((actor) => actor.id === 'a-citizens-advice') as Actor

/** A value for the field that no other field has, valid for its schema. */
function distinctive(field: FieldInfo): unknown {
  const options = field.options ?? []
  const candidates: unknown[] = {
    // The second choice: the first is often the default, which would prove nothing.
    choice: [options[1] ?? options[0]],
    choices: [options.slice(-2)],
    list: [[`Zq ${field.key} one`, `Zq ${field.key} two`]],
    integer: [7],
    number: [7.25],
    boolean: [true],
    object: [],
    exchanges: [[{ what: 'equipment', note: `Zq ${field.key} note`, ward: `Zq ${field.key} ward` }]],
    text: [`Zq ${field.key} value`, `zq-${field.key}`],
  }[shapeOf(field)]
  const valid = [...candidates, (model as Record<string, unknown>)[field.key]].find(
    (candidate) => candidate !== undefined && field.schema.safeParse(candidate).success,
  )
  if (valid === undefined) throw new Error(`give this test a valid, distinctive value for ${field.key}`)
  return valid
}

const actor = ActorSchema.parse(
  Object.fromEntries(actorKind.fields.map((field) => [field.key, distinctive(field)])),
)
const dataset: Dataset = (() => {
  const result = validateDataset({
    ...fixture,
    actors: [actor],
    links: [],
    themes: [],
    quickWins: [],
    journeys: [],
    emergingModels: [],
    agenda: [],
    notes: { workshop: '', actors: {} },
  })
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value
})()

/** What shows that a field's value is there: each item of a list; an id or its label. */
function signs(field: FieldInfo): string[][] {
  const value = (actor as Record<string, unknown>)[field.key]
  const words = (item: unknown) =>
    typeof item === 'object' && item !== null
      ? // An offer or a need: its note shows it is there.
        [(item as { note: string }).note]
      : [String(item), field.meta.labels?.[String(item)] ?? String(item)]
  if (Array.isArray(value)) return value.map(words)
  if (typeof value === 'boolean') return [[String(value), value ? 'Yes' : 'No', value ? 'yes' : 'no']]
  return [words(value)]
}
const shows = (text: string, field: FieldInfo) =>
  signs(field).every((alternatives) => alternatives.some((sign) => text.includes(sign)))

const unzip = (body: Uint8Array | string) => {
  if (typeof body === 'string') throw new Error('expected a zip')
  return Object.fromEntries(Object.entries(unzipSync(body)).map(([name, bytes]) => [name, strFromU8(bytes)]))
}

/** The fields a format must show, by the rule the format states for its metadata. */
const FORMATS: Record<
  string,
  { readonly shown: (field: FieldInfo) => boolean; readonly text: () => string }
> = {
  'CSV actors.csv': {
    shown: (field) => field.meta.csv !== false,
    text: () => unzip(exportDataset(dataset, 'csv').body)['actors.csv'] ?? '',
  },
  GraphML: {
    shown: (field) => field.meta.graph !== false && !field.meta.personal,
    text: () => exportDataset(dataset, 'graphml').body as string,
  },
  GEXF: {
    shown: (field) => field.meta.graph !== false && !field.meta.personal,
    text: () => {
      // Values as Gephi reads them: the node's label and its attvalues, lists unquoted.
      const node = all(readXml(toGexf(dataset).body as string), 'node')[0]
      const values = node ? all(node, 'attvalue').map((value) => value.attributes.value ?? '') : []
      return [node?.attributes.label ?? '', ...values].join('\n').replaceAll('"', '')
    },
  },
  'Kumu elements.csv': {
    shown: (field) => field.meta.kumu !== false && !field.meta.personal,
    text: () => unzip(exportDataset(dataset, 'kumu').body)['elements.csv'] ?? '',
  },
  'kumu.json': {
    shown: (field) => field.meta.kumu !== false && !field.meta.personal,
    text: () => unzip(exportDataset(dataset, 'kumu').body)['kumu.json'] ?? '',
  },
  'JSON dataset': {
    shown: () => true,
    text: () => exportDataset(dataset, 'json').body as string,
  },
  'Markdown report': {
    shown: (field) => field.meta.input !== 'hidden',
    text: () => {
      const body = exportDataset(dataset, 'markdown').body as string
      return body.slice(
        body.indexOf('\n## Actors\n'),
        body.indexOf('\n## ', body.indexOf('\n## Actors\n') + 1),
      )
    },
  },
  'Open Referral UK': {
    shown: (field) => field.meta.directory !== undefined,
    text: () => {
      const files = unzip(exportDataset(dataset, 'openreferral').body)
      return Object.entries(files)
        .filter(([name]) => name.endsWith('.csv'))
        .map(([, text]) => text)
        .join('\n')
    },
  },
}

describe('every actor field reaches every export', () => {
  it('has a distinctive value in each field', () => {
    const values = actorKind.fields.map((field) =>
      JSON.stringify((actor as Record<string, unknown>)[field.key]),
    )
    expect(new Set(values).size).toBe(values.length)
  })

  it.each(Object.keys(FORMATS))('%s shows each field its metadata lets in', (format) => {
    const { shown, text } = FORMATS[format] as (typeof FORMATS)[string]
    const body = text()
    const missing = actorKind.fields.filter(
      (field) => shown(field) && !field.meta.live && !shows(body, field),
    )
    expect(missing.map((field) => field.key)).toEqual([])
  })

  it('the JSON dataset holds each value exactly', () => {
    const exported = JSON.parse(exportDataset(dataset, 'json').body as string) as Dataset
    expect(exported.actors).toEqual([actor])
  })

  it('keeps personal fields out of graph and Kumu files, redacted or not', () => {
    const personal = actorKind.fields.filter((field) => field.meta.personal)
    expect(personal.length).toBeGreaterThan(0)
    for (const format of ['GraphML', 'GEXF', 'Kumu elements.csv', 'kumu.json']) {
      const body = (FORMATS[format] as (typeof FORMATS)[string]).text()
      for (const field of personal) expect(shows(body, field), `${format} ${field.key}`).toBe(false)
    }
  })

  it('empties every personal field of every kind with redactPersonal', () => {
    const redacted = prepareForExport(fixture, { redactPersonal: true })
    const text = JSON.stringify(redacted)
    for (const journey of fixture.journeys.filter((j) => j.consent && j.exportable)) {
      for (const step of journey.steps) if (step.happened) expect(text).not.toContain(step.happened)
    }
    for (const theme of fixture.themes)
      for (const point of theme.points)
        if (point.author) expect(text).not.toContain(`"author":"${point.author}"`)
    expect(redacted.actors.every((a) => a.contact === '')).toBe(true)
    expect(redacted.meta.facilitator).toBe('')
    expect(redacted.notes).toEqual({ workshop: '', actors: {} })
    // Journeys without consent are out, redacted or not.
    expect(redacted.journeys.every((journey) => journey.consent && journey.exportable)).toBe(true)
    expect(prepareForExport(fixture).journeys.every((journey) => journey.consent && journey.exportable)).toBe(
      true,
    )
  })

  it('lists the personal fields the declarations mark, nested kinds too', () => {
    expect(PERSONAL_FIELDS).toMatchObject({
      meta: ['facilitator'],
      actor: ['contact'],
      themePoint: ['author'],
      quickWin: ['owner'],
      journey: ['resident', 'summary'],
      journeyStep: ['happened'],
      notes: ['workshop', 'actors'],
    })
    for (const kind of DECLARATIONS)
      expect(PERSONAL_FIELDS[kind.key] ?? [], kind.key).toEqual(personalFieldsOf(kind.fields))
  })
})

describe('a kind with one more field', () => {
  const Extended = ActorSchema.extend({
    openingHours: described(z.string().max(200).default(''), { label: 'Opening hours', personal: false }),
    accreditations: described(z.array(z.string().min(1)).default([]), {
      label: 'Accreditations',
      directory: 'service.accreditations',
    }),
    keyWorker: described(z.string().max(200).default(''), { label: 'Key worker', personal: true }),
    internal: described(z.string().default(''), { label: 'Internal', csv: false, graph: false, kumu: false }),
  })
  const fields = fieldsOf(Extended)

  it('gets a CSV column for each, named in snake_case, lists as lists', () => {
    const columns = csvColumnsOf(fields)
    const names = columns.map((column) => column.name)
    const own = csvColumnsOf(actorKind.fields).map((column) => column.name)
    expect(names.slice(0, own.length)).toEqual(own)
    expect(names.slice(own.length)).toEqual(['opening_hours', 'accreditations', 'key_worker'])
    const accreditations = columns.find((column) => column.name === 'accreditations')
    expect(accreditations && 'field' in accreditations && accreditations.codec.write(['A', 'B'])).toBe('A; B')
  })

  it('gets a graph attribute for each but the personal one', () => {
    const attributes = graphAttributesOf(fields).map((attribute) => [attribute.name, attribute.type])
    expect(attributes).toContainEqual(['opening_hours', 'string'])
    expect(attributes).toContainEqual(['accreditations', 'list'])
    expect(attributes.map(([name]) => name)).not.toContain('key_worker')
    expect(attributes.map(([name]) => name)).not.toContain('internal')
  })

  it('gets a Kumu column for each but the personal one, before the ID', () => {
    const names = kumuColumnsOf(fields, KUMU_ELEMENT_FIELDS).map((column) => column.name)
    expect(names.slice(-3)).toEqual(['Opening hours', 'Accreditations', 'ID'])
    expect(names).not.toContain('Key worker')
    expect(names).not.toContain('Internal')
  })

  it('goes where its directory metadata places it, and a place that is no column is refused', () => {
    expect(
      directoryFieldsOf(fields).map(({ field, table, column }) => [field.key, table, column]),
    ).toContainEqual(['accreditations', 'service', 'accreditations'])
    const wrong = fieldsOf(
      ActorSchema.extend({
        x: described(z.string().default(''), { label: 'X', directory: 'service.nowhere' }),
      }),
    )
    expect(() => directoryFieldsOf(wrong)).toThrow(/service\.nowhere/)
  })

  it('is listed under the actor in the report', () => {
    const record = { ...actor, openingHours: '9 to 5', accreditations: ['Advice Quality Standard'] }
    expect(actorDetails(record, fields)).toEqual(
      expect.arrayContaining(['Opening hours: 9 to 5', 'Accreditations: Advice Quality Standard']),
    )
  })

  it('is emptied by redaction when personal', () => {
    const kind = declareRecord({
      key: 'actor',
      name: 'actor',
      noun: 'Actor',
      schema: Extended,
      placement: { root: 'actors' },
      writers: ['facilitator'],
    })
    expect(personalFieldsOf(fields)).toEqual(['contact', 'keyWorker'])
    const withWorker = { ...dataset, actors: [{ ...actor, keyWorker: 'Jo Bloggs', openingHours: '9 to 5' }] }
    const [redacted] = redactPersonal(withWorker as Dataset, [kind]).actors as (Actor &
      Record<string, unknown>)[]
    expect(redacted).toMatchObject({ keyWorker: '', contact: '', openingHours: '9 to 5' })
  })
})
