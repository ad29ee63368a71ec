import type * as Y from 'yjs'
import * as board from './board.ts'
import {
  addRecord,
  moveRecord,
  type Position,
  removeRecord,
  updateRecord,
  type Within,
} from './collection.ts'
import { writeCommand } from './command-write.ts'
import {
  type ActorCreate,
  type ActorPatch,
  type ActorRemoval,
  type AgendaItemCreate,
  type AgendaItemPatch,
  actorRemovalOf,
  type EmergingModelCreate,
  type EmergingModelPatch,
  type JourneyCreate,
  type JourneyPatch,
  type JourneyStepCreate,
  type JourneyStepPatch,
  type LinkCreate,
  type LinkPatch,
  type MetaPatch,
  type QuickWinCreate,
  type QuickWinPatch,
  type ThemeCreate,
  type ThemePatch,
  type ThemePointCreate,
  type ThemePointPatch,
} from './commands.ts'
import type { Dataset } from './dataset-schema.ts'
import { defineLayout } from './document.ts'
import { type ImportOptions, importDataset, loadDataset } from './import.ts'
import type { Removal } from './integrity.ts'
import type { MergeSummary } from './merge.ts'
import { SnapshotReader, type WorkspaceSnapshot } from './read.ts'
import type { Actor } from './records/actor.ts'
import type { AgendaItem } from './records/agenda-item.ts'
import type { EmergingModel } from './records/emerging-model.ts'
import type { Facilitation, Summon, Timer, ViewBounds } from './records/facilitation.ts'
import type { Journey, JourneyStep } from './records/journey.ts'
import { declaration } from './records/kinds.ts'
import { type Link, linkKind } from './records/link.ts'
import { type Meta, metaKind } from './records/meta.ts'
import type { QuickWin } from './records/quick-win.ts'
import type { KindKey } from './records/record.ts'
import type { Theme, ThemePoint } from './records/theme.ts'
import * as session from './session.ts'

export type { Position } from './collection.ts'
export { CommandOrigin } from './command-write.ts'
export * from './commands.ts'

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
   * Whose records this replica adds (their `addedBy`) and whose dots it places: the invite's id
   * (its token's `jti`), or without one the participant id. Absent: records have no author.
   */
  readonly authorId?: string
  /**
   * Whether this replica may change a locked map anyway (a facilitator). Asked at each command,
   * since a role can change while the workspace is open. Whoever locked the map always may.
   */
  readonly mayEditLockedMap?: () => boolean
  /**
   * The clock the timer and "bring everyone here" are stamped with, when their command is not
   * given `now`: the app passes the server's clock as this device estimates it, so every
   * device counts down to the same moment whatever its own clock says. Date.now when absent.
   */
  readonly now?: () => number
}

const kindOf = declaration

const Endpoints = linkKind.schema.pick({ from: true, to: true }).strict()

/**
 * A workspace: typed, validated commands over a Y.Doc, and validated snapshots of it.
 *
 * Every command validates its whole input before it touches the document and then writes in
 * one transaction, so a refused command (a thrown WorkspaceError) leaves the document exactly
 * as it was, and observers see each command as one change. Adding, changing, moving and
 * removing a record of any kind are the generic `add`/`update`/`move`/`remove`, driven by the
 * kind's declaration; the named commands below are those calls with their types, and the
 * workshop's own commands (votes, merges, the timer...) live in `board.ts` and `session.ts`.
 */
export class Workspace {
  private readonly reader: SnapshotReader
  private readonly listeners = new Set<(change: WorkspaceChange) => void>()
  private readonly ctx: session.SessionContext & board.BoardContext
  private readonly afterTransaction = (transaction: Y.Transaction): void => {
    if (transaction.changed.size === 0 && transaction.deleteSet.clients.size === 0) return
    const changed = new Set<string>()
    const touched: ReadonlySet<unknown> = new Set(transaction.changedParentTypes.keys())
    for (const [name, type] of this.doc.share) if (touched.has(type)) changed.add(name)
    // A deletion Yjs could not trace to a type may still remove records: read everything again.
    if (changed.size === 0) this.reader.invalidateAll()
    else this.reader.invalidate(changed, touched as ReadonlySet<Y.AbstractType<unknown>>)
    if (this.listeners.size === 0 || changed.size === 0) return
    const change = { changed, origin: transaction.origin, local: transaction.local }
    for (const listener of this.listeners) listener(change)
  }

  constructor(
    readonly doc: Y.Doc,
    private readonly options: WorkspaceOptions = {},
  ) {
    defineLayout(doc)
    this.reader = new SnapshotReader(doc)
    doc.on('afterTransaction', this.afterTransaction)
    this.ctx = {
      doc,
      write: (command, writes) => this.write(command, writes),
      facilitation: () => this.facilitation(),
      participantId: options.participantId,
      ...(options.authorId !== undefined ? { authorId: options.authorId } : {}),
      quickWins: () => this.quickWins(),
      voteBudget: () => this.facilitation().voteBudget,
    }
  }

