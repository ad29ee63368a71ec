import Graph from 'graphology'
import forceAtlas2 from 'graphology-layout-forceatlas2'
import DEFAULT_SETTINGS from 'graphology-layout-forceatlas2/defaults.js'
import helpers from 'graphology-layout-forceatlas2/helpers.js'
import iterate from 'graphology-layout-forceatlas2/iterate.js'

export interface Point {
  readonly x: number
  readonly y: number
}

/** Canvas units per layout unit: boxes are about 200 x 96, so neighbours sit a box or two apart. */
const SCALE = 60

/** How a layout reports how far it has got: a fraction from 0 to 1, rising. */
export interface LayoutOptions {
  readonly onProgress?: (fraction: number) => void
}

/** ForceAtlas2 iterations run between two progress reports. */
const ITERATIONS_PER_REPORT = 10

/**
 * Positions for actors new to the map (imported ones), by a force layout (ForceAtlas2) over the
 * whole network in which actors already on the map stay where they are. New actors start near
 * the middle of the neighbours already placed (or on a circle beside the map when they have
 * none), so the layout settles quickly and people find imported actors beside what they know.
 * Deterministic: the same input gives the same positions. `onProgress` hears how far the
 * iterations have got (the import runs this in a worker and moves its progress bar by it).
 */
export function layoutNewActors(
  actorIds: readonly string[],
  links: readonly { from: string; to: string }[],
  placed: ReadonlyMap<string, Point>,
  options: LayoutOptions = {},
): Map<string, Point> {
  const graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false })
  for (const id of actorIds) graph.mergeNode(id)
  for (const id of placed.keys()) graph.mergeNode(id)
  for (const link of links) {
    if (graph.hasNode(link.from) && graph.hasNode(link.to) && link.from !== link.to)
      graph.mergeEdge(link.from, link.to)
  }

  const existing = [...placed.values()]
  const centre = existing.length
    ? {
        x: existing.reduce((sum, point) => sum + point.x, 0) / existing.length,
        y: existing.reduce((sum, point) => sum + point.y, 0) / existing.length,
      }
    : { x: 0, y: 0 }
  // A loop, not Math.max(...): spreading thousands of arguments can overflow the stack.
  const maxX = existing.reduce((max, point) => Math.max(max, point.x), existing.length ? -Infinity : 0)
  const fresh = actorIds.filter((id) => !placed.has(id))
  // Each new actor's place on the starting circle, looked up once (indexOf per actor was quadratic).
  const indexOf = new Map(fresh.map((id, index) => [id, index]))
  const ring = Math.max(4, Math.sqrt(fresh.length) * 4)

  graph.forEachNode((id) => {
    const at = placed.get(id)
    if (at) {
      graph.mergeNodeAttributes(id, { x: at.x / SCALE, y: at.y / SCALE, fixed: true })
      return
    }
    const neighbours = graph.neighbors(id).flatMap((other) => {
      const point = placed.get(other)
      return point ? [point] : []
    })
    const index = indexOf.get(id) ?? 0
    const angle = (index / Math.max(1, fresh.length)) * Math.PI * 2
    const origin = neighbours.length
      ? {
          x: neighbours.reduce((sum, point) => sum + point.x, 0) / neighbours.length / SCALE,
          y: neighbours.reduce((sum, point) => sum + point.y, 0) / neighbours.length / SCALE,
        }
      : { x: (existing.length ? maxX / SCALE + ring : centre.x / SCALE) + ring, y: centre.y / SCALE }
    graph.mergeNodeAttributes(id, {
      x: origin.x + Math.cos(angle) * ring,
      y: origin.y + Math.sin(angle) * ring,
    })
  })

  if (fresh.length > 0) {
    const order = graph.order
    const iterations = order > 2000 ? 60 : order > 300 ? 150 : 300
    const settings = {
      ...forceAtlas2.inferSettings(order),
      barnesHutOptimize: order > 300,
      // Gephi's own Barnes-Hut accuracy for big maps: graphology's default (0.5) costs about
      // three times as much per iteration on a 5,000-actor map, for a difference nobody sees.
      ...(order > 2000 ? { barnesHutTheta: 1.2 } : {}),
      adjustSizes: false,
    }
    // The library's own steps (what forceAtlas2.assign does in one go), so that progress can be
    // reported between iterations while the layout runs exactly as it would in one call.
    const matrices = helpers.graphToByteArrays(graph, () => 1)
    const full = { ...DEFAULT_SETTINGS, ...settings }
    for (let done = 1; done <= iterations; done++) {
      iterate(full, matrices.nodes, matrices.edges)
      if (done % ITERATIONS_PER_REPORT === 0 || done === iterations) options.onProgress?.(done / iterations)
    }
    helpers.assignLayoutChanges(graph, matrices.nodes, null)
  }

  const positions = new Map<string, Point>()
  for (const id of fresh) {
    const { x, y } = graph.getNodeAttributes(id) as { x: number; y: number }
    positions.set(id, { x: x * SCALE, y: y * SCALE })
  }
  if (placed.size === 0) normaliseSpacing(positions)
  spreadOverlaps(positions, placed)
  return positions
}

/** The distance a box's nearest neighbour should typically be: a box width and a half. */
const NEIGHBOUR_DISTANCE = 320

/**
 * Scales a layout made from nothing so that boxes sit about a box and a half from their nearest
 * neighbour: ForceAtlas2's own scale grows with the graph, and a 50-actor map at 5% zoom is
 * unreadable. The median over a sample keeps this cheap for thousands of actors.
 */
function normaliseSpacing(positions: Map<string, Point>): void {
  const points = [...positions.values()]
  if (points.length < 2) return
  const step = Math.max(1, Math.floor(points.length / 400))
  const nearest: number[] = []
  for (let i = 0; i < points.length; i += step) {
    const a = points[i] as Point
    let best = Number.POSITIVE_INFINITY
    for (const b of points) {
      if (b === a) continue
      best = Math.min(best, Math.hypot(a.x - b.x, a.y - b.y))
    }
    if (Number.isFinite(best) && best > 0) nearest.push(best)
  }
  nearest.sort((a, b) => a - b)
  const median = nearest[Math.floor(nearest.length / 2)]
  if (!median) return
  const factor = NEIGHBOUR_DISTANCE / median
  const cx = points.reduce((sum, point) => sum + point.x, 0) / points.length
  const cy = points.reduce((sum, point) => sum + point.y, 0) / points.length
  for (const [id, point] of positions)
    positions.set(id, { x: (point.x - cx) * factor, y: (point.y - cy) * factor })
}

/** Nudges new boxes that landed on top of one another (or of placed ones) apart. */
function spreadOverlaps(positions: Map<string, Point>, placed: ReadonlyMap<string, Point>): void {
  // A box (200 x 96) and room for an arrow with its caption between neighbours.
  const [w, h] = [320, 180]
  const taken = new Set<string>()
  const cell = (point: Point) => `${Math.round(point.x / w)},${Math.round(point.y / h)}`
  for (const point of placed.values()) taken.add(cell(point))
  for (const [id, point] of [...positions.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let candidate = { x: Math.round(point.x / w) * w, y: Math.round(point.y / h) * h }
    for (let step = 1; taken.has(cell(candidate)); step++) {
      candidate = { x: candidate.x + (step % 2 ? w : 0), y: candidate.y + (step % 2 ? 0 : h) }
    }
    taken.add(cell(candidate))
    positions.set(id, candidate)
  }
}
