import type { TFunction } from 'i18next'
import { useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import { useAccess } from '../access/useAccess.ts'
import type { ConnectionState } from '../sync/connection.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'

/**
 * What the badge says, as one value: it re-renders only when this changes. It read the whole
 * connection state, whose count of unsaved changes goes up at every write (20 a second in a
 * drag), and re-rendered each time to say the same "Saving…".
 */
type Status = 'denied' | 'saving' | 'saved' | 'connecting' | `offline:${number}`

export function statusOf(state: ConnectionState): Exclude<Status, 'denied'> {
  if (state.network === 'online' && state.synced) return state.unsaved > 0 ? 'saving' : 'saved'
  // Connected but not yet synced is still connecting: it said "Offline" for that moment, on
  // every open and every reconnect.
  if (state.network !== 'offline') return 'connecting'
  return `offline:${state.unsaved}`
}

/** The badge's words and colour for a status. */
function badgeOf(status: Status, t: TFunction): { label: string; tone: 'ok' | 'busy' | 'offline' } {
  if (status === 'denied') return { label: t('status.noAccess'), tone: 'offline' }
  if (status === 'saving') return { label: t('status.saving'), tone: 'busy' }
  if (status === 'saved') return { label: t('status.saved'), tone: 'ok' }
  if (status === 'connecting') return { label: t('status.connecting'), tone: 'busy' }
  const kept = Number(status.slice('offline:'.length))
  return { label: kept > 0 ? t('status.offlineKept', { count: kept }) : t('status.offline'), tone: 'offline' }
}

/**
 * Says plainly whether this person's work is safe: saved on the server, saving, or kept on
 * this device while offline. Also says when offline reload is not possible (plain http on the
 * venue network is not a secure context, so no service worker can be installed).
 */
export function StatusBadge() {
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  const now = useSyncExternalStore(connection.subscribe, () => statusOf(connection.state()))
  const { denied } = useAccess()
  const { label, tone } = badgeOf(denied ? 'denied' : now, t)
  const reloadNote = window.isSecureContext ? null : t('status.reloadNote')
  return (
    <div
      className={`status status--${tone}`}
      role="status"
      aria-live="polite"
      title={reloadNote ?? undefined}
    >
      <span className="status__dot" aria-hidden="true" />
      <span className="status__label">{label}</span>
      {reloadNote && <span className="visually-hidden">{reloadNote}</span>}
    </div>
  )
}
