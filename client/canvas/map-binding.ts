import {
  Box,
  createShapeId,
  type Editor,
  getArrowBindings,
  getIndicesAbove,
  react,
  type TLArrowBinding,
  type TLArrowShape,
  type TLRecord,
  type TLShape,
  type TLShapeId,
} from 'tldraw'
import type { Actor, ActorKind, LinkKind, Workspace } from '../../model/index.ts'
import { layoutNewActors } from '../../model/layout.ts'
import { explain } from '../forms/explain.ts'
import { ACTOR_SHAPE, type ActorShape } from './actor-shape.tsx'
import { ALL_BOXES_UP_TO, type CanvasScope } from './canvas-scope.ts'
import { derivedArrowId, derivedBindingId, isDerivedArrowId, isDerivedId } from './derived-arrows.ts'
import { everyBox, fitMap } from './map-boxes.ts'
import type { StoreBinding } from './store-binding.ts'

export interface MapBindingEvents {
  /** The person deleted the last box of these actors from the map: ask what they meant. */
  onActorsLeftMap(actorIds: string[]): void
  /** A command was refused; say why. */
  onError(message: string): void
}

const isArrow = (shape: TLShape | TLRecord | undefined): shape is TLArrowShape =>
  shape?.typeName === 'shape' && (shape as TLShape).type === 'arrow'
const isActorShape = (shape: TLShape | TLRecord | undefined): shape is ActorShape =>
  shape?.typeName === 'shape' && (shape as TLShape).type === ACTOR_SHAPE
const linkIdOf = (arrow: TLArrowShape): string | undefined =>
  typeof arrow.meta.linkId === 'string' ? arrow.meta.linkId : undefined

/**
 * Keeps the map and the dataset in step, in both directions:
 *
 * - an arrow the person draws between two actor boxes becomes a link (kind from the toolbar),
 *   and the link's derived arrow takes its place; re-binding a link's arrow moves the link;
 *   deleting it, or leaving it joined to fewer than two actors, removes the link;
 * - deleting a box removes the links drawn to it; deleting an actor's last box asks whether to
 *   remove the actor from the dataset too.
 *
 * Only this person's own canvas changes create, move or remove links: every device sees every
 * arrow, and if each reacted to all of them a link would be made once per device. The other
 * direction needs nothing here: a link's arrow and its look are derived from the link on each
 * device (CanvasScope, link-arrows.ts), and removing an actor takes its boxes off every map in
 * the model's own transaction (model/canvas-refs.ts).
 */
export class MapBinding {
  linkKind: LinkKind = 'referral'
  /**
   * What an actor added on the map is given besides its kind and name: in a sub-map, its ward
   * and domain, so the new box belongs where it was added instead of leaving the sub-map at once.
   */
  newActorFields: Partial<Pick<Actor, 'area' | 'domains'>> = {}
  private readonly touchedArrows = new Set<TLShapeId>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly stops: (() => void)[] = []

  /**
   * `canvas` is the store's binding to the shared canvas: its `flush` writes the person's pending
   * map changes to the document at once (they are otherwise written once a frame), needed before
   * a command whose cascade reads the canvas; with a scope, its `putInCanvas` and
   * `removeFromCanvas` write the arrows this device draws as lines, which its store never holds.
   */
  constructor(
    readonly editor: Editor,
    readonly workspace: Workspace,
    private readonly events: MapBindingEvents,
    private readonly canvas?: Pick<StoreBinding, 'flush' | 'putInCanvas' | 'removeFromCanvas'>,
    /** Which of the map's boxes this device holds (a sub-map holds only its actors'). */
    private readonly scope?: CanvasScope,
  ) {
    this.stops.push(
      editor.store.listen(({ changes }) => this.onLocalChanges(changes), {
        source: 'user',
        scope: 'document',
      }),
    )
    this.fitWhenContentArrives()
  }

