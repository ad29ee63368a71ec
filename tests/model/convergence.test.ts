import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  ACTOR_KINDS,
  actorNoteKey,
  collection,
  DOMAINS,
  LINK_KINDS,
  notesMap,
  toDataset,
  validateDataset,
  Workspace,
  WorkspaceError,
} from '../../model/index.ts'

/**
 * Several replicas apply random commands and exchange their updates in random order, with
 * duplicates and delays; once every update has reached every replica, all must hold the same
 * dataset, and that dataset must be valid (no link or step pointing at a missing actor).
 */

const pick = <T>(items: readonly T[], index: number): T | undefined =>
  items.length === 0 ? undefined : items[index % items.length]

type Command = (ws: Workspace) => void

const name = fc.constantFrom('Food Bank', 'Family Hub', 'GP', 'Youth Club', 'Housing Office', 'Mosque')
const index = fc.nat(20)

const addActor = fc
  .record({ kind: fc.constantFrom(...ACTOR_KINDS), name })
  .map((input) => (ws: Workspace) => {
    ws.addActor(input)
  })

const connect = fc
  .tuple(index, index, fc.constantFrom(...LINK_KINDS))
  .map(([i, j, kind]) => (ws: Workspace) => {
    const from = pick(ws.actors(), i)
    const to = pick(ws.actors(), j)
    if (from && to)
      ws.connect({ from: from.id, to: to.id, kind, ...(kind === 'funding' ? { amount: i * 1000 } : {}) })
  })

const addStep = fc.tuple(index, index, index).map(([j, a, at]) => (ws: Workspace) => {
  const journey = pick(ws.journeys(), j)
  const actor = pick(ws.actors(), a)
  if (!journey) return
  const step = actor && a % 3 ? { actorId: actor.id, happened: 'seen' } : { place: 'somewhere else' }
  ws.addStep(journey.id, step, { at: at % (journey.steps.length + 1) })
})

