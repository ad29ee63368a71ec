import {
  ArrowShapeUtil,
  type TLArrowShape,
  type TLArrowShapeProps,
  type TLRecord,
  type TLShape,
  type TLShapeUtilCanvasSvgDef,
  type TLStore,
  toRichText,
} from 'tldraw'
import type { Link, Workspace } from '../../model/index.ts'
import { idleDefs } from './idle-patterns.tsx'
import { LINK_STYLES, linkCaption } from './styles.ts'

/** The arrow props that show a link: all of them come from the link, none from the canvas. */
export type ArrowLook = Pick<
  TLArrowShapeProps,
  'color' | 'labelColor' | 'dash' | 'size' | 'arrowheadStart' | 'arrowheadEnd' | 'richText'
>
const LOOK_KEYS = [
  'color',
  'labelColor',
  'dash',
  'size',
  'arrowheadStart',
  'arrowheadEnd',
  'richText',
] as const satisfies readonly (keyof ArrowLook)[]

/**
 * What a linked arrow's look is stored as in the shared `canvas` map: always the same, so a
 * change of link never writes to the canvas, and two devices never disagree about it.
 */
export const STORED_LOOK: ArrowLook = {
  color: 'black',
  labelColor: 'black',
  dash: 'solid',
  size: 'm',
  arrowheadStart: 'none',
  arrowheadEnd: 'arrow',
  richText: toRichText(''),
}

/** How an arrow whose link is not (or no longer, or not yet) in the dataset is drawn: faint. */
const GHOST_LOOK: ArrowLook = { ...STORED_LOOK, color: 'grey', labelColor: 'grey', dash: 'dotted' }

const linkIdOf = (record: TLRecord): string | undefined => {
  if (record.typeName !== 'shape' || record.type !== 'arrow') return undefined
  const linkId = record.meta.linkId
  return typeof linkId === 'string' ? linkId : undefined
}

const looks = new WeakMap<Link, ArrowLook>()
/** Each look's caption as JSON, to compare with a record's without re-serialising the look. */
const captions = new WeakMap<ArrowLook, string>()
const captionOf = (look: ArrowLook): string => {
  let text = captions.get(look)
  if (text === undefined) {
    text = JSON.stringify(look.richText)
    captions.set(look, text)
  }
  return text
}

/** How the arrow drawing `link` looks: colour and dash by kind, both heads if mutual, its caption. */
export function arrowLook(link: Link | undefined): ArrowLook {
  if (!link) return GHOST_LOOK
  const known = looks.get(link)
  if (known) return known
  const style = LINK_STYLES[link.kind]
  const look: ArrowLook = {
    color: style.color,
    labelColor: style.color,
    dash: style.dash,
    size: 'm',
    arrowheadStart: link.direction === 'mutual' ? 'arrow' : (style.arrowheadStart ?? 'none'),
    arrowheadEnd: 'arrow',
    richText: toRichText(linkCaption(link)),
  }
  looks.set(link, look)
  return look
}

function hasLook(props: TLArrowShapeProps, look: ArrowLook): boolean {
  for (const key of LOOK_KEYS) {
    if (key === 'richText') {
      if (props.richText !== look.richText && JSON.stringify(props.richText) !== captionOf(look)) return false
    } else if (props[key] !== look[key]) return false
  }
  return true
}

/** One lookup of links by id per version of the links list (which keeps its identity until links change). */
const linkIndexes = new WeakMap<readonly Link[], Map<string, Link>>()
function linkById(workspace: Workspace, id: string): Link | undefined {
  const links = workspace.snapshot().links
  let index = linkIndexes.get(links)
  if (!index) {
    index = new Map(links.map((link) => [link.id, link]))
    linkIndexes.set(links, index)
  }
  return index.get(id)
}

/**
 * Shows every arrow that draws a link with the look derived from that link, on this device only.
 *
 * The link record is the truth. Rather than every device writing each arrow's colour, dash and
 * caption into the shared canvas whenever a link changes (N devices writing the same thing, and
 * fighting when their versions differ), the derived look is applied to this device's tldraw store
 * as records come in, by a store side effect that sees every put (the person's own, remote merges
 * and undo alike), and re-applied as a remote merge when links change, which the canvas binding
 * never writes back. tldraw's own arrow geometry, label measuring, hit-testing and SVG/PNG export
 * all read the record in the store, so they all see the derived look. `forCanvas` then stores a
 * linked arrow with a fixed look, so the canvas holds layout only.
 *
 * (Deriving in the shape util's render methods alone is not enough in tldraw 5.1: its arrow info
 * and label-size caches read the stored record by id, so arrowheads and caption size would come
 * from the canvas.)
 */
export function bindArrowLooks(store: TLStore, workspace: Workspace): () => void {
  const derive = <S extends TLShape>(shape: S): S => {
    const linkId = linkIdOf(shape)
    if (linkId === undefined) return shape
    const arrow = shape as unknown as TLArrowShape
    const look = arrowLook(linkById(workspace, linkId))
    if (hasLook(arrow.props, look)) return shape
    return { ...arrow, props: { ...arrow.props, ...look } } as unknown as S
  }
  const stopCreate = store.sideEffects.registerBeforeCreateHandler('shape', (shape) => derive(shape))
  const stopChange = store.sideEffects.registerBeforeChangeHandler('shape', (_previous, next) => derive(next))

  let queued = false
  const restyle = () => {
    queued = false
    const changed: TLRecord[] = []
    for (const record of store.allRecords()) {
      if (record.typeName !== 'shape' || linkIdOf(record) === undefined) continue
      const next = derive(record)
      if (next !== record) changed.push(next)
    }
    // A remote merge: this device's view of the link changed, not the canvas.
    if (changed.length > 0) store.mergeRemoteChanges(() => store.put(changed))
  }
  const stopLinks = workspace.onChange((change) => {
    if (!change.changed.has('links') || queued) return
    // After the transaction that changed the links, never inside a store operation in progress.
    queued = true
    queueMicrotask(restyle)
  })
  restyle()
  return () => {
    stopLinks()
    stopCreate()
    stopChange()
  }
}

/**
 * A record as the shared canvas keeps it: a linked arrow with the fixed look (its look is the
 * link's, derived on each device), anything else as it is.
 */
export function forCanvas(record: TLRecord): TLRecord {
  if (linkIdOf(record) === undefined) return record
  const arrow = record as TLArrowShape
  if (hasLook(arrow.props, STORED_LOOK)) return record
  return { ...arrow, props: { ...arrow.props, ...STORED_LOOK } }
}

/**
 * tldraw's arrow, except that an arrow drawing a link has no caption of its own to edit: its
 * words are the link's label (edited in the inspector or the table), and typing on the arrow
 * would be overwritten by them at once.
 */
export class LinkArrowShapeUtil extends ArrowShapeUtil {
  override canEdit(shape: TLArrowShape): boolean {
    return typeof shape.meta.linkId !== 'string'
  }

  /** Its pattern fill's tiles are made once the page is idle (idle-patterns.tsx). */
  override getCanvasSvgDefs(): TLShapeUtilCanvasSvgDef[] {
    return idleDefs(super.getCanvasSvgDefs())
  }
}
