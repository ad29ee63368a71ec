import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SnapshotItem } from './snapshot-api.ts'
import { describeSnapshot, snapshotName } from './snapshot-words.ts'

/** The saved snapshots, each to open, compare with now, or (for facilitators) restore after a confirmation. */
export function SnapshotList({
  snapshots,
  facilitate,
  busy,
  onOpen,
  onRestore,
  onCompareWithNow,
}: {
  snapshots: readonly SnapshotItem[]
  facilitate: boolean
  busy: boolean
  onOpen: (item: SnapshotItem) => void
  onRestore: (item: SnapshotItem) => void
  onCompareWithNow: (item: SnapshotItem) => void
}) {
  const { t } = useTranslation()
  const [confirming, setConfirming] = useState<string | null>(null)
  const id = useId()
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{t('changes.snapshot.listHeading', { number: snapshots.length })}</h3>
      <ul className="history__list" aria-labelledby={id}>
        {snapshots.map((item) => {
          const name = snapshotName(item, t)
          return (
            <li key={item.id} className="history__item" data-testid="snapshot-item">
              <div className="history__item-head">
                <span className="history__item-name">{name}</span>
                <span className="history__meta">{describeSnapshot(item, t)}</span>
              </div>
              <div className="history__actions">
                <button
                  type="button"
                  className="button"
                  onClick={() => onOpen(item)}
                  aria-label={t('changes.snapshot.openNamed', { name })}
                >
                  {t('changes.snapshot.open')}
                </button>
                <button
                  type="button"
                  className="button"
                  onClick={() => onCompareWithNow(item)}
                  aria-label={t('changes.snapshot.compareNamedWithNow', { name })}
                >
                  {t('changes.snapshot.compareWithNow')}
                </button>
                {facilitate && (
                  <button
                    type="button"
                    className="button"
                    disabled={busy}
                    aria-expanded={confirming === item.id}
                    onClick={() => setConfirming(confirming === item.id ? null : item.id)}
                    aria-label={t('changes.snapshot.restoreNamed', { name })}
                  >
                    {t('changes.snapshot.restore')}
                  </button>
                )}
              </div>
              {facilitate && confirming === item.id && (
                <fieldset className="history__confirm">
                  <legend className="visually-hidden">
                    {t('changes.snapshot.restoreQuestion', { name })}
                  </legend>
                  <p>{t('changes.snapshot.restoreExplain', { name })}</p>
                  <button
                    type="button"
                    className="button button--danger"
                    disabled={busy}
                    onClick={() => {
                      setConfirming(null)
                      onRestore(item)
                    }}
                  >
                    {t('changes.snapshot.restoreConfirm')}
                  </button>{' '}
                  <button type="button" className="button" onClick={() => setConfirming(null)}>
                    {t('shared.cancel')}
                  </button>
                </fieldset>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
