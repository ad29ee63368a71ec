import { readFileSync } from 'node:fs'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  ACTOR_KINDS,
  DATASET_FORMAT,
  type Dataset,
  DOMAINS,
  datasetJsonSchema,
  fromDataset,
  LINK_KINDS,
  restoreDataset,
  toDataset,
  validateDataset,
  Workspace,
} from '../../model/index.ts'

const fixturePath = new URL('../fixtures/neighbourhood-map.json', import.meta.url)
const fixture = (): Dataset => JSON.parse(readFileSync(fixturePath, 'utf8'))

describe('the neighbourhood fixture', () => {
  const map = fixture()

  it('is a realistic map: at least 40 actors and 80 links, of every kind and domain', () => {
    expect(map.actors.length).toBeGreaterThanOrEqual(40)
    expect(map.links.length).toBeGreaterThanOrEqual(80)
    expect(new Set(map.actors.map((actor) => actor.kind))).toEqual(new Set(ACTOR_KINDS))
    expect(new Set(map.actors.flatMap((actor) => actor.domains))).toEqual(new Set(DOMAINS))
    expect(new Set(map.links.map((link) => link.kind))).toEqual(new Set(LINK_KINDS))
    expect(map.themes.length).toBeGreaterThan(0)
    expect(map.quickWins.length).toBeGreaterThan(0)
    expect(map.journeys.some((journey) => journey.consent && !journey.exportable)).toBe(true)
  })

  it('is valid and canonical as it stands', () => {
    const valid = validateDataset(map)
    expect(valid.ok ? [] : valid.error).toEqual([])
    expect(valid.ok && valid.value).toEqual(map)
  })
})

describe('toDataset / fromDataset', () => {
  it('round-trips the fixture losslessly, byte for byte', () => {
    const doc = fromDataset(fixture())
    expect(doc.ok).toBe(true)
    if (!doc.ok) return
    expect(JSON.stringify(toDataset(doc.value))).toBe(JSON.stringify(fixture()))
  })

  it('round-trips through Yjs updates: a replica that only saw the update has the same dataset', () => {
    const doc = fromDataset(fixture())
    if (!doc.ok) throw new Error('fixture did not load')
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc.value))
    expect(toDataset(replica)).toEqual(fixture())
  })

  it('is a pure function of the document: independent of layout, and the same twice', () => {
    const doc = fromDataset(fixture())
    if (!doc.ok) throw new Error('fixture did not load')
    const before = JSON.stringify(toDataset(doc.value))
    doc.value.getMap('canvas').set('shape:1', { id: 'shape:1', type: 'actor', x: 10, y: 20 })
    expect(JSON.stringify(toDataset(doc.value))).toBe(before)
  })

  it('round-trips a dataset made through commands, with every optional field', () => {
    const ws = new Workspace(new Y.Doc())
    ws.updateMeta({ title: 'Early Help workshop 1', startDate: '2026-11-23', endDate: '2026-11-23' })
    const fund = ws.addActor({ kind: 'funder', name: 'Fund', charityNumber: '1123456', tags: ['lottery'] })
    const food = ws.addActor({ kind: 'organisation', name: 'Food Bank', website: 'https://food.example' })
    ws.connect({
      from: fund.id,
      to: food.id,
      kind: 'funding',
      amount: 1500.5,
      strength: 3,
      periodStart: '2026-04-01',
      periodEnd: '2027-03-31',
    })
    const theme = ws.addTheme({ title: 'Trust', colour: 'green' })
    ws.addPoint(theme.id, { text: 'Known faces', actorIds: [food.id] })
    const quickWin = ws.addQuickWin({ text: 'Directory', themeId: theme.id, status: 'done' })
    ws.vote(quickWin.id, 'amina', 3)
    const journey = ws.addJourney({ title: 'J', consent: true, exportable: true })
    ws.addStep(journey.id, { actorId: food.id, feeling: 'positive', passedOn: true })
    const dataset = toDataset(ws.doc)
    const back = fromDataset(JSON.parse(JSON.stringify(dataset)))
    expect(back.ok && toDataset(back.value)).toEqual(dataset)
  })

  it('refuses an invalid dataset whole, naming every problem', () => {
    const broken = fixture()
    broken.links[0] = { ...(broken.links[0] as Dataset['links'][number]), to: 'a-nobody' }
    broken.actors[1] = {
      ...(broken.actors[1] as Dataset['actors'][number]),
      id: broken.actors[0]?.id as string,
    }
    broken.journeys[0]?.steps.push({
      ...(broken.journeys[0].steps[0] as Dataset['journeys'][number]['steps'][number]),
      id: 'x',
      actorId: 'a-gone',
    })
    const result = fromDataset(broken)
    expect(result.ok).toBe(false)
    const messages = !result.ok ? result.error.map((issue) => `${issue.path}: ${issue.message}`) : []
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^links\.0\.to: no actor a-nobody/),
        expect.stringMatching(/^actors\.1\.id: duplicate id/),
        expect.stringMatching(/^journeys\.0\.steps\.\d+\.actorId: no actor a-gone/),
      ]),
    )
  })

  it.each([
    ['not an object', 'hello', /JSON object/],
    ['another format', { format: 'kumu', version: 1 }, /not a community-network-map dataset/],
    ['a newer version', { format: DATASET_FORMAT, version: 99 }, /newer than this app/],
    ['no version', { format: DATASET_FORMAT }, /no valid version/],
  ])('refuses %s with a clear message', (_, input, message) => {
    const result = validateDataset(input)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error[0]?.message).toMatch(message)
  })

  it('will not load into a document that already holds records', () => {
    const ws = new Workspace(new Y.Doc())
    ws.addActor({ kind: 'funder', name: 'Fund' })
    expect(() => ws.load(fixture())).toThrow(/not empty/)
  })
})

