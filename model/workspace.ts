import * as Y from 'yjs'
import { z } from 'zod'
import type { Dataset } from './dataset-schema.ts'
import { datasetOf, validateDataset } from './dataset-schema.ts'
import {
  type AnyMap,
  actorNoteKey,
  COLLECTIONS,
  type Collection,
  collection,
  defineLayout,
  facilitationMap,
  metaMap,
  NESTED,
  newRecordMap,
  notesMap,
  plainFields,
  SCHEMA_KEY,
  WORKSHOP_NOTES,
  writeFields,
} from './document.ts'
import { type InputIssue, WorkspaceError } from './errors.ts'
import { Id, newId } from './ids.ts'
import { type MatchBy, type MergeSummary, planMerge, summarise } from './merge.ts'
import { writeMarkdownNote } from './notes.ts'
import { byOrder, orderBetween } from './order.ts'
import { readSnapshot, storedVersions, type WorkspaceSnapshot } from './read.ts'
import { type Actor, actorKind } from './records/actor.ts'
import { type AgendaItem, agendaItemKind } from './records/agenda-item.ts'
import { type EmergingModel, emergingModelKind } from './records/emerging-model.ts'
import {
  type Facilitation,
  facilitationKind,
  type Summon,
  type Timer,
  timeLeft,
  type ViewBounds,
  ViewBoundsSchema,
} from './records/facilitation.ts'
import { type Journey, type JourneyStep, journeyKind, journeyStepKind } from './records/journey.ts'
import { RECORD_KINDS } from './records/kinds.ts'
import { type Link, linkKind } from './records/link.ts'
import { type Meta, metaKind } from './records/meta.ts'
import { type QuickWin, quickWinKind, VoteCount } from './records/quick-win.ts'
import {
  type CreateInput,
  createSchemaOf,
  type Patch,
  patchSchemaOf,
  type RecordKind,
} from './records/record.ts'
import { type Theme, type ThemePoint, themeKind, themePointKind } from './records/theme.ts'

/**
 * The origin of every transaction a command makes: observers can tell a command's write from
 * a remote update or a canvas binding's, and a provider never echoes its own origin back.
 */
export class CommandOrigin {
  constructor(
    readonly command: string,
    readonly participantId: string | undefined,
  ) {}
}

/** Which parts of the document one transaction changed, and who changed them. */
export interface WorkspaceChange {
  readonly changed: ReadonlySet<string>
  readonly origin: unknown
  /** True for this replica's own writes, false for updates that arrived from elsewhere. */
  readonly local: boolean
}

export interface WorkspaceOptions {
  /** Who issues this replica's commands; carried on each transaction's origin. */
  readonly participantId?: string
  /**
   * Whether this replica may change a locked map anyway (a facilitator). Asked at each command,
   * since a role can change while the workspace is open. Whoever locked the map always may.
   */
  readonly mayEditLockedMap?: () => boolean
}

/** Where to put an item in an ordered list: its index among the others (the end if absent). */
export interface Position {
  readonly at?: number
}

/** What removing an actor took with it, so the caller can tell the person. */
export interface ActorRemoval {
  readonly actor: Actor
  readonly links: readonly Link[]
  /** Journey steps that named the actor: they keep its name as their place. */
  readonly journeySteps: readonly { journeyId: string; stepId: string }[]
  /** Theme points that referenced the actor: the reference is dropped, the point kept. */
  readonly themePoints: readonly { themeId: string; pointId: string }[]
}

export type ActorCreate = CreateInput<typeof actorKind.schema>
export type ActorPatch = Patch<Actor>
export type LinkCreate = CreateInput<typeof linkKind.schema>
export type LinkPatch = Patch<Link, 'from' | 'to'>
export type ThemeCreate = CreateInput<typeof themeKind.schema, 'order'>
export type ThemePatch = Patch<Omit<Theme, 'points'>, 'order'>
export type ThemePointCreate = CreateInput<typeof themePointKind.schema, 'order'>
export type ThemePointPatch = Patch<ThemePoint, 'order'>
export type QuickWinCreate = CreateInput<typeof quickWinKind.schema>
export type QuickWinPatch = Patch<Omit<QuickWin, 'votes'>>
export type JourneyCreate = CreateInput<typeof journeyKind.schema>
export type JourneyPatch = Patch<Omit<Journey, 'steps'>>
export type JourneyStepCreate = CreateInput<typeof journeyStepKind.schema, 'order'>
export type JourneyStepPatch = Patch<JourneyStep, 'order'>
export type MetaPatch = Patch<Meta>
export type EmergingModelCreate = CreateInput<typeof emergingModelKind.schema>
export type EmergingModelPatch = Patch<EmergingModel>
export type AgendaItemCreate = CreateInput<typeof agendaItemKind.schema, 'order'>
export type AgendaItemPatch = Patch<AgendaItem, 'order'>

const inputs = {
  actorCreate: createSchemaOf(actorKind.schema),
  actorPatch: patchSchemaOf(actorKind.schema),
  linkCreate: createSchemaOf(linkKind.schema),
  linkPatch: patchSchemaOf(linkKind.schema, ['id', 'from', 'to']),
  themeCreate: createSchemaOf(themeKind.schema, ['order']),
  themePatch: patchSchemaOf(themeKind.schema, ['id', 'order']),
  pointCreate: createSchemaOf(themePointKind.schema, ['order']),
  pointPatch: patchSchemaOf(themePointKind.schema, ['id', 'order']),
  quickWinCreate: createSchemaOf(quickWinKind.schema),
  quickWinPatch: patchSchemaOf(quickWinKind.schema),
  journeyCreate: createSchemaOf(journeyKind.schema),
  journeyPatch: patchSchemaOf(journeyKind.schema),
  stepCreate: createSchemaOf(journeyStepKind.schema, ['order']),
  stepPatch: patchSchemaOf(journeyStepKind.schema, ['id', 'order']),
  metaPatch: patchSchemaOf(metaKind.schema, []),
  emergingModelCreate: createSchemaOf(emergingModelKind.schema),
  emergingModelPatch: patchSchemaOf(emergingModelKind.schema),
  agendaItemCreate: createSchemaOf(agendaItemKind.schema, ['order']),
  agendaItemPatch: patchSchemaOf(agendaItemKind.schema, ['id', 'order']),
  facilitationPatch: patchSchemaOf(facilitationKind.schema, []),
  duration: z
    .number()
    .int()
    .min(0)
    .max(24 * 3_600_000),
  view: ViewBoundsSchema,
  participantName: z.string().max(100),
  id: Id,
  votes: VoteCount,
  endpoints: z.strictObject({ from: Id, to: Id }),
}

