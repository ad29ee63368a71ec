import type { TFunction } from 'i18next'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toDataset } from '../../model/index.ts'
import type { Result } from '../../model/result.ts'
import { useCan } from '../workshop/permissions.ts'
import { useWorkspaceData, useWorkspaceUi } from '../workspace-context.tsx'
import { CompareSnapshots } from './CompareSnapshots.tsx'
import { type CompareRequest, NOW } from './compared-state.ts'
import { changeHighlightAtom, type LoadedSnapshot, loadSnapshot, openSnapshotAtom } from './history-state.ts'
import { MeasuresOverTime } from './MeasuresOverTime.tsx'
import { SaveSnapshotForm } from './SaveSnapshotForm.tsx'
import { SnapshotList } from './SnapshotList.tsx'
import {
  listSnapshots,
  restoreSnapshot,
  type SnapshotItem,
  saveSnapshot,
  snapshotState,
} from './snapshot-api.ts'
import { reason, type SnapshotProblem, type Words } from './snapshot-problem.ts'
import { snapshotName } from './snapshot-words.ts'
import './history.css'

/**
 * The workspace's history (issue 17): its named snapshots, newest first. Facilitators save one
 * and restore one (as a new change on top, after the server saves the state before, so the
 * restore can be undone); anyone may open one read-only in place of the map, and compare two
 * (or one and now): the changes as a table, marked on the map, the insight figures side by side,
 * and downloads of the changes as a section of the report and as a JSON diff.
 */
export function ChangesPanel({ onShowMap }: { onShowMap: () => void }) {
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  const { room, workspace, doc } = connection
  const facilitate = useCan('facilitate')
  const title = useWorkspaceData((snapshot) => snapshot.meta.title)
  const [snapshots, setSnapshots] = useState<SnapshotItem[] | null>(null)
  const [problem, setProblem] = useState<Words | null>(null)
  const [news, setNews] = useState<Words | null>(null)
  const [busy, setBusy] = useState(false)
  const loaded = useRef(new Map<string, LoadedSnapshot>())
  const nowDataset = useCallback(() => toDataset(doc), [doc])
  const [compareRequest, setCompareRequest] = useState<CompareRequest | null>(null)
  const onWorkspaceChange = useCallback((listener: () => void) => workspace.onChange(listener), [workspace])

  const refresh = useCallback(async () => {
    const answer = await listSnapshots(room)
    if (answer.ok) setSnapshots(answer.value)
    else {
      const error = answer.error
      setProblem(() => (t: TFunction) => t('changes.couldNotList', { reason: reason(error, t) }))
    }
    return answer
  }, [room])
  useEffect(() => {
    void refresh()
  }, [refresh])

  /** A snapshot's document, fetched once. */
  const load = useCallback(
    async (item: SnapshotItem): Promise<Result<LoadedSnapshot, SnapshotProblem>> => {
      const known = loaded.current.get(item.id)
      if (known) return { ok: true, value: known }
      const state = await snapshotState(room, item.id)
      if (!state.ok) return state
      try {
        const snapshot = loadSnapshot(item, state.value)
        loaded.current.set(item.id, snapshot)
        return { ok: true, value: snapshot }
      } catch {
        return { ok: false, error: { kind: 'damaged' } }
      }
    },
    [room],
  )

  const open = async (item: SnapshotItem) => {
    setProblem(null)
    const snapshot = await load(item)
    if (!snapshot.ok) {
      const error = snapshot.error
      return setProblem(
        () => (t: TFunction) =>
          t('changes.couldNotOpen', { name: snapshotName(item, t), reason: reason(error, t) }),
      )
    }
    changeHighlightAtom.set(null)
    openSnapshotAtom.set(snapshot.value)
    onShowMap()
  }

  const run = async (act: () => Promise<void>) => {
    setBusy(true)
    setProblem(null)
    setNews(null)
    try {
      await act()
    } finally {
      setBusy(false)
    }
  }

  const restore = (item: SnapshotItem) =>
    run(async () => {
      const answer = await restoreSnapshot(room, item.id)
      if (!answer.ok) {
        const error = answer.error
        return setProblem(
          () => (t: TFunction) =>
            t('changes.couldNotRestore', { name: snapshotName(item, t), reason: reason(error, t) }),
        )
      }
      openSnapshotAtom.set(null)
      changeHighlightAtom.set(null)
      const before = answer.value
      setNews(
        () => (t: TFunction) =>
          t('changes.restored', { name: snapshotName(item, t), before: snapshotName(before, t) }),
      )
      await refresh()
    })

  return (
    <div className="history" data-testid="changes-panel">
      <h2>{t('changes.heading')}</h2>
      <p className="hint">{t('changes.hint')}</p>
      {facilitate && (
        <SaveSnapshotForm
          busy={busy}
          onSave={(name) =>
            run(async () => {
              const answer = await saveSnapshot(room, name)
              if (!answer.ok) {
                const error = answer.error
                return setProblem(
                  () => (t: TFunction) => t('changes.couldNotSave', { reason: reason(error, t) }),
                )
              }
              const saved = answer.value
              setNews(() => (t: TFunction) => t('changes.saved', { name: snapshotName(saved, t) }))
              await refresh()
            })
          }
        />
      )}
      <div aria-live="polite">
        {news && <p className="hint">{news(t)}</p>}
        {problem && <p className="history__problem">{problem(t)}</p>}
      </div>
      {snapshots === null ? (
        !problem && <p className="hint">{t('changes.loading')}</p>
      ) : snapshots.length === 0 ? (
        <p className="hint">{facilitate ? t('changes.noneYetSave') : t('changes.noneYet')}</p>
      ) : (
        <>
          <CompareSnapshots
            snapshots={snapshots}
            load={load}
            now={nowDataset}
            onChange={onWorkspaceChange}
            title={title}
            onShowMap={onShowMap}
            request={compareRequest}
          />
          <SnapshotList
            snapshots={snapshots}
            facilitate={facilitate}
            busy={busy}
            onOpen={(item) => void open(item)}
            onCompareWithNow={(item) =>
              setCompareRequest((last) => ({ from: item.id, to: NOW, count: (last?.count ?? 0) + 1 }))
            }
            onRestore={(item) => void restore(item)}
          />
          <MeasuresOverTime snapshots={snapshots} load={load} now={nowDataset} title={title} />
        </>
      )}
    </div>
  )
}
