/**
 * `npm run bench:insight`: the insight panel and map lenses on a 2,000-actor map (issue #8).
 *
 * The measures (`analyse`) run in a Web Worker in the app; what the page's own thread pays per
 * update is two tasks: sending the map's measured fields to the worker, and taking the answer in
 * (deserialising it, ranking the panel's lists, applying the lens to every actor, laying out the
 * Sankey). Both are timed here, each also as a ratio to two
 * references measured in the same run: the validated read of the workspace (`snapshot()`, which
 * the app already does after every change) and graphology-metrics' betweenness on the same graph.
 * Each figure is the median of RUNS runs after a warm-up.
 */
import { deserialize, serialize } from 'node:v8'
import Graph from 'graphology'
import betweennessCentrality from 'graphology-metrics/centrality/betweenness'
import * as Y from 'yjs'
import {
  analysisInput,
  insightLists,
  sameAnalysisInput,
  sameFunding,
} from '../client/insight/insight-data.ts'
import { DEFAULT_LENS, type Lens, lensView } from '../client/insight/lens.ts'
import { condenseFunding, layoutSankey } from '../client/insight/sankey.ts'
import { analyse } from '../model/analysis.ts'
import { Workspace } from '../model/index.ts'
import { syntheticDataset } from './synthetic.ts'

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const ACTORS = env('BENCH_ACTORS', 2000)
const LINKS = env('BENCH_LINKS', 6000)
const RUNS = env('BENCH_RUNS', 9)
/** A frame at 60 Hz. */
const FRAME_MS = 1000 / 60

function median<T>(work: () => T): { ms: number; value: T } {
  let value = work()
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now()
    value = work()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return { ms: times[Math.floor(times.length / 2)] as number, value }
}

const dataset = syntheticDataset(ACTORS, LINKS)
const workspace = new Workspace(new Y.Doc())
workspace.importDataset(dataset, { matchBy: 'id' })

// ---- references
const snapshotRead = median(() => {
  // The cache is dropped by any change; force the read the app does after each one.
  workspace.doc.transact(() => workspace.doc.getMap('meta').set('bench', Math.random()))
  return workspace.snapshot()
})
const snapshot = snapshotRead.value
const tieGraph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false })
for (const actor of snapshot.actors) tieGraph.addNode(actor.id)
for (const link of snapshot.links)
  if (link.kind !== 'disconnect' && link.from !== link.to) tieGraph.mergeEdge(link.from, link.to)
const graphologyBetweenness = median(() => betweennessCentrality(tieGraph, { normalized: true }))

// ---- the measures (in the worker)
const input = analysisInput(snapshot)
const measures = median(() => analyse(input))
const insight = measures.value

// ---- the page's thread, per update. Two tasks of the event loop: sending the map to the
// worker (after the map settles), and taking its answer in (the panel and the lens redraw then).
// v8.serialize / deserialize are the structured clone postMessage does on each side.
const slimInput = median(() => analysisInput(snapshot))
const fresh = analysisInput(snapshot)
const unchanged = median(() => sameAnalysisInput(slimInput.value, fresh))
const send = median(() => serialize({ id: 1, dataset: analysisInput(snapshot) }))
const answer = serialize({ id: 1, ok: true, insight, ms: 0 })
const receive = median(() => deserialize(answer))
const lists = median(() => insightLists(insight, snapshot.actors, 50))
const lensData = { actors: snapshot.actors, links: snapshot.links, journeys: snapshot.journeys }
const heavyLens: Lens = { ...DEFAULT_LENS, show: 'funding', size: 'betweenness', colour: 'community' }
const lens = median(() => lensView(heavyLens, lensData, insight))
const plainLens = median(() => lensView(DEFAULT_LENS, lensData, null))
const sankey = median(() => {
  const drawn = condenseFunding(insight.funding.nodes, insight.funding.flows)
  return layoutSankey(drawn.nodes, drawn.flows, { width: 376, labelRoom: 120 })
})
const copy = receive.value as { insight: typeof insight }
const fundingCheck = median(() => sameFunding(insight.funding, copy.insight.funding))
const sendTask = send.ms + unchanged.ms
const answerTask = receive.ms + fundingCheck.ms + lists.ms + lens.ms
const answerTaskWithFunding = answerTask + sankey.ms

const row = (label: string, ms: number) =>
  console.log(
    `  ${label.padEnd(52)} ${ms.toFixed(2).padStart(8)} ${(ms / snapshotRead.ms).toFixed(2).padStart(9)} ${(ms / graphologyBetweenness.ms).toFixed(3).padStart(11)}`,
  )

console.log(
  `Map: ${snapshot.actors.length} actors, ${snapshot.links.length} links (${tieGraph.size} pairs tied). Median of ${RUNS} runs.`,
)
console.log(`\n${''.padEnd(54)}       ms  ÷ snapshot  ÷ graphology`)
console.log('References')
row('snapshot(): validated read after each change', snapshotRead.ms)
row('graphology-metrics betweenness', graphologyBetweenness.ms)
console.log('Measures, in the Web Worker')
row('analyse(): every measure, funding and rankings', measures.ms)
console.log("The page's thread, task 1: sending a changed map to the worker")
row('analysisInput: the measured fields of every record', slimInput.ms)
row('compare with the last one sent (skip if the same)', unchanged.ms)
row('analysisInput + serialise for postMessage', send.ms)
row('task 1 in all', sendTask)
console.log("The page's thread, task 2: taking the answer in")
row('deserialise the insight', receive.ms)
row('is the funding the same? (then the Sankey is kept)', fundingCheck.ms)
row('ranked lists of the panel', lists.ms)
row('lens over every actor (funding, betweenness, community)', lens.ms)
row('lens: plain map', plainLens.ms)
row(
  `Sankey: condense (${sankey.value.nodes.length} bars, ${sankey.value.bands.length} bands) and lay out`,
  sankey.ms,
)
row('task 2 in all, funding unchanged', answerTask)
row('task 2 in all, funding changed', answerTaskWithFunding)
console.log(
  `\nOn the page's thread: ${sendTask.toFixed(1)} ms to send, ${answerTask.toFixed(1)} ms to take the answer in ` +
    `(${answerTaskWithFunding.toFixed(1)} ms when the funding changed: ` +
    `${((Math.max(sendTask, answerTaskWithFunding) / FRAME_MS) * 100).toFixed(0)}% of a ${FRAME_MS.toFixed(1)} ms frame at most); ` +
    `analyse() itself, in the worker: ${measures.ms.toFixed(0)} ms (${(measures.ms / FRAME_MS).toFixed(1)} frames).`,
)