/**
 * A workspace: typed, validated commands over a Y.Doc, and validated snapshots of it.
 *
 * Every command validates its whole input before it touches the document and then writes in
 * one transaction, so a refused command (a thrown WorkspaceError) leaves the document exactly
 * as it was, and observers see each command as one change.
 */
export class Workspace {
  private cached: WorkspaceSnapshot | undefined
  private readonly listeners = new Set<(change: WorkspaceChange) => void>()
  private readonly afterTransaction = (transaction: Y.Transaction): void => {
    if (transaction.changed.size === 0 && transaction.deleteSet.clients.size === 0) return
    this.cached = undefined
    if (this.listeners.size === 0) return
    const changed = new Set<string>()
    const touched: ReadonlySet<unknown> = new Set(transaction.changedParentTypes.keys())
    for (const [name, type] of this.doc.share) if (touched.has(type)) changed.add(name)
    if (changed.size === 0) return
    const change = { changed, origin: transaction.origin, local: transaction.local }
    for (const listener of this.listeners) listener(change)
  }

  constructor(
    readonly doc: Y.Doc,
    private readonly options: WorkspaceOptions = {},
  ) {
    defineLayout(doc)
    doc.on('afterTransaction', this.afterTransaction)
  }

  /** Stops observing the document. The document itself is left alone. */
  destroy(): void {
    this.doc.off('afterTransaction', this.afterTransaction)
    this.listeners.clear()
  }

  // ---- readers ---------------------------------------------------------------------------

  /** The whole workspace, validated; the same object until the document next changes. */
  snapshot(): WorkspaceSnapshot {
    this.cached ??= readSnapshot(this.doc)
    return this.cached
  }

  meta(): Meta {
    return this.snapshot().meta
  }
  actors(): readonly Actor[] {
    return this.snapshot().actors
  }
  links(): readonly Link[] {
    return this.snapshot().links
  }
  themes(): readonly Theme[] {
    return this.snapshot().themes
  }
  quickWins(): readonly QuickWin[] {
    return this.snapshot().quickWins
  }
  journeys(): readonly Journey[] {
    return this.snapshot().journeys
  }
  emergingModels(): readonly EmergingModel[] {
    return this.snapshot().emergingModels
  }
  agenda(): readonly AgendaItem[] {
    return this.snapshot().agenda
  }
  facilitation(): Facilitation {
    return this.snapshot().facilitation
  }
  /** Whether this replica's map commands would be refused by the presentation lock. */
  mapLocked(): boolean {
    const { locked, lockedBy } = this.facilitation()
    if (!locked) return false
    if (lockedBy !== undefined && lockedBy === this.options.participantId) return false
    return !(this.options.mayEditLockedMap?.() ?? false)
  }
  actor(id: string): Actor | undefined {
    return this.actors().find((actor) => actor.id === id)
  }
  link(id: string): Link | undefined {
    return this.links().find((link) => link.id === id)
  }
  theme(id: string): Theme | undefined {
    return this.themes().find((theme) => theme.id === id)
  }
  quickWin(id: string): QuickWin | undefined {
    return this.quickWins().find((quickWin) => quickWin.id === id)
  }
  journey(id: string): Journey | undefined {
    return this.journeys().find((journey) => journey.id === id)
  }
  /** Links that start or end at an actor. */
  linksOf(actorId: string): readonly Link[] {
    return this.links().filter((link) => link.from === actorId || link.to === actorId)
  }

