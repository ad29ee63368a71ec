import { type KeyboardEvent, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { MapBinding } from '../canvas/map-binding.ts'
import { ChangesPanel } from '../history/ChangesPanel.tsx'
import { MapHistory } from '../history/MapHistory.tsx'
import { InsightPanel } from '../insight/InsightPanel.tsx'
import { NotesPanel } from '../notes/NotesPanel.tsx'
import { JourneysPanel } from '../panels/JourneysPanel.tsx'
import { ModelsPanel } from '../panels/ModelsPanel.tsx'
import { QuickWinsPanel } from '../panels/QuickWinsPanel.tsx'
import { ThemesPanel } from '../panels/ThemesPanel.tsx'
import { AgendaPanel } from './AgendaPanel.tsx'
import './workshop.css'

export const WORKSHOP_TABS = [
  { id: 'notes', label: 'Notes' },
  { id: 'themes', label: 'Themes' },
  { id: 'quick-wins', label: 'Quick wins' },
  { id: 'models', label: 'Models' },
  { id: 'journeys', label: 'Journeys' },
  { id: 'agenda', label: 'Agenda' },
  { id: 'insight', label: 'Insight' },
  { id: 'changes', label: 'Changes' },
] as const
export type WorkshopTab = (typeof WORKSHOP_TABS)[number]['id']

/**
 * The workshop beside the map: notes, themes, quick wins, emerging models, resident journeys,
 * the agenda, the network insight and its changes over time (snapshots), one tab each (the
 * WAI-ARIA tabs pattern: arrow keys move between tabs).
 */
export function WorkshopPanel({
  tab,
  onTab,
  onClose,
  binding,
  onShowMap,
}: {
  tab: WorkshopTab
  onTab: (tab: WorkshopTab) => void
  onClose: () => void
  binding: MapBinding | null
  /** Brings the map into view (on a phone the panel covers it). */
  onShowMap: () => void
}) {
  const { t, i18n } = useTranslation()
  const tabs = useRef<(HTMLButtonElement | null)[]>([])
  const onKeyDown = (event: KeyboardEvent) => {
    const index = WORKSHOP_TABS.findIndex((each) => each.id === tab)
    // In a right-to-left language the tabs run from the right, so the arrows follow the page.
    const forward = i18n.dir() === 'rtl' ? 'ArrowLeft' : 'ArrowRight'
    const back = forward === 'ArrowRight' ? 'ArrowLeft' : 'ArrowRight'
    const step = event.key === forward ? 1 : event.key === back ? -1 : 0
    const to =
      event.key === 'Home' ? 0 : event.key === 'End' ? WORKSHOP_TABS.length - 1 : step ? index + step : null
    if (to === null) return
    event.preventDefault()
    const next = (to + WORKSHOP_TABS.length) % WORKSHOP_TABS.length
    onTab(WORKSHOP_TABS[next]?.id ?? tab)
    tabs.current[next]?.focus()
  }
  return (
    <div className="workshop">
      <div className="workshop__head">
        <div className="workshop__tabs" role="tablist" aria-label={t('workshop.label')} onKeyDown={onKeyDown}>
          {WORKSHOP_TABS.map((each, index) => (
            <button
              key={each.id}
              ref={(element) => {
                tabs.current[index] = element
              }}
              type="button"
              role="tab"
              id={`workshop-tab-${each.id}`}
              aria-selected={tab === each.id}
              aria-controls="workshop-tabpanel"
              tabIndex={tab === each.id ? 0 : -1}
              onClick={() => onTab(each.id)}
            >
              {t(`workshop.tabs.${each.id}`, { defaultValue: each.label })}
            </button>
          ))}
        </div>
        <button type="button" className="workshop__close" aria-label={t('workshop.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <div
        className="workshop__body"
        role="tabpanel"
        id="workshop-tabpanel"
        aria-labelledby={`workshop-tab-${tab}`}
      >
        {tab === 'notes' && <NotesPanel onShowMap={onShowMap} />}
        {tab === 'themes' && <ThemesPanel onShowMap={onShowMap} />}
        {tab === 'quick-wins' && <QuickWinsPanel />}
        {tab === 'models' && <ModelsPanel />}
        {tab === 'journeys' && <JourneysPanel binding={binding} onShowMap={onShowMap} />}
        {tab === 'agenda' && <AgendaPanel />}
        {tab === 'insight' && <InsightPanel binding={binding} onShowMap={onShowMap} />}
        {tab === 'changes' && (
          <>
            <ChangesPanel onShowMap={onShowMap} />
            <MapHistory binding={binding} onShowMap={onShowMap} />
          </>
        )}
      </div>
    </div>
  )
}
