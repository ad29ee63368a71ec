import { type ImportIssue, type ImportSource, readImport } from '../../model/formats/index.ts'
import type { Dataset } from '../../model/index.ts'
import { layoutNewActors, type Point } from '../../model/layout.ts'
import type { Result } from '../../model/result.ts'

/** What the import worker is asked: read files, or lay actors out. */
export type ImportRequest =
  | { readonly id: number; readonly type: 'read'; readonly sources: readonly ImportSource[] }
  | ({ readonly id: number; readonly type: 'layout' } & LayoutInput)

/** What the import worker answers: progress as it goes, then the one result (or an error). */
export type ImportReply =
  | { readonly id: number; readonly type: 'progress'; readonly fraction: number }
  | {
      readonly id: number
      readonly type: 'read'
      readonly result: Result<Dataset, ImportIssue[]>
      readonly ms: number
    }
  | {
      readonly id: number
      readonly type: 'layout'
      readonly positions: Map<string, Point>
      readonly ms: number
    }
  | { readonly id: number; readonly type: 'error'; readonly message: string }

/** What a layout needs: the actors to place, every link, and where the placed ones are. */
export interface LayoutInput {
  readonly actorIds: readonly string[]
  readonly links: readonly { readonly from: string; readonly to: string }[]
  readonly placed: ReadonlyMap<string, Point>
}

/** A finished piece of work: its value, how long it took, and where it ran. */
export interface Done<T> {
  readonly value: T
  readonly ms: number
  readonly where: 'worker' | 'page'
}

type Progress = (fraction: number) => void
type Task = {
  request: ImportRequest
  onProgress: Progress
  resolve: (reply: ImportReply) => void
  reject: (error: Error) => void
}

/**
 * Runs an import's heavy parts (reading and checking the files, the force layout) in a Web
 * Worker, one module worker kept for the dialog's life, so the page's thread stays free for the
 * map and the progress bar. Where no worker can start (a browser without module workers, its
 * script not loadable offline), the same functions run on the page instead: slower to use, but
 * the import still works.
 */
export class ImportWork {
  private worker: Worker | null | undefined
  private readonly tasks = new Map<number, Task>()
  private nextId = 1

  /** Reads and checks the chosen files into a dataset, or every problem found in them. */
  read(
    sources: readonly ImportSource[],
    onProgress: Progress,
  ): Promise<Done<Result<Dataset, ImportIssue[]>>> {
    return this.run({ id: this.nextId++, type: 'read', sources }, onProgress).then((reply) => {
      if (reply.type !== 'read') throw new Error('the import worker answered something else')
      return { value: reply.result, ms: reply.ms, where: this.where() }
    })
  }

  /** Positions for the actors to place, by the force layout (see `layoutNewActors`). */
  layout(input: LayoutInput, onProgress: Progress): Promise<Done<Map<string, Point>>> {
    return this.run({ id: this.nextId++, type: 'layout', ...input }, onProgress).then((reply) => {
      if (reply.type !== 'layout') throw new Error('the import worker answered something else')
      return { value: reply.positions, ms: reply.ms, where: this.where() }
    })
  }

  /** Stops the worker; work still running is abandoned. */
  dispose(): void {
    this.worker?.terminate()
    this.worker = null
    for (const task of this.tasks.values()) task.reject(new Error('the import was stopped'))
    this.tasks.clear()
  }

  private where(): 'worker' | 'page' {
    return this.worker ? 'worker' : 'page'
  }

  private run(request: ImportRequest, onProgress: Progress): Promise<ImportReply> {
    return new Promise((resolve, reject) => {
      const task = { request, onProgress, resolve, reject }
      this.tasks.set(request.id, task)
      const worker = this.startWorker()
      if (worker) worker.postMessage(request)
      else this.runHere(task)
    })
  }

  private startWorker(): Worker | null {
    if (this.worker !== undefined) return this.worker
    try {
      const worker = new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' })
      worker.onmessage = (event: MessageEvent<ImportReply>) => this.settle(event.data)
      // The script would not load: carry on without a worker, starting with what it dropped.
      worker.onerror = (event) => {
        event.preventDefault()
        worker.terminate()
        this.worker = null
        for (const task of this.tasks.values()) this.runHere(task)
      }
      this.worker = worker
    } catch {
      this.worker = null
    }
    return this.worker
  }

  private settle(reply: ImportReply): void {
    const task = this.tasks.get(reply.id)
    if (!task) return
    if (reply.type === 'progress') {
      task.onProgress(reply.fraction)
      return
    }
    this.tasks.delete(reply.id)
    if (reply.type === 'error') task.reject(new Error(reply.message))
    else task.resolve(reply)
  }

  /** The same work on the page's thread, after the current task (so the dialog can draw first). */
  private runHere(task: Task): void {
    setTimeout(() => {
      if (!this.tasks.has(task.request.id)) return
      const { request } = task
      const started = performance.now()
      try {
        if (request.type === 'read') {
          const result = readImport(request.sources, { onProgress: task.onProgress })
          this.settle({ id: request.id, type: 'read', result, ms: performance.now() - started })
        } else {
          const positions = layoutNewActors(request.actorIds, request.links, request.placed, {
            onProgress: task.onProgress,
          })
          this.settle({ id: request.id, type: 'layout', positions, ms: performance.now() - started })
        }
      } catch (error) {
        this.settle({
          id: request.id,
          type: 'error',
          message: error instanceof Error ? error.message : String(error),
        })
      }
    }, 0)
  }
}
