import { type Atom, atom } from 'tldraw'
import { analyse, type NetworkInsight } from '../../model/analysis.ts'
import type { Dataset, Workspace } from '../../model/index.ts'
import { analysisInput, sameAnalysisInput, sameFunding } from './insight-data.ts'

/** Sent to the insight worker. */
export interface InsightRequest {
  readonly id: number
  readonly dataset: Dataset
}

/** The worker's answer to one request. */
export type InsightReply =
  | { readonly id: number; readonly ok: true; readonly insight: NetworkInsight; readonly ms: number }
  | { readonly id: number; readonly ok: false; readonly error: string }

export interface InsightState {
  /** The last measures worked out; older than the map while `updating`. */
  readonly insight: NetworkInsight | null
  /** The map changed and the measures are being worked out again. */
  readonly updating: boolean
  /** How long the last working-out took, in milliseconds (off the page's thread). */
  readonly ms: number | null
  readonly actors: number
  readonly error: string | null
}

export const NO_INSIGHT: InsightState = { insight: null, updating: false, ms: null, actors: 0, error: null }

/** The open workspace's measures, for the insight panel and the map's lenses. */
export const insightState: Atom<InsightState> = atom('insight', NO_INSIGHT)

/**
 * From this many actors a change waits for the map to be still for a moment before the measures
 * are worked out again (a drag of many boxes, an import, a remote burst); below it they follow
 * almost at once.
 */
export const LARGE_MAP = 500
export const SETTLE_MS = { large: 300, small: 40 } as const

/**
 * Keeps `insightState` up to date with a workspace while someone is looking (the insight panel is
 * open, or a lens sizes or colours by a measure). The measures are worked out in a Web Worker
 * (betweenness on a 2,000-actor map takes far longer than a frame), one request at a time, the
 * last result shown meanwhile. Only changes to actors and links count: moving boxes does not.
 * Where no worker can start, they are worked out on the page's thread instead.
 */
export class InsightEngine {
  private worker: Worker | null | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private inFlight: { id: number; dataset: Dataset } | null = null
  private lastSent: Dataset | null = null
  private nextId = 1
  private dirty = true
  private active = false
  private destroyed = false
  private readonly stopListening: () => void

  constructor(
    private readonly workspace: Workspace,
    private readonly state: Atom<InsightState> = insightState,
  ) {
    this.stopListening = workspace.onChange((change) => {
      if (!change.changed.has('actors') && !change.changed.has('links')) return
      this.dirty = true
      if (this.active) this.schedule()
    })
  }

  /** Starts or stops following the workspace; on starting, anything missed is worked out at once. */
  setActive(active: boolean): void {
    this.active = active
    if (!active) {
      clearTimeout(this.timer)
      if (!this.inFlight) this.patch({ updating: false })
      return
    }
    if (this.dirty) this.schedule(0)
  }

  destroy(): void {
    this.destroyed = true
    this.stopListening()
    clearTimeout(this.timer)
    this.worker?.terminate()
    this.worker = null
    this.state.set(NO_INSIGHT)
  }

  private patch(change: Partial<InsightState>): void {
    this.state.update((state) => ({ ...state, ...change }))
  }

  private schedule(
    delay: number = this.workspace.actors().length >= LARGE_MAP ? SETTLE_MS.large : SETTLE_MS.small,
  ): void {
    clearTimeout(this.timer)
    if (!this.state.get().updating) this.patch({ updating: true })
    this.timer = setTimeout(() => this.run(), delay)
  }

  private run(): void {
    // One at a time: the answer to this one schedules the next if the map changed meanwhile.
    if (this.destroyed || this.inFlight || !this.active) return
    if (!this.dirty) {
      this.patch({ updating: false })
      return
    }
    this.dirty = false
    const dataset = analysisInput(this.workspace.snapshot())
    // A change to what the measures do not read (a description, a contact) changes nothing.
    if (this.lastSent && this.state.get().insight && sameAnalysisInput(this.lastSent, dataset)) {
      this.patch({ updating: false })
      return
    }
    this.lastSent = dataset
    const request = { id: this.nextId++, dataset }
    this.inFlight = request
    const worker = this.startWorker()
    if (worker) worker.postMessage(request satisfies InsightRequest)
    else this.runHere(request)
  }

  private startWorker(): Worker | null {
    if (this.worker !== undefined) return this.worker
    try {
      const worker = new Worker(new URL('./insight.worker.ts', import.meta.url), { type: 'module' })
      worker.onmessage = (event: MessageEvent<InsightReply>) => this.settle(event.data)
      // The worker's script would not load (offline without it cached, a strict policy): carry
      // on without it, starting with the request it dropped.
      worker.onerror = (event) => {
        event.preventDefault()
        worker.terminate()
        this.worker = null
        if (this.inFlight) this.runHere(this.inFlight)
      }
      this.worker = worker
    } catch {
      this.worker = null
    }
    return this.worker
  }

  private runHere(request: { id: number; dataset: Dataset }): void {
    setTimeout(() => {
      if (this.destroyed) return
      const started = performance.now()
      try {
        this.settle({
          id: request.id,
          ok: true,
          insight: analyse(request.dataset),
          ms: performance.now() - started,
        })
      } catch (error) {
        this.settle({
          id: request.id,
          ok: false,
          error: error instanceof Error ? error.message : String(error),
        })
      }
    }, 0)
  }

  private settle(reply: InsightReply): void {
    if (this.destroyed || reply.id !== this.inFlight?.id) return
    const actors = this.inFlight.dataset.actors.length
    this.inFlight = null
    const more = this.dirty && this.active
    if (reply.ok) {
      const previous = this.state.get().insight
      const insight =
        previous && sameFunding(previous.funding, reply.insight.funding)
          ? { ...reply.insight, funding: previous.funding }
          : reply.insight
      this.state.set({ insight, updating: more, ms: reply.ms, actors, error: null })
    } else this.patch({ updating: more, error: reply.error })
    if (more) this.schedule()
  }
}