  /**
   * Someone joining an existing map should see it, not an empty corner of the canvas: the
   * first time there are shapes (now, or when the first sync brings them), fit them in view.
   */
  private fitWhenContentArrives(): void {
    const fitContent = () => fitMap(this.editor, this.scope)
    if (fitContent()) return
    // On a scoped map, from the canvas index: a large map's store may hold no box at all.
    const { scope } = this
    if (scope) {
      let fitted = false
      const stop = react('fit when content arrives', () => {
        scope.version.get()
        if (fitted) return
        fitted = fitContent()
        if (fitted) queueMicrotask(stop)
      })
      this.stops.push(stop)
      return
    }
    const stop = this.editor.store.listen(
      () => {
        if (fitContent()) stop()
      },
      { source: 'remote', scope: 'document' },
    )
    this.stops.push(stop)
  }

  destroy(): void {
    clearTimeout(this.timer)
    for (const stop of this.stops) stop()
  }

  /** Creates an actor and its box in the middle of the view, and selects it. */
  addActor(kind: ActorKind, name: string): string | undefined {
    const actor = this.attempt(() => this.workspace.addActor({ kind, name, ...this.newActorFields }))
    if (actor) this.place(actor.id)
    return actor?.id
  }

  /** Puts a box for an existing actor on the map (one from the table), near the middle. */
  place(actorId: string): void {
    const { x, y } = this.freeSpot()
    const id = `shape:${actorId}-${Date.now().toString(36)}` as TLShapeId
    this.editor.createShape<ActorShape>({ id, type: ACTOR_SHAPE, x, y, props: { actorId } })
    this.editor.select(id)
  }

  /**
   * A place for a new box near the middle of the view that no other box covers: grid cells in
   * rings around the centre, the first empty one.
   */
  private freeSpot(): { x: number; y: number } {
    const centre = this.editor.getViewportPageBounds().center
    const boxes = [...everyBox(this.editor).values()].map(({ bounds }) => Box.From(bounds))
    const [w, h, gapX, gapY] = [200, 96, 60, 50]
    for (let ring = 0; ring < 12; ring++) {
      for (let dy = -ring; dy <= ring; dy++) {
        for (let dx = -ring; dx <= ring; dx++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue
          const x = centre.x - w / 2 + dx * (w + gapX)
          const y = centre.y - h / 2 + dy * (h + gapY)
          const clash = boxes.some(
            (box) =>
              box && x < box.maxX + 20 && x + w > box.minX - 20 && y < box.maxY + 20 && y + h > box.minY - 20,
          )
          if (!clash) return { x, y }
        }
      }
    }
    return { x: centre.x - w / 2, y: centre.y - h / 2 }
  }

  /**
   * Puts actors on the map (imported ones, or any without a box), laid out by a force layout
   * around what is already there; their links then show as arrows (derived on each device). Only the device whose person asks does this: every device placing them would
   * put one box per device on the map.
   */
  placeImported(actorIds: readonly string[]): void {
    const input = this.layoutInput(actorIds)
    const { notPlaced } = this.placeAt(layoutNewActors(input.actorIds, input.links, input.placed))
    if (notPlaced > 0)
      this.events.onError(
        `${notPlaced.toLocaleString('en-GB')} ${notPlaced === 1 ? 'actor was' : 'actors were'} not placed: the map holds at most ${this.editor.options.maxShapesPerPage.toLocaleString('en-GB')} shapes. Open a sub-map (a ward or a domain) to place them there.`,
      )
  }

  /**
   * What the force layout needs to place these actors: those of them without a box, every
   * link, and where the boxes already on the map are. Split from `placeAt` so the Import
   * dialog can run the layout in its worker between the two (import-work.ts).
   */
  layoutInput(actorIds: readonly string[]): {
    actorIds: string[]
    links: { from: string; to: string }[]
    placed: Map<string, { x: number; y: number }>
  } {
    const placed = this.boxPositions()
    return {
      actorIds: actorIds.filter((id) => !placed.has(id)),
      // Only the ends: the worker needs nothing else, and less to copy is quicker to send.
      links: this.workspace.links().map((link) => ({ from: link.from, to: link.to })),
      placed,
    }
  }

