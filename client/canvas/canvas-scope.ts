import { atom, react, type TLRecord, type TLStore } from 'tldraw'
import type * as Y from 'yjs'
import { ACTOR_SHAPE_TYPE } from '../../model/canvas-refs.ts'
import type { Workspace } from '../../model/index.ts'
import type { MapPreview } from '../../model/map-preview.ts'
import { derivedArrowId, derivedArrowRecords, derivedBindingId } from './derived-arrows.ts'
import { previewBounds } from './layer-drawing.ts'
import { actorsInSubMap, subMapAtom } from './sub-map.ts'

/**
 * Up to this many arrows in scope, every one is a tldraw arrow (a workshop's map, a ward's
 * sub-map): full arrows with heads and captions cost little at this size. Above it (a borough),
 * only the arrows near the view are (see bindShapeWindow), and none when zoomed out.
 */
export const ALL_ARROWS_UP_TO = 1500
/**
 * Up to this many boxes in scope (a workshop's map, a ward's sub-map), every one is a tldraw
 * shape. Above it (a borough), only the boxes near the view are (see bindShapeWindow), and none
 * when zoomed out: the rest are drawn by the link layer as plain boxes on its canvas.
 */
export const ALL_BOXES_UP_TO = 1500

/** A box's place and size on the page, as the shared canvas holds it. */
export interface BoxBounds {
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

/** Which boxes and arrows come in as tldraw shapes: those named, or 'auto' (see CanvasScope). */
export type ShapeWindow = ReadonlySet<string> | 'auto'

/** What the scope derives link arrows from: the workspace's links, and word when they change. */
export type LinkSource = Pick<Workspace, 'links' | 'onChange'>

/** Derived records to put in the store and ids to take out of it (see CanvasScope.takeDerived). */
export interface DerivedChanges {
  readonly put: TLRecord[]
  readonly removed: string[]
}

/** The canvas scope each store is bound with (shapes and layers find it through their editor's store). */
export const scopeOfStore = new WeakMap<TLStore, CanvasScope>()

/**
 * Which of the shared canvas's records this device puts in its tldraw store.
 *
 * tldraw mounts a React component for every shape in its store, on screen or not (culling only
 * hides them), and hit-tests every shape of the page on each pointer move of a drag: a borough
 * of 5,000 boxes and 20,000 arrows (with 40,000 bindings) in the store is 25,000 components to
 * mount on opening, and 47 ms of the page's thread per frame of a drag with only its boxes in
 * (measured, npm run bench:canvas). The `canvas` map keeps every record; a device takes in only:
 *
 * - the boxes of the actors in its sub-map (all of them on the whole map): a workshop on one
 *   ward creates only that ward's boxes, never 5,000 to hide; and on a large map (more than
 *   ALL_BOXES_UP_TO) only the boxes near the view, none zoomed out (`setWindow`): the rest are
 *   drawn as plain boxes by the link layer (LinkLines), from the positions this index keeps;
 * - an arrow only when both its boxes are in, and, on a large map, only the arrows near the view
 *   (`setWindow`): the rest are drawn as plain lines by the link layer;
 * - a binding only with its arrow; pages, the document and other shapes always.
 *
 * A record left out stays in the document untouched (the canvas binding writes only what the
 * person changes in the store), and comes in as soon as it is in scope again.
 *
 * A link's arrow is not in the canvas at all: the scope derives it from the links (given a
 * LinkSource) and the boxes, one arrow per link whose two actors both have a box, bound to the
 * first box (lowest id) of each (derived-arrows.ts). Derived arrows are indexed and admitted as
 * canvas arrows are, so the link layer and the window treat them alike; the canvas binding puts
 * them in the store as remote merges (`takeDerived`) and never writes them. An arrow in the
 * canvas that names a link (written before links were derived, by an older app) is hidden: the
 * derived arrow is that link's one drawing (model/document-migrations.ts removes such arrows).
 */
export class CanvasScope {
  /** Box shape id -> the actor it shows. */
  readonly boxes = new Map<string, string>()
  /** Box shape id -> where it is on the page (kept as boxes move, for what draws them outside the store). */
  readonly boxBounds = new Map<string, BoxBounds>()
  /** Arrow shape id -> the link it draws (undefined for a plain drawn arrow). */
  readonly arrows = new Map<string, string | undefined>()
  /** Arrow shape id -> the shapes its start and end are bound to. */
  readonly ends = new Map<string, { start?: string; end?: string }>()
  /** Binding id -> the arrow it belongs to. */
  private readonly bindingArrow = new Map<string, string>()
  /** Canvas arrows naming a link: hidden, their link's derived arrow draws it. */
  private readonly hidden = new Set<string>()
  /** Derived record id -> the record (each link's arrow and its two bindings). */
  private readonly derived = new Map<string, TLRecord>()
  /** Derived records changed since the canvas binding last took them (`takeDerived`). */
  private pendingPut = new Map<string, TLRecord>()
  private pendingRemoved = new Set<string>()
  private derivedListener: (() => void) | null = null
  private readonly stopLinks: () => void
  /** The actors whose boxes come in; null for all (the whole map). */
  private actors: ReadonlySet<string> | null = null
  /**
   * The arrows that come in as tldraw arrows: those named, or with 'auto' (until the view says,
   * and on a small map) all of them when there are at most ALL_ARROWS_UP_TO in scope, else none.
   */
  private window: ShapeWindow = 'auto'
  /** The boxes that come in as tldraw shapes, as `window` is for arrows (ALL_BOXES_UP_TO). */
  private boxWindow: ShapeWindow = 'auto'
  /** Shapes taken in whatever the window says, until it is next chosen (see `pin`). */
  private pinned = new Set<string>()
  private counted = { version: -1, arrows: 0, boxes: 0 }
  /** Bumped when the index or the scope changes, for what draws from them (LinkLines). */
  readonly version = atom('canvas scope', 0)
  /**
   * Bumped when a box outside the store moves (another device dragged it): what draws such boxes
   * and their lines reads their place here. A box in the store is read from the store instead,
   * so this device's own drags never bump it.
   */
  readonly layout = atom('canvas layout', 0)
  /**
   * The map's preview (model/map-preview.ts), from the server ahead of the document: drawn, and
   * fitted in view, while the index holds no box (see `previewShown`).
   */
  readonly preview = atom<MapPreview | null>('map preview', null)
  /** Called once the link layer has drawn the preview (the document waits for it: PreviewReceiver). */
  previewPainted: () => void = () => undefined
  /** Called whenever the link layer has drawn the map itself, not its preview (the page's cover of the map can go). */
  mapDrawn: () => void = () => undefined
  private readonly observer: (event: Y.YMapEvent<unknown>) => void
  private refresher: (() => void) | null = null

