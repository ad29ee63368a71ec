import { useTranslation } from 'react-i18next'
import { useAccess } from '../access/useAccess.ts'
import { useConnectionState } from '../workspace-context.tsx'

/**
 * Says plainly whether this person's work is safe: saved on the server, saving, or kept on
 * this device while offline. Also says when offline reload is not possible (plain http on the
 * venue network is not a secure context, so no service worker can be installed).
 */
export function StatusBadge() {
  const { t } = useTranslation()
  const state = useConnectionState()
  const { denied } = useAccess()
  const { label, tone } = denied
    ? { label: t('status.noAccess'), tone: 'offline' }
    : state.network === 'online' && state.synced
      ? state.unsaved > 0
        ? { label: t('status.saving'), tone: 'busy' }
        : { label: t('status.saved'), tone: 'ok' }
      : state.network === 'connecting' && !state.synced
        ? { label: t('status.connecting'), tone: 'busy' }
        : {
            label:
              state.unsaved > 0 ? t('status.offlineKept', { count: state.unsaved }) : t('status.offline'),
            tone: 'offline',
          }
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