const otherCommand: fc.Arbitrary<Command> = fc.oneof(
  fc
    .tuple(index, name, fc.subarray([...DOMAINS], { maxLength: 3 }))
    .map(([i, newName, domains]) => (ws: Workspace) => {
      const actor = pick(ws.actors(), i)
      if (actor) ws.updateActor(actor.id, i % 2 ? { name: newName } : { domains })
    }),
  index.map((i) => (ws: Workspace) => {
    const actor = pick(ws.actors(), i)
    if (actor) ws.removeActor(actor.id)
  }),
  fc.tuple(index, fc.constantFrom(...LINK_KINDS)).map(([i, kind]) => (ws: Workspace) => {
    const link = pick(ws.links(), i)
    if (link) ws.updateLink(link.id, i % 2 ? { kind } : { label: `label ${i}`, strength: (i % 5) + 1 })
  }),
  index.map((i) => (ws: Workspace) => {
    const link = pick(ws.links(), i)
    if (link) ws.disconnect(link.id)
  }),
  fc.tuple(name, index).map(([title, at]) => (ws: Workspace) => {
    ws.addTheme({ title }, { at: at % (ws.themes().length + 1) })
  }),
  fc.tuple(index, index, index).map(([t, a, at]) => (ws: Workspace) => {
    const theme = pick(ws.themes(), t)
    const actor = pick(ws.actors(), a)
    if (theme) {
      ws.addPoint(
        theme.id,
        { text: `point ${at}`, actorIds: actor ? [actor.id] : [] },
        { at: at % (theme.points.length + 1) },
      )
    }
  }),
  fc.tuple(index, index, index, index).map(([t, p, target, at]) => (ws: Workspace) => {
    const theme = pick(ws.themes(), t)
    const point = theme && pick(theme.points, p)
    const to = pick(ws.themes(), target)
    if (theme && point && to)
      ws.movePoint(theme.id, point.id, { themeId: to.id, at: at % (to.points.length + 1) })
  }),
  fc.tuple(index, index).map(([s, t]) => (ws: Workspace) => {
    const source = pick(ws.themes(), s)
    const target = pick(ws.themes(), t)
    if (source && target && source.id !== target.id) ws.mergeThemes(source.id, target.id)
  }),
  fc.tuple(name, index).map(([text, t]) => (ws: Workspace) => {
    const theme = pick(ws.themes(), t)
    ws.addQuickWin({ text, ...(theme && t % 2 ? { themeId: theme.id } : {}) })
  }),
  fc
    .tuple(index, fc.constantFrom('p1', 'p2', 'p3'), fc.nat(3))
    .map(([q, participant, dots]) => (ws: Workspace) => {
      const quickWin = pick(ws.quickWins(), q)
      if (quickWin) ws.vote(quickWin.id, participant, dots)
    }),
  index.map((i) => (ws: Workspace) => {
    const theme = pick(ws.themes(), i)
    if (theme) ws.removeTheme(theme.id)
  }),
  fc.tuple(name, fc.boolean()).map(([title, consent]) => (ws: Workspace) => {
    ws.addJourney({ title, consent, exportable: consent })
  }),
  fc.tuple(index, index, index).map(([j, s, at]) => (ws: Workspace) => {
    const journey = pick(ws.journeys(), j)
    const step = journey && pick(journey.steps, s)
    if (journey && step) {
      if (at % 3 === 0) ws.removeStep(journey.id, step.id)
      else ws.moveStep(journey.id, step.id, { at: at % journey.steps.length })
    }
  }),
  // The workshop: emerging models, the agenda, facilitation, merged points, notes.
  fc.tuple(name, index).map(([modelName, t]) => (ws: Workspace) => {
    const theme = pick(ws.themes(), t)
    ws.addEmergingModel({
      name: modelName,
      where: 'Elsewhere',
      ...(theme && t % 2 ? { themeId: theme.id } : {}),
    })
  }),
  fc.tuple(index, index).map(([m, t]) => (ws: Workspace) => {
    const model = pick(ws.emergingModels(), m)
    if (!model) return
    if (t % 4 === 0) ws.removeEmergingModel(model.id)
    else ws.updateEmergingModel(model.id, { why: `reason ${t}`, ...(t % 2 ? {} : { themeId: null }) })
  }),
  fc.tuple(name, fc.nat(90), index).map(([title, minutes, at]) => (ws: Workspace) => {
    ws.addAgendaItem({ title, minutes }, { at: at % (ws.agenda().length + 1) })
  }),
  fc.tuple(index, index).map(([i, at]) => (ws: Workspace) => {
    const item = pick(ws.agenda(), i)
    if (!item) return
    if (at % 3 === 0) ws.removeAgendaItem(item.id)
    else if (at % 3 === 1) ws.setCurrentItem(item.id, { startTimer: true, now: 1_000_000 })
    else ws.moveAgendaItem(item.id, { at: at % ws.agenda().length })
  }),
  fc.tuple(fc.integer({ min: 1, max: 6 }), fc.boolean()).map(([budget, lock]) => (ws: Workspace) => {
    ws.setVoteBudget(budget)
    if (lock) ws.lockMap()
    else ws.unlockMap()
  }),
  fc.tuple(index, index, index).map(([t, a, b]) => (ws: Workspace) => {
    const theme = pick(ws.themes(), t)
    const source = theme && pick(theme.points, a)
    const target = theme && pick(theme.points, b)
    if (theme && source && target && source.id !== target.id) ws.mergePoints(theme.id, source.id, target.id)
  }),
  fc.tuple(index, name).map(([a, words]) => (ws: Workspace) => {
    // Typing into an actor's description, as the editor's binding does: straight into the fragment.
    const actor = pick(ws.actors(), a)
    const note = actor && notesMap(ws.doc).get(actorNoteKey(actor.id))
    if (!(note instanceof Y.XmlFragment)) return
    ws.doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph')
      const text = new Y.XmlText()
      text.insert(0, words)
      paragraph.insert(0, [text])
      note.insert(a % (note.length + 1), [paragraph])
    }, 'editor')
  }),
)

