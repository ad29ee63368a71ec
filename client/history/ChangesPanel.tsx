import type { TFunction } from 'i18next'
import { type FormEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import {
  type Comparison,
  changesJsonFile,
  changesMarkdownFile,
  compareStates,
  diffDatasets,
  MEASURE_LABELS,
  measuresOverTime,
  measuresOverTimeFile,
  reportWithChanges,
} from '../../model/change/index.ts'
import { type Dataset, toDataset } from '../../model/index.ts'
import type { Result } from '../../model/result.ts'
import { useCan as useAccessCan } from '../access/useAccess.ts'
import { intlLocale } from '../i18n/i18n.ts'
import { useCan } from '../workshop/permissions.ts'
import { download } from '../workspace/download.ts'
import { useWorkspaceData, useWorkspaceUi } from '../workspace-context.tsx'
import { ChangesTable } from './ChangesTable.tsx'
import {
  changeHighlightAtom,
  highlightOf,
  type LoadedSnapshot,
  loadSnapshot,
  openSnapshotAtom,
} from './history-state.ts'
import {
  listSnapshots,
  restoreSnapshot,
  type SnapshotApiError,
  type SnapshotItem,
  saveSnapshot,
  snapshotState,
} from './snapshot-api.ts'
import { describeSnapshot, serverProblemWords, snapshotName, snapshotTime } from './snapshot-words.ts'
import './history.css'

/** "Now": the workspace as this device has it, in a comparison. */
const NOW = 'now'
/**
 * The label of "now" given to the model: the downloads are exports, in English (as the rest of
 * the report); the interface says "now" in its own language wherever a state has no time.
 */
const NOW_LABEL = 'Now'

/** Words shown to people, said when shown, so they follow a change of language. */
type Words = (t: TFunction) => string

/** Why a snapshot call failed, in a sentence. */
/** Why a snapshot could not be had: the server's answer, or a state that came but could not be read. */
type SnapshotProblem = SnapshotApiError | { readonly kind: 'damaged' }

/** Why a snapshot call failed, in a sentence. */
const reason = (error: SnapshotProblem, t: TFunction) =>
  error.kind === 'damaged'
    ? t('changes.unreadable')
    : serverProblemWords(error, t, t('changes.needsConnection'))

/** A state to compare: a snapshot, or the workspace now. */
interface State {
  readonly label: string
  readonly at?: number
  readonly dataset: Dataset
  /** The snapshot, where the state is one (its document places what was removed). */
  readonly snapshot?: LoadedSnapshot
}

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
        <SaveForm
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
          <Compare
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

function SaveForm({ busy, onSave }: { busy: boolean; onSave: (name: string) => void }) {
  const { t } = useTranslation()
  const [name, setName] = useState('')
  const id = useId()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (!trimmed) return
    onSave(trimmed)
    setName('')
  }
  return (
    <form className="history__save" onSubmit={submit} aria-labelledby={id}>
      <h3 id={id} className="visually-hidden">
        {t('changes.save.heading')}
      </h3>
      <label>
        <span>{t('changes.save.name')}</span>
        <input
          value={name}
          maxLength={120}
          required
          placeholder={t('changes.save.placeholder')}
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      <button type="submit" className="button button--primary" disabled={busy || !name.trim()}>
        {t('changes.save.button')}
      </button>
    </form>
  )
}

function SnapshotList({
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

/** A comparison asked for from elsewhere in the tab (a snapshot's "Compare with now"). */
interface CompareRequest {
  readonly from: string
  readonly to: string
  /** Rises with each request, so asking twice for the same pair compares again. */
  readonly count: number
}

/** How long the comparison with now waits after an edit before it is worked out again. */
const NOW_SETTLES_MS = 300

function Compare({
  snapshots,
  load,
  now,
  onChange,
  title,
  onShowMap,
  request,
}: {
  snapshots: readonly SnapshotItem[]
  load: (item: SnapshotItem) => Promise<Result<LoadedSnapshot, SnapshotProblem>>
  now: () => Dataset
  onChange: (listener: () => void) => () => void
  title: string
  onShowMap: () => void
  request: CompareRequest | null
}) {
  const [from, setFrom] = useState<string>(snapshots[0]?.id ?? '')
  const [to, setTo] = useState<string>(NOW)
  const [picked, setPicked] = useState<{ before: State; after: State } | null>(null)
  const { t } = useTranslation()
  const { select } = useWorkspaceUi()
  const heading = useRef<HTMLHeadingElement>(null)
  const [problem, setProblem] = useState<Words | null>(null)
  const [nowTick, setNowTick] = useState(0)
  const headingId = useId()
  useEffect(() => {
    if (!snapshots.some((item) => item.id === from)) setFrom(snapshots[0]?.id ?? '')
  }, [snapshots, from])

  const stateOf = async (key: string): Promise<State | Words> => {
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
    const later = (state: State) => state.at ?? Number.POSITIVE_INFINITY
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

  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {t('changes.compare.heading')}
      </h3>
      <div className="history__compare">
        <div className="history__pick">
          <label htmlFor={`${headingId}-from`}>{t('changes.compare.from')}</label>
          <select id={`${headingId}-from`} value={from} onChange={(event) => setFrom(event.target.value)}>
            {snapshots.map((item) => (
              <option key={item.id} value={item.id}>
                {t('changes.compare.option', { name: snapshotName(item, t), when: snapshotTime(item) })}
              </option>
            ))}
          </select>
        </div>
        <div className="history__pick">
          <label htmlFor={`${headingId}-to`}>{t('changes.compare.to')}</label>
          <select id={`${headingId}-to`} value={to} onChange={(event) => setTo(event.target.value)}>
            <option value={NOW}>{t('changes.compare.now')}</option>
            {snapshots.map((item) => (
              <option key={item.id} value={item.id}>
                {t('changes.compare.option', { name: snapshotName(item, t), when: snapshotTime(item) })}
              </option>
            ))}
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

function ComparisonView({
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
            <button
              type="button"
              className="button"
              onClick={() => save(changesMarkdownFile(forExport(redact).comparison, title))}
            >
              {t('changes.compare.markdown', { format: 'Markdown' })}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => save(changesJsonFile(forExport(redact).comparison, title))}
            >
              {t('changes.compare.json', { format: 'JSON' })}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                const { comparison: changes, dataset } = forExport(redact)
                save(reportWithChanges(dataset, changes, { redactPersonal: redact }))
              }}
            >
              {t('changes.compare.report')}
            </button>
          </div>
        </fieldset>
      )}
      <ChangesTable comparison={comparison} onSelect={onSelect} />
      <MeasuresTable caption={t('changes.measures.caption')} columns={[before, after]} showChange />
    </div>
  )
}