  /**
   * Calls `listener` after every transaction that changed the document, local or remote.
   * Returns the function that stops it.
   */
  onChange(listener: (change: WorkspaceChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  // ---- actors ----------------------------------------------------------------------------

  /** Adds an actor to the map. Its id may be given (the canvas names it first) or is made. */
  addActor(input: ActorCreate): Actor {
    const actor = this.create(
      'addActor',
      actorKind,
      inputs.actorCreate,
      input,
      collection(this.doc, 'actors'),
    )
    this.write('addActor', () => {
      collection(this.doc, 'actors').set(actor.id, newRecordMap(actor))
      // Made with the actor, which only this replica can be creating: never raced (see migrate).
      notesMap(this.doc).set(actorNoteKey(actor.id), new Y.XmlFragment())
    })
    return actor
  }

  /** Changes some of an actor's fields; the others, and concurrent edits to them, are kept. */
  updateActor(id: string, patch: ActorPatch): Actor {
    return this.patchRecord(
      'updateActor',
      actorKind,
      this.record('updateActor', 'actors', id),
      inputs.actorPatch,
      patch,
    )
  }

  /**
   * Removes an actor and everything that would otherwise point at nothing: its links and its
   * description are removed; journey steps keep the actor's name as their place; theme points
   * drop the reference. The report says what was touched.
   */
  removeActor(id: string): ActorRemoval {
    const map = this.record('removeActor', 'actors', id)
    const actor = actorKind.restore(plainFields(map))
    const name = actor.ok ? actor.value.name : id
    const removal = {
      actor: actor.ok ? actor.value : ({ id, name } as Actor),
      links: this.linksOfStored(id),
      journeySteps: [] as { journeyId: string; stepId: string }[],
      themePoints: [] as { themeId: string; pointId: string }[],
    }
    this.write('removeActor', () => {
      collection(this.doc, 'actors').delete(id)
      for (const link of removal.links) collection(this.doc, 'links').delete(link.id)
      notesMap(this.doc).delete(actorNoteKey(id))
      for (const [journeyId, journey] of collection(this.doc, 'journeys').entries()) {
        for (const [stepId, step] of nestedEntries(journey, NESTED.journeys)) {
          if (step.get('actorId') !== id) continue
          step.delete('actorId')
          if (!step.get('place')) step.set('place', name)
          removal.journeySteps.push({ journeyId, stepId })
        }
      }
      for (const [themeId, theme] of collection(this.doc, 'themes').entries()) {
        for (const [pointId, point] of nestedEntries(theme, NESTED.themes)) {
          const actorIds = point.get('actorIds')
          if (!Array.isArray(actorIds) || !actorIds.includes(id)) continue
          point.set(
            'actorIds',
            actorIds.filter((other) => other !== id),
          )
          removal.themePoints.push({ themeId, pointId })
        }
      }
    })
    return removal
  }

  // ---- links -----------------------------------------------------------------------------

  /** Draws a link from one actor to another. Both must exist and be different actors. */
  connect(input: LinkCreate): Link {
    const link = this.create('connect', linkKind, inputs.linkCreate, input, collection(this.doc, 'links'))
    this.checkEndpoints('connect', link.from, link.to)
    this.write('connect', () => collection(this.doc, 'links').set(link.id, newRecordMap(link)))
    return link
  }

  /** Changes a link's kind, label, strength, funding... Its endpoints stay: draw a new link to move it. */
  updateLink(id: string, patch: LinkPatch): Link {
    return this.patchRecord(
      'updateLink',
      linkKind,
      this.record('updateLink', 'links', id),
      inputs.linkPatch,
      patch,
    )
  }

  /**
   * Moves a link to other endpoints (an arrow re-bound on the canvas), keeping its kind,
   * label, funding and notes.
   */
  reconnect(id: string, endpoints: { from: string; to: string }): Link {
    const map = this.record('reconnect', 'links', id)
    const parsed = this.parse('reconnect', inputs.endpoints, endpoints)
    this.checkEndpoints('reconnect', parsed.from, parsed.to)
    const link = this.parse('reconnect', linkKind.schema, { ...plainFields(map), ...parsed })
    this.write('reconnect', () => writeFields(map, parsed))
    return link
  }

  /** Removes a link. */
  disconnect(id: string): Link {
    const map = this.record('disconnect', 'links', id)
    const link = linkKind.restore(plainFields(map))
    this.write('disconnect', () => collection(this.doc, 'links').delete(id))
    return link.ok ? link.value : ({ id } as Link)
  }

  // ---- themes ----------------------------------------------------------------------------

  /** Adds a theme to the board, at the end or at a position. */
  addTheme(input: ThemeCreate, position: Position = {}): Theme {
    const order = this.orderAt('addTheme', collection(this.doc, 'themes'), position)
    const theme = this.create(
      'addTheme',
      themeKind,
      inputs.themeCreate,
      input,
      collection(this.doc, 'themes'),
      { order },
    )
    this.write('addTheme', () => {
      const map = newRecordMap(theme)
      map.set(NESTED.themes, new Y.Map())
      collection(this.doc, 'themes').set(theme.id, map)
    })
    return { ...theme, points: [] }
  }

  updateTheme(id: string, patch: ThemePatch): Omit<Theme, 'points'> {
    return this.patchRecord(
      'updateTheme',
      themeKind,
      this.record('updateTheme', 'themes', id),
      inputs.themePatch,
      patch,
    )
  }

  /** Moves a theme on the board. */
  moveTheme(id: string, position: Position): void {
    const map = this.record('moveTheme', 'themes', id)
    const order = this.orderAt('moveTheme', collection(this.doc, 'themes'), position, id)
    this.write('moveTheme', () => map.set('order', order))
  }

  /** Removes a theme and its points; quick wins filed under it stay, unfiled. */
  removeTheme(id: string): void {
    this.record('removeTheme', 'themes', id)
    this.write('removeTheme', () => {
      collection(this.doc, 'themes').delete(id)
      this.refileQuickWins(id, undefined)
    })
  }

  /** Adds a point under a theme. The actors it names must be on the map. */
  addPoint(themeId: string, input: ThemePointCreate, position: Position = {}): ThemePoint {
    const points = this.nested('addPoint', 'themes', themeId, NESTED.themes)
    const order = this.orderAt('addPoint', points, position)
    const point = this.create('addPoint', themePointKind, inputs.pointCreate, input, points, { order })
    this.checkActors('addPoint', point.actorIds)
    this.write('addPoint', () => points.set(point.id, newRecordMap(point)))
    return point
  }

  updatePoint(themeId: string, pointId: string, patch: ThemePointPatch): ThemePoint {
    const point = this.nestedRecord('updatePoint', 'themes', themeId, NESTED.themes, pointId)
    const parsed = this.parse('updatePoint', inputs.pointPatch, patch)
    if (Array.isArray(parsed.actorIds)) this.checkActors('updatePoint', parsed.actorIds as string[])
    return this.patchRecord('updatePoint', themePointKind, point, inputs.pointPatch, patch)
  }

  /**
   * Moves a point within its theme or into another (how a facilitator merges what was said).
   * A point moved to another theme keeps its id and fields.
   */
  movePoint(themeId: string, pointId: string, to: Position & { themeId?: string }): void {
    const source = this.nested('movePoint', 'themes', themeId, NESTED.themes)
    const point = this.nestedRecord('movePoint', 'themes', themeId, NESTED.themes, pointId)
    const targetId = to.themeId ?? themeId
    const target = this.nested('movePoint', 'themes', targetId, NESTED.themes)
    const order = this.orderAt('movePoint', target, to, pointId)
    this.write('movePoint', () => {
      if (target === source) {
        point.set('order', order)
        return
      }
      const fields = { ...plainFields(point), order }
      source.delete(pointId)
      target.set(pointId, newRecordMap(fields))
    })
  }

  removePoint(themeId: string, pointId: string): void {
    const points = this.nested('removePoint', 'themes', themeId, NESTED.themes)
    this.nestedRecord('removePoint', 'themes', themeId, NESTED.themes, pointId)
    this.write('removePoint', () => points.delete(pointId))
  }

  /** Moves every point of one theme to the end of another and removes the emptied theme. */
  mergeThemes(sourceId: string, targetId: string): void {
    if (sourceId === targetId) {
      throw new WorkspaceError('invalid-reference', 'mergeThemes', 'a theme cannot be merged into itself')
    }
    const source = this.nested('mergeThemes', 'themes', sourceId, NESTED.themes)
    const target = this.nested('mergeThemes', 'themes', targetId, NESTED.themes)
    const moving = [...source.entries()]
      .map(([id, map]) => ({ id, map, order: String(map.get('order') ?? '') }))
      .sort(byOrder)
    this.write('mergeThemes', () => {
      let previous = lastOrder(target)
      for (const { id, map } of moving) {
        previous = orderBetween(previous, null)
        target.set(id, newRecordMap({ ...plainFields(map), order: previous }))
      }
      collection(this.doc, 'themes').delete(sourceId)
      this.refileQuickWins(sourceId, targetId)
    })
  }

  /** Files the quick wins and emerging models under one theme under another (or under none). */
  private refileQuickWins(fromThemeId: string, toThemeId: string | undefined): void {
    for (const name of ['quickWins', 'emergingModels'] as const) {
      for (const record of collection(this.doc, name).values()) {
        if (!(record instanceof Y.Map) || record.get('themeId') !== fromThemeId) continue
        if (toThemeId === undefined) record.delete('themeId')
        else record.set('themeId', toThemeId)
      }
    }
  }

  /**
   * Folds one point into another under the same theme: the texts joined, the actors named by
   * either kept, the source removed. How a facilitator tidies two people saying the same thing.
   */
  mergePoints(themeId: string, sourceId: string, targetId: string): ThemePoint {
    if (sourceId === targetId) {
      throw new WorkspaceError('invalid-reference', 'mergePoints', 'a point cannot be merged into itself')
    }
    const points = this.nested('mergePoints', 'themes', themeId, NESTED.themes)
    const source = this.nestedRecord('mergePoints', 'themes', themeId, NESTED.themes, sourceId)
    const target = this.nestedRecord('mergePoints', 'themes', themeId, NESTED.themes, targetId)
    const from = this.parse('mergePoints', themePointKind.schema, plainFields(source))
    const into = this.parse('mergePoints', themePointKind.schema, plainFields(target))
    const merged = this.parse('mergePoints', themePointKind.schema, {
      ...into,
      text: `${into.text}\n${from.text}`.slice(0, 2000),
      actorIds: [...new Set([...into.actorIds, ...from.actorIds])].slice(0, 50),
      author: [...new Set([into.author, from.author].filter(Boolean))].join(', ').slice(0, 100),
    })
    this.write('mergePoints', () => {
      writeFields(target, merged)
      points.delete(sourceId)
    })
    return merged
  }

  // ---- quick wins ------------------------------------------------------------------------

  addQuickWin(input: QuickWinCreate): QuickWin {
    const quickWin = this.create(
      'addQuickWin',
      quickWinKind,
      inputs.quickWinCreate,
      input,
      collection(this.doc, 'quickWins'),
    )
    if (quickWin.themeId !== undefined) this.record('addQuickWin', 'themes', quickWin.themeId)
    this.write('addQuickWin', () => {
      const map = newRecordMap(quickWin)
      map.set(NESTED.quickWins, new Y.Map())
      collection(this.doc, 'quickWins').set(quickWin.id, map)
    })
    return { ...quickWin, votes: {} }
  }

  updateQuickWin(id: string, patch: QuickWinPatch): Omit<QuickWin, 'votes'> {
    const map = this.record('updateQuickWin', 'quickWins', id)
    const themeId = (patch as { themeId?: unknown }).themeId
    if (typeof themeId === 'string') this.record('updateQuickWin', 'themes', themeId)
    return this.patchRecord('updateQuickWin', quickWinKind, map, inputs.quickWinPatch, patch)
  }

  removeQuickWin(id: string): void {
    this.record('removeQuickWin', 'quickWins', id)
    this.write('removeQuickWin', () => collection(this.doc, 'quickWins').delete(id))
  }

  /**
   * Sets how many dots a participant has on a quick win (0 takes them all back). Each
   * participant's count is its own key, so people voting at once never overwrite each other.
   * Adding dots beyond the facilitator's budget (counted over every quick win) is refused;
   * taking dots back never is, even when a lowered budget leaves someone over it.
   */
  vote(quickWinId: string, participantId: string, count: number): void {
    const participant = this.parse('vote', inputs.id, participantId)
    const dots = this.parse('vote', inputs.votes, count)
    const votes: AnyMap = this.nested('vote', 'quickWins', quickWinId, NESTED.quickWins)
    const current = Number(votes.get(participant) ?? 0)
    if (current === dots) return
    const budget = this.facilitation().voteBudget
    const elsewhere = this.snapshot()
      .quickWins.filter((quickWin) => quickWin.id !== quickWinId)
      .reduce((sum, quickWin) => sum + (quickWin.votes[participant] ?? 0), 0)
    if (dots > current && elsewhere + dots > budget) {
      throw new WorkspaceError(
        'over-budget',
        'vote',
        `each person has ${budget} dot${budget === 1 ? '' : 's'}; take one back from another quick win first`,
      )
    }
    this.write('vote', () => {
      if (dots === 0) votes.delete(participant)
      else votes.set(participant, dots)
    })
  }

  // ---- journeys --------------------------------------------------------------------------

  addJourney(input: JourneyCreate): Journey {
    const journey = this.create(
      'addJourney',
      journeyKind,
      inputs.journeyCreate,
      input,
      collection(this.doc, 'journeys'),
    )
    this.write('addJourney', () => {
      const map = newRecordMap(journey)
      map.set(NESTED.journeys, new Y.Map())
      collection(this.doc, 'journeys').set(journey.id, map)
    })
    return { ...journey, steps: [] }
  }

  updateJourney(id: string, patch: JourneyPatch): Omit<Journey, 'steps'> {
    const map = this.record('updateJourney', 'journeys', id)
    return this.patchRecord('updateJourney', journeyKind, map, inputs.journeyPatch, patch)
  }

  removeJourney(id: string): void {
    this.record('removeJourney', 'journeys', id)
    this.write('removeJourney', () => collection(this.doc, 'journeys').delete(id))
  }

  /** Adds a step to a journey. It names an actor on the map, a place in words, or both. */
  addStep(journeyId: string, input: JourneyStepCreate, position: Position = {}): JourneyStep {
    const steps = this.nested('addStep', 'journeys', journeyId, NESTED.journeys)
    const order = this.orderAt('addStep', steps, position)
    const step = this.create('addStep', journeyStepKind, inputs.stepCreate, input, steps, { order })
    if (step.actorId !== undefined) this.checkActors('addStep', [step.actorId])
    else if (step.place.trim() === '') {
      throw new WorkspaceError('invalid-input', 'addStep', 'a step names an actor or a place', [
        { path: 'place', message: 'name an actor on the map or the place in words' },
      ])
    }
    this.write('addStep', () => steps.set(step.id, newRecordMap(step)))
    return step
  }

  updateStep(journeyId: string, stepId: string, patch: JourneyStepPatch): JourneyStep {
    const step = this.nestedRecord('updateStep', 'journeys', journeyId, NESTED.journeys, stepId)
    const parsed = this.parse('updateStep', inputs.stepPatch, patch)
    if (typeof parsed.actorId === 'string') this.checkActors('updateStep', [parsed.actorId])
    return this.patchRecord('updateStep', journeyStepKind, step, inputs.stepPatch, patch)
  }

  moveStep(journeyId: string, stepId: string, position: Position): void {
    const steps = this.nested('moveStep', 'journeys', journeyId, NESTED.journeys)
    const step = this.nestedRecord('moveStep', 'journeys', journeyId, NESTED.journeys, stepId)
    const order = this.orderAt('moveStep', steps, position, stepId)
    this.write('moveStep', () => step.set('order', order))
  }

  removeStep(journeyId: string, stepId: string): void {
    const steps = this.nested('removeStep', 'journeys', journeyId, NESTED.journeys)
    this.nestedRecord('removeStep', 'journeys', journeyId, NESTED.journeys, stepId)
    this.write('removeStep', () => steps.delete(stepId))
  }

  // ---- emerging models -------------------------------------------------------------------

  /** Records an example of good practice elsewhere. */
  addEmergingModel(input: EmergingModelCreate): EmergingModel {
    const models = collection(this.doc, 'emergingModels')
    const model = this.create(
      'addEmergingModel',
      emergingModelKind,
      inputs.emergingModelCreate,
      input,
      models,
    )
    if (model.themeId !== undefined) this.record('addEmergingModel', 'themes', model.themeId)
    this.write('addEmergingModel', () => models.set(model.id, newRecordMap(model)))
    return model
  }

  updateEmergingModel(id: string, patch: EmergingModelPatch): EmergingModel {
    const map = this.record('updateEmergingModel', 'emergingModels', id)
    const themeId = (patch as { themeId?: unknown }).themeId
    if (typeof themeId === 'string') this.record('updateEmergingModel', 'themes', themeId)
    return this.patchRecord('updateEmergingModel', emergingModelKind, map, inputs.emergingModelPatch, patch)
  }

  removeEmergingModel(id: string): void {
    this.record('removeEmergingModel', 'emergingModels', id)
    this.write('removeEmergingModel', () => collection(this.doc, 'emergingModels').delete(id))
  }

  // ---- facilitation: agenda, timer, votes, lock, "bring everyone to me" ------------------

  /** Adds an item to the agenda, at the end or at a position. */
  addAgendaItem(input: AgendaItemCreate, position: Position = {}): AgendaItem {
    const agenda = collection(this.doc, 'agenda')
    const order = this.orderAt('addAgendaItem', agenda, position)
    const item = this.create('addAgendaItem', agendaItemKind, inputs.agendaItemCreate, input, agenda, {
      order,
    })
    this.write('addAgendaItem', () => agenda.set(item.id, newRecordMap(item)))
    return item
  }

  updateAgendaItem(id: string, patch: AgendaItemPatch): AgendaItem {
    const map = this.record('updateAgendaItem', 'agenda', id)
    return this.patchRecord('updateAgendaItem', agendaItemKind, map, inputs.agendaItemPatch, patch)
  }

  moveAgendaItem(id: string, position: Position): void {
    const map = this.record('moveAgendaItem', 'agenda', id)
    const order = this.orderAt('moveAgendaItem', collection(this.doc, 'agenda'), position, id)
    this.write('moveAgendaItem', () => map.set('order', order))
  }

  /** Removes an agenda item; if it was the current one, no item is current. */
  removeAgendaItem(id: string): void {
    this.record('removeAgendaItem', 'agenda', id)
    this.write('removeAgendaItem', () => {
      collection(this.doc, 'agenda').delete(id)
      if (facilitationMap(this.doc).get('currentItemId') === id)
        facilitationMap(this.doc).delete('currentItemId')
    })
  }

  /**
   * Makes an agenda item the current one (null: none). With `startTimer`, the timer starts on
   * the item's planned minutes, so "next item" is one tap.
   */
  setCurrentItem(id: string | null, options: { startTimer?: boolean; now?: number } = {}): void {
    if (id === null) {
      this.patchFacilitation('setCurrentItem', { currentItemId: null })
      return
    }
    const item = this.parse(
      'setCurrentItem',
      agendaItemKind.schema,
      plainFields(this.record('setCurrentItem', 'agenda', id)),
    )
    const durationMs = item.minutes * 60_000
    const timer =
      options.startTimer && durationMs > 0
        ? { durationMs, remainingMs: durationMs, endsAt: (options.now ?? Date.now()) + durationMs }
        : undefined
    this.patchFacilitation('setCurrentItem', { currentItemId: id, ...(timer ? { timer } : {}) })
  }

  /** Starts the shared countdown afresh for `durationMs`, or resumes a paused one. */
  startTimer(options: { durationMs?: number; now?: number } = {}): Timer {
    const now = options.now ?? Date.now()
    if (options.durationMs !== undefined) {
      const durationMs = this.parse('startTimer', inputs.duration, options.durationMs)
      return this.setTimer('startTimer', { durationMs, remainingMs: durationMs, endsAt: now + durationMs })
    }
    const timer = this.facilitation().timer
    if (!timer || timer.remainingMs === 0) {
      throw new WorkspaceError('invalid-input', 'startTimer', 'set how long the timer runs for', [
        { path: 'durationMs', message: 'required when no timer is paused' },
      ])
    }
    if (timer.endsAt !== undefined) return timer
    return this.setTimer('startTimer', { ...timer, endsAt: now + timer.remainingMs })
  }

  /** Stops the countdown where it is. */
  pauseTimer(now: number = Date.now()): Timer | undefined {
    const timer = this.facilitation().timer
    if (!timer || timer.endsAt === undefined) return timer
    return this.setTimer('pauseTimer', { durationMs: timer.durationMs, remainingMs: timeLeft(timer, now) })
  }

  /** Puts the time back to the full duration, paused. */
  resetTimer(): Timer | undefined {
    const timer = this.facilitation().timer
    if (!timer) return undefined
    return this.setTimer('resetTimer', { durationMs: timer.durationMs, remainingMs: timer.durationMs })
  }

  /** Gives the countdown more time (or less, with a negative amount, never below zero). */
  addTime(ms: number, now: number = Date.now()): Timer | undefined {
    const timer = this.facilitation().timer
    if (!timer) return undefined
    const left = Math.max(0, timeLeft(timer, now) + ms)
    const durationMs = Math.max(0, timer.durationMs + ms)
    return this.setTimer(
      'addTime',
      timer.endsAt === undefined
        ? { durationMs, remainingMs: left }
        : { durationMs, remainingMs: left, endsAt: now + left },
    )
  }

  /** Takes the timer away. */
  clearTimer(): void {
    this.patchFacilitation('clearTimer', { timer: null })
  }

  private setTimer(command: string, timer: Timer): Timer {
    return this.patchFacilitation(command, { timer }).timer as Timer
  }

  /** Sets how many dots each participant may place across all quick wins. */
  setVoteBudget(dots: number): void {
    this.patchFacilitation('setVoteBudget', { voteBudget: dots })
  }

  /** Makes the map read-only for everyone but this replica's participant (and facilitators). */
  lockMap(): void {
    this.patchFacilitation('lockMap', { locked: true, lockedBy: this.options.participantId ?? null })
  }

  unlockMap(): void {
    this.patchFacilitation('unlockMap', { locked: false, lockedBy: null })
  }

  /** "Bring everyone to me": every other device fits its view of the map to `view`, once. */
  summon(view: ViewBounds, name: string, now: number = Date.now()): Summon {
    const by = this.options.participantId
    if (by === undefined) {
      throw new WorkspaceError(
        'invalid-input',
        'summon',
        'only a named participant can bring everyone to them',
      )
    }
    const summon = {
      id: newId(),
      by,
      name: this.parse('summon', inputs.participantName, name),
      at: now,
      view: this.parse('summon', inputs.view, view),
    }
    return this.patchFacilitation('summon', { summon }).summon as Summon
  }

  private patchFacilitation(command: string, patch: Record<string, unknown>): Facilitation {
    return this.patchRecord(
      command,
      facilitationKind,
      facilitationMap(this.doc),
      inputs.facilitationPatch,
      patch,
    )
  }

  // ---- meta ------------------------------------------------------------------------------

  /** Changes the workspace's title, area, dates, facilitator or description. */
  updateMeta(patch: MetaPatch): Meta {
    return this.patchRecord('updateMeta', metaKind, metaMap(this.doc), inputs.metaPatch, patch)
  }

  // ---- whole datasets --------------------------------------------------------------------

  /**
   * Fills an empty document with a dataset, in one transaction. The dataset is checked whole
   * (shape and references) first. A document that already holds records is refused: merging
   * into a live map is an import's job, and rebuilding one from JSON would duplicate content
   * for every replica that still holds its CRDT history.
   */
  load(dataset: Dataset): void {
    const valid = validateDataset(dataset)
    if (!valid.ok) throw this.datasetError('load', valid.error)
    if (COLLECTIONS.some((name) => collection(this.doc, name).size > 0)) {
      throw new WorkspaceError('invalid-reference', 'load', 'the workspace is not empty')
    }
    const data = valid.value
    this.write('load', () => {
      writeFields(metaMap(this.doc), data.meta)
      writeFields(facilitationMap(this.doc), data.facilitation)
      this.putRecords(data)
      const workshop = new Y.XmlFragment()
      notesMap(this.doc).set(WORKSHOP_NOTES, workshop)
      writeMarkdownNote(workshop, data.notes.workshop)
      this.putActorNotes(
        data.actors.map((actor) => actor.id),
        data.notes.actors,
      )
    })
  }

  /**
   * Merges a dataset (an import) into this workspace, all or nothing: the plan is made and the
   * merged result checked whole before one transaction writes it. See `planMerge` for how
   * records are matched. Returns what was added and updated, and where incoming actors went.
   */
  importDataset(
    incoming: Dataset,
    options: { matchBy: MatchBy },
  ): MergeSummary & { actorIds: ReadonlyMap<string, string> } {
    const valid = validateDataset(incoming)
    if (!valid.ok) throw this.datasetError('importDataset', valid.error)
    const snapshot = this.snapshot()
    const plan = planMerge(snapshot, valid.value, options.matchBy)
    const updatesFor = <T extends { id: string }>(
      records: readonly T[],
      updates: { id: string; fields: Partial<T> }[],
    ) => {
      const byId = new Map(updates.map((update) => [update.id, update.fields]))
      return records.map((record) => ({ ...record, ...byId.get(record.id) }))
    }
    const merged = {
      ...datasetOf(snapshot),
      actors: [...updatesFor(snapshot.actors, plan.updateActors), ...plan.addActors],
      links: [...updatesFor(snapshot.links, plan.updateLinks), ...plan.addLinks],
      themes: [...snapshot.themes, ...plan.addThemes],
      quickWins: [...snapshot.quickWins, ...plan.addQuickWins],
      journeys: [...snapshot.journeys, ...plan.addJourneys],
      emergingModels: [...snapshot.emergingModels, ...plan.addEmergingModels],
    }
    const check = validateDataset(merged)
    if (!check.ok) throw this.datasetError('importDataset', check.error)
    this.write('importDataset', () => {
      const actors = collection(this.doc, 'actors')
      const links = collection(this.doc, 'links')
      for (const { id, fields } of plan.updateActors) {
        const map = actors.get(id)
        if (map instanceof Y.Map) writeFields(map, fields)
      }
      for (const { id, fields } of plan.updateLinks) {
        const map = links.get(id)
        if (map instanceof Y.Map) writeFields(map, fields)
      }
      this.putRecords({
        actors: plan.addActors,
        links: plan.addLinks,
        themes: plan.addThemes,
        quickWins: plan.addQuickWins,
        journeys: plan.addJourneys,
        emergingModels: plan.addEmergingModels,
        agenda: [],
      })
      this.putActorNotes(
        plan.addActors.map((actor) => actor.id),
        plan.addActorNotes,
      )
    })
    return { ...summarise(plan), actorIds: plan.actorIds }
  }

  /** Gives each actor its description note, from Markdown where there is some. */
  private putActorNotes(actorIds: readonly string[], markdown: Readonly<Record<string, string>>): void {
    for (const id of actorIds) {
      const note = new Y.XmlFragment()
      notesMap(this.doc).set(actorNoteKey(id), note)
      const text = markdown[id]
      if (text) writeMarkdownNote(note, text)
    }
  }

  /** Inserts whole records, nested collections and all (inside a command's transaction). */
  private putRecords(
    data: Pick<
      Dataset,
      'actors' | 'links' | 'themes' | 'quickWins' | 'journeys' | 'emergingModels' | 'agenda'
    >,
  ): void {
    const withNested = (record: Record<string, unknown>, key: string, items: Record<string, unknown>) => {
      const map = newRecordMap(record)
      map.set(key, newMapOf(items))
      return map
    }
    const actors = collection(this.doc, 'actors')
    for (const actor of data.actors) actors.set(actor.id, newRecordMap(actor))
    const links = collection(this.doc, 'links')
    for (const link of data.links) links.set(link.id, newRecordMap(link))
    const themes = collection(this.doc, 'themes')
    for (const { points, ...theme } of data.themes) {
      themes.set(theme.id, withNested(theme, NESTED.themes, byId(points.map(newRecordMap), points)))
    }
    const quickWins = collection(this.doc, 'quickWins')
    for (const { votes, ...quickWin } of data.quickWins) {
      quickWins.set(quickWin.id, withNested(quickWin, NESTED.quickWins, votes))
    }
    const journeys = collection(this.doc, 'journeys')
    for (const { steps, ...journey } of data.journeys) {
      journeys.set(journey.id, withNested(journey, NESTED.journeys, byId(steps.map(newRecordMap), steps)))
    }
    const models = collection(this.doc, 'emergingModels')
    for (const model of data.emergingModels) models.set(model.id, newRecordMap(model))
    const agenda = collection(this.doc, 'agenda')
    for (const item of data.agenda) agenda.set(item.id, newRecordMap(item))
  }

  private datasetError(
    command: string,
    issues: readonly { path: string; message: string }[],
  ): WorkspaceError {
    const summary = issues
      .slice(0, 5)
      .map((issue) => `${issue.path}: ${issue.message}`)
      .join('; ')
    return new WorkspaceError(
      'invalid-input',
      command,
      `${summary}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`,
      issues,
    )
  }

  // ---- the machinery every command shares ------------------------------------------------

  /** Runs `writes` in one transaction tagged with the command, stamping the record versions. */
  private write(command: string, writes: () => void): void {
    this.assertWritable(command)
    if (MAP_COMMANDS.has(command) && this.mapLocked()) {
      throw new WorkspaceError(
        'locked',
        command,
        'the map is locked for a presentation; it can be changed again once it is unlocked',
      )
    }
    this.doc.transact(() => {
      writes()
      stampVersions(this.doc)
    }, new CommandOrigin(command, this.options.participantId))
  }

  /** Refuses to write to a document whose records are newer than this code understands. */
  private assertWritable(command: string): void {
    const stored = storedVersions(this.doc)
    for (const kind of RECORD_KINDS) {
      if ((stored[kind.name] ?? 1) > kind.version) {
        throw new WorkspaceError(
          'newer-schema',
          command,
          `this workspace was saved by a newer version of the app (${kind.name} v${stored[kind.name]}); reload to update`,
        )
      }
    }
  }

  private parse<S extends z.ZodType>(command: string, schema: S, input: unknown): z.infer<S> {
    const parsed = schema.safeParse(input)
    if (parsed.success) return parsed.data
    const issues: InputIssue[] = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }))
    const summary = issues
      .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
      .join('; ')
    throw new WorkspaceError('invalid-input', command, summary, issues)
  }

  /** Validates a create command's input and completes it into a whole record. */
  private create<S extends z.ZodObject>(
    command: string,
    kind: RecordKind<S>,
    schema: z.ZodType,
    input: unknown,
    siblings: AnyMap,
    generated: Record<string, unknown> = {},
  ): z.infer<S> {
    const fields = this.parse(command, schema, input) as Record<string, unknown>
    const record = this.parse(command, kind.schema, { ...fields, ...generated, id: fields.id ?? newId() })
    if (siblings.has(record.id as string)) {
      throw new WorkspaceError('invalid-reference', command, `there is a ${kind.name} ${record.id} already`)
    }
    return record
  }

  /** Applies a patch to a record map: validated as a whole, written field by field. */
  private patchRecord<S extends z.ZodObject>(
    command: string,
    kind: RecordKind<S>,
    map: Y.Map<unknown>,
    schema: z.ZodType,
    patch: unknown,
  ): z.infer<S> {
    const changes = this.parse(command, schema, patch) as Record<string, unknown>
    const cleared = Object.keys(changes).filter((key) => changes[key] === null)
    const merged = { ...plainFields(map), ...changes }
    for (const key of cleared) delete merged[key]
    const record = this.parse(command, kind.schema, merged) as Record<string, unknown>
    const written = Object.fromEntries(
      Object.keys(changes)
        .filter((key) => changes[key] !== null)
        .map((key) => [key, record[key]]),
    )
    this.write(command, () => writeFields(map, written, cleared))
    return record as z.infer<S>
  }

  /** A record's map, or a not-found error. */
  private record(command: string, name: Collection, id: string): Y.Map<unknown> {
    const map = collection(this.doc, name).get(id)
    if (!(map instanceof Y.Map)) {
      throw new WorkspaceError('not-found', command, `there is no ${singular(name)} ${id}`)
    }
    return map
  }

  /** A record's nested collection (a theme's points...), created if an old peer left it out. */
  private nested(command: string, name: Collection, id: string, key: string): Y.Map<Y.Map<unknown>> {
    const map = this.record(command, name, id)
    const nested = map.get(key)
    if (nested instanceof Y.Map) return nested as Y.Map<Y.Map<unknown>>
    const created = new Y.Map<Y.Map<unknown>>()
    this.write(command, () => map.set(key, created))
    return created
  }

  private nestedRecord(
    command: string,
    name: Collection,
    id: string,
    key: string,
    itemId: string,
  ): Y.Map<unknown> {
    const item = this.nested(command, name, id, key).get(itemId)
    if (!(item instanceof Y.Map)) {
      throw new WorkspaceError(
        'not-found',
        command,
        `${singular(name)} ${id} has no ${key.replace(/s$/, '')} ${itemId}`,
      )
    }
    return item
  }

  /** The order key for an item placed at `position` among `siblings` (leaving out `moving`). */
  private orderAt(command: string, siblings: AnyMap, position: Position, moving?: string): string {
    const ordered = [...siblings.entries()]
      .filter(([id]) => id !== moving)
      .map(([id, map]) => ({ id, order: map instanceof Y.Map ? String(map.get('order') ?? '') : '' }))
      .sort(byOrder)
    const at = position.at ?? ordered.length
    if (!Number.isInteger(at) || at < 0 || at > ordered.length) {
      throw new WorkspaceError('invalid-input', command, `position ${at} is outside 0..${ordered.length}`, [
        { path: 'at', message: `must be between 0 and ${ordered.length}` },
      ])
    }
    const before = ordered[at - 1]?.order || null
    const after = ordered.slice(at).find((item) => before === null || item.order > before)?.order ?? null
    return orderBetween(before, after)
  }

  private checkEndpoints(command: string, from: string, to: string): void {
    if (from === to)
      throw new WorkspaceError('invalid-reference', command, 'a link joins two different actors')
    this.checkActors(command, [from, to])
  }

  private checkActors(command: string, ids: readonly string[]): void {
    const missing = ids.filter((id) => !(collection(this.doc, 'actors').get(id) instanceof Y.Map))
    if (missing.length > 0) {
      throw new WorkspaceError('invalid-reference', command, `no actor ${missing.join(', ')} on the map`)
    }
  }

  /** Links touching an actor as stored, including ones a reader would hide. */
  private linksOfStored(actorId: string): Link[] {
    const links: Link[] = []
    for (const map of collection(this.doc, 'links').values()) {
      if (!(map instanceof Y.Map) || (map.get('from') !== actorId && map.get('to') !== actorId)) continue
      const link = linkKind.restore(plainFields(map))
      links.push(link.ok ? link.value : ({ id: String(map.get('id')) } as Link))
    }
    return links
  }
}

