import type { TFunction } from 'i18next'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Comparison, compareStates, diffDatasets } from '../../model/change/index.ts'
import type { Dataset } from '../../model/index.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'
import { ComparisonView } from './ComparisonView.tsx'
import { type ComparedState, type CompareRequest, NOW, NOW_LABEL } from './compared-state.ts'
import { changeHighlightAtom, highlightOf, openSnapshotAtom } from './history-state.ts'
import type { SnapshotItem } from './snapshot-api.ts'
import { type LoadSnapshot, reason, type Words } from './snapshot-problem.ts'
import { snapshotName, snapshotTime } from './snapshot-words.ts'

/** How long the comparison with now waits after an edit before it is worked out again. */
const NOW_SETTLES_MS = 300

/** Two states picked to compare (two snapshots, or one and now), and their comparison once asked for. */
export function CompareSnapshots({
  snapshots,
  load,
  now,
  onChange,
  title,
  onShowMap,
  request,
}: {
  snapshots: readonly SnapshotItem[]
  load: LoadSnapshot
  now: () => Dataset
  onChange: (listener: () => void) => () => void
  title: string
  onShowMap: () => void
  request: CompareRequest | null
}) {
  const [from, setFrom] = useState<string>(snapshots[0]?.id ?? '')
  const [to, setTo] = useState<string>(NOW)
  const [picked, setPicked] = useState<{ before: ComparedState; after: ComparedState } | null>(null)
  const { t } = useTranslation()
  const { select } = useWorkspaceUi()
  const heading = useRef<HTMLHeadingElement>(null)
  const [problem, setProblem] = useState<Words | null>(null)
  const [nowTick, setNowTick] = useState(0)
  const headingId = useId()
  useEffect(() => {
    if (!snapshots.some((item) => item.id === from)) setFrom(snapshots[0]?.id ?? '')
  }, [snapshots, from])

  const stateOf = async (key: string): Promise<ComparedState | Words> => {
    if (key === NOW) return { label: NOW_LABEL, dataset: now() }
    const item = snapshots.find((each) => each.id === key)
    if (!item) return (t: TFunction) => t('changes.notListed')
    const snapshot = await load(item)
    if (!snapshot.ok) {
      const error = snapshot.error
      return (t: TFunction) =>
        t('changes.couldNotRead', { name: snapshotName(item, t), reason: reason(error, t) })
    }
    return { label: item.name, at: item.createdAt, dataset: snapshot.value.dataset, snapshot: snapshot.value }
  }

  const compare = async (first = from, second = to) => {
    setProblem(null)
    const [a, b] = await Promise.all([stateOf(first), stateOf(second)])
    if (typeof a === 'function') return setProblem(() => a)
    if (typeof b === 'function') return setProblem(() => b)
    // The earlier state first, whichever way round they were picked; "now" is the latest.
    const later = (state: ComparedState) => state.at ?? Number.POSITIVE_INFINITY
    const [before, after] = later(a) <= later(b) ? [a, b] : [b, a]
    setPicked({ before, after })
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new request compares, not a new compare function
  useEffect(() => {
    if (!request) return
    setFrom(request.from)
    setTo(request.to)
    // Asked for from the list below: the comparison is shown up here, so the view comes here.
    void compare(request.from, request.to).then(() => {
      heading.current?.scrollIntoView({ block: 'start' })
      heading.current?.focus()
    })
  }, [request])

  // Compared with now, the comparison follows the map as people edit it.
  const withNow = picked?.after.at === undefined
  useEffect(() => {
    if (!withNow) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const stop = onChange(() => {
      clearTimeout(timer)
      timer = setTimeout(() => setNowTick((tick) => tick + 1), NOW_SETTLES_MS)
    })
    return () => {
      clearTimeout(timer)
      stop()
    }
  }, [withNow, onChange])

  // biome-ignore lint/correctness/useExhaustiveDependencies: nowTick stands for an edit to the map compared with
  const comparison = useMemo((): Comparison | null => {
    if (!picked) return null
    const after = picked.after.at === undefined ? { ...picked.after, dataset: now() } : picked.after
    return compareStates(picked.before, after)
  }, [picked, nowTick, now])

  // The comparison is drawn on the map of its later state: the live map, or that snapshot's. It
  // stays there when the tab closes (a phone's map is behind it), until its key hides it; compared
  // with now, the key keeps it current (see ChangeKey). Drawn once per pick: hidden, it stays so.
  useEffect(() => {
    if (!picked) return
    const title = {
      before: picked.before.label,
      after: picked.after.at === undefined ? null : picked.after.label,
    }
    const canvasBefore = picked.before.snapshot?.doc ?? null
    const before = picked.before.dataset
    const follow =
      picked.after.at === undefined
        ? () => highlightOf(diffDatasets(before, now()), canvasBefore, title, follow)
        : undefined
    if (picked.after.snapshot) openSnapshotAtom.set(picked.after.snapshot)
    else if (openSnapshotAtom.get()) openSnapshotAtom.set(null)
    changeHighlightAtom.set(
      follow ? follow() : highlightOf(diffDatasets(before, picked.after.dataset), canvasBefore, title),
    )
  }, [picked, now])

  // Both pickers list the snapshots; the second also offers now.
  const snapshotOptions = snapshots.map((item) => (
    <option key={item.id} value={item.id}>
      {t('changes.compare.option', { name: snapshotName(item, t), when: snapshotTime(item) })}
    </option>
  ))

  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {t('changes.compare.heading')}
      </h3>
      <div className="history__compare">
        <div className="history__pick">
          <label htmlFor={`${headingId}-from`}>{t('changes.compare.from')}</label>
          <select id={`${headingId}-from`} value={from} onChange={(event) => setFrom(event.target.value)}>
            {snapshotOptions}
          </select>
        </div>
        <div className="history__pick">
          <label htmlFor={`${headingId}-to`}>{t('changes.compare.to')}</label>
          <select id={`${headingId}-to`} value={to} onChange={(event) => setTo(event.target.value)}>
            <option value={NOW}>{t('changes.compare.now')}</option>
            {snapshotOptions}
          </select>
        </div>
        <button type="button" className="button button--primary" onClick={() => void compare()}>
          {t('changes.compare.button')}
        </button>
      </div>
      {problem && <p className="history__problem">{problem(t)}</p>}
      {comparison && (
        <ComparisonView
          comparison={comparison}
          forExport={(redactPersonal) => {
            if (!picked) return { comparison, dataset: now() }
            const after = picked.after.at === undefined ? { ...picked.after, dataset: now() } : picked.after
            return {
              comparison: compareStates(picked.before, after, { redactPersonal }),
              dataset: after.dataset,
            }
          }}
          title={title}
          onShowMap={onShowMap}
          {...(picked?.after.at === undefined
            ? {
                onSelect: (target: { kind: 'actor' | 'link'; id: string }) => {
                  onShowMap()
                  select(target)
                },
              }
            : {})}
          onClose={() => {
            setPicked(null)
            changeHighlightAtom.set(null)
          }}
        />
      )}
    </section>
  )
}
