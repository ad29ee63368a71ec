import type { TFunction } from 'i18next'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { measuresOverTime, measuresOverTimeFile } from '../../model/change/index.ts'
import type { Dataset } from '../../model/index.ts'
import { useCan as useAccessCan } from '../access/useAccess.ts'
import { download } from '../workspace/download.ts'
import { NOW_LABEL } from './compared-state.ts'
import { MeasuresTable } from './MeasuresTable.tsx'
import type { SnapshotItem } from './snapshot-api.ts'
import { type LoadSnapshot, reason, type Words } from './snapshot-problem.ts'
import { snapshotName } from './snapshot-words.ts'

/** The insight figures of every snapshot and now, oldest first, on request (each snapshot is fetched). */
export function MeasuresOverTime({
  snapshots,
  load,
  now,
  title,
}: {
  snapshots: readonly SnapshotItem[]
  load: LoadSnapshot
  now: () => Dataset
  title: string
}) {
  const { t } = useTranslation()
  const mayExport = useAccessCan('export')
  const [columns, setColumns] = useState<ReturnType<typeof measuresOverTime> | null>(null)
  const [problem, setProblem] = useState<Words | null>(null)
  const [busy, setBusy] = useState(false)
  const id = useId()
  const work = async () => {
    setBusy(true)
    setProblem(null)
    const oldestFirst = [...snapshots].sort((a, b) => a.createdAt - b.createdAt)
    const states: { label: string; at?: number; dataset: Dataset }[] = []
    for (const item of oldestFirst) {
      const snapshot = await load(item)
      if (!snapshot.ok) {
        const error = snapshot.error
        setProblem(
          () => (t: TFunction) =>
            t('changes.couldNotRead', { name: snapshotName(item, t), reason: reason(error, t) }),
        )
        setBusy(false)
        return
      }
      states.push({ label: item.name, at: item.createdAt, dataset: snapshot.value.dataset })
    }
    states.push({ label: NOW_LABEL, dataset: now() })
    setColumns(measuresOverTime(states))
    setBusy(false)
  }
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{t('changes.measures.overTime')}</h3>
      {columns === null ? (
        <button type="button" className="button" disabled={busy} onClick={() => void work()}>
          {busy ? t('changes.measures.working') : t('changes.measures.showAll')}
        </button>
      ) : (
        <>
          <MeasuresTable caption={t('changes.measures.overTimeCaption')} columns={columns} showChange />
          {mayExport && (
            <div className="history__downloads">
              <button
                type="button"
                className="button"
                onClick={() => {
                  const file = measuresOverTimeFile(columns, title)
                  download(file.filename, file.body, file.mediaType)
                }}
              >
                {t('changes.measures.download', { format: 'Markdown' })}
              </button>
            </div>
          )}
        </>
      )}
      {problem && <p className="history__problem">{problem(t)}</p>}
    </section>
  )
}
