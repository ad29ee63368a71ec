/**
 * `npm run bench:growth`: how much a workspace document grows over a long, drag-heavy session.
 * Every pointer move of a drag overwrites a shape record in the `canvas` Y.Map, and each
 * overwrite leaves a small tombstone. Reported against the reference of a fresh document
 * holding only the final state, in the same run.
 */
import * as Y from 'yjs'

const MINUTES = Number(process.env.BENCH_MINUTES ?? 30)
const SHAPES = 60
const DRAGGERS = 5
const RATE = 30 // local changes are batched per animation frame, so at most one write per frame
const DRAG_SHARE = 0.2 // a fifth of the time, someone is dragging

function shape(id: number, x: number, y: number) {
  return {
    id: `shape:${id}`,
    typeName: 'shape',
    type: 'actor',
    x,
    y,
    rotation: 0,
    index: `a${id}`,
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { w: 200, h: 96, actorId: `actor-${id}` },
  }
}

const doc = new Y.Doc()
const canvas = doc.getMap<ReturnType<typeof shape>>('canvas')
doc.transact(() => {
  for (let i = 0; i < SHAPES; i++) canvas.set(`shape:${i}`, shape(i, i * 10, i * 10))
})
const frames = Math.round(MINUTES * 60 * RATE * DRAG_SHARE)
let writes = 0
for (let frame = 0; frame < frames; frame++) {
  doc.transact(() => {
    for (let d = 0; d < DRAGGERS; d++) {
      const id = (frame + d * 7) % SHAPES
      canvas.set(`shape:${id}`, shape(id, frame % 1000, d * 50))
      writes++
    }
  })
}
const grown = Y.encodeStateAsUpdate(doc).byteLength

const fresh = new Y.Doc()
fresh.transact(() => {
  for (const [key, value] of canvas.entries()) fresh.getMap('canvas').set(key, value)
})
const reference = Y.encodeStateAsUpdate(fresh).byteLength

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
console.log(
  `${MINUTES} min session, ${SHAPES} shapes, ${DRAGGERS} people dragging ${DRAG_SHARE * 100}% of the time at ${RATE}/s: ${writes} shape writes`,
)
console.log(`  document after the session      ${kib(grown)}`)
console.log(`  fresh document, same final state ${kib(reference)}   ratio ${(grown / reference).toFixed(1)}`)
console.log(`  growth per shape write           ${((grown - reference) / writes).toFixed(1)} bytes`)