  constructor(
    private readonly canvas: Y.Map<unknown>,
    private readonly links?: LinkSource,
  ) {
    for (const [key, value] of canvas.entries()) this.index(key, value as TLRecord)
    this.derive()
    // Registered before the canvas binding's own observer, so the index is up to date when the
    // binding asks what to admit from a remote change.
    this.observer = (event) => {
      let structural = false
      let moved = false
      for (const [key, change] of event.changes.keys) {
        const before = change.action === 'add' ? undefined : (change.oldValue as TLRecord | undefined)
        const after = change.action === 'delete' ? undefined : (canvas.get(key) as TLRecord | undefined)
        // A box or arrow moved (every frame of a drag) changes only a box's place.
        if (change.action === 'update' && sameIndexEntry(before, after)) {
          if (this.boxes.has(key) && this.placeBox(key, after) && !this.admitsBox(key)) moved = true
          continue
        }
        structural = true
        if (change.action !== 'add') this.unindex(key, before)
        if (change.action !== 'delete') this.index(key, after)
      }
      // Boxes came or went: the derived arrows follow, put in the store by the canvas binding's
      // observer (after this one) once it has taken in the boxes they are bound to.
      if (structural) this.derive()
      if (structural) this.version.update((n) => n + 1)
      else if (moved) this.layout.update((n) => n + 1)
    }
    canvas.observe(this.observer)
    this.stopLinks =
      links?.onChange((change) => {
        if (!change.changed.has('links')) return
        this.derive()
        if (this.pendingPut.size === 0 && this.pendingRemoved.size === 0) return
        this.version.update((n) => n + 1)
        this.derivedListener?.()
      }) ?? (() => undefined)
  }