/** The insight figures of several states side by side; with `showChange`, the last minus the first. */
function MeasuresTable({
  caption,
  columns,
  showChange = false,
}: {
  caption: string
  columns: readonly MeasuredState[]
  showChange?: boolean
}) {
  const { t } = useTranslation()
  const first = columns[0]
  const last = columns.at(-1)
  return (
    <div className="history__table-wrap">
      <table className="history__table" data-testid="measures-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('changes.measures.measure')}</th>
            {columns.map((column, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: two snapshots may share a name
              <th key={index} scope="col" className="number">
                {stateLabel(column, t)}
              </th>
            ))}
            {showChange && (
              <th scope="col" className="number">
                {t('changes.measures.change')}
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {MEASURE_LABELS.map(([key]) => (
            <tr key={key}>
              <th scope="row">{t(`changes.measures.labels.${key}`)}</th>
              {columns.map((column, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are in time order, fixed per render
                <td key={index} className="number">
                  <bdi dir="ltr">{measureWords(key, column.measures[key])}</bdi>
                </td>
              ))}
              {showChange && first && last && (
                <td className="number">
                  <MeasureChange measure={key} before={first.measures[key]} after={last.measures[key]} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The insight figures of every snapshot and now, oldest first, on request (each snapshot is fetched). */
function MeasuresOverTime({
  snapshots,
  load,
  now,
  title,
}: {
  snapshots: readonly SnapshotItem[]
  load: (item: SnapshotItem) => Promise<Result<LoadedSnapshot, SnapshotProblem>>
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

/** A state's figures, as the comparison and the measures over time give them. */
type MeasuredState = ReturnType<typeof measuresOverTime>[number]
type MeasureKey = keyof MeasuredState['measures']

/** A state as shown: a snapshot by its name, now in the interface's words. */
function stateLabel(state: { label: string; at?: number }, t: TFunction): string {
  // A state keeps only its snapshot's name: one named as the server names its own, said as it.
  return state.at === undefined
    ? t('changes.compare.now')
    : snapshotName({ name: state.label, auto: true }, t)
}

/** A figure in the interface's language: a share as a percentage, money in pounds. */
function measureWords(key: MeasureKey, value: number): string {
  const locale = intlLocale()
  if (key === 'density')
    return new Intl.NumberFormat(locale, {
      style: 'percent',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    }).format(value)
  if (key === 'fundingTotal')
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: 'GBP',
      maximumFractionDigits: 0,
    }).format(value)
  return new Intl.NumberFormat(locale).format(value)
}

/**
 * The change of a figure from the first state to the last, signed ("+2", "−1"; nothing when
 * unchanged), a share's in percentage points. The number is kept left to right, so its sign
 * stays in front of it in a right-to-left language.
 */
function MeasureChange({ measure, before, after }: { measure: MeasureKey; before: number; after: number }) {
  const delta = after - before
  if (measure === 'density' ? Math.abs(delta) < 0.0005 : delta === 0) return null
  const sign = delta > 0 ? '+' : '−'
  const size = Math.abs(delta)
  const locale = intlLocale()
  if (measure === 'density') {
    const points = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })
    return (
      <Trans
        i18nKey="changes.measures.points"
        values={{ change: `${sign}${points.format(size * 100)}` }}
        components={[<bdi key="change" dir="ltr" />]}
      />
    )
  }
  return <bdi dir="ltr">{`${sign}${measureWords(measure, size)}`}</bdi>
}
