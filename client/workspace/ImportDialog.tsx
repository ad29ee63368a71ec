import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ImportIssue } from '../../model/formats/index.ts'
import { type Actor, type Dataset, WorkspaceError } from '../../model/index.ts'
import type { Point } from '../../model/layout.ts'
import { existingMatches, type MatchBy } from '../../model/merge.ts'
import type { MapBinding } from '../canvas/map-binding.ts'
import { explain } from '../forms/explain.ts'
import { useCan } from '../workshop/permissions.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'
import { type Done, ImportWork } from './import-work.ts'

/** Where the import is: the step (its words are `import.steps.<step>`) and how much of the whole is done, 0 to 100. */
type Stage = { step: keyof typeof STEPS; value: number } | null

/** What an import added and changed, and how many of its actors found no room on the map. */
interface Result {
  readonly actorsAdded: number
  readonly actorsUpdated: number
  readonly linksAdded: number
  readonly linksUpdated: number
  readonly unplaced: number
}

/**
 * The steps, each with its share of the bar: about what each takes on a borough's directory
 * (5,000 actors, 20,000 links; see `npm run bench:import`). Reading and the layout move the bar
 * as they go (from the worker); the write into the workspace is one transaction and moves it
 * once, when done. The layout runs in the worker during that write, so its share is what is
 * left of it after.
 */
const STEPS = {
  files: { from: 0, to: 3 },
  check: { from: 3, to: 40 },
  add: { from: 40, to: 70 },
  layout: { from: 70, to: 88 },
  place: { from: 88, to: 100 },
} as const

/** Resolves once the browser has painted: the bar shows each step before the page's thread is busy. */
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))

/** Names each part's time for `performance.getEntriesByType('measure')` (the benchmark reads them). */
function measure(name: string, start: number, detail?: Record<string, unknown>): void {
  performance.measure(`import:${name}`, { start, end: performance.now(), ...(detail ? { detail } : {}) })
}

/** A layout running in the worker: its progress, its result, and when it started. */
interface RunningLayout {
  readonly done: Promise<Done<Map<string, Point>>>
  readonly started: number
  /** How far it has got so far (0 to 1). */
  progress(): number
  /** Hears how far it gets from now on. */
  onProgress(listener: (fraction: number) => void): void
}

/**
 * Starts laying out an import's actors before the merge: on the import's own ids, with the
 * actors it matches (`existingMatches`) held where their boxes are, and every other box on the
 * map held where it is as an obstacle. The positions come back by the import's ids, for the
 * dialog to turn into the workspace's once the merge has said which they are.
 */
function startLayout(
  worker: ImportWork,
  binding: MapBinding,
  actors: readonly Actor[],
  dataset: Dataset,
  matchBy: MatchBy,
): RunningLayout {
  const boxes = binding.boxPositions()
  const matches = existingMatches(actors, dataset.actors, matchBy)
  const placed = new Map<string, Point>()
  const matchedBoxes = new Set<string>()
  for (const [incomingId, actorId] of matches) {
    const point = boxes.get(actorId)
    if (point) {
      placed.set(incomingId, point)
      matchedBoxes.add(actorId)
    }
  }
  // A space is in no id (model/ids.ts), so these never meet one of the import's actors.
  for (const [actorId, point] of boxes) if (!matchedBoxes.has(actorId)) placed.set(` ${actorId}`, point)
  let listener: (fraction: number) => void = () => undefined
  let progress = 0
  const started = performance.now()
  const done: Promise<Done<Map<string, Point>>> = worker.layout(
    {
      actorIds: dataset.actors.map((actor) => actor.id).filter((id) => !placed.has(id)),
      links: dataset.links.map((link) => ({ from: link.from, to: link.to })),
      placed,
    },
    (fraction) => {
      progress = fraction
      listener(fraction)
    },
  )
  // Awaited only after a merge that went through: a refused one must not leave it unhandled.
  done.catch(() => undefined)
  return {
    done,
    started,
    progress: () => progress,
    onProgress: (next) => {
      listener = next
    },
  }
}

/**
 * Imports a dataset (.json), this app's CSV zip, or a Kumu spreadsheet into the open workspace,
 * all or nothing: every bad row is listed by file and row, and nothing is added unless all of
 * it can be. Imported actors are laid out on the map around what is already there. Reading,
 * checking and the layout run in a worker (import-work.ts), with a progress bar that follows
 * them; only the write into the workspace and the boxes' creation run on the page's thread.
 */