  /**
   * Derives every link's arrow again from the links and the boxes; what changed waits in
   * `pendingPut` and `pendingRemoved` for the canvas binding. An arrow whose boxes are the same
   * keeps its records (the same objects), so the store is not told of it.
   */
  private derive(): void {
    if (!this.links) return
    const firstBox = new Map<string, string>()
    for (const [boxId, actorId] of this.boxes) {
      const known = firstBox.get(actorId)
      if (known === undefined || boxId < known) firstBox.set(actorId, boxId)
    }
    const current = new Set<string>()
    for (const link of this.links.links()) {
      const start = firstBox.get(link.from)
      const end = firstBox.get(link.to)
      if (start === undefined || end === undefined) continue
      const arrowId = derivedArrowId(link.id)
      current.add(arrowId)
      const ends = this.ends.get(arrowId)
      if (ends?.start === start && ends.end === end) continue
      const parent = (this.canvas.get(start) as { parentId?: string } | undefined)?.parentId
      const records = derivedArrowRecords(link.id, start, end, parent ?? 'page:page')
      for (const record of records) {
        this.derived.set(record.id, record)
        this.pendingPut.set(record.id, record)
        this.pendingRemoved.delete(record.id)
      }
      const [, startBinding, endBinding] = records
      this.arrows.set(arrowId, link.id)
      this.ends.set(arrowId, { start, end })
      this.bindingArrow.set(startBinding.id, arrowId)
      this.bindingArrow.set(endBinding.id, arrowId)
    }
    for (const [id, record] of this.derived) {
      if (record.typeName !== 'shape' || current.has(id)) continue
      const linkId = String(record.meta.linkId)
      const ids = [id, derivedBindingId(linkId, 'start'), derivedBindingId(linkId, 'end')]
      this.arrows.delete(id)
      this.ends.delete(id)
      for (const gone of ids) {
        this.derived.delete(gone)
        this.bindingArrow.delete(gone)
        this.pendingPut.delete(gone)
        this.pendingRemoved.add(gone)
      }
    }
  }

  /** A record of the canvas, or a derived one, by id. */
  record(id: string): TLRecord | undefined {
    return (this.canvas.get(id) as TLRecord | undefined) ?? this.derived.get(id)
  }

  /** Every derived record (each link's arrow with its bindings). */
  derivedRecords(): IterableIterator<TLRecord> {
    return this.derived.values()
  }

  /** The derived records changed since last asked, for the store; each is handed over once. */
  takeDerived(): DerivedChanges {
    const changes = { put: [...this.pendingPut.values()], removed: [...this.pendingRemoved] }
    this.pendingPut = new Map()
    this.pendingRemoved = new Set()
    return changes
  }

  /** Called by the canvas binding: a change of links changed the derived arrows (see takeDerived). */
  onDerived(listener: () => void): void {
    this.derivedListener = listener
  }

  private index(key: string, record: TLRecord | undefined): void {
    if (!record || typeof record !== 'object') return
    if (record.typeName === 'shape') {
      if (record.type === ACTOR_SHAPE_TYPE) {
        this.boxes.set(key, String((record.props as { actorId?: unknown }).actorId))
        this.placeBox(key, record)
      } else if (record.type === 'arrow') {
        if (typeof record.meta?.linkId === 'string') {
          this.hidden.add(key)
          this.ends.delete(key)
        } else this.arrows.set(key, undefined)
      }
    } else if (record.typeName === 'binding' && record.type === 'arrow') {
      const terminal = (record.props as { terminal?: string }).terminal === 'end' ? 'end' : 'start'
      this.bindingArrow.set(key, record.fromId)
      if (this.hidden.has(record.fromId)) return
      this.ends.set(record.fromId, { ...this.ends.get(record.fromId), [terminal]: record.toId })
    }
  }