  /** Where each actor with a box on the map is (the first of its boxes). */
  boxPositions(): Map<string, { x: number; y: number }> {
    const placed = new Map<string, { x: number; y: number }>()
    for (const { actorId, bounds } of everyBox(this.editor).values())
      if (!placed.has(actorId)) placed.set(actorId, { x: bounds.x, y: bounds.y })
    return placed
  }

  /**
   * Puts a box for each actor at its position (from `layoutInput`'s layout). Their links need no
   * writing: each device derives a link's arrow from the boxes (CanvasScope). Boxes past tldraw's
   * limit of shapes on a page are left out (counted in `notPlaced`): tldraw would refuse the
   * whole batch. On a map whose boxes will be more than ALL_BOXES_UP_TO, the boxes are written to
   * the shared canvas directly (`putInCanvas`): the scope takes into the store only those near
   * the view, and a borough's 5,000 boxes never pass through tldraw.
   */
  placeAt(positions: ReadonlyMap<string, { x: number; y: number }>): { placed: number; notPlaced: number } {
    // A large map's boxes do not all enter the store (CanvasScope), so only tldraw's limit on
    // a page counts against them there: written to the canvas, the rest are the layer's to draw.
    const boxesToCanvas =
      !!this.scope && !!this.canvas && this.scope.boxesInScope() + positions.size > ALL_BOXES_UP_TO
    const room = boxesToCanvas
      ? positions.size
      : Math.max(0, this.editor.options.maxShapesPerPage - this.editor.getCurrentPageShapeIds().size)
    const boxes = [...positions].slice(0, room).map(([actorId, point]) => ({
      id: createShapeId(),
      type: ACTOR_SHAPE as typeof ACTOR_SHAPE,
      x: point.x,
      y: point.y,
      props: { actorId },
    }))
    const notPlaced = positions.size - boxes.length
    if (boxesToCanvas) this.canvas?.putInCanvas(this.shapeRecords(boxes))
    else this.editor.createShapes(boxes)
    if (boxes.length > 0) fitMap(this.editor, this.scope, true)
    return { placed: boxes.length, notPlaced }
  }

  /**
   * Whole shape records, as tldraw would make them (its defaults filled in, stacked above every
   * shape on the page), for writing to the canvas without the store.
   */
  private shapeRecords(
    shapes: readonly {
      id: TLShapeId
      type: TLShape['type']
      x: number
      y: number
      props?: object
      meta?: object
    }[],
  ): TLShape[] {
    const pageId = this.editor.getCurrentPageId()
    const indices = getIndicesAbove(this.editor.getHighestIndexForParent(pageId), shapes.length)
    const shapeType = this.editor.store.schema.types.shape
    return shapes.map(
      (shape, index) =>
        shapeType.create({
          ...shape,
          parentId: pageId,
          index: indices[index],
          props: { ...this.editor.getShapeUtil(shape.type).getDefaultProps(), ...shape.props },
        } as never) as TLShape,
    )
  }

  /** The map as an SVG document, or a PNG, for reports (null when the map is empty). */
  async mapImage(format: 'svg' | 'png'): Promise<Blob | null> {
    const shapes = [...this.editor.getCurrentPageShapeIds()]
    if (shapes.length === 0) return null
    if (format === 'svg') {
      const result = await this.editor.getSvgString(shapes, { background: true, padding: 32 })
      return result ? new Blob([result.svg], { type: 'image/svg+xml' }) : null
    }
    // Sharp on a screen, but never a picture too big to open: the longer side stays under 4,000 px.
    const bounds = this.editor.getCurrentPageBounds()
    const scale = bounds ? Math.min(2, 4000 / Math.max(bounds.width, bounds.height, 1)) : 1
    const { blob } = await this.editor.toImage(shapes, {
      format: 'png',
      background: true,
      padding: 32,
      scale,
    })
    return blob
  }

