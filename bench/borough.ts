/**
 * A borough-sized map as a document, ready to put in a server's store: the synthetic dataset
 * (bench/synthetic.ts) loaded through the model, and a box for every actor written through the
 * client's own canvas binding from a real tldraw store (validated by tldraw's schema), as a
 * device that pressed "Place all" would have written them. The links' arrows are not stored:
 * each device derives them from the links and the boxes (client/canvas/canvas-scope.ts). Used by
 * `npm run bench:canvas` and the sub-map browser test.
 */
import { createShapeId, getIndices, PageRecordType, type TLRecord } from 'tldraw'
import * as Y from 'yjs'
import { ACTOR_SHAPE } from '../client/canvas/actor-shape.tsx'
import { forCanvas } from '../client/canvas/link-arrows.ts'
import { createMapStore } from '../client/canvas/map-store.ts'
import { bindStoreToDoc } from '../client/canvas/store-binding.ts'
import { type Dataset, Workspace } from '../model/index.ts'
import { syntheticDataset } from './synthetic.ts'

/** Box size and spacing: boxes of a ward sit in a block, the wards in a grid of blocks. */
const BOX = { w: 200, h: 96, gapX: 60, gapY: 54 } as const
const WARD_COLUMNS = 8
const BLOCK_GAP = 700

/** Where each actor's box goes: grouped by ward (its `area`), as a facilitator would lay them out. */
function wardLayout(dataset: Dataset): Map<string, { x: number; y: number }> {
  const wards = [...new Set(dataset.actors.map((actor) => actor.area))].sort()
  const byWard = new Map<string, string[]>(wards.map((ward) => [ward, []]))
  for (const actor of dataset.actors) byWard.get(actor.area)?.push(actor.id)
  const largest = Math.max(1, ...[...byWard.values()].map((ids) => ids.length))
  const columns = Math.ceil(Math.sqrt(largest * 1.6))
  const rows = Math.ceil(largest / columns)
  const blockW = columns * (BOX.w + BOX.gapX) + BLOCK_GAP
  const blockH = rows * (BOX.h + BOX.gapY) + BLOCK_GAP
  const at = new Map<string, { x: number; y: number }>()
  wards.forEach((ward, w) => {
    const ox = (w % WARD_COLUMNS) * blockW
    const oy = Math.floor(w / WARD_COLUMNS) * blockH
    byWard.get(ward)?.forEach((id, k) => {
      at.set(id, {
        x: ox + (k % columns) * (BOX.w + BOX.gapX),
        y: oy + Math.floor(k / columns) * (BOX.h + BOX.gapY),
      })
    })
  })
  return at
}

/** Runs `requestAnimationFrame` callbacks soon, where there is none (Node), for the canvas binding. */
function ensureAnimationFrames(): void {
  const g = globalThis as { requestAnimationFrame?: unknown; cancelAnimationFrame?: unknown }
  if (typeof g.requestAnimationFrame === 'function') return
  g.requestAnimationFrame = (callback: (time: number) => void) => setTimeout(() => callback(Date.now()), 0)
  g.cancelAnimationFrame = (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle)
}

export interface BoroughMap {
  readonly dataset: Dataset
  /** The whole document as one Yjs update. */
  readonly update: Uint8Array
}

/**
 * A workspace document holding `actors` actors and `links` links (every kind), each actor with a
 * box on the map (grouped by ward).
 */
export function boroughMap(actors: number, links: number, seed = 42): BoroughMap {
  ensureAnimationFrames()
  const dataset = syntheticDataset(actors, links, seed)
  const doc = new Y.Doc()
  const workspace = new Workspace(doc, { participantId: 'seed' })
  workspace.load(dataset)

  const store = createMapStore()
  const binding = bindStoreToDoc(
    store,
    doc,
    (rejected) => {
      throw new Error(`the seed wrote records tldraw refused: ${JSON.stringify(rejected.slice(0, 3))}`)
    },
    { toCanvas: forCanvas },
  )
  const pageId = PageRecordType.createId('page')
  const at = wardLayout(dataset)
  const indices = getIndices(dataset.actors.length + 1)
  let next = 1
  const records: TLRecord[] = [PageRecordType.create({ id: pageId, name: 'Page 1', index: 'a1' as never })]
  const shape = store.schema.types.shape
  for (const actor of dataset.actors) {
    const id = createShapeId(`box-${actor.id}`)
    const { x, y } = at.get(actor.id) ?? { x: 0, y: 0 }
    records.push(
      shape.create({
        id,
        type: ACTOR_SHAPE,
        parentId: pageId,
        index: indices[next++],
        x,
        y,
        props: { w: BOX.w, h: BOX.h, actorId: actor.id },
      } as never),
    )
  }
  // In slices, as a device writes them: each slice is one transaction (one update).
  for (let i = 0; i < records.length; i += 5000) {
    store.put(records.slice(i, i + 5000))
    binding.flush()
  }
  binding.stop()
  return { dataset, update: Y.encodeStateAsUpdate(doc) }
}
