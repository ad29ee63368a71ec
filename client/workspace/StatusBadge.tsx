import { useAccess } from '../access/useAccess.ts'
import { useConnectionState } from '../workspace-context.tsx'

/**
 * Says plainly whether this person's work is safe: saved on the server, saving, or kept on
 * this device while offline. Also says when offline reload is not possible (plain http on the
 * venue network is not a secure context, so no service worker can be installed).
 */
export function StatusBadge() {
  const state = useConnectionState()
  const { denied } = useAccess()
  const { label, tone } = denied
    ? { label: 'Not connected: no access', tone: 'offline' }
    : state.network === 'online' && state.synced
      ? state.unsaved > 0
        ? { label: 'Saving…', tone: 'busy' }
        : { label: 'All changes saved', tone: 'ok' }
      : state.network === 'connecting' && !state.synced
        ? { label: 'Connecting…', tone: 'busy' }
        : {
            label:
              state.unsaved > 0
                ? `Offline: ${state.unsaved} change${state.unsaved === 1 ? '' : 's'} kept on this device`
                : 'Offline: changes will be kept on this device',
            tone: 'offline',
          }
  const reloadNote = window.isSecureContext
    ? null
    : 'Offline reload needs a secure (https) address; keep this tab open if the wifi drops.'
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