  /**
   * Selects what shows these actors and links and brings it into view. On a large map the boxes
   * may be outside the store (zoomed out, or far away): they are taken in first (CanvasScope's
   * `pin`), and stay while selected. Says how many shapes it selected.
   */
  showOnMap(targets: readonly { kind: 'actor' | 'link'; id: string }[]): number {
    const { scope } = this
    if (scope) {
      const actors = new Set(targets.filter((target) => target.kind === 'actor').map((target) => target.id))
      const links = new Set(targets.filter((target) => target.kind === 'link').map((target) => target.id))
      const pins: string[] = []
      for (const [boxId, actorId] of scope.boxes)
        if (actors.has(actorId) && scope.hasBox(boxId)) pins.push(boxId)
      for (const [arrowId, linkId] of scope.arrows) {
        const ends = scope.ends.get(arrowId)
        if (!linkId || !links.has(linkId) || !ends || !scope.arrowEndsIn(arrowId)) continue
        pins.push(arrowId, ends.start as string, ends.end as string)
      }
      scope.pin(pins)
    }
    const shapes = targets.flatMap((target) => this.shapesOf(target))
    if (shapes.length > 0) {
      this.editor.select(...shapes)
      // Never past 100%: tldraw's zoomToSelection filled a phone's screen with one box.
      const bounds = this.editor.getSelectionPageBounds()
      if (bounds) this.editor.zoomToBounds(bounds, { targetZoom: 1, animation: { duration: 200 } })
    }
    return shapes.length
  }

  /** The box ids showing an actor, and the arrows showing a link. */
  shapesOf(target: { kind: 'actor' | 'link'; id: string }): TLShapeId[] {
    return this.editor
      .getCurrentPageShapes()
      .filter((shape) =>
        target.kind === 'actor'
          ? isActorShape(shape) && shape.props.actorId === target.id
          : isArrow(shape) && linkIdOf(shape) === target.id,
      )
      .map((shape) => shape.id)
  }

  /** What a canvas selection means in the dataset: one actor, one link, or nothing. */
  selectionTarget(): { kind: 'actor' | 'link'; id: string } | null {
    const selected = this.editor.getSelectedShapes()
    if (selected.length !== 1) return null
    const [shape] = selected
    if (isActorShape(shape)) return { kind: 'actor', id: shape.props.actorId }
    if (isArrow(shape) && linkIdOf(shape)) return { kind: 'link', id: linkIdOf(shape) as string }
    return null
  }

  /**
   * Actors in the dataset with no box on the map (added in the table, by an import, elsewhere);
   * in a sub-map, only its own actors.
   */
  unplacedActorIds(actors: readonly Actor[] = this.workspace.actors()): string[] {
    const placed = this.placedActorIds()
    const inScope = this.scope?.actorScope
    return actors
      .filter((actor) => !placed.has(actor.id) && (!inScope || inScope.has(actor.id)))
      .map((actor) => actor.id)
  }

  /**
   * Actor ids that have at least one box on the map: the whole shared map's boxes (a sub-map's
   * store holds only its own), read from the canvas index, which changes when boxes come and go
   * but not when one moves, so a drag does not recompute this every frame.
   */
  placedActorIds(): Set<string> {
    if (this.scope) {
      this.scope.version.get()
      const placed = new Set(this.scope.boxes.values())
      // Boxes made on this device in the last frame, not yet written to the canvas. The page's
      // shape ids change when shapes come and go, not when they move; the records are read
      // untracked (a box's actor never changes).
      for (const id of this.editor.getCurrentPageShapeIds()) {
        const shape = this.editor.store.unsafeGetWithoutCapture(id)
        if (isActorShape(shape)) placed.add(shape.props.actorId)
      }
      return placed
    }
    return this.storePlacedActorIds()
  }

