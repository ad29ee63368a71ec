import type * as Y from 'yjs'
import { actorBoxes } from './canvas-refs.ts'
import { canvasMap, collection } from './document.ts'
import { ACTOR_KINDS, type ActorKind } from './records/actor.ts'
import { LINK_KINDS, type LinkKind } from './records/link.ts'

/**
 * A sketch of the whole map: where each actor box is and what kind it is, and which boxes the
 * links join. A device opening a large map with nothing on it draws this first, in the few
 * hundred kilobytes the server sends ahead of the document (a borough's is 8 MiB, and applying it
 * takes the page over a second), then the map itself once the document is in. It is derived
 * from the document and read by nobody as truth: never written back, never exported.
 */
export interface MapPreview {
  /** x, y, w, h of each box, in page space. */
  readonly boxes: Float32Array
  /** Each box's actor kind, as its place in ACTOR_KINDS. */
  readonly boxKinds: Uint8Array
  /** The two boxes (their places in `boxes`) each drawn link joins, two numbers a link. */
  readonly lines: Uint32Array
  /** Each line's link kind, as its place in LINK_KINDS. */
  readonly lineKinds: Uint8Array
}

/** The first byte of an encoded preview: a client that cannot read a version ignores it. */
const VERSION = 1
/** Version byte, three bytes of padding (the numbers after it stay aligned), two counts. */
const HEADER_BYTES = 12

/**
 * The preview of a document's map: its boxes placed on a page (see `actorBoxes`), and a line
 * for each link between its actors' first boxes, as its arrow joins them.
 */
export function previewOfDoc(doc: Y.Doc): MapPreview {
  const actors = collection(doc, 'actors')
  const actorKinds = new Map<string, number>(ACTOR_KINDS.map((kind, i) => [kind, i]))
  const linkKinds = new Map<string, number>(LINK_KINDS.map((kind, i) => [kind, i]))
  const boxes: number[] = []
  const boxKinds: number[] = []
  const firstBox = new Map<string, number>()
  for (const { actorId, x, y, w, h } of actorBoxes(canvasMap(doc))) {
    const kind = actorKinds.get(actors.get(actorId)?.get('kind') as string)
    if (kind === undefined) continue
    if (!firstBox.has(actorId)) firstBox.set(actorId, boxKinds.length)
    boxes.push(x, y, w, h)
    boxKinds.push(kind)
  }
  const lines: number[] = []
  const lineKinds: number[] = []
  for (const link of collection(doc, 'links').values()) {
    const from = firstBox.get(link.get('from') as string)
    const to = firstBox.get(link.get('to') as string)
    const kind = linkKinds.get(link.get('kind') as string)
    if (from === undefined || to === undefined || kind === undefined || from === to) continue
    lines.push(from, to)
    lineKinds.push(kind)
  }
  return {
    boxes: Float32Array.from(boxes),
    boxKinds: Uint8Array.from(boxKinds),
    lines: Uint32Array.from(lines),
    lineKinds: Uint8Array.from(lineKinds),
  }
}

/** The preview as bytes: the header, then the boxes, the lines and the kinds, as typed arrays. */
export function encodePreview(preview: MapPreview): Uint8Array {
  const boxCount = preview.boxKinds.length
  const lineCount = preview.lineKinds.length
  const bytes = new Uint8Array(HEADER_BYTES + boxCount * 17 + lineCount * 9)
  const view = new DataView(bytes.buffer)
  view.setUint8(0, VERSION)
  view.setUint32(4, boxCount, true)
  view.setUint32(8, lineCount, true)
  let at = HEADER_BYTES
  bytes.set(new Uint8Array(preview.boxes.buffer, preview.boxes.byteOffset, boxCount * 16), at)
  at += boxCount * 16
  bytes.set(new Uint8Array(preview.lines.buffer, preview.lines.byteOffset, lineCount * 8), at)
  at += lineCount * 8
  bytes.set(preview.boxKinds, at)
  bytes.set(preview.lineKinds, at + boxCount)
  return bytes
}

/**
 * Reads a preview, checking all of it: a preview that is cut short, names a kind or a box that
 * is not there, or places a box at no number is refused whole (null), and the map simply waits
 * for its document. The numbers are copied out, so `bytes` may be any view (a frame's tail).
 */
export function decodePreview(bytes: Uint8Array): MapPreview | null {
  if (bytes.byteLength < HEADER_BYTES || bytes[0] !== VERSION) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const boxCount = view.getUint32(4, true)
  const lineCount = view.getUint32(8, true)
  if (bytes.byteLength !== HEADER_BYTES + boxCount * 17 + lineCount * 9) return null
  let at = HEADER_BYTES
  // Copied (slice) into buffers of their own, aligned for the typed arrays' views.
  const boxes = new Float32Array(bytes.slice(at, at + boxCount * 16).buffer)
  at += boxCount * 16
  const lines = new Uint32Array(bytes.slice(at, at + lineCount * 8).buffer)
  at += lineCount * 8
  const boxKinds = bytes.slice(at, at + boxCount)
  const lineKinds = bytes.slice(at + boxCount)
  if (!boxes.every(Number.isFinite)) return null
  if (boxKinds.some((kind) => kind >= ACTOR_KINDS.length)) return null
  if (lineKinds.some((kind) => kind >= LINK_KINDS.length)) return null
  if (lines.some((box) => box >= boxCount)) return null
  return { boxes, boxKinds, lines, lineKinds }
}

/** How many boxes an encoded preview holds, read from its header alone (0 if it has none). */
export function previewBoxCount(bytes: Uint8Array): number {
  if (bytes.byteLength < HEADER_BYTES || bytes[0] !== VERSION) return 0
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true)
}

/** The actor kind of a preview's box. */
export const previewBoxKind = (preview: MapPreview, box: number): ActorKind =>
  ACTOR_KINDS[preview.boxKinds[box] as number] as ActorKind

/** The link kind of a preview's line. */
export const previewLineKind = (preview: MapPreview, line: number): LinkKind =>
  LINK_KINDS[preview.lineKinds[line] as number] as LinkKind