export function ImportDialog({ binding, onClose }: { binding: MapBinding | null; onClose: () => void }) {
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  const dialog = useRef<HTMLDialogElement>(null)
  const [files, setFiles] = useState<File[]>([])
  const [matchBy, setMatchBy] = useState<MatchBy>('name')
  const canFacilitate = useCan('facilitate')
  const [stage, setStage] = useState<Stage>(null)
  const [issues, setIssues] = useState<ImportIssue[]>([])
  const [result, setResult] = useState<Result | null>(null)
  const work = useRef<ImportWork | null>(null)
  useEffect(() => {
    dialog.current?.showModal()
    return () => {
      work.current?.dispose()
      work.current = null
    }
  }, [])

  const start = async () => {
    setIssues([])
    setResult(null)
    work.current ??= new ImportWork()
    const worker = work.current
    /** Moves the bar to `fraction` of a step's share (React drops repeats of the same value). */
    const show = (key: keyof typeof STEPS, fraction = 0) => {
      const { from, to } = STEPS[key]
      setStage({ step: key, value: Math.round(from + (to - from) * Math.min(1, Math.max(0, fraction))) })
    }
    const began = performance.now()
    try {
      show('files')
      await nextFrame()
      let started = performance.now()
      const sources = await Promise.all(
        files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })),
      )
      measure('files', started)
      show('check')
      started = performance.now()
      const read = await worker.read(sources, (fraction) => show('check', fraction))
      measure('read', started, { where: read.where, workerMs: read.ms })
      if (!read.value.ok) {
        setIssues(read.value.error)
        return
      }
      const dataset = read.value.value
      // With a core to spare, the layout starts in the worker now, on the import's own ids,
      // while the page writes the merge: it needs only the import's links and where the boxes it
      // matches already are. With two cores or fewer the two would share one, and the write (a
      // long task on the page's thread) took twice as long in `npm run bench:import`, so then the
      // layout waits for the write.
      const before = connection.workspace.actors()
      const early = (navigator.hardwareConcurrency ?? 1) > 2
      let layout = binding && early ? startLayout(worker, binding, before, dataset, matchBy) : null
      show('add')
      await nextFrame()
      // The one transaction, on the page's thread where the workspace lives. A facilitator's
      // import keeps the quick wins' dots; anyone else's leaves them out.
      started = performance.now()
      const summary = connection.workspace.importDataset(dataset, { matchBy, keepVotes: canFacilitate })
      measure('merge', started)
      let unplaced = 0
      if (binding) {
        layout ??= startLayout(worker, binding, before, dataset, matchBy)
        show('layout', layout.progress())
        layout.onProgress((fraction) => show('layout', fraction))
        const laid = await layout.done
        measure('layout', layout.started, { where: laid.where, workerMs: laid.ms })
        show('place')
        await nextFrame()
        started = performance.now()
        // From the import's ids to the workspace's, leaving out any actor that got a box meanwhile.
        const boxed = binding.boxPositions()
        const positions = new Map<string, Point>()
        for (const [incomingId, point] of laid.value) {
          const id = summary.actorIds.get(incomingId) ?? incomingId
          if (!boxed.has(id)) positions.set(id, point)
        }
        binding.placeAt(positions)
        const onMap = binding.boxPositions()
        unplaced = [...positions.keys()].filter((id) => !onMap.has(id)).length
        // What is on the map now: tldraw refuses shapes past its limit per page (4,000).
        measure('place', started, {
          boxes: positions.size,
          shapes: binding.editor.getCurrentPageShapeIds().size,
        })
      }
      measure('total', began)
      // tldraw refuses a batch that would take a page past its limit of shapes: the result says
      // so, rather than leave people looking for boxes that are not there ("Place all" tries again).
      setResult({
        actorsAdded: summary.actorsAdded,
        actorsUpdated: summary.actorsUpdated,
        linksAdded: summary.linksAdded,
        linksUpdated: summary.linksUpdated,
        unplaced,
      })
    } catch (error) {
      // A file's problems are listed where they are in it; a refusal of the whole load in words.
      if (error instanceof WorkspaceError && error.issues.length > 0) {
        setIssues(error.issues.map((issue) => ({ message: `${issue.path}: ${issue.message}` })))
      } else setIssues([{ message: explain(error) }])
    } finally {
      setStage(null)
    }
  }

  return (
    <dialog ref={dialog} className="dialog dialog--wide" aria-labelledby="import-heading" onClose={onClose}>
      <h2 id="import-heading">{t('import.heading')}</h2>
      <p>{t('import.intro', { json: '.json', csv: 'CSV', kumu: 'Kumu' })}</p>
      <label htmlFor="import-files">{t('import.files')}</label>
      <input
        id="import-files"
        type="file"
        multiple
        accept=".json,.csv,.zip,application/json,text/csv,application/zip"
        onChange={(event) => setFiles([...(event.target.files ?? [])])}
      />
      <fieldset className="radios">
        <legend>{t('import.matchLegend')}</legend>
        <label>
          <input type="radio" name="match" checked={matchBy === 'name'} onChange={() => setMatchBy('name')} />{' '}
          {t('import.byName')}
        </label>
        <label>
          <input type="radio" name="match" checked={matchBy === 'id'} onChange={() => setMatchBy('id')} />{' '}
          {t('import.byId')}
        </label>
      </fieldset>
      {stage && (
        <div className="import__progress">
          <progress id="import-progress" max={100} value={stage.value} aria-labelledby="import-step" />
          {/* Said politely, and only in tens: a screen reader reading out every percent would
              talk over everything else. The bar itself has the exact figure. */}
          <p id="import-step" role="status" aria-live="polite">
            {t('import.progress', {
              step: t(`import.steps.${stage.step}`),
              percent: Math.floor(stage.value / 10) * 10,
            })}
          </p>
        </div>
      )}
      {result && (
        <p role="status" className="import__result">
          {t('import.result', { ...result })}
          {result.unplaced > 0 && ` ${t('import.notPlaced', { count: result.unplaced })}`}
        </p>
      )}
      {issues.length > 0 && (
        <div role="alert" className="import__issues">
          <p>{t('import.nothingImported', { count: issues.length })}</p>
          <ul>
            {issues.slice(0, 50).map((issue, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: issues have no identity and never reorder
              <li key={index}>
                {issue.file
                  ? issue.row
                    ? t('import.issueAtRow', { file: issue.file, row: issue.row, message: issue.message })
                    : t('import.issueIn', { file: issue.file, message: issue.message })
                  : issue.message}
              </li>
            ))}
          </ul>
          {issues.length > 50 && <p>{t('import.more', { count: issues.length - 50 })}</p>}
        </div>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={() => dialog.current?.close()}>
          {t('import.close')}
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={files.length === 0 || stage !== null}
          onClick={() => void start()}
        >
          {t('import.import')}
        </button>
      </div>
    </dialog>
  )
}