/** Commands that change the map, refused while it is locked for a presentation. */
const MAP_COMMANDS: ReadonlySet<string> = new Set([
  'addActor',
  'updateActor',
  'removeActor',
  'connect',
  'updateLink',
  'reconnect',
  'disconnect',
  'importDataset',
])

/** Records the versions this code writes, where the document does not say so already. */
function stampVersions(doc: Y.Doc): void {
  const stored = storedVersions(doc)
  if (RECORD_KINDS.every((kind) => stored[kind.name] === kind.version)) return
  const versions = { ...stored }
  for (const kind of RECORD_KINDS) versions[kind.name] ??= kind.version
  if (RECORD_KINDS.some((kind) => stored[kind.name] !== versions[kind.name]))
    metaMap(doc).set(SCHEMA_KEY, versions)
}

/** A new Y.Map holding the given entries. */
function newMapOf(entries: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>()
  for (const [key, value] of Object.entries(entries)) map.set(key, value)
  return map
}

function byId<T>(values: readonly T[], records: readonly { id: string }[]): Record<string, T> {
  return Object.fromEntries(values.map((value, index) => [records[index]?.id, value]))
}

function nestedEntries(map: Y.Map<unknown>, key: string): [string, Y.Map<unknown>][] {
  const nested = map.get(key)
  if (!(nested instanceof Y.Map)) return []
  return [...nested.entries()].filter((entry): entry is [string, Y.Map<unknown>] => entry[1] instanceof Y.Map)
}

function lastOrder(map: Y.Map<Y.Map<unknown>>): string | null {
  const orders = [...map.values()].map((item) => String(item.get('order') ?? '')).filter(Boolean)
  return orders.sort().at(-1) ?? null
}

function singular(name: Collection): string {
  return {
    actors: 'actor',
    links: 'link',
    themes: 'theme',
    quickWins: 'quick win',
    journeys: 'journey',
    emergingModels: 'emerging model',
    agenda: 'agenda item',
  }[name]
}