/** Actors and links are what most commands need, so they come most often. */
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: addActor },
  { weight: 3, arbitrary: connect },
  { weight: 1, arbitrary: addStep },
  { weight: 6, arbitrary: otherCommand },
)

/** One thing that happens: a replica runs a command, or one update travels between replicas. */
type Event =
  | { type: 'command'; replica: number; run: Command }
  | { type: 'deliver'; from: number; to: number; update: number }

const event = (replicas: number): fc.Arbitrary<Event> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        type: fc.constant('command' as const),
        replica: fc.nat(replicas - 1),
        run: command,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant('deliver' as const),
        from: fc.nat(replicas - 1),
        to: fc.nat(replicas - 1),
        update: fc.nat(1000),
      }),
    },
  )

const scenario = fc.integer({ min: 2, max: 4 }).chain((replicas) =>
  fc.record({
    replicas: fc.constant(replicas),
    events: fc.array(event(replicas), { minLength: 20, maxLength: 120 }),
    finalOrder: fc.func(fc.integer()),
  }),
)

describe('convergence', () => {
  it('any interleaving of commands and deliveries converges to one valid dataset', () => {
    fc.assert(
      fc.property(scenario, ({ replicas, events, finalOrder }) => {
        const workspaces = Array.from(
          { length: replicas },
          (_, i) => new Workspace(new Y.Doc(), { participantId: `p${i}` }),
        )
        const outboxes: Uint8Array[][] = workspaces.map(() => [])
        workspaces.forEach((ws, i) => {
          ws.doc.on('update', (update: Uint8Array, origin: unknown) => {
            if (origin !== 'remote') outboxes[i]?.push(update)
          })
        })
        for (const step of events) {
          if (step.type === 'command') {
            try {
              step.run(workspaces[step.replica] as Workspace)
            } catch (error) {
              // A command refused on this replica's view (a link to itself...) is fine; anything else is a bug.
              if (!(error instanceof WorkspaceError)) throw error
            }
          } else {
            const outbox = outboxes[step.from] ?? []
            const update = pick(outbox, step.update)
            // Any update may arrive more than once, late, or before the updates it depends on.
            if (update && step.from !== step.to)
              Y.applyUpdate((workspaces[step.to] as Workspace).doc, update, 'remote')
          }
        }
        // Finally every update reaches every replica, in an arbitrary order.
        const all = outboxes.flatMap((outbox, from) =>
          outbox.map((update, n) => ({ update, from, key: finalOrder(from, n) })),
        )
        all.sort((a, b) => a.key - b.key)
        for (const ws of workspaces) for (const { update } of all) Y.applyUpdate(ws.doc, update, 'remote')

        const datasets = workspaces.map((ws) => JSON.stringify(toDataset(ws.doc)))
        for (const dataset of datasets) expect(dataset).toBe(datasets[0])
        const dataset = JSON.parse(datasets[0] as string)
        const validity = validateDataset(dataset)
        expect(validity.ok ? [] : validity.error).toEqual([])

        // A stored link left pointing at a removed actor is hidden, and reported as a problem.
        const ws = workspaces[0] as Workspace
        const actorIds = new Set(ws.actors().map((actor) => actor.id))
        const dangling = [...collection(ws.doc, 'links').values()]
          .filter((map) => !actorIds.has(map.get('from') as string) || !actorIds.has(map.get('to') as string))
          .map((map) => map.get('id'))
        const reported = ws
          .snapshot()
          .problems.filter((problem) => problem.kind === 'link')
          .map((problem) => problem.id)
        expect(reported.sort()).toEqual(dangling.sort())
      }),
      { numRuns: 300 },
    )
  })
})
