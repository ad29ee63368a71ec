import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { strFromU8, unzipSync } from 'fflate'
import Papa from 'papaparse'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Dataset, validateDataset } from '../dataset-schema.ts'
import { ActorSchema } from '../records/actor.ts'
import type { ExportFile } from './format.ts'
import {
  describeActor,
  OPEN_REFERRAL_EXTENSIONS,
  type OpenReferralTable,
  ORGANIZATION_KINDS,
  toOpenReferral,
  toOpenReferralJson,
} from './openreferral.ts'
import { UUID_PATTERN, uuidFromId } from './uuid.ts'

const STANDARD = join(import.meta.dirname, '../../../shared/standards/openreferral-uk')
const haveStandard = existsSync(join(STANDARD, 'datapackage.json'))
if (!haveStandard) {
  console.warn(
    `The Open Referral UK standard is not at ${STANDARD}, so the exports are not validated against its schemas.`,
  )
}

function fixture(): Dataset {
  const raw = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../tests/fixtures/neighbourhood-map.json'), 'utf8'),
  )
  const result = validateDataset(raw)
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value
}

type Row = Record<string, string>

/** The files of the zip, as text. */
function unpack(file: ExportFile): Map<string, string> {
  if (typeof file.body === 'string') throw new Error('expected a zip')
  return new Map(Object.entries(unzipSync(file.body)).map(([name, bytes]) => [name, strFromU8(bytes)]))
}

function table(files: Map<string, string>, path: string): Row[] {
  const text = files.get(path)
  if (text === undefined) return []
  return Papa.parse<Row>(text, { header: true, skipEmptyLines: true }).data
}

const byName = (rows: Row[], name: string) => rows.find((row) => row.name === name)

