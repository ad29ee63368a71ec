import { atom, react, type TLRecord } from 'tldraw'
import type * as Y from 'yjs'
import { ACTOR_SHAPE_TYPE } from '../../model/canvas-refs.ts'
import type { Workspace } from '../../model/index.ts'
import { actorsInSubMap, subMapAtom } from './sub-map.ts'

/**
 * Up to this many arrows in scope, every one is a tldraw arrow (a workshop's map, a ward's
 * sub-map): full arrows with heads and captions cost little at this size. Above it (a borough),
 * only the arrows near the view are (see bindArrowWindow), and none when zoomed out.
 */
export const ALL_ARROWS_UP_TO = 1500

/**
 * Which of the shared canvas's records this device puts in its tldraw store.
 *
 * tldraw mounts a React component for every shape in its store, on screen or not (culling only
 * hides them), so a borough of 5,000 boxes and 20,000 arrows (with 40,000 bindings) in the store
 * is 25,000 components to mount on opening and to keep. The `canvas` map keeps every record; a
 * device takes in only:
 *
 * - the boxes of the actors in its sub-map (all of them on the whole map): a workshop on one
 *   ward creates only that ward's boxes, never 5,000 to hide;
 * - an arrow only when both its boxes are in, and, on a large map, only the arrows near the view
 *   (`setArrowWindow`): the rest are drawn as plain lines by the link layer (LinkLines);
 * - a binding only with its arrow; pages, the document and other shapes always.
 *
 * A record left out stays in the document untouched (the canvas binding writes only what the
 * person changes in the store), and comes in as soon as it is in scope again.
 */
export class CanvasScope {
  /** Box shape id -> the actor it shows. */
  readonly boxes = new Map<string, string>()
  /** Arrow shape id -> the link it draws (undefined for a plain drawn arrow). */
  readonly arrows = new Map<string, string | undefined>()
  /** Arrow shape id -> the shapes its start and end are bound to. */
  readonly ends = new Map<string, { start?: string; end?: string }>()
  /** Binding id -> the arrow it belongs to. */
  private readonly bindingArrow = new Map<string, string>()
  /** The actors whose boxes come in; null for all (the whole map). */
  private actors: ReadonlySet<string> | null = null
  /**
   * The arrows that come in as tldraw arrows: those named, or with 'auto' (until the view says,
   * and on a small map) all of them when there are at most ALL_ARROWS_UP_TO in scope, else none.
   */
  private window: ReadonlySet<string> | 'auto' = 'auto'
  private counted = { version: -1, arrows: 0 }
  /** Bumped when the index or the scope changes, for what draws from them (LinkLines). */
  readonly version = atom('canvas scope', 0)
  private readonly observer: (event: Y.YMapEvent<unknown>) => void
  private refresher: (() => void) | null = null

  constructor(private readonly canvas: Y.Map<unknown>) {
    for (const [key, value] of canvas.entries()) this.index(key, value as TLRecord)
    // Registered before the canvas binding's own observer, so the index is up to date when the
    // binding asks what to admit from a remote change.
    this.observer = (event) => {
      let structural = false
      for (const [key, change] of event.changes.keys) {
        const before = change.action === 'add' ? undefined : (change.oldValue as TLRecord | undefined)
        const after = change.action === 'delete' ? undefined : (canvas.get(key) as TLRecord | undefined)
        // A box or arrow moved (every frame of a drag) changes nothing this index holds.
        if (change.action === 'update' && sameIndexEntry(before, after)) continue
        structural = true
        if (change.action !== 'add') this.unindex(key, before)
        if (change.action !== 'delete') this.index(key, after)
      }
      if (structural) this.version.update((n) => n + 1)
    }
    canvas.observe(this.observer)
  }

  private index(key: string, record: TLRecord | undefined): void {
    if (!record || typeof record !== 'object') return
    if (record.typeName === 'shape') {
      if (record.type === ACTOR_SHAPE_TYPE)
        this.boxes.set(key, String((record.props as { actorId?: unknown }).actorId))
      else if (record.type === 'arrow') {
        const linkId = record.meta?.linkId
        this.arrows.set(key, typeof linkId === 'string' ? linkId : undefined)
      }
    } else if (record.typeName === 'binding' && record.type === 'arrow') {
      const terminal = (record.props as { terminal?: string }).terminal === 'end' ? 'end' : 'start'
      this.bindingArrow.set(key, record.fromId)
      this.ends.set(record.fromId, { ...this.ends.get(record.fromId), [terminal]: record.toId })
    }
  }

  private unindex(key: string, record: TLRecord | undefined): void {
    this.boxes.delete(key)
    this.arrows.delete(key)
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
      if (!arrow || !this.arrows.has(arrow)) return true
      return this.admitsArrow(arrow)
    }
    if (record.typeName !== 'shape') return true
    if (record.type === ACTOR_SHAPE_TYPE) return this.hasBox(record.id)
    if (record.type === 'arrow') return this.admitsArrow(record.id)
    return true
  }

  private admitsArrow(arrowId: string): boolean {
    const ends = this.ends.get(arrowId)
    // A free arrow (drawn, bound to nothing): only on the whole map.
    if (!ends || (ends.start === undefined && ends.end === undefined)) return this.actors === null
    if (!this.arrowEndsIn(arrowId)) return false
    return this.window === 'auto' ? this.arrowsInScope() <= ALL_ARROWS_UP_TO : this.window.has(arrowId)
  }

  /** Is this arrow drawn by the link layer rather than as a tldraw arrow? */
  drawnAsLine(arrowId: string): boolean {
    return this.arrowEndsIn(arrowId) && !this.admitsArrow(arrowId)
  }

  /** How many arrows join two boxes in scope (counted once per change of the index or scope). */
  arrowsInScope(): number {
    const version = this.version.__unsafe__getWithoutCapture()
    if (this.counted.version !== version) {
      let arrows = 0
      for (const arrowId of this.ends.keys()) if (this.arrowEndsIn(arrowId)) arrows++
      this.counted = { version, arrows }
    }
    return this.counted.arrows
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

  /** Which arrows come in as tldraw arrows ('auto', or those near the view on a large map). */
  setArrowWindow(window: ReadonlySet<string> | 'auto'): void {
    if (window === 'auto' ? this.window === 'auto' : this.window !== 'auto' && sameSet(window, this.window))
      return
    this.window = window
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
    this.refresher = null
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
