import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type Comparison,
  changesJsonFile,
  changesMarkdownFile,
  reportWithChanges,
} from '../../model/change/index.ts'
import type { Dataset } from '../../model/index.ts'
import { useCan as useAccessCan } from '../access/useAccess.ts'
import { download } from '../workspace/download.ts'
import { ChangesTable } from './ChangesTable.tsx'
import { MeasuresTable } from './MeasuresTable.tsx'
import { stateLabel } from './measure-words.ts'

/** A comparison shown: what it compares, its downloads, its changes as a table and its figures side by side. */
export function ComparisonView({
  comparison,
  forExport,
  title,
  onShowMap,
  onClose,
  onSelect,
}: {
  comparison: Comparison
  /** Shows an added or changed record on the live map, when the later state is now. */
  onSelect?: (target: { kind: 'actor' | 'link'; id: string }) => void
  /**
   * The comparison again for a download, with personal fields left out of both states if asked,
   * and the later state's dataset (for the whole report).
   */
  forExport: (redactPersonal: boolean) => { comparison: Comparison; dataset: Dataset }
  title: string
  onShowMap: () => void
  onClose: () => void
}) {
  const { t } = useTranslation()
  const { before, after } = comparison
  // Downloads are exports: for those who may export, as the Export dialog is.
  const mayExport = useAccessCan('export')
  const [redact, setRedact] = useState(false)
  const save = (file: { filename: string; mediaType: string; body: Uint8Array | string }) =>
    download(file.filename, file.body, file.mediaType)
  // The changes as a section of the report, as a JSON diff, and the whole report with them.
  const downloads = [
    {
      key: 'markdown',
      label: t('changes.compare.markdown', { format: 'Markdown' }),
      file: () => changesMarkdownFile(forExport(redact).comparison, title),
    },
    {
      key: 'json',
      label: t('changes.compare.json', { format: 'JSON' }),
      file: () => changesJsonFile(forExport(redact).comparison, title),
    },
    {
      key: 'report',
      label: t('changes.compare.report'),
      file: () => {
        const { comparison: changes, dataset } = forExport(redact)
        return reportWithChanges(dataset, changes, { redactPersonal: redact })
      },
    },
  ]
  return (
    <div className="history" data-testid="comparison">
      <p className="hint" aria-live="polite">
        {after.at === undefined
          ? t('changes.compare.shownNow', { before: stateLabel(before, t) })
          : t('changes.compare.shown', { before: stateLabel(before, t), after: stateLabel(after, t) })}
      </p>
      <div className="history__downloads">
        <button type="button" className="button" onClick={onShowMap}>
          {t('shared.showOnMap')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('changes.compare.stop')}
        </button>
      </div>
      {mayExport && (
        <fieldset className="history__export">
          <legend>{t('changes.compare.download')}</legend>
          <label className="history__check">
            <input type="checkbox" checked={redact} onChange={(event) => setRedact(event.target.checked)} />
            {t('changes.compare.redact')}
          </label>
          <div className="history__downloads">
            {downloads.map(({ key, label, file }) => (
              <button key={key} type="button" className="button" onClick={() => save(file())}>
                {label}
              </button>
            ))}
          </div>
        </fieldset>
      )}
      <ChangesTable comparison={comparison} onSelect={onSelect} />
      <MeasuresTable caption={t('changes.measures.caption')} columns={[before, after]} showChange />
    </div>
  )
}