describe('Open Referral UK export of the fixture', () => {
  const dataset = fixture()
  const file = toOpenReferral(dataset)
  const files = unpack(file)
  const organizations = table(files, 'organizations.csv')
  const services = table(files, 'services.csv')
  const locations = table(files, 'locations.csv')
  const funding = table(files, 'funding.csv')
  const identifiers = table(files, 'organization_identifiers.csv')
  const atLocation = table(files, 'service_at_location.csv')
  const actor = (id: string) => dataset.actors.find((candidate) => candidate.id === id)

  it('is a zip named after the workspace, with a data package listing exactly its CSV files', () => {
    expect(file.filename).toBe('riverside-ward-network-map-openreferral.zip')
    expect(file.mediaType).toBe('application/zip')
    const pkg = JSON.parse(files.get('datapackage.json') ?? '{}')
    expect(pkg.profile).toBe('tabular-data-package')
    const paths = pkg.resources.map((resource: { path: string }) => resource.path)
    expect(new Set([...files.keys()])).toEqual(new Set(['datapackage.json', ...paths]))
    expect(paths).toEqual([
      'organizations.csv',
      'services.csv',
      'locations.csv',
      'service_at_location.csv',
      'funding.csv',
      'languages.csv',
      'organization_identifiers.csv',
    ])
  })

  it('has one organization and one active service per organisation-like actor; no roles, spaces as locations', () => {
    const organisationLike = dataset.actors.filter((candidate) => ORGANIZATION_KINDS.has(candidate.kind))
    expect(organizations).toHaveLength(organisationLike.length)
    expect(services).toHaveLength(organisationLike.length)
    expect(new Set(organizations.map((row) => row.id))).toEqual(
      new Set(services.map((row) => row.organization_id)),
    )
    expect(services.every((row) => row.status === 'active')).toBe(true)
    const names = new Set([...organizations, ...services, ...locations].map((row) => row.name))
    for (const role of dataset.actors.filter((candidate) => candidate.kind === 'role')) {
      expect(names.has(role.name), role.name).toBe(false)
    }
    const spaces = dataset.actors.filter((candidate) => candidate.kind === 'space')
    expect(locations.map((row) => row.name).sort()).toEqual(spaces.map((space) => space.name).sort())
    expect(locations.every((row) => row.location_type === 'physical')).toBe(true)
    expect(byName(organizations, 'Riverside Mosque')).toBeUndefined()
  })

  it('carries names, descriptions, websites and ids derived from actor ids', () => {
    const foodbank = byName(organizations, 'Riverside Food Bank')
    expect(foodbank).toMatchObject({
      id: uuidFromId('network-map/open-referral', 'a-foodbank'),
      description: actor('a-foodbank')?.description,
      website: 'https://riverside-foodbank.example',
    })
    const every = [...organizations, ...services, ...locations, ...funding, ...identifiers, ...atLocation]
    expect(every.every((row) => UUID_PATTERN.test(row.id ?? ''))).toBe(true)
    expect(new Set(every.map((row) => row.id)).size).toBe(every.length)
  })

  it('gives funding to the recipient service, with the funder as the source', () => {
    const links = dataset.links.filter(
      (link) => link.kind === 'funding' && ORGANIZATION_KINDS.has(actor(link.to)?.kind ?? 'role'),
    )
    expect(funding).toHaveLength(links.length)
    const foodbankService = services.find((row) => row.name === 'Riverside Food Bank')
    expect(funding.filter((row) => row.service_id === foodbankService?.id).map((row) => row.source)).toEqual([
      'National Lottery Community Fund',
      'Eastbridge Community Foundation',
    ])
  })

  it('records charity (GB-CHC) and company (GB-COH) numbers as organization identifiers', () => {
    const of = (actorId: string) =>
      identifiers
        .filter((row) => row.organization_id === uuidFromId('network-map/open-referral', actorId))
        .map((row) => [row.identifier_scheme, row.identifier_type, row.identifier])
    expect(of('a-foodbank')).toEqual([['GB-CHC', 'Charity number', '1123456']])
    expect(of('a-citizens-advice')).toEqual([
      ['GB-CHC', 'Charity number', '1087432'],
      ['GB-COH', 'Company number', '04123987'],
    ])
    expect(of('a-gla')).toEqual([])
    // The mosque is a space: its charity number would have no organization to belong to.
    expect(identifiers.some((row) => row.identifier === '1154321')).toBe(false)
  })

  it("lists the languages spoken at each organisation's service, each once", () => {
    const languages = table(files, 'languages.csv')
    const service = (name: string) => services.find((row) => row.name === name)?.id
    const of = (name: string) =>
      languages.filter((row) => row.service_id === service(name)).map((row) => row.name)
    expect(of('Citizens Advice Eastbridge')).toEqual(['Bengali', 'Somali', 'Polish'])
    const spoken = dataset.actors.filter(
      (candidate) => ORGANIZATION_KINDS.has(candidate.kind) && candidate.languages.length > 0,
    )
    expect(languages).toHaveLength(spoken.reduce((sum, candidate) => sum + candidate.languages.length, 0))
    const twice = { ...dataset, actors: dataset.actors.map((a) => ({ ...a, languages: ['Urdu', 'urdu '] })) }
    const once = table(unpack(toOpenReferral(twice)), 'languages.csv')
    expect(once.filter((row) => row.service_id === service('Citizens Advice Eastbridge'))).toHaveLength(1)
    const json = toOpenReferralJson(dataset).find(
      (organization) => organization.name === 'Citizens Advice Eastbridge',
    )
    expect(json).toMatchObject({
      services: [{ languages: [{ name: 'Bengali' }, { name: 'Somali' }, { name: 'Polish' }] }],
    })
  })

  it('places a service at a venue only where a partnership ties them', () => {
    const hall = locations.find((row) => row.name === "St Mark's Church Hall")
    const foodbankService = services.find((row) => row.name === 'Riverside Food Bank')
    expect(atLocation).toContainEqual(
      expect.objectContaining({ service_id: foodbankService?.id, location_id: hall?.id }),
    )
    const serviceIds = new Set(services.map((row) => row.id))
    const locationIds = new Set(locations.map((row) => row.id))
    for (const row of atLocation) {
      expect(serviceIds.has(row.service_id ?? '') && locationIds.has(row.location_id ?? '')).toBe(true)
    }
  })

  it('keeps every id across exports, and when the workspace is renamed', () => {
    const again = unpack(toOpenReferral(fixture()))
    for (const [name, text] of files) expect(again.get(name), name).toBe(text)
    const renamed = unpack(toOpenReferral({ ...dataset, meta: { ...dataset.meta, title: 'Riverside 2026' } }))
    expect(renamed.get('organizations.csv')).toBe(files.get('organizations.csv'))
  })

  it('nests each service, its funding and its venues in the JSON form', () => {
    const json = toOpenReferralJson(dataset)
    expect(json).toHaveLength(organizations.length)
    const foodbank = json.find((organization) => organization.name === 'Riverside Food Bank')
    expect(foodbank).toMatchObject({
      organization_identifiers: [{ identifier_scheme: 'GB-CHC', identifier: '1123456' }],
      services: [
        {
          name: 'Riverside Food Bank',
          status: 'active',
          funding: [
            { source: 'National Lottery Community Fund' },
            { source: 'Eastbridge Community Foundation' },
          ],
        },
      ],
    })
    expect(JSON.stringify(foodbank)).toContain("St Mark's Church Hall")
  })
})

