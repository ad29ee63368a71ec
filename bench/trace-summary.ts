/**
 * Where a drag's time on a page's main thread went, from a Chrome trace (devtools.timeline
 * categories): each trace event's self time (its duration less its children's) summed by name,
 * over the page's renderer main thread from the first pointerdown to the last pointerup (the
 * whole trace without them), with the style recalculations' element counts. For bench:canvas's
 * BENCH_TRACE, to split the drag's "(program)" of a CPU profile into style, layout, paint,
 * the compositor's commit and script.
 */

interface TraceEvent {
  readonly name: string
  readonly ph: string
  readonly ts: number
  readonly dur?: number
  readonly pid: number
  readonly tid: number
  readonly args?: { name?: string; elementCount?: number; data?: { type?: string } }
}

export interface TraceSummary {
  /** The drag's length (ms) and the frames committed in it. */
  readonly spanMs: number
  readonly commits: number
  /** Self time by event name, in ms, largest first. */
  readonly selfMs: readonly (readonly [string, number])[]
  /** Style recalculations (UpdateLayoutTree) and the elements they restyled. */
  readonly styleRecalcs: number
  readonly styledElements: number
  /** Layouts (Layout events). */
  readonly layouts: number
}

/** Summarises the main thread of the renderer whose main thread ran the most in the trace. */
export function summariseTrace(trace: { traceEvents: TraceEvent[] }): TraceSummary {
  const events = trace.traceEvents
  const mains = events.filter((event) => event.ph === 'M' && event.args?.name === 'CrRendererMain')
  // The page's renderer: the main thread with the most complete events (others are idle frames).
  let best: { pid: number; tid: number; count: number } | null = null
  for (const main of mains) {
    const count = events.filter(
      (event) => event.pid === main.pid && event.tid === main.tid && event.ph === 'X',
    ).length
    if (!best || count > best.count) best = { pid: main.pid, tid: main.tid, count }
  }
  if (!best) return { spanMs: 0, commits: 0, selfMs: [], styleRecalcs: 0, styledElements: 0, layouts: 0 }
  const { pid, tid } = best
  const thread = events
    .filter((event) => event.pid === pid && event.tid === tid && event.ph === 'X' && event.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))
  const pointer = (type: string) =>
    thread.filter((event) => event.name === 'EventDispatch' && event.args?.data?.type === type)
  const from = pointer('pointerdown')[0]?.ts ?? Number.NEGATIVE_INFINITY
  const to = pointer('pointerup').at(-1)?.ts ?? Number.POSITIVE_INFINITY
  const own = thread.filter((event) => event.ts >= from && event.ts <= to)
  const self = new Map<string, number>()
  const stack: { event: TraceEvent; end: number }[] = []
  let styleRecalcs = 0
  let styledElements = 0
  let layouts = 0
  for (const event of own) {
    while (stack.length > 0 && (stack.at(-1)?.end ?? 0) <= event.ts) stack.pop()
    const parent = stack.at(-1)
    const dur = event.dur ?? 0
    if (parent) self.set(parent.event.name, (self.get(parent.event.name) ?? 0) - dur)
    self.set(event.name, (self.get(event.name) ?? 0) + dur)
    stack.push({ event, end: event.ts + dur })
    if (event.name === 'UpdateLayoutTree') {
      styleRecalcs++
      styledElements += event.args?.elementCount ?? 0
    }
    if (event.name === 'Layout') layouts++
  }
  const selfMs = [...self]
    .map(([name, us]) => [name, us / 1000] as const)
    .filter(([, ms]) => ms >= 0.5)
    .sort((a, b) => b[1] - a[1])
  const span = own.length > 0 ? ((own.at(-1)?.ts ?? 0) - (own[0]?.ts ?? 0)) / 1000 : 0
  const commits = own.filter((event) => event.name === 'Commit').length
  return { spanMs: span, commits, selfMs, styleRecalcs, styledElements, layouts }
}