  /** Keeps a box's place; says whether it changed. (Boxes sit on the page, not in frames.) */
  private placeBox(key: string, record: TLRecord | undefined): boolean {
    if (record?.typeName !== 'shape') return false
    const { w, h } = record.props as { w?: unknown; h?: unknown }
    const next = { x: record.x, y: record.y, w: Number(w) || 0, h: Number(h) || 0 }
    const previous = this.boxBounds.get(key)
    if (
      previous &&
      previous.x === next.x &&
      previous.y === next.y &&
      previous.w === next.w &&
      previous.h === next.h
    )
      return false
    this.boxBounds.set(key, next)
    return true
  }

  private unindex(key: string, record: TLRecord | undefined): void {
    this.boxes.delete(key)
    this.boxBounds.delete(key)
    this.arrows.delete(key)
    this.hidden.delete(key)
    const arrow = this.bindingArrow.get(key)
    if (arrow === undefined) return
    this.bindingArrow.delete(key)
    const ends = this.ends.get(arrow)
    if (!ends) return
    const props = record && 'props' in record ? (record.props as { terminal?: string }) : undefined
    const rest: { start?: string; end?: string } = { ...ends }
    delete rest[props?.terminal === 'end' ? 'end' : 'start']
    if (rest.start === undefined && rest.end === undefined) this.ends.delete(arrow)
    else this.ends.set(arrow, rest)
  }

  /** Is this box's actor in the sub-map (or the whole map open)? */
  hasBox(shapeId: string | undefined): boolean {
    if (shapeId === undefined) return false
    const actorId = this.boxes.get(shapeId)
    if (actorId === undefined) return false
    return this.actors === null || this.actors.has(actorId)
  }

  /** Both ends of this arrow are boxes in scope (an arrow to a box out of scope stays out). */
  arrowEndsIn(arrowId: string): boolean {
    const ends = this.ends.get(arrowId)
    return !!ends && this.hasBox(ends.start) && this.hasBox(ends.end)
  }

  /**
   * The arrows bound to any of these boxes that the store does not hold (`held` says what it
   * holds), and every binding of those arrows: what deleting the boxes would leave dangling in
   * the canvas. The index is the canvas's own, so it still knows boxes the store has just let go.
   */
  boundOutsideStore(
    boxIds: ReadonlySet<string>,
    held: (id: string) => boolean,
  ): { arrows: string[]; bindings: string[] } {
    const arrows = new Set<string>()
    for (const [arrowId, ends] of this.ends) {
      const bound = (ends.start && boxIds.has(ends.start)) || (ends.end && boxIds.has(ends.end))
      if (bound && !held(arrowId)) arrows.add(arrowId)
    }
    const bindings: string[] = []
    if (arrows.size > 0)
      for (const [bindingId, arrowId] of this.bindingArrow) if (arrows.has(arrowId)) bindings.push(bindingId)
    return { arrows: [...arrows], bindings }
  }

  /** Should this canvas record be in the device's tldraw store? */
  admits(record: TLRecord): boolean {
    if (record.typeName === 'binding') {
      const arrow = record.type === 'arrow' ? record.fromId : undefined
      if (arrow && this.hidden.has(arrow)) return false
      if (!arrow || !this.arrows.has(arrow)) return true
      return this.admitsArrow(arrow)
    }
    if (record.typeName !== 'shape') return true
    if (record.type === ACTOR_SHAPE_TYPE) return this.admitsBox(record.id)
    if (record.type === 'arrow') return !this.hidden.has(record.id) && this.admitsArrow(record.id)
    return true
  }

