import { useTranslation } from 'react-i18next'
import { useAccess } from './useAccess.ts'

/** The person's role in the top bar, with what it means on hover and for screen readers. */
export function RoleBadge() {
  const { t } = useTranslation()
  const { role, open, denied } = useAccess()
  if (denied) {
    return (
      <span className="role-badge role-badge--denied" data-testid="role-badge">
        {t('roles.noAccess')}
      </span>
    )
  }
  if (!role) return null
  const meaning = open ? `${t(`roles.meaning.${role}`)} ${t('roles.openAccess')}` : t(`roles.meaning.${role}`)
  return (
    <span className={`role-badge role-badge--${role}`} title={meaning} data-testid="role-badge">
      <span className="visually-hidden">{t('roles.yourRole')} </span>
      {t(`roles.${role}`)}
      <span className="visually-hidden">. {meaning}</span>
    </span>
  )
}