describe('Open Referral UK: descriptions and personal details', () => {
  const withChanges = (changes: Record<string, { description?: string; contact?: string }>): Dataset => {
    const dataset = fixture()
    return { ...dataset, actors: dataset.actors.map((actor) => ({ ...actor, ...changes[actor.id] })) }
  }

  it('writes a sentence when an organisation has no description, since the standard requires one', () => {
    const dataset = withChanges({ 'a-tra': { description: '  ' }, 'a-gla': { description: '' } })
    const organizations = table(unpack(toOpenReferral(dataset)), 'organizations.csv')
    expect(byName(organizations, "Riverside Estate Tenants' and Residents' Association")?.description).toBe(
      'Resident group in Riverside Ward working on housing, community safety and environment.',
    )
    expect(byName(organizations, 'Greater London Authority')?.description).toBe(
      'Funder in London working on employment & skills and education.',
    )
    expect(describeActor(ActorSchema.parse({ id: 'a-x', kind: 'network', name: 'X' }))).toBe(
      'Network / partnership.',
    )
  })

  it('exports a contact only as an organization email, only when it is an address, never when redacted', () => {
    const phone = 'Ask for Jo Bloggs on 07700 900123'
    const dataset = withChanges({ 'a-gla': { contact: phone } })
    const open = unpack(toOpenReferral(dataset))
    const tra = byName(
      table(open, 'organizations.csv'),
      "Riverside Estate Tenants' and Residents' Association",
    )
    expect(tra?.email).toBe('riversidetra@mail.example')
    expect([...open.values()].join('\n')).not.toContain(phone)
    expect(JSON.stringify(toOpenReferralJson(dataset))).not.toContain(phone)

    const redacted = [...unpack(toOpenReferral(dataset, { redactPersonal: true })).values()].join('\n')
    const json = JSON.stringify(toOpenReferralJson(dataset, { redactPersonal: true }))
    for (const actor of dataset.actors.filter((candidate) => candidate.contact)) {
      expect(redacted).not.toContain(actor.contact)
      expect(json).not.toContain(actor.contact)
    }
  })
})

type Resource = { name: string; path: string; schema: { fields: { name: string; type: string }[] } }
type ForeignKey = { fields: string; reference: { resource: string; fields: string } }