  /** Is this box in the store: in scope, and on a large map near the view? */
  admitsBox(shapeId: string | undefined): boolean {
    if (!this.hasBox(shapeId)) return false
    if (this.pinned.has(shapeId as string)) return true
    return this.boxWindow === 'auto'
      ? this.boxesInScope() <= ALL_BOXES_UP_TO
      : this.boxWindow.has(shapeId as string)
  }

  private admitsArrow(arrowId: string): boolean {
    const ends = this.ends.get(arrowId)
    // A free arrow (drawn, bound to nothing): only on the whole map.
    if (!ends || (ends.start === undefined && ends.end === undefined)) return this.actors === null
    // Both its boxes in the store: tldraw cannot draw an arrow to a shape it does not hold.
    if (!this.admitsBox(ends.start) || !this.admitsBox(ends.end)) return false
    if (this.pinned.has(arrowId)) return true
    return this.window === 'auto' ? this.arrowsInScope() <= ALL_ARROWS_UP_TO : this.window.has(arrowId)
  }

  /** Is this arrow drawn by the link layer rather than as a tldraw arrow? */
  drawnAsLine(arrowId: string): boolean {
    return this.arrowEndsIn(arrowId) && !this.admitsArrow(arrowId)
  }

  /** Is this box drawn by the link layer rather than as a tldraw shape? */
  drawnAsBox(shapeId: string): boolean {
    return this.hasBox(shapeId) && !this.admitsBox(shapeId)
  }

  /** How many arrows join two boxes in scope (counted once per change of the index or scope). */
  arrowsInScope(): number {
    return this.count().arrows
  }

  /** How many boxes are in scope (counted once per change of the index or scope). */
  boxesInScope(): number {
    return this.count().boxes
  }

  private count(): { arrows: number; boxes: number } {
    const version = this.version.__unsafe__getWithoutCapture()
    if (this.counted.version !== version) {
      let arrows = 0
      for (const arrowId of this.ends.keys()) if (this.arrowEndsIn(arrowId)) arrows++
      let boxes = 0
      for (const boxId of this.boxes.keys()) if (this.hasBox(boxId)) boxes++
      this.counted = { version, arrows, boxes }
    }
    return this.counted
  }

  /**
   * The preview to draw instead of the map: while no box has come from the document, on the
   * whole map (a sub-map's actors are not in the preview). Null once the first box comes.
   */
  previewShown(): MapPreview | null {
    this.version.get()
    const preview = this.preview.get()
    return preview && this.boxes.size === 0 && this.actors === null ? preview : null
  }

  /**
   * The page area the boxes in scope cover (the preview's until boxes come; null when there are
   * none), for fitting them in view.
   */
  boundsInScope(): BoxBounds | null {
    const preview = this.previewShown()
    if (preview) return previewBounds(preview)
    let minX = Number.POSITIVE_INFINITY
    let minY = Number.POSITIVE_INFINITY
    let maxX = Number.NEGATIVE_INFINITY
    let maxY = Number.NEGATIVE_INFINITY
    for (const [boxId, box] of this.boxBounds) {
      if (!this.hasBox(boxId)) continue
      minX = Math.min(minX, box.x)
      minY = Math.min(minY, box.y)
      maxX = Math.max(maxX, box.x + box.w)
      maxY = Math.max(maxY, box.y + box.h)
    }
    return minX <= maxX ? { x: minX, y: minY, w: maxX - minX, h: maxY - minY } : null
  }

  /** The boxes in scope showing this actor, with their places. */
  boxesOfActor(actorId: string): { id: string; bounds: BoxBounds }[] {
    const found: { id: string; bounds: BoxBounds }[] = []
    for (const [boxId, shown] of this.boxes) {
      const bounds = this.boxBounds.get(boxId)
      if (shown === actorId && bounds && this.hasBox(boxId)) found.push({ id: boxId, bounds })
    }
    return found
  }

  /** The actors of the sub-map (null: the whole map). */
  get actorScope(): ReadonlySet<string> | null {
    return this.actors
  }

  /** Opens a sub-map (the actors whose boxes come in), or the whole map with null. */
  setActors(actors: ReadonlySet<string> | null): void {
    if (sameSet(actors, this.actors)) return
    this.actors = actors
    this.changed()
  }

