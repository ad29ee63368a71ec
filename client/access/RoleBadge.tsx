import { ROLE_LABEL } from './access.ts'
import { useAccess } from './useAccess.ts'

const MEANING = {
  facilitator: 'You can change everything, lock the map, export and invite people.',
  participant: 'You can add to the map, notes, themes, quick wins and votes.',
  viewer: 'You can look but not change anything.',
} as const

/** The person's role in the top bar, with what it means on hover and for screen readers. */
export function RoleBadge() {
  const { role, open, denied } = useAccess()
  if (denied) {
    return (
      <span className="role-badge role-badge--denied" data-testid="role-badge">
        No access
      </span>
    )
  }
  if (!role) return null
  const meaning = `${MEANING[role]}${open ? ' (This server is in open access mode.)' : ''}`
  return (
    <span className={`role-badge role-badge--${role}`} title={meaning} data-testid="role-badge">
      <span className="visually-hidden">Your role: </span>
      {ROLE_LABEL[role]}
      <span className="visually-hidden">. {meaning}</span>
    </span>
  )
}
