import { type ReactNode, useMemo, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import { AccessNotice } from '../access/AccessNotice.tsx'
import { mayDo } from '../access/access.ts'
import { RoleBadge } from '../access/RoleBadge.tsx'
import '../access/access.css'
import { PreviewMap } from '../canvas/PreviewMap.tsx'
import type { Participant } from '../identity.ts'
import type { WorkspaceConnection } from '../sync/connection.ts'
import '../workshop/workshop.css'
import { WorkspaceProvider } from '../workspace-context.tsx'
import { TopBar } from './TopBar.tsx'

const nothing = () => undefined

/** A control of the workspace's, in its place but disabled until the workspace is in. */
function Inert({ className = 'button', children }: { className?: string; children: ReactNode }) {
  return (
    <button type="button" className={className} disabled>
      {children}
    </button>
  )
}

/**
 * The workspace's frame, its map area showing the preview, while the workspace loads (see
 * WorkspacePage). It lays out what OpenWorkspace will: the workspace's own top bar (TopBar,
 * without its actions: its controls disabled until the workspace is in), and the facilitation
 * bar under it where the workspace will show one, so the map area (and the preview in it, which
 * stays over the map until the map has drawn) does not move down when the workspace mounts.
 * What needs no workspace (the status, the role, who is here, the language) works already.
 * Nothing here may bring tldraw into the page's first script (tests/client/first-script.test.ts).
 *
 * Not known yet, so guessed: the title (the document is on its way): the placeholder takes the
 * title's widest (its max-width), as a long title does; and what a participant's facilitation
 * bar would show (an agenda item, a timer, a lock: in the document), taken as nothing, the
 * usual case, so a participant gets no bar here.
 */
export function OpeningWorkspace({
  connection,
  participant,
}: {
  connection: WorkspaceConnection
  participant: Participant
}) {
  const { t } = useTranslation()
  const ui = useMemo(
    () => ({
      connection,
      participant,
      selection: null,
      select: nothing,
      shownJourneyId: null,
      showJourney: nothing,
    }),
    [connection, participant],
  )
  const { access } = connection
  const { role, denied } = useSyncExternalStore(access.subscribe, access.state)
  // A device with an invite knows its role from it (or the server's word); one without, until
  // the server says, is on an open-access server, where it is a facilitator
  // (sync-server/access-api.ts), or about to be refused (and the workspace mounts at once).
  const expected = role ?? 'facilitator'
  return (
    <WorkspaceProvider value={ui}>
      <div className="workspace" data-view="map">
        <TopBar
          title={
            <p className="topbar__title topbar__title--opening" role="status">
              {t('topbar.opening')}
            </p>
          }
          roleBadge={
            role ? (
              <RoleBadge />
            ) : (
              // Its room, not its word: the server has not said yet.
              <span
                className={`role-badge role-badge--${expected}`}
                style={{ visibility: 'hidden' }}
                aria-hidden="true"
              >
                {t(`roles.${expected}`)}
              </span>
            )
          }
          editor={null}
          view="map"
          workshopOpen={false}
          moreOpen={false}
          participantName={participant.name}
          may={(action) => mayDo({ role: expected, denied }, action)}
        />
        <AccessNotice />
        {mayDo({ role: expected, denied }, 'facilitate') && <OpeningFacilitation />}
        <main className="workspace__body">
          <div className="workspace__map">
            <PreviewMap receiver={connection.preview} />
          </div>
        </main>
      </div>
    </WorkspaceProvider>
  )
}

/**
 * The facilitator's bar (FacilitationBar) as it shows with no agenda started and no timer: its
 * controls, disabled until the workspace is in.
 */
function OpeningFacilitation() {
  const { t } = useTranslation()
  return (
    <section className="facilitation" aria-label={t('session.label')}>
      <Inert className="button facilitation__toggle">{t('session.timerAndLock')}</Inert>
      <div className="facilitation__controls">
        <span className="row">
          <select disabled aria-label={t('session.timerMinutes')}>
            <option>{t('session.minutes', { count: 10 })}</option>
          </select>
          <Inert>{t('session.startTimer')}</Inert>
        </span>
        <Inert>{t('session.lock')}</Inert>
        <Inert>{t('session.summon')}</Inert>
      </div>
    </section>
  )
}
