import { strToU8, zipSync } from 'fflate'
import { useEffect, useRef, useState } from 'react'
import { analyse, summaryLines } from '../../model/analysis.ts'
import { fileStem } from '../../model/formats/format.ts'
import { EXPORT_FORMATS, type ExportFormat, exportDataset } from '../../model/formats/index.ts'
import { toMarkdown } from '../../model/formats/markdown.ts'
import { toDataset } from '../../model/index.ts'
import { storedToken } from '../access/tokens.ts'
import type { MapBinding } from '../canvas/map-binding.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'
import { download } from './download.ts'

/**
 * Downloads of the workspace in every format the sector uses, made here on the device (they
 * work offline). Journeys leave only with the resident's consent to share; one switch empties
 * every personal free-text field.
 */
export function ExportDialog({ binding, onClose }: { binding: MapBinding | null; onClose: () => void }) {
  const { connection } = useWorkspaceUi()
  const dialog = useRef<HTMLDialogElement>(null)
  const [redact, setRedact] = useState(false)
  const [busy, setBusy] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => {
    dialog.current?.showModal()
  }, [])

  const run = async (label: string, work: () => Promise<void>) => {
    setBusy(label)
    setProblem(null)
    try {
      await work()
    } catch (error) {
      setProblem(`${label} failed: ${(error as Error).message}`)
    } finally {
      setBusy(null)
    }
  }

  const exportAs = (format: ExportFormat) =>
    run(EXPORT_FORMATS[format], async () => {
      const dataset = toDataset(connection.doc)
      if (format === 'markdown' && binding) {
        // The report with the map beside it, as a zip: report.md shows map.png.
        const image = await binding.mapImage('png')
        const report = toMarkdown(dataset, {
          redactPersonal: redact,
          measures: { summary: summaryLines(analyse(dataset), dataset) },
          ...(image ? { mapImage: 'map.png' } : {}),
        })
        const files: Record<string, Uint8Array> = { 'report.md': strToU8(String(report.body)) }
        if (image) files['map.png'] = new Uint8Array(await image.arrayBuffer())
        download(`${fileStem(dataset.meta.title)}-report.zip`, zipSync(files), 'application/zip')
        return
      }
      const file = exportDataset(dataset, format, { redactPersonal: redact })
      download(file.filename, file.body, file.mediaType)
    })

  const exportImage = (format: 'svg' | 'png') =>
    run(`Map as ${format.toUpperCase()}`, async () => {
      const image = await binding?.mapImage(format)
      if (!image) throw new Error('the map is empty')
      download(`${fileStem(connection.workspace.meta().title)}-map.${format}`, image, image.type)
    })

  // The dataset as the server holds it, for checking this device has everything. The server
  // answers only a facilitator: the token goes in a header, never in an address.
  const exportFromServer = () =>
    run('The server’s copy', async () => {
      const token = storedToken(connection.room)
      const response = await fetch(
        `/api/rooms/${encodeURIComponent(connection.room)}/export?format=json${redact ? '&redact=1' : ''}`,
        { headers: token ? { authorization: `Bearer ${token}` } : {} },
      )
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: string }
        throw new Error(body.error ?? `the server answered ${response.status}`)
      }
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1]
      download(name ?? `${connection.room}.json`, await response.blob(), 'application/json')
    })

  return (
    <dialog ref={dialog} className="dialog dialog--wide" aria-labelledby="export-heading" onClose={onClose}>
      <h2 id="export-heading">Export</h2>
      <p>
        Resident journeys are included only where the resident agreed to them being shared. Files are made on
        this device.
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={redact} onChange={(event) => setRedact(event.target.checked)} />
        Leave out personal details (contacts, who said what, residents' own words)
      </label>
      <ul className="export-list">
        {(Object.keys(EXPORT_FORMATS) as ExportFormat[]).map((format) => (
          <li key={format}>
            <button
              type="button"
              className="button"
              disabled={busy !== null}
              onClick={() => void exportAs(format)}
            >
              {EXPORT_FORMATS[format]}
            </button>
          </li>
        ))}
        {(['svg', 'png'] as const).map((format) => (
          <li key={format}>
            <button
              type="button"
              className="button"
              disabled={busy !== null || !binding}
              onClick={() => void exportImage(format)}
            >
              Map as picture ({format.toUpperCase()})
            </button>
          </li>
        ))}
        <li>
          <button
            type="button"
            className="button"
            disabled={busy !== null}
            onClick={() => void exportFromServer()}
          >
            The server’s copy (JSON)
          </button>
        </li>
      </ul>
      <p role="status" aria-live="polite">
        {busy ? `Preparing ${busy}…` : problem}
      </p>
      <form method="dialog" className="dialog__actions">
        <button type="submit" className="button button--primary">
          Done
        </button>
      </form>
    </dialog>
  )
}
