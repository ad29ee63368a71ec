import { useId, useState } from 'react'
import { useValue } from 'tldraw'
import { DOMAIN_LABELS, DOMAINS, type Domain } from '../../model/index.ts'
import { useAtomInAddress } from '../address-atom.ts'
import { useWorkspaceData } from '../workspace-context.tsx'
import {
  isWholeMap,
  type SubMap,
  subMapAtom,
  subMapFromSearch,
  subMapLabel,
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
          Open a sub-map…
        </button>
      </div>
    )
  if (choosing) return <SubMapChooser current={subMap} onDone={() => setChoosing(false)} />
  return (
    <section className="sub-map-bar" aria-label="Sub-map" data-testid="sub-map-bar">
      <p className="sub-map-bar__what" role="status">
        <span className="sub-map-bar__title">Sub-map:</span> <strong>{subMapLabel(subMap)}</strong>{' '}
        <span className="sub-map-bar__count">
          ({counts.inside.toLocaleString('en-GB')} of {counts.all.toLocaleString('en-GB')} actors)
        </span>
      </p>
      <button type="button" className="sub-map-bar__button" onClick={() => setChoosing(true)}>
        Change
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
        title="Copy a link that opens this sub-map"
      >
        {copied ? 'Copied' : 'Copy link'}
      </button>
      <button
        type="button"
        className="sub-map-bar__button sub-map-bar__whole"
        onClick={() => subMapAtom.set(WHOLE_MAP)}
      >
        Whole map
      </button>
    </section>
  )
}

/** Picks a ward and a domain (either may be "any"). */
function SubMapChooser({ current, onDone }: { current: SubMap; onDone: () => void }) {
  const actors = useWorkspaceData((snapshot) => snapshot.actors)
  const [wards] = useState(() => wardsOf(actors))
  const [area, setArea] = useState(current.area ?? '')
  const [domain, setDomain] = useState<Domain | ''>(current.domain ?? '')
  const id = useId()
  return (
    <form
      className="sub-map-bar sub-map-bar--choosing"
      aria-label="Open a sub-map"
      onSubmit={(event) => {
        event.preventDefault()
        subMapAtom.set({ area: area || null, domain: domain || null })
        onDone()
      }}
    >
      <label htmlFor={`${id}-ward`}>Ward</label>
      <select id={`${id}-ward`} value={area} onChange={(event) => setArea(event.target.value)}>
        <option value="">Any ward</option>
        {wards.map((ward) => (
          <option key={ward} value={ward}>
            {ward}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-domain`}>Domain</label>
      <select
        id={`${id}-domain`}
        value={domain}
        onChange={(event) => setDomain(event.target.value as Domain | '')}
      >
        <option value="">Any domain</option>
        {DOMAINS.map((each) => (
          <option key={each} value={each}>
            {DOMAIN_LABELS[each]}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--primary">
        Open
      </button>
      <button type="button" className="sub-map-bar__button" onClick={onDone}>
        Cancel
      </button>
    </form>
  )
}
