import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useValue } from 'tldraw'
import { DOMAINS, type Domain } from '../../model/index.ts'
import { useAtomInAddress } from '../address-atom.ts'
import { setLabel } from '../i18n/declared-words.ts'
import { intlLocale } from '../i18n/intl-locale.ts'
import { useWorkspaceData } from '../workspace-context.tsx'
import {
  isWholeMap,
  type SubMap,
  subMapAtom,
  subMapFromSearch,
  subMapToSearch,
  WHOLE_MAP,
  wardsOf,
} from './sub-map.ts'

/**
 * Over the map, top middle: which sub-map is open (a ward, a domain, or both), how many actors it
 * holds, a link to it to share, and the way back to the whole map; on the whole map, a button
 * that opens one. Only this device's view changes.
 */
export function SubMapBar() {
  const { t } = useTranslation()
  useAtomInAddress('sub-map', subMapAtom, subMapFromSearch, subMapToSearch, WHOLE_MAP)
  const subMap = useValue(subMapAtom)
  const [choosing, setChoosing] = useState(false)
  const [copied, setCopied] = useState(false)
  const counts = useWorkspaceData(
    (snapshot) => {
      let inside = 0
      for (const actor of snapshot.actors)
        if (
          (subMap.area === null || actor.area === subMap.area) &&
          (subMap.domain === null || actor.domains.includes(subMap.domain))
        )
          inside++
      return { inside, all: snapshot.actors.length }
    },
    (a, b) => a.inside === b.inside && a.all === b.all,
  )
  const whole = isWholeMap(subMap)

  if (whole && !choosing)
    return (
      <div className="sub-map-bar sub-map-bar--closed">
        <button type="button" className="sub-map-bar__open" onClick={() => setChoosing(true)}>
          {t('subMap.open')}
        </button>
      </div>
    )
  if (choosing) return <SubMapChooser current={subMap} onDone={() => setChoosing(false)} />
  return (
    <section className="sub-map-bar" aria-label={t('subMap.label')} data-testid="sub-map-bar">
      <p className="sub-map-bar__what" role="status">
        <span className="sub-map-bar__title">{t('subMap.title')}</span>{' '}
        <strong>
          {[subMap.area, subMap.domain && setLabel('domains', subMap.domain)].filter(Boolean).join(' · ') ||
            t('subMap.whole')}
        </strong>{' '}
        <span className="sub-map-bar__count">
          {t('subMap.count', {
            inside: counts.inside.toLocaleString(intlLocale()),
            all: counts.all.toLocaleString(intlLocale()),
          })}
        </span>
      </p>
      <button type="button" className="sub-map-bar__button" onClick={() => setChoosing(true)}>
        {t('subMap.change')}
      </button>
      <button
        type="button"
        className="sub-map-bar__button"
        onClick={() => {
          void navigator.clipboard
            ?.writeText(location.href)
            .then(() => setCopied(true))
            .catch(() => setCopied(false))
          setTimeout(() => setCopied(false), 2000)
        }}
        title={t('subMap.copyTitle')}
      >
        {copied ? t('subMap.copied') : t('subMap.copy')}
      </button>
      <button
        type="button"
        className="sub-map-bar__button sub-map-bar__whole"
        onClick={() => subMapAtom.set(WHOLE_MAP)}
      >
        {t('subMap.whole')}
      </button>
    </section>
  )
}

/** Picks a ward and a domain (either may be "any"). */
function SubMapChooser({ current, onDone }: { current: SubMap; onDone: () => void }) {
  const { t } = useTranslation()
  const actors = useWorkspaceData((snapshot) => snapshot.actors)
  const [wards] = useState(() => wardsOf(actors))
  const [area, setArea] = useState(current.area ?? '')
  const [domain, setDomain] = useState<Domain | ''>(current.domain ?? '')
  const id = useId()
  return (
    <form
      className="sub-map-bar sub-map-bar--choosing"
      aria-label={t('subMap.open')}
      onSubmit={(event) => {
        event.preventDefault()
        subMapAtom.set({ area: area || null, domain: domain || null })
        onDone()
      }}
    >
      <label htmlFor={`${id}-ward`}>{t('subMap.ward')}</label>
      <select id={`${id}-ward`} value={area} onChange={(event) => setArea(event.target.value)}>
        <option value="">{t('subMap.anyWard')}</option>
        {wards.map((ward) => (
          <option key={ward} value={ward}>
            {ward}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-domain`}>{t('subMap.domain')}</label>
      <select
        id={`${id}-domain`}
        value={domain}
        onChange={(event) => setDomain(event.target.value as Domain | '')}
      >
        <option value="">{t('subMap.anyDomain')}</option>
        {DOMAINS.map((each) => (
          <option key={each} value={each}>
            {setLabel('domains', each)}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--primary">
        {t('subMap.openButton')}
      </button>
      <button type="button" className="sub-map-bar__button" onClick={onDone}>
        {t('subMap.cancel')}
      </button>
    </form>
  )
}
