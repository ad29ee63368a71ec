import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ACTOR_KINDS, type ActorKind, LINK_KINDS, type LinkKind } from '../../model/index.ts'
import type { MapBinding } from '../canvas/map-binding.ts'
import { setLabel } from '../i18n/declared-words.ts'
import { useWorkspaceData, useWorkspaceUi } from '../workspace-context.tsx'

/**
 * Adds actors to the map and sets what kind of link a newly drawn arrow makes. Arrows are
 * drawn with tldraw's own arrow tool, from one actor box to another.
 */
export function MapToolbar({ binding }: { binding: MapBinding | null }) {
  const { t } = useTranslation()
  const [kind, setKind] = useState<ActorKind>('organisation')
  const [linkKind, setLinkKind] = useState<LinkKind>(binding?.linkKind ?? 'referral')
  // Re-rendered when the lock changes (it lives in `facilitation`), not for every record.
  useWorkspaceData((snapshot) => snapshot.facilitation)
  const locked = useWorkspaceUi().connection.workspace.mapLocked()
  if (locked) {
    return (
      <div className="map-toolbar" role="status">
        <span className="map-toolbar__label">{t('mapTools.locked')}</span>
      </div>
    )
  }
  return (
    <div className="map-toolbar" role="toolbar" aria-label={t('mapTools.label')}>
      <label className="visually-hidden" htmlFor="new-actor-kind">
        {t('mapTools.kindToAdd')}
      </label>
      <select id="new-actor-kind" value={kind} onChange={(event) => setKind(event.target.value as ActorKind)}>
        {ACTOR_KINDS.map((option) => (
          <option key={option} value={option}>
            {setLabel('actorKinds', option)}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button--primary"
        disabled={!binding}
        onClick={() => binding?.addActor(kind, t(`mapTools.newActor.${kind}`))}
      >
        {t('mapTools.addActor')}
      </button>
      <label htmlFor="new-link-kind" className="map-toolbar__label">
        {t('mapTools.arrowsMake')}
      </label>
      <select
        id="new-link-kind"
        value={linkKind}
        onChange={(event) => {
          const next = event.target.value as LinkKind
          setLinkKind(next)
          if (binding) binding.linkKind = next
        }}
      >
        {LINK_KINDS.map((option) => (
          <option key={option} value={option}>
            {setLabel('linkKinds', option)}
          </option>
        ))}
      </select>
    </div>
  )
}
