import { useTranslation } from 'react-i18next'
import { navigate } from '../router.ts'

/** The top bar's way back to all workspaces: the app's icon, a link handled in the page. */
export function HomeLink() {
  const { t } = useTranslation()
  return (
    <a
      href="/"
      className="topbar__home"
      aria-label={t('topbar.allWorkspaces')}
      onClick={(event) => {
        event.preventDefault()
        navigate('/')
      }}
    >
      <img src="/icon.svg" alt="" width="28" height="28" />
    </a>
  )
}