  /** Stops observing the document. The document itself is left alone. */
  destroy(): void {
    this.doc.off('afterTransaction', this.afterTransaction)
    this.listeners.clear()
  }

  // ---- readers ---------------------------------------------------------------------------

  /**
   * The whole workspace, validated; the same object until a record changes (a canvas or note
   * change keeps it), and each collection's list the same until that collection changes.
   */
  snapshot(): WorkspaceSnapshot {
    return this.reader.snapshot()
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
   * Calls `listener` after every transaction that changed the document, local or remote, with
   * the top-level names it changed. Returns the function that stops it.
   */
  onChange(listener: (change: WorkspaceChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  // ---- any record, by its declaration -----------------------------------------------------

  /** Adds a record of any kind (nested kinds name their parent), at the end or at a position. */
  add<T>(key: KindKey, input: unknown, options: Within & Position = {}): T {
    return addRecord<T>(this.ctx, kindOf(key), input, options)
  }
  /** Changes some fields of a record; the others, and concurrent edits to them, are kept. */
  update<T>(key: KindKey, id: string, patch: unknown, options: Within = {}): T {
    return updateRecord<T>(this.ctx, kindOf(key), id, patch, options)
  }
  /** Moves a record of an ordered kind among its siblings. */
  move(key: KindKey, id: string, position: Position, options: Within = {}): void {
    moveRecord(this.ctx, kindOf(key), id, position, options)
  }
  /** Removes a record and, by the declared on-delete rules, what depends on it. */
  remove(key: KindKey, id: string, options: Within = {}): Removal {
    return removeRecord(this.ctx, kindOf(key), id, options)
  }

  // ---- actors and links ------------------------------------------------------------------

  /** Adds an actor to the map, with its description note. Its id may be given or is made. */
  addActor(input: ActorCreate): Actor {
    return this.add('actor', input)
  }
  updateActor(id: string, patch: ActorPatch): Actor {
    return this.update('actor', id, patch)
  }
  /**
   * Removes an actor and everything that would otherwise point at nothing: its links, its
   * description, its boxes and their arrows go; journey steps keep the actor's name as their
   * place; theme points drop the reference. The report says what was touched.
   */
  removeActor(id: string): ActorRemoval {
    return actorRemovalOf(id, this.remove('actor', id))
  }
  /** Draws a link from one actor to another. Both must exist and be different actors. */
  connect(input: LinkCreate): Link {
    return this.add('link', input)
  }
  /** Changes a link's kind, label, strength, funding... Its ends stay: `reconnect` moves them. */
  updateLink(id: string, patch: LinkPatch): Link {
    return this.update('link', id, patch)
  }
  /** Moves a link to other ends (an arrow re-bound on the canvas), keeping all else. */
  reconnect(id: string, endpoints: { from: string; to: string }): Link {
    // An update whose patch may name only the ends, which a plain update may not change.
    return updateRecord<Link>(this.ctx, { ...linkKind, patchSchema: Endpoints }, id, endpoints, {
      command: 'reconnect',
    })
  }
  /** Removes a link, and the arrows that drew it. */
  disconnect(id: string): Link {
    const [link] = this.remove('link', id).removed
    const restored = linkKind.restore(link?.fields)
    return restored.ok ? restored.value : ({ id } as Link)
  }

  // ---- the board: themes, points, quick wins, journeys, emerging models --------------------

  addTheme(input: ThemeCreate, position: Position = {}): Theme {
    return this.add('theme', input, position)
  }
  updateTheme(id: string, patch: ThemePatch): Omit<Theme, 'points'> {
    return this.update('theme', id, patch)
  }
  moveTheme(id: string, position: Position): void {
    this.move('theme', id, position)
  }
  /** Removes a theme and its points; quick wins and models filed under it stay, unfiled. */
  removeTheme(id: string): void {
    this.remove('theme', id)
  }
  /** Moves every point of one theme to the end of another, refiling what was under it. */
  mergeThemes(sourceId: string, targetId: string): void {
    board.mergeThemes(this.ctx, sourceId, targetId)
  }
  /** Adds a point under a theme. The actors it names must be on the map. */
  addPoint(themeId: string, input: ThemePointCreate, position: Position = {}): ThemePoint {
    return this.add('themePoint', input, { ...position, parentId: themeId })
  }
  updatePoint(themeId: string, pointId: string, patch: ThemePointPatch): ThemePoint {
    return this.update('themePoint', pointId, patch, { parentId: themeId })
  }
  /** Moves a point within its theme or into another, keeping its id and fields. */
  movePoint(themeId: string, pointId: string, to: Position & { themeId?: string }): void {
    board.movePoint(this.ctx, themeId, pointId, to)
  }
  removePoint(themeId: string, pointId: string): void {
    this.remove('themePoint', pointId, { parentId: themeId })
  }
  /** Folds one point into another under the same theme. */
  mergePoints(themeId: string, sourceId: string, targetId: string): ThemePoint {
    return board.mergePoints(this.ctx, themeId, sourceId, targetId)
  }
  addQuickWin(input: QuickWinCreate): QuickWin {
    return this.add('quickWin', input)
  }
  updateQuickWin(id: string, patch: QuickWinPatch): Omit<QuickWin, 'votes'> {
    return this.update('quickWin', id, patch)
  }
  removeQuickWin(id: string): void {
    this.remove('quickWin', id)
  }
  /** Sets a participant's dots on a quick win, within the facilitator's budget. */
  vote(quickWinId: string, participantId: string, count: number): void {
    board.vote(this.ctx, quickWinId, participantId, count)
  }
  addJourney(input: JourneyCreate): Journey {
    return this.add('journey', input)
  }
  updateJourney(id: string, patch: JourneyPatch): Omit<Journey, 'steps'> {
    return this.update('journey', id, patch)
  }
  removeJourney(id: string): void {
    this.remove('journey', id)
  }
  /** Adds a step to a journey. It names an actor on the map, a place in words, or both. */
  addStep(journeyId: string, input: JourneyStepCreate, position: Position = {}): JourneyStep {
    return this.add('journeyStep', input, { ...position, parentId: journeyId })
  }
  updateStep(journeyId: string, stepId: string, patch: JourneyStepPatch): JourneyStep {
    return this.update('journeyStep', stepId, patch, { parentId: journeyId })
  }
  moveStep(journeyId: string, stepId: string, position: Position): void {
    this.move('journeyStep', stepId, position, { parentId: journeyId })
  }
  removeStep(journeyId: string, stepId: string): void {
    this.remove('journeyStep', stepId, { parentId: journeyId })
  }
  /** Records an example of good practice elsewhere. */
  addEmergingModel(input: EmergingModelCreate): EmergingModel {
    return this.add('emergingModel', input)
  }
  updateEmergingModel(id: string, patch: EmergingModelPatch): EmergingModel {
    return this.update('emergingModel', id, patch)
  }
  removeEmergingModel(id: string): void {
    this.remove('emergingModel', id)
  }

  // ---- facilitation: agenda, timer, votes, lock, "bring everyone to me" ------------------

  addAgendaItem(input: AgendaItemCreate, position: Position = {}): AgendaItem {
    return this.add('agendaItem', input, position)
  }
  updateAgendaItem(id: string, patch: AgendaItemPatch): AgendaItem {
    return this.update('agendaItem', id, patch)
  }
  moveAgendaItem(id: string, position: Position): void {
    this.move('agendaItem', id, position)
  }
  /** Removes an agenda item; if it was the current one, no item is current. */
  removeAgendaItem(id: string): void {
    this.remove('agendaItem', id)
  }
  setCurrentItem(id: string | null, options: { startTimer?: boolean; now?: number } = {}): void {
    session.setCurrentItem(this.ctx, id, { ...options, now: options.now ?? this.now() })
  }
  startTimer(options: { durationMs?: number; now?: number } = {}): Timer {
    return session.startTimer(this.ctx, { ...options, now: options.now ?? this.now() })
  }
  pauseTimer(now?: number): Timer | undefined {
    return session.pauseTimer(this.ctx, now ?? this.now())
  }
  resetTimer(): Timer | undefined {
    return session.resetTimer(this.ctx)
  }
  addTime(ms: number, now?: number): Timer | undefined {
    return session.addTime(this.ctx, ms, now ?? this.now())
  }
  clearTimer(): void {
    session.clearTimer(this.ctx)
  }
  setVoteBudget(dots: number): void {
    session.setVoteBudget(this.ctx, dots)
  }
  lockMap(): void {
    session.lockMap(this.ctx)
  }
  unlockMap(): void {
    session.unlockMap(this.ctx)
  }
  summon(view: ViewBounds, name: string, now?: number): Summon {
    return session.summon(this.ctx, view, name, now ?? this.now())
  }

  /** The time commands are stamped with (see WorkspaceOptions.now). */
  private now(): number {
    return this.options.now ? this.options.now() : Date.now()
  }

  /** Changes the workspace's title, area, dates, facilitator or description. */
  updateMeta(patch: MetaPatch): Meta {
    return updateRecord<Meta>(this.ctx, metaKind, 'meta', patch)
  }

  // ---- whole datasets --------------------------------------------------------------------

  /** Fills an empty document with a dataset, checked whole first (see `loadDataset`). */
  load(dataset: Dataset): void {
    loadDataset(this.ctx, dataset)
  }
  /** Merges a dataset into this workspace, all or nothing (see `importDataset`). */
  importDataset(
    incoming: Dataset,
    options: ImportOptions,
  ): MergeSummary & { actorIds: ReadonlyMap<string, string> } {
    return importDataset(this.ctx, this.snapshot(), incoming, options)
  }

  /** Every command's one transaction: see `writeCommand`. */
  private write(command: string, writes: () => void): void {
    writeCommand(this.doc, command, this.options.participantId, () => this.mapLocked(), writes)
  }
}