  /**
   * Which boxes and arrows come in as tldraw shapes: 'auto', or on a large map those near the
   * view (an arrow also needs both its boxes in).
   */
  setWindow(window: { boxes: ShapeWindow; arrows: ShapeWindow }): void {
    const unpinned = this.pinned.size > 0
    this.pinned = new Set()
    if (!unpinned && sameWindow(window.boxes, this.boxWindow) && sameWindow(window.arrows, this.window))
      return
    this.boxWindow = window.boxes
    this.window = window.arrows
    this.changed()
  }

  /**
   * Takes these boxes and arrows into the store now, whatever the window (to select them from
   * the table or the inspector on a zoomed-out borough). They stay until the window is next
   * chosen, which keeps whatever is selected by then.
   */
  pin(ids: readonly string[]): void {
    const fresh = ids.filter((id) => !this.pinned.has(id))
    if (fresh.length === 0) return
    for (const id of fresh) this.pinned.add(id)
    this.changed()
  }

  /** Called by the canvas binding: brings the store in line with the scope. */
  onRefresh(refresh: () => void): void {
    this.refresher = refresh
  }

  private changed(): void {
    this.version.update((n) => n + 1)
    this.refresher?.()
  }

  stop(): void {
    this.canvas.unobserve(this.observer)
    this.stopLinks()
    this.refresher = null
    this.derivedListener = null
  }
}

/**
 * Keeps the canvas scope on the open sub-map: the actors in it, again whenever the sub-map or
 * an actor's ward or domains change (only on a change of actors, never on a drag).
 *
 * The sub-map's change is applied after tldraw's signals have finished reacting to it, not
 * inside that reaction: applying it takes boxes out of the store, and a store change made while
 * signals react reads stale queries in tldraw's integrity check (createIntegrityChecker), which
 * then fixes the page state over and over when the hovered box is among those taken out, until
 * the stack overflows. The throw also ended the reaction before the other reactors to the
 * sub-map ran, among them the one that writes it to the address: the address then lacked
 * `domain=health` while the map showed the domain (tests/e2e/sub-map.test.ts saw it at random,
 * by whichever box lay under the pointer).
 */
export function bindSubMapScope(scope: CanvasScope, workspace: Workspace): () => void {
  const apply = () => scope.setActors(actorsInSubMap(subMapAtom.get(), workspace.actors()))
  const stopSubMap = react('sub-map scope', apply, { scheduleEffect: (run) => queueMicrotask(run) })
  const stopActors = workspace.onChange((change) => {
    if (change.changed.has('actors')) apply()
  })
  return () => {
    stopSubMap()
    stopActors()
  }
}

const sameWindow = (a: ShapeWindow, b: ShapeWindow): boolean =>
  a === 'auto' || b === 'auto' ? a === b : sameSet(a, b)

function sameSet(a: ReadonlySet<string> | null, b: ReadonlySet<string> | null): boolean {
  if (a === b) return true
  if (!a || !b || a.size !== b.size) return false
  for (const item of a) if (!b.has(item)) return false
  return true
}

/** Do two versions of a canvas record say the same to the index (what a box shows, what an arrow joins)? */
function sameIndexEntry(a: TLRecord | undefined, b: TLRecord | undefined): boolean {
  if (!a || !b || a.typeName !== b.typeName) return false
  if (a.typeName === 'shape' && b.typeName === 'shape') {
    if (a.type !== b.type) return false
    if (a.type === ACTOR_SHAPE_TYPE)
      return (a.props as { actorId?: unknown }).actorId === (b.props as { actorId?: unknown }).actorId
    if (a.type === 'arrow') return a.meta?.linkId === b.meta?.linkId
    return true
  }
  if (a.typeName === 'binding' && b.typeName === 'binding')
    return (
      a.fromId === b.fromId &&
      a.toId === b.toId &&
      (a.props as { terminal?: string }).terminal === (b.props as { terminal?: string }).terminal
    )
  return true
}