describe.skipIf(!haveStandard)('Open Referral UK export against the published standard', () => {
  const read = (path: string) => JSON.parse(readFileSync(join(STANDARD, path), 'utf8'))
  const files = unpack(toOpenReferral(fixture()))
  const ours = JSON.parse(files.get('datapackage.json') ?? '{}') as { resources: Resource[] }
  let standardPackage: { resources: Resource[] }
  let ajv: Ajv
  // Read in beforeAll, which a skipped suite never runs, so a missing folder skips, not fails.
  beforeAll(() => {
    standardPackage = read('datapackage.json')
    // The per-table schemas are draft-07 (no $schema) and refer to each other by file name.
    ajv = new Ajv({ allErrors: true, strict: false })
    addFormats.default(ajv)
    for (const name of readdirSync(join(STANDARD, 'schema')).filter((entry) => entry.endsWith('.json'))) {
      if (name !== 'openapi.json') ajv.addSchema(read(`schema/${name}`), name)
    }
  })

  /** A CSV row as the typed object the JSON schemas describe: empty cells left out, numbers as numbers. */
  const typed = (row: Row, fields: { name: string; type: string }[]) =>
    Object.fromEntries(
      fields
        .filter((field) => (row[field.name] ?? '') !== '')
        .map((field) => [field.name, field.type === 'number' ? Number(row[field.name]) : row[field.name]]),
    )

  it('declares each table with the path, keys and fields of the standard', () => {
    const written = new Set(ours.resources.map((resource) => resource.name))
    for (const resource of ours.resources) {
      const standard = standardPackage.resources.find((candidate) => candidate.name === resource.name)
      expect(standard, resource.name).toBeDefined()
      const pick = (r: Resource) => ({
        path: r.path,
        schema: {
          ...r.schema,
          fields: r.schema.fields.map(({ name, type, format, constraints }: Record<string, unknown>) => ({
            name,
            type,
            ...(format ? { format } : {}),
            constraints,
          })),
        },
      })
      // What the standard declares, less foreign keys to tables a map never has (phones),
      // and with the fields this export adds after the standard's own, each described.
      const extensions = Object.keys(OPEN_REFERRAL_EXTENSIONS[resource.name as OpenReferralTable] ?? {})
      const { foreignKeys, ...schema } = (standard as Resource & { schema: { foreignKeys?: ForeignKey[] } })
        .schema
      const kept = (foreignKeys ?? []).filter((key) => written.has(key.reference.resource))
      const expected = pick({
        ...(standard as Resource),
        schema: {
          ...schema,
          ...(kept.length > 0 ? { foreignKeys: kept } : {}),
          fields: [
            ...schema.fields,
            ...extensions.map((name) => ({
              name,
              type: 'string',
              constraints: { required: false, unique: false },
            })),
          ],
        },
      })
      expect(pick(resource), resource.name).toEqual(expected)
      for (const name of extensions) {
        const field = resource.schema.fields.find((candidate) => candidate.name === name) as {
          description?: string
        }
        expect(field.description, `${resource.name}.${name}`).toMatch(/UK profile/)
      }
    }
  })

  it('writes rows that validate against the per-table schemas', () => {
    // The validator is live: an organization without a description or a UUID is refused.
    expect(ajv.getSchema('organization.json')?.({ id: 'a-foodbank', name: 'Food bank' })).toBe(false)
    expect(ajv.getSchema('funding.json')?.({ id: 'not-a-uuid' })).toBe(false)
    for (const resource of ours.resources) {
      const rows = table(files, resource.path)
      const text = files.get(resource.path) ?? ''
      expect(text.split('\r\n')[0]).toBe(resource.schema.fields.map((field) => field.name).join(','))
      const schema = read(`schema/${resource.name}.json`) as { tabular_required?: string[] }
      const validate = ajv.getSchema(`${resource.name}.json`)
      if (!validate) throw new Error(`no schema for ${resource.name}`)
      for (const row of rows) {
        const value = typed(row, resource.schema.fields)
        expect(validate(value), `${resource.name} ${JSON.stringify(validate.errors)}`).toBe(true)
        for (const field of schema.tabular_required ?? []) expect(value[field], field).toBeTruthy()
      }
    }
  })

  it('gives nested JSON that validates against the compiled organization schema', () => {
    const validate = ajv.compile(read('schema/compiled/organization.json'))
    const json = toOpenReferralJson(fixture())
    for (const organization of json) {
      expect(validate(organization), JSON.stringify(validate.errors)).toBe(true)
    }
    expect(json.some((organization) => JSON.stringify(organization).includes('"location_type"'))).toBe(true)
  })
})
