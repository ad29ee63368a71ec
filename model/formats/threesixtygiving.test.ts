import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ValidateFunction } from 'ajv'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Dataset, validateDataset } from '../dataset-schema.ts'
import type { Actor } from '../records/actor.ts'
import type { Link } from '../records/link.ts'
import { charityIdentifier, type Grant360, orgIdOf, plan360Giving, to360Giving } from './threesixtygiving.ts'

const STANDARD = join(import.meta.dirname, '../../../shared/standards/360giving')
const haveStandard = existsSync(join(STANDARD, '360-giving-schema.json'))
if (!haveStandard) {
  console.warn(
    `The 360Giving standard is not at ${STANDARD}, so the grants are not validated against its schema.`,
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

const grantsOf = (dataset: Dataset, options = {}) =>
  JSON.parse(to360Giving(dataset, options).body as string).grants as Grant360[]

const withLink = (dataset: Dataset, id: string, change: Partial<Link>): Dataset => ({
  ...dataset,
  links: dataset.links.map((link) => (link.id === id ? { ...link, ...change } : link)),
})

describe('360Giving export of the fixture', () => {
  const dataset = fixture()
  const file = to360Giving(dataset)
  const grants = JSON.parse(file.body as string).grants as Grant360[]

  it('is a JSON file of grants, one per funding link with an amount', () => {
    expect(file.filename).toBe('riverside-ward-network-map-360giving.json')
    expect(file.mediaType).toBe('application/json')
    const funded = dataset.links.filter((link) => link.kind === 'funding' && link.amount !== undefined)
    expect(funded.length).toBeGreaterThan(0)
    expect(grants.map((grant) => grant.id)).toEqual(funded.map((link) => `360G-networkmap-${link.id}`))
    expect(plan360Giving(dataset).skipped).toEqual([])
  })

  it('carries the amount, currency, dates, recipient and funder of a known grant', () => {
    const grant = grants.find((candidate) => candidate.id === '360G-networkmap-l-001')
    expect(grant).toEqual({
      id: '360G-networkmap-l-001',
      title: 'Reaching Communities grant',
      description: 'Three years of an advice worker and warehouse rent.',
      currency: 'GBP',
      amountAwarded: 89500,
      awardDate: '2024-04-01',
      plannedDates: [{ startDate: '2024-04-01', endDate: '2027-03-31' }],
      recipientOrganization: [
        { id: 'GB-CHC-1123456', name: 'Riverside Food Bank', charityNumber: '1123456' },
      ],
      fundingOrganization: [
        { id: 'GB-CHC-1036733', name: 'National Lottery Community Fund', charityNumber: '1036733' },
      ],
    })
  })

  it('identifies organisations by charity number, then company number, then a local id', () => {
    const byId = (id: string) => grants.find((grant) => grant.id === `360G-networkmap-${id}`)
    // ICB -> community garden: no funder numbers; the garden is a company only.
    expect(byId('l-006')?.fundingOrganization[0]?.id).toBe('360G-networkmap-org-a-icb')
    expect(byId('l-006')?.recipientOrganization[0]).toEqual({
      id: 'GB-COH-11234567',
      name: actor(dataset, 'a-community-garden').name,
      companyNumber: '11234567',
    })
    // The foundation is a charity and a company: the charity number wins, both are given.
    expect(byId('l-007')?.fundingOrganization[0]).toMatchObject({
      id: 'GB-CHC-1109876',
      charityNumber: '1109876',
      companyNumber: '05321987',
    })
  })

  it('uses the publisher prefix given', () => {
    const prefixed = grantsOf(dataset, { prefix: '360G-eastbridgefund' })
    expect(prefixed[0]?.id).toBe('360G-eastbridgefund-l-001')
    expect(prefixed.find((grant) => grant.id.endsWith('l-006'))?.fundingOrganization[0]?.id).toBe(
      '360G-eastbridgefund-org-a-icb',
    )
  })

  it('never carries personal details', () => {
    for (const options of [{}, { redactPersonal: true }]) {
      const body = to360Giving(dataset, options).body as string
      for (const actor of dataset.actors.filter((candidate) => candidate.contact)) {
        expect(body).not.toContain(actor.contact)
      }
      expect(body).not.toContain(dataset.meta.facilitator)
    }
  })
})

const actor = (dataset: Dataset, id: string): Actor => {
  const found = dataset.actors.find((candidate) => candidate.id === id)
  if (!found) throw new Error(`no actor ${id}`)
  return found
}

describe('360Giving: links that are not complete grants', () => {
  it('falls back to the workspace dates for the award date, and reports links it leaves out', () => {
    let dataset = withLink(fixture(), 'l-002', { periodStart: undefined, periodEnd: undefined })
    dataset = withLink(dataset, 'l-003', { amount: undefined })
    dataset = withLink(dataset, 'l-004', { amount: 0 })
    dataset = withLink(dataset, 'l-005', { currency: 'XYZ' })
    const plan = plan360Giving(dataset)
    const l002 = plan.grants.find((grant) => grant.id.endsWith('l-002'))
    expect(l002?.awardDate).toBe('2025-03-04')
    expect(l002?.plannedDates).toBeUndefined()
    expect(plan.skipped).toEqual([
      { linkId: 'l-003', reason: 'no amount' },
      { linkId: 'l-004', reason: 'the amount is 0' },
      { linkId: 'l-005', reason: 'XYZ is not an ISO 4217 currency' },
    ])

    const undated = { ...dataset, meta: { ...dataset.meta, startDate: undefined, endDate: undefined } }
    expect(plan360Giving(undated).skipped[0]).toEqual({
      linkId: 'l-002',
      reason: 'no award date: the link has no start date and the workspace no dates',
    })
    expect(grantsOf(undated).some((grant) => grant.id.endsWith('l-002'))).toBe(false)
  })

  it('never gives an empty title or description', () => {
    const dataset = withLink(fixture(), 'l-001', { label: '', purpose: '', notes: '' })
    const grant = plan360Giving(dataset).grants[0]
    expect(grant?.title).toBe('Grant from National Lottery Community Fund to Riverside Food Bank')
    expect(grant?.description).toBe(
      'Funding from National Lottery Community Fund to Riverside Food Bank, recorded on the network map "Riverside Ward network map".',
    )
    const notes = withLink(fixture(), 'l-001', { purpose: ' ', notes: 'Pays for the van.' })
    expect(plan360Giving(notes).grants[0]?.description).toBe('Pays for the van.')
  })
})

describe('org-id.guide identifiers', () => {
  const base = actor(fixture(), 'a-gla')
  it('reads the register from the shape of the charity number', () => {
    expect(charityIdentifier('1123456')).toEqual({ scheme: 'GB-CHC', identifier: '1123456' })
    expect(charityIdentifier('SC012345')).toEqual({ scheme: 'GB-SC', identifier: 'SC012345' })
    expect(charityIdentifier('NI100001')).toEqual({ scheme: 'GB-NIC', identifier: '100001' })
    expect(charityIdentifier('')).toBeUndefined()
    expect(orgIdOf({ ...base, charityNumber: 'SC012345' })).toBe('GB-SC-SC012345')
    expect(orgIdOf({ ...base, charityNumber: 'NI100001' })).toBe('GB-NIC-100001')
    expect(orgIdOf({ ...base, companyNumber: 'SC123456' })).toBe('GB-COH-SC123456')
    expect(orgIdOf(base, '360G-x')).toBe('360G-x-org-a-gla')
  })
})

describe.skipIf(!haveStandard)('360Giving export against the published schema', () => {
  // The schemas name the 2020-12 meta-schema by its http:// address; ajv knows it as https://.
  const read = (name: string) => ({
    ...JSON.parse(readFileSync(join(STANDARD, name), 'utf8')),
    $schema: 'https://json-schema.org/draft/2020-12/schema',
  })
  let validateGrant: ValidateFunction
  let validatePackage: ValidateFunction
  // Read in beforeAll, which a skipped suite never runs, so a missing folder skips, not fails.
  beforeAll(() => {
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    addFormats.default(ajv)
    const grantSchema = read('360-giving-schema.json')
    validateGrant = ajv.compile(grantSchema)
    // The 1.4.3 package schema refers to the grant schema by its 1.4.2 address: the same schema.
    ajv.addSchema({ ...grantSchema, $id: grantSchema.$id.replace('/1.4.3/', '/1.4.2/') })
    validatePackage = ajv.compile(read('360-giving-package-schema.json'))
  })

  it('validates every grant, and the whole file as a grant package', () => {
    const file = JSON.parse(to360Giving(fixture()).body as string)
    expect(file.grants.length).toBeGreaterThan(0)
    for (const grant of file.grants) {
      expect(validateGrant(grant), `${grant.id}: ${JSON.stringify(validateGrant.errors)}`).toBe(true)
    }
    expect(validatePackage(file), JSON.stringify(validatePackage.errors)).toBe(true)
  })

  it('validates grants built from fallbacks too, and the validator is live', () => {
    const dataset = withLink(fixture(), 'l-001', { label: '', purpose: '', periodStart: undefined })
    for (const grant of plan360Giving(dataset, { prefix: '360G-test' }).grants) {
      expect(validateGrant(grant), `${grant.id}: ${JSON.stringify(validateGrant.errors)}`).toBe(true)
    }
    const grant = plan360Giving(fixture()).grants[0]
    expect(validateGrant({ ...grant, awardDate: '1 April 2024' })).toBe(false)
    expect(validateGrant({ ...grant, recipientOrganization: [] })).toBe(false)
  })
})
