import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { navigate } from '../router.ts'
import { denialWords } from './access-words.ts'
import { useAccess } from './useAccess.ts'

/**
 * Says plainly what the server refused: the whole workspace (no, expired or withdrawn invite),
 * or one change (a viewer's, a facilitator-only one, one made while the map was locked).
 */
export function AccessNotice() {
  const { t } = useTranslation()
  const { notice, denied } = useAccess()
  const [dismissed, setDismissed] = useState<number | null>(null)
  if (denied) {
    return (
      <div className="access-notice access-notice--denied" role="alert">
        <p>
          <strong>{t('access.notConnected')}</strong> {denialWords(denied.reason)}
        </p>
        <p className="access-notice__more">
          {t('access.keptHere')}{' '}
          <a
            href="/"
            onClick={(event) => {
              event.preventDefault()
              navigate('/')
            }}
          >
            {t('access.allWorkspaces')}
          </a>
        </p>
      </div>
    )
  }
  if (!notice || dismissed === notice.at) return null
  return (
    <div className={`access-notice access-notice--${notice.kind}`} role="alert">
      <p>{notice.message}</p>
      <button type="button" className="button" onClick={() => setDismissed(notice.at)}>
        {t('access.ok')}
      </button>
    </div>
  )
}
