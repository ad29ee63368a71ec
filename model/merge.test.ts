import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { toDataset } from './dataset.ts'
import { DATASET_FORMAT, DATASET_VERSION, type Dataset, DatasetSchema } from './dataset-schema.ts'
import { WorkspaceError } from './errors.ts'
import { existingMatches } from './merge.ts'
import { ActorSchema } from './records/actor.ts'
import { LinkSchema } from './records/link.ts'
import { Workspace } from './workspace.ts'

const fixture = (): Dataset =>
  JSON.parse(readFileSync(new URL('../tests/fixtures/neighbourhood-map.json', import.meta.url), 'utf8'))

const incoming = (
  actors: Partial<Dataset['actors'][number]>[],
  links: Partial<Dataset['links'][number]>[] = [],
): Dataset =>
  DatasetSchema.parse({
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    meta: { title: 'Imported', area: '', facilitator: '', description: '' },
    actors: actors.map((actor) => ActorSchema.parse({ kind: 'organisation', ...actor })),
    links: links.map((link) => LinkSchema.parse({ kind: 'referral', ...link })),
    themes: [],
    quickWins: [],
    journeys: [],
  })

describe('importDataset', () => {
  it('merges a whole dataset by id into an empty workspace, losing nothing', () => {
    const ws = new Workspace(new Y.Doc())
    const summary = ws.importDataset(fixture(), { matchBy: 'id', keepVotes: true })
    expect(summary).toMatchObject({
      actorsAdded: fixture().actors.length,
      linksAdded: fixture().links.length,
    })
    // The workshop's own agenda and notes belong to its session: an import brings the map,
    // its themes, quick wins, journeys, models and actors' descriptions.
    const { meta: _meta, agenda, notes, ...rest } = toDataset(ws.doc)
    const { meta: _fixtureMeta, agenda: _agenda, notes: fixtureNotes, ...expected } = fixture()
    expect(rest).toEqual(expected)
    expect(agenda).toEqual([])
    expect(notes).toEqual({ workshop: '', actors: fixtureNotes.actors })
  })

  it("adds what it brings as the importer's: their author id, and dots only from a facilitator's import", () => {
    const withVotes = fixture().quickWins.filter((win) => Object.keys(win.votes).length > 0)
    expect(withVotes.length).toBeGreaterThan(0)
    const participant = new Workspace(new Y.Doc(), { authorId: 'invite-p' })
    participant.importDataset(fixture(), { matchBy: 'id' })
    const imported = toDataset(participant.doc)
    for (const records of [
      imported.quickWins,
      imported.journeys,
      imported.emergingModels,
      imported.themes.flatMap((theme) => theme.points),
    ])
      for (const record of records) expect(record.addedBy).toBe('invite-p')
    expect(imported.quickWins.every((win) => Object.keys(win.votes).length === 0)).toBe(true)
    // Everything else of theirs arrives as it was.
    expect(imported.quickWins.map((win) => win.text)).toEqual(fixture().quickWins.map((win) => win.text))

    const facilitator = new Workspace(new Y.Doc(), { authorId: 'invite-f' })
    facilitator.importDataset(fixture(), { matchBy: 'id', keepVotes: true })
    expect(toDataset(facilitator.doc).quickWins.map((win) => win.votes)).toEqual(
      fixture().quickWins.map((win) => win.votes),
    )
  })

  it('importing the same dataset again changes nothing', () => {
    const ws = new Workspace(new Y.Doc())
    ws.importDataset(fixture(), { matchBy: 'id' })
    const before = Y.encodeStateVector(ws.doc)
    expect(ws.importDataset(fixture(), { matchBy: 'id' })).toMatchObject({
      actorsAdded: 0,
      actorsUpdated: 0,
      linksAdded: 0,
    })
    expect(Y.encodeStateVector(ws.doc)).toEqual(before)
  })

  it('matches by name: fills in what the map lacks, adds the rest with fresh ids, re-points links', () => {
    const ws = new Workspace(new Y.Doc())
    const bank = ws.addActor({ kind: 'organisation', name: 'Riverside Food Bank', area: 'Riverside' })
    const summary = ws.importDataset(
      incoming(
        [
          { id: 'k-1', name: '  riverside food bank ', reach: '400 families', area: '' },
          { id: 'k-2', name: 'Community Fund', kind: 'funder' },
        ],
        [{ id: 'c-1', from: 'k-2', to: 'k-1', kind: 'funding', amount: 5000 }],
      ),
      { matchBy: 'name' },
    )
    expect(summary).toMatchObject({ actorsAdded: 1, actorsUpdated: 1, linksAdded: 1 })
    expect(ws.actor(bank.id)).toMatchObject({
      name: 'Riverside Food Bank',
      area: 'Riverside',
      reach: '400 families',
    })
    const fund = ws.actors().find((actor) => actor.name === 'Community Fund')
    expect(fund?.id).not.toBe('k-2')
    expect(ws.links()).toEqual([
      expect.objectContaining({ from: fund?.id, to: bank.id, kind: 'funding', amount: 5000 }),
    ])

    // The same file again: matched by name, the link found by its ends, nothing duplicated.
    const again = ws.importDataset(
      incoming(
        [
          { id: 'k-1', name: 'Riverside Food Bank' },
          { id: 'k-2', name: 'Community Fund', kind: 'funder' },
        ],
        [{ id: 'c-1', from: 'k-2', to: 'k-1', kind: 'funding', amount: 5000 }],
      ),
      { matchBy: 'name' },
    )
    expect(again).toMatchObject({ actorsAdded: 0, linksAdded: 0, linksUpdated: 0 })
    expect(ws.actors()).toHaveLength(2)
  })

  it('is all or nothing: an import that would break the map changes nothing', () => {
    const ws = new Workspace(new Y.Doc())
    ws.addActor({ kind: 'organisation', name: 'Food Bank' })
    const before = Y.encodeStateAsUpdate(ws.doc)
    const broken = incoming([{ id: 'k-1', name: 'New' }], [{ id: 'c-1', from: 'k-1', to: 'nobody' }])
    expect(() => ws.importDataset(broken, { matchBy: 'name' })).toThrow(WorkspaceError)
    expect(() => ws.importDataset({ nonsense: true } as never, { matchBy: 'id' })).toThrow(/importDataset/)
    expect(Y.encodeStateAsUpdate(ws.doc)).toEqual(before)
  })
})

describe('existingMatches', () => {
  it('finds the actors an import will merge into, as the merge itself matches them', () => {
    const workspace = new Workspace(new Y.Doc())
    workspace.importDataset(
      incoming([
        { id: 'food', name: 'Food Bank' },
        { id: 'gp', name: 'GP Surgery' },
      ]),
      {
        matchBy: 'id',
      },
    )
    const next = incoming([
      { id: 'x1', name: '  food bank ' },
      { id: 'gp', name: 'Another name' },
      { id: 'x3', name: 'Library' },
    ])
    const byName = existingMatches(workspace.actors(), next.actors, 'name')
    expect([...byName]).toEqual([['x1', 'food']])
    expect([...existingMatches(workspace.actors(), next.actors, 'id')]).toEqual([['gp', 'gp']])
    // The merge puts the import's actors where existingMatches said.
    const summary = workspace.importDataset(next, { matchBy: 'name' })
    expect(summary.actorIds.get('x1')).toBe('food')
  })
})