  /** The actors of the open sub-map (null: the whole map), as a signal. */
  actorScope(): ReadonlySet<string> | null {
    this.scope?.version.get()
    return this.scope?.actorScope ?? null
  }

  /** Actor ids with a box in this device's store. */
  private storePlacedActorIds(): Set<string> {
    return new Set(this.actorShapes().map((shape) => shape.props.actorId))
  }

  private actorShapes(): ActorShape[] {
    return this.editor.getCurrentPageShapes().filter(isActorShape)
  }

  private onLocalChanges(changes: {
    added: Record<string, TLRecord>
    updated: Record<string, [TLRecord, TLRecord]>
    removed: Record<string, TLRecord>
  }): void {
    const leftMap = new Set<string>()
    const removedBoxes = new Set<string>()
    for (const record of Object.values(changes.removed)) {
      if (isArrow(record)) {
        const linkId = linkIdOf(record)
        if (linkId && this.workspace.link(linkId)) this.attempt(() => this.workspace.disconnect(linkId))
      } else if (isActorShape(record)) {
        leftMap.add(record.props.actorId)
        removedBoxes.add(record.id)
      }
    }
    if (removedBoxes.size > 0) this.removeArrowsOutsideStore(removedBoxes)
    for (const record of [
      ...Object.values(changes.added),
      ...Object.values(changes.updated).map(([, to]) => to),
    ]) {
      if (isArrow(record)) this.touchedArrows.add(record.id)
      if (record.typeName === 'binding') this.touchedArrows.add((record as { fromId: TLShapeId }).fromId)
    }
    for (const record of Object.values(changes.removed)) {
      if (record.typeName === 'binding') this.touchedArrows.add((record as { fromId: TLShapeId }).fromId)
    }
    if (leftMap.size > 0) {
      const stillPlaced = new Set([...everyBox(this.editor, removedBoxes).values()].map((box) => box.actorId))
      const gone = [...leftMap].filter((id) => !stillPlaced.has(id) && this.workspace.actor(id))
      if (gone.length > 0) queueMicrotask(() => this.events.onActorsLeftMap(gone))
    }
    if (this.touchedArrows.size > 0) this.scheduleReconcile()
  }

  /**
   * The person deleted boxes: the links whose arrows were bound to them go from the dataset, as
   * a tldraw arrow that loses its box loses its link (see reconcile), whether the arrow is in the
   * store or not (a borough's lines, arrows to boxes outside the sub-map): the arrows, derived
   * from the links, go with them. A plain drawn arrow bound to them that the store does not hold
   * goes from the shared canvas with its bindings, or it would stay bound to a box that is gone.
   */
  private removeArrowsOutsideStore(boxIds: ReadonlySet<string>): void {
    const { scope, canvas } = this
    if (!scope) return
    const linkIds = new Set<string>()
    for (const [arrowId, ends] of scope.ends) {
      const linkId = scope.arrows.get(arrowId)
      const bound = (ends.start && boxIds.has(ends.start)) || (ends.end && boxIds.has(ends.end))
      if (bound && linkId && isDerivedArrowId(arrowId)) linkIds.add(linkId)
    }
    const { arrows, bindings } = scope.boundOutsideStore(boxIds, (id) =>
      this.editor.store.has(id as TLShapeId),
    )
    canvas?.removeFromCanvas([...arrows, ...bindings].filter((id) => !isDerivedId(id)))
    for (const linkId of linkIds)
      if (this.workspace.link(linkId)) this.attempt(() => this.workspace.disconnect(linkId))
  }

