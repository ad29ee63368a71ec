import { strToU8, zipSync } from 'fflate'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
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
 * The names in each format's label that stay as they are in every language: file types and
 * the tools that read them.
 */
const FORMAT_NAMES: Record<ExportFormat, { format: string; tools?: string; file?: string }> = {
  json: { format: 'JSON' },
  csv: { format: 'CSV' },
  graphml: { format: 'GraphML', tools: 'Gephi, yEd, Cytoscape' },
  gexf: { format: 'GEXF', tools: 'Gephi' },
  kumu: { format: 'Kumu' },
  openreferral: { format: 'Open Referral UK' },
  '360giving': { format: '360Giving', file: 'JSON' },
  markdown: { format: 'Markdown' },
}

/** A failure with words from the locale files (the server's own words go through as they are). */
class ExportProblem extends Error {
  constructor(
    readonly key: 'export.emptyMap' | 'export.serverAnswered',
    readonly status = 0,
  ) {
    super(key)
  }
}

/**
 * Downloads of the workspace in every format the sector uses, made here on the device (they
 * work offline). Journeys leave only with the resident's consent to share; one switch empties
 * every personal free-text field.
 */
export function ExportDialog({ binding, onClose }: { binding: MapBinding | null; onClose: () => void }) {
  const { t } = useTranslation()
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
      const reason =
        error instanceof ExportProblem
          ? t(error.key, { status: error.status })
          : error instanceof ServerRefusal
            ? error.message
            : t('export.noAnswer')
      setProblem(t('export.failed', { what: label, reason }))
    } finally {
      setBusy(null)
    }
  }

  const exportAs = (format: ExportFormat) =>
    run(t(`export.formats.${format}`, FORMAT_NAMES[format]), async () => {
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
    run(t('export.mapAs', { format: format.toUpperCase() }), async () => {
      const image = await binding?.mapImage(format)
      if (!image) throw new ExportProblem('export.emptyMap')
      download(`${fileStem(connection.workspace.meta().title)}-map.${format}`, image, image.type)
    })

  // The dataset as the server holds it, for checking this device has everything. The server
  // answers only a facilitator: the token goes in a header, never in an address.
  const exportFromServer = () =>
    run(t('export.serversCopy'), async () => {
      const token = storedToken(connection.room)
      const response = await fetch(
        `/api/rooms/${encodeURIComponent(connection.room)}/export?format=json${redact ? '&redact=1' : ''}`,
        { headers: token ? { authorization: `Bearer ${token}` } : {} },
      )
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: string }
        throw body.error
          ? new ServerRefusal(body.error)
          : new ExportProblem('export.serverAnswered', response.status)
      }
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1]
      download(name ?? `${connection.room}.json`, await response.blob(), 'application/json')
    })

  return (
    <dialog ref={dialog} className="dialog dialog--wide" aria-labelledby="export-heading" onClose={onClose}>
      <h2 id="export-heading">{t('export.heading')}</h2>
      <p>{t('export.intro')}</p>
      <label className="checkbox">
        <input type="checkbox" checked={redact} onChange={(event) => setRedact(event.target.checked)} />
        {t('export.redact')}
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
              {t(`export.formats.${format}`, FORMAT_NAMES[format])}
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
              {t('export.mapAsPicture', { format: format.toUpperCase() })}
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
            {t('export.serversCopyButton', { format: 'JSON' })}
          </button>
        </li>
      </ul>
      <p role="status" aria-live="polite">
        {busy ? t('export.preparing', { what: busy }) : problem}
      </p>
      <form method="dialog" className="dialog__actions">
        <button type="submit" className="button button--primary">
          {t('shared.done')}
        </button>
      </form>
    </dialog>
  )
}

/** The server's own words for why it refused. */
class ServerRefusal extends Error {}
