import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Summon, type Timer, timeLeft, WorkspaceError } from '../../model/index.ts'
import type { MapBinding } from '../canvas/map-binding.ts'
import { explain } from '../forms/explain.ts'
import { usePeople } from '../sync/usePeople.ts'
import { useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import { useCan } from './permissions.ts'

/**
 * The strip under the top bar that steers the session: the agenda item being worked on, the
 * shared countdown, the presentation lock, and for the facilitator, the controls for all three
 * and "bring everyone to me". Everything is in the document, so every device shows the same.
 */
export function FacilitationBar({
  binding,
  onMessage,
}: {
  binding: MapBinding | null
  onMessage: (message: string) => void
}) {
  const { t } = useTranslation()
  const { connection, participant } = useWorkspaceUi()
  const { workspace } = connection
  const snapshot = useSnapshot()
  const { facilitation, agenda } = snapshot
  const facilitate = useCan('facilitate')
  const people = usePeople(connection.provider.awareness)
  const [controlsOpen, setControlsOpen] = useState(false)
  useSummons(binding, facilitation.summon, participant.id, onMessage, connection.clock.now)

  const current = agenda.findIndex((item) => item.id === facilitation.currentItemId)
  const item = agenda[current]
  const timer = facilitation.timer
  const lockerName = people.find((person) => person.id === facilitation.lockedBy)?.name
  const lockedBy =
    facilitation.lockedBy === participant.id
      ? t('session.lockedByYou')
      : lockerName
        ? t('session.lockedBy', { name: lockerName })
        : t('session.lockedByFacilitator')

  // Nothing to show a participant until the facilitator uses any of it.
  if (!facilitate && !item && !timer && !facilitation.locked) return null

  const run = (action: () => unknown) => {
    try {
      action()
    } catch (error) {
      if (error instanceof WorkspaceError) onMessage(explain(error))
      else throw error
    }
  }
  const goTo = (index: number) => {
    const next = agenda[index]
    if (next) run(() => workspace.setCurrentItem(next.id, { startTimer: true }))
  }

  return (
    <section className="facilitation" aria-label={t('session.label')}>
      {agenda.length > 0 && (
        <>
          {facilitate && (
            <button
              type="button"
              className="button"
              aria-label={t('session.previous')}
              disabled={current <= 0}
              onClick={() => goTo(current - 1)}
            >
              ‹
            </button>
          )}
          <span className="facilitation__item" title={item?.title}>
            {item ? `${current + 1}/${agenda.length} · ${item.title}` : t('session.notStarted')}
          </span>
          {facilitate && (
            <button
              type="button"
              className="button"
              aria-label={current < 0 ? t('session.startFirst') : t('session.next')}
              disabled={current >= agenda.length - 1}
              onClick={() => goTo(current + 1)}
            >
              {current < 0 ? t('session.start') : '›'}
            </button>
          )}
        </>
      )}
      <Countdown timer={timer} />
      {facilitation.locked && (
        <span className="facilitation__lock" role="status">
          <LockIcon /> {lockedBy}
        </span>
      )}
      {facilitate && (
        <button
          type="button"
          className="button facilitation__toggle"
          aria-expanded={controlsOpen}
          aria-controls="facilitation-controls"
          onClick={() => setControlsOpen(!controlsOpen)}
        >
          {controlsOpen ? t('session.fewerControls') : t('session.timerAndLock')}
        </button>
      )}
      {facilitate && (
        <div className="facilitation__controls" id="facilitation-controls" data-open={controlsOpen}>
          <TimerControls timer={timer} run={run} />
          <button
            type="button"
            className="button"
            aria-pressed={facilitation.locked}
            onClick={() => run(() => (facilitation.locked ? workspace.unlockMap() : workspace.lockMap()))}
          >
            {facilitation.locked ? t('session.unlock') : t('session.lock')}
          </button>
          <button
            type="button"
            className="button"
            disabled={!binding}
            onClick={() => {
              if (!binding) return
              const view = binding.editor.getViewportPageBounds()
              run(() => {
                workspace.summon({ x: view.x, y: view.y, w: view.w, h: view.h }, participant.name)
                onMessage(t('session.summoned'))
              })
            }}
          >
            {t('session.summon')}
          </button>
        </div>
      )}
    </section>
  )
}

/**
 * The time left, ticking while the timer runs; announced to screen readers each minute. It
 * counts against the server's clock, which the end time was stamped with, not this device's.
 */
function Countdown({ timer }: { timer: Timer | undefined }) {
  const { t } = useTranslation()
  const { clock } = useWorkspaceUi().connection
  const [now, setNow] = useState(clock.now)
  const running = timer?.endsAt !== undefined
  useEffect(() => {
    if (!running) return
    const tick = setInterval(() => setNow(clock.now()), 250)
    return () => clearInterval(tick)
  }, [running, clock])
  if (!timer) return null
  const left = timeLeft(timer, running ? now : 0)
  const seconds = Math.ceil(left / 1000)
  const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
  const state = left === 0 ? 'done' : left <= 60_000 ? 'low' : 'ok'
  return (
    <>
      <span
        className={`facilitation__timer facilitation__timer--${state}`}
        aria-hidden="true"
        data-testid="timer"
      >
        {left === 0 ? t('session.timeUp') : text}
      </span>
      <span className="visually-hidden" role="timer" aria-live="polite">
        {left === 0
          ? t('session.timeIsUp')
          : t(running ? 'session.minutesLeft' : 'session.minutesLeftPaused', {
              count: Math.ceil(seconds / 60),
            })}
      </span>
    </>
  )
}

const MINUTES = [5, 10, 15, 30]

function TimerControls({ timer, run }: { timer: Timer | undefined; run: (action: () => unknown) => void }) {
  const { t } = useTranslation()
  const { workspace } = useWorkspaceUi().connection
  const [minutes, setMinutes] = useState(10)
  const running = timer?.endsAt !== undefined
  if (!timer || (timer.remainingMs === 0 && !running)) {
    return (
      <span className="row">
        <label className="visually-hidden" htmlFor="timer-minutes">
          {t('session.timerMinutes')}
        </label>
        <select
          id="timer-minutes"
          value={minutes}
          onChange={(event) => setMinutes(Number(event.target.value))}
        >
          {MINUTES.map((value) => (
            <option key={value} value={value}>
              {t('session.minutes', { count: value })}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button"
          onClick={() => run(() => workspace.startTimer({ durationMs: minutes * 60_000 }))}
        >
          {t('session.startTimer')}
        </button>
        {timer && (
          <button type="button" className="button" onClick={() => run(() => workspace.clearTimer())}>
            {t('session.hideTimer')}
          </button>
        )}
      </span>
    )
  }
  return (
    <span className="row">
      <button
        type="button"
        className="button"
        onClick={() => run(() => (running ? workspace.pauseTimer() : workspace.startTimer()))}
      >
        {running ? t('session.pause') : t('session.resume')}
      </button>
      <button
        type="button"
        className="button"
        aria-label={t('session.oneMore')}
        onClick={() => run(() => workspace.addTime(60_000))}
      >
        {t('session.plusOne')}
      </button>
      <button type="button" className="button" onClick={() => run(() => workspace.resetTimer())}>
        {t('session.reset')}
      </button>
    </span>
  )
}

/** How long after it was made a summon still moves a device that only now hears of it. */
const SUMMON_FRESH_MS = 2 * 60_000

/**
 * Follows "bring everyone to me": each new summon from someone else fits this device's map to
 * the region they were looking at, once. A summon this device already knew of when it opened
 * (or an old one arriving after a long time offline) moves nobody.
 */
function useSummons(
  binding: MapBinding | null,
  summon: Summon | undefined,
  me: string,
  onMessage: (message: string) => void,
  /** The server's clock, which the summon was stamped with. */
  now: () => number,
) {
  const { t } = useTranslation()
  const seen = useRef<string | null | undefined>(undefined)
  useEffect(() => {
    if (seen.current === undefined) {
      seen.current = summon?.id ?? null
      return
    }
    if (!summon || summon.id === seen.current || !binding) return
    seen.current = summon.id
    if (summon.by === me || now() - summon.at > SUMMON_FRESH_MS) return
    const { x, y, w, h } = summon.view
    binding.editor.zoomToBounds({ x, y, w, h }, { animation: { duration: 400 } })
    onMessage(summon.name ? t('session.broughtBy', { name: summon.name }) : t('session.brought'))
  }, [binding, summon, me, onMessage, now, t])
}

function LockIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" style={{ verticalAlign: '-2px' }}>
      <path
        fill="currentColor"
        d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm2 0h4V5a2 2 0 1 0-4 0v2Z"
      />
    </svg>
  )
}
