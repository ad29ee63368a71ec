import { useEffect, useRef, useState } from 'react'
import { type ImportIssue, readImport } from '../../model/formats/index.ts'
import { WorkspaceError } from '../../model/index.ts'
import type { MatchBy } from '../../model/merge.ts'
import type { MapBinding } from '../canvas/map-binding.ts'
import { explain } from '../forms/explain.ts'
import { useCan } from '../workshop/permissions.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'

type Stage = { step: string; done: number } | null

const STEPS = ['Reading files', 'Checking every row', 'Adding to the workspace', 'Placing on the map']
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))

/**
 * Imports a dataset (.json), this app's CSV zip, or a Kumu spreadsheet into the open workspace,
 * all or nothing: every bad row is listed by file and row, and nothing is added unless all of
 * it can be. Imported actors are laid out on the map around what is already there.
 */
export function ImportDialog({ binding, onClose }: { binding: MapBinding | null; onClose: () => void }) {
  const { connection } = useWorkspaceUi()
  const dialog = useRef<HTMLDialogElement>(null)
  const [files, setFiles] = useState<File[]>([])
  const [matchBy, setMatchBy] = useState<MatchBy>('name')
  const canFacilitate = useCan('facilitate')
  const [stage, setStage] = useState<Stage>(null)
  const [issues, setIssues] = useState<ImportIssue[]>([])
  const [result, setResult] = useState<string | null>(null)
  useEffect(() => {
    dialog.current?.showModal()
  }, [])

  const start = async () => {
    setIssues([])
    setResult(null)
    const step = async (index: number) => {
      setStage({ step: STEPS[index] as string, done: index })
      await nextFrame()
    }
    try {
      await step(0)
      const sources = await Promise.all(
        files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })),
      )
      await step(1)
      const read = readImport(sources)
      if (!read.ok) {
        setIssues(read.error)
        return
      }
      await step(2)
      // A facilitator's import keeps the quick wins' dots; anyone else's leaves them out.
      const summary = connection.workspace.importDataset(read.value, { matchBy, keepVotes: canFacilitate })
      await step(3)
      const added = read.value.actors.map((actor) => summary.actorIds.get(actor.id) ?? actor.id)
      binding?.placeImported(added)
      setResult(
        `Imported: ${summary.actorsAdded} actors added, ${summary.actorsUpdated} updated; ${summary.linksAdded} links added, ${summary.linksUpdated} updated.`,
      )
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
      <h2 id="import-heading">Import</h2>
      <p>
        A dataset exported from this app (.json or the CSV zip), or a Kumu spreadsheet: its elements and
        connections sheets as CSV files, or a zip of them. Choose both Kumu files together.
      </p>
      <label htmlFor="import-files">Files</label>
      <input
        id="import-files"
        type="file"
        multiple
        accept=".json,.csv,.zip,application/json,text/csv,application/zip"
        onChange={(event) => setFiles([...(event.target.files ?? [])])}
      />
      <fieldset className="radios">
        <legend>Match actors already in the workspace</legend>
        <label>
          <input type="radio" name="match" checked={matchBy === 'name'} onChange={() => setMatchBy('name')} />{' '}
          by name
        </label>
        <label>
          <input type="radio" name="match" checked={matchBy === 'id'} onChange={() => setMatchBy('id')} /> by
          id (files exported from this app)
        </label>
      </fieldset>
      {stage && (
        <div role="status" aria-live="polite">
          <progress max={STEPS.length} value={stage.done} /> {stage.step}…
        </div>
      )}
      {result && (
        <p role="status" className="import__result">
          {result}
        </p>
      )}
      {issues.length > 0 && (
        <div role="alert" className="import__issues">
          <p>
            Nothing was imported: {issues.length} problem{issues.length === 1 ? '' : 's'} to fix first.
          </p>
          <ul>
            {issues.slice(0, 50).map((issue, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: issues have no identity and never reorder
              <li key={index}>
                {issue.file ? `${issue.file}${issue.row ? `, row ${issue.row}` : ''}: ` : ''}
                {issue.message}
              </li>
            ))}
          </ul>
          {issues.length > 50 && <p>…and {issues.length - 50} more.</p>}
        </div>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={files.length === 0 || stage !== null}
          onClick={() => void start()}
        >
          Import
        </button>
      </div>
    </dialog>
  )
}
