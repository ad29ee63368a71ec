import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Editor } from 'tldraw'
import type { Action } from '../access/access.ts'
import { LanguagePicker } from '../i18n/LanguagePicker.tsx'
import { HomeLink } from './HomeLink.tsx'
import { People } from './People.tsx'
import { StatusBadge } from './StatusBadge.tsx'

/** What the top bar's controls do; none while the workspace opens. */
export interface TopBarActions {
  readonly view: (view: 'map' | 'table') => void
  readonly toggleWorkshop: () => void
  readonly toggleMore: () => void
  readonly rename: () => void
  readonly importData: () => void
  readonly exportData: () => void
  readonly share: () => void
}

/**
 * The workspace's top bar, in the workspace (OpenWorkspace) and in the frame shown while it
 * loads (OpeningWorkspace), which lays it out with the same controls, disabled until the
 * workspace is in (no `actions`), so the map under it does not move when the workspace mounts.
 * Type-only imports of tldraw: the frame is in the page's first script, which holds no tldraw.
 */
export function TopBar({
  title,
  roleBadge,
  editor,
  view,
  workshopOpen,
  moreOpen,
  participantName,
  may,
  actions,
}: {
  title: ReactNode
  roleBadge: ReactNode
  editor: Editor | null
  view: 'map' | 'table'
  workshopOpen: boolean
  moreOpen: boolean
  participantName: string
  /** What this person may do here: a role does not see what it cannot do. */
  may: (action: Action) => boolean
  actions?: TopBarActions
}) {
  const { t } = useTranslation()
  const disabled = actions === undefined
  return (
    <header className="topbar">
      <HomeLink />
      {title}
      <StatusBadge />
      {roleBadge}
      <div className="topbar__spacer" />
      <People editor={editor} />
      <fieldset className="segmented" disabled={disabled}>
        <legend className="visually-hidden">{t('topbar.view')}</legend>
        <button type="button" aria-pressed={view === 'map'} onClick={() => actions?.view('map')}>
          {t('topbar.map')}
        </button>
        <button type="button" aria-pressed={view === 'table'} onClick={() => actions?.view('table')}>
          {t('topbar.table')}
        </button>
      </fieldset>
      <button
        type="button"
        className="button"
        aria-pressed={workshopOpen}
        disabled={disabled}
        onClick={actions?.toggleWorkshop}
      >
        {t('topbar.workshop')}
      </button>
      {/* On a phone these fold into a menu, so the map keeps the screen. */}
      <button
        type="button"
        className="button topbar__more-toggle"
        aria-expanded={moreOpen}
        aria-controls="topbar-more"
        disabled={disabled}
        onClick={actions?.toggleMore}
      >
        {t('topbar.more')}
      </button>
      <div className="topbar__more" id="topbar-more" data-open={moreOpen}>
        <button
          type="button"
          className="button"
          disabled={disabled}
          onClick={actions?.rename}
          aria-label={t('topbar.changeName', { name: participantName })}
        >
          {participantName}
        </button>
        <LanguagePicker className="topbar__language" />
        {may('edit') && (
          <button type="button" className="button" disabled={disabled} onClick={actions?.importData}>
            {t('topbar.import')}
          </button>
        )}
        {may('export') && (
          <button type="button" className="button" disabled={disabled} onClick={actions?.exportData}>
            {t('topbar.export')}
          </button>
        )}
      </div>
      {may('invite') && (
        <button type="button" className="button button--primary" disabled={disabled} onClick={actions?.share}>
          {t('topbar.share')}
        </button>
      )}
    </header>
  )
}