describe('restoreDataset', () => {
  it('repairs what it can, leaves out what it cannot, and fixes references', () => {
    const damaged = JSON.parse(JSON.stringify(fixture()))
    const [first, second] = damaged.actors
    first.domains = ['weather'] // repairable: falls back to []
    delete second.name // not repairable: left out
    damaged.actors.push('not an actor')
    const result = restoreDataset(damaged)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const { dataset, problems } = result.value
    expect(dataset.actors.find((actor) => actor.id === first.id)?.domains).toEqual([])
    expect(dataset.actors.find((actor) => actor.id === second.id)).toBeUndefined()
    expect(dataset.actors).toHaveLength(fixture().actors.length - 1)
    expect(dataset.links.some((link) => link.from === second.id || link.to === second.id)).toBe(false)
    expect(validateDataset(dataset).ok).toBe(true)
    expect(problems.map((problem) => problem.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/repaired domains/),
        expect.stringMatching(/actor name/),
        expect.stringMatching(/must be an object/),
        expect.stringMatching(/left out/),
      ]),
    )
  })

  it('restores a healthy dataset unchanged, with no problems', () => {
    const result = restoreDataset(fixture())
    expect(result.ok && result.value).toEqual({ dataset: fixture(), problems: [] })
  })
})

describe('the dataset JSON Schema', () => {
  const schema = datasetJsonSchema()

  it('is kept in the repository, generated from the zod schema', async () => {
    await expect(`${JSON.stringify(schema, null, 2)}\n`).toMatchFileSnapshot(
      '../../model/dataset.schema.json',
    )
  })

  it('accepts the fixture and refuses a broken dataset (checked by an independent validator)', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    addFormats.default(ajv)
    const validate = ajv.compile(schema)
    expect(validate(fixture()), JSON.stringify(validate.errors)).toBe(true)
    const broken = fixture() as unknown as { actors: { kind: string }[] }
    ;(broken.actors[0] as { kind: string }).kind = 'club'
    expect(validate(broken)).toBe(false)
  })
})