  /** Waits until the person lets go (a drag rebinds an arrow many times) before touching links. */
  private scheduleReconcile(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      if (this.editor.inputs.getIsPointing() || this.editor.inputs.getIsDragging()) this.scheduleReconcile()
      else this.reconcile()
    }, 120)
  }

  private reconcile(): void {
    const ids = [...this.touchedArrows]
    this.touchedArrows.clear()
    for (const id of ids) {
      const arrow = this.editor.getShape(id)
      if (!isArrow(arrow)) continue
      const bindings = getArrowBindings(this.editor, arrow)
      const from = this.actorAt(bindings.start?.toId)
      const to = this.actorAt(bindings.end?.toId)
      const linkId = linkIdOf(arrow)
      const link = linkId ? this.workspace.link(linkId) : undefined
      const derived = isDerivedArrowId(arrow.id)
      if (from && to && from !== to) {
        if (!link) {
          // A drawn arrow between two actors makes a link, whose derived arrow takes its place;
          // so does a link's arrow brought back by undo after its link went.
          const made = this.attempt(() => this.workspace.connect({ from, to, kind: this.linkKind }))
          if (made) this.replaceDrawnArrow(arrow.id, made.id)
        } else {
          if (link.from !== from || link.to !== to)
            this.attempt(() => this.workspace.reconnect(link.id, { from, to }))
          if (derived) this.restoreDerivedBindings(arrow.id, link.id)
        }
      } else if (link) {
        // The arrow no longer joins two actors, so the tie it drew is gone from the dataset, and
        // its derived arrow with it.
        this.attempt(() => this.workspace.disconnect(link.id))
      } else if (derived) {
        // A link's arrow whose link is gone (brought back by undo) and that joins nothing: it
        // was never stored, and nothing derives it any more.
        this.editor.store.mergeRemoteChanges(() => this.editor.store.remove([arrow.id]))
      }
    }
  }

  /**
   * The drawn arrow is now a link: it leaves the map (outside the person's undo history, which
   * would otherwise bring it back to make the link again), and the link's derived arrow, taken
   * into the store at once, is selected in its place.
   */
  private replaceDrawnArrow(drawn: TLShapeId, linkId: string): void {
    const derived = derivedArrowId(linkId)
    this.scope?.pin([derived])
    const wasSelected = this.editor.getSelectedShapeIds().includes(drawn)
    this.editor.run(() => this.editor.deleteShapes([drawn]), { history: 'ignore' })
    if (wasSelected && this.editor.getShape(derived)) this.editor.select(derived)
  }

  /**
   * A derived arrow re-bound by the person is bound as its link says once the link has followed
   * (to the first box of each actor), as on every other device: bindings the person's re-binding
   * made are replaced by the derived ones. Left as the person made them while a derived binding's
   * box is not in the store.
   */
  private restoreDerivedBindings(arrowId: TLShapeId, linkId: string): void {
    const derived = (['start', 'end'] as const).map((terminal) =>
      this.scope?.record(derivedBindingId(linkId, terminal)),
    )
    const bindings = derived.filter((record): record is TLArrowBinding => record?.typeName === 'binding')
    if (bindings.length !== 2 || bindings.some((binding) => !this.editor.store.has(binding.toId))) return
    const held = this.editor.getBindingsFromShape<TLArrowBinding>(arrowId, 'arrow')
    const made = held.filter((binding) => !isDerivedId(binding.id))
    const moved = bindings.filter((binding) => this.editor.store.get(binding.id)?.toId !== binding.toId)
    if (made.length === 0 && moved.length === 0) return
    this.editor.store.mergeRemoteChanges(() => {
      if (made.length > 0) this.editor.store.remove(made.map((binding) => binding.id))
      this.editor.store.put(moved)
    })
  }

  private actorAt(shapeId: TLShapeId | undefined): string | undefined {
    const shape = shapeId ? this.editor.getShape(shapeId) : undefined
    if (!isActorShape(shape)) return undefined
    return this.workspace.actor(shape.props.actorId) ? shape.props.actorId : undefined
  }

  private attempt<T>(command: () => T): T | undefined {
    try {
      return command()
    } catch (error) {
      this.events.onError(explain(error))
      return undefined
    }
  }
}
