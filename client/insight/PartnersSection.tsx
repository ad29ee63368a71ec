import { type FormEvent, useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { areasOf, findPartners, planConsortium } from '../../model/analysis/consortium.ts'
import { DOMAINS, type Domain } from '../../model/index.ts'
import type { MapBinding } from '../canvas/map-binding.ts'
import { setLabel } from '../i18n/declared-words.ts'
import { useAttempt } from '../panels/workshop-shared.tsx'
import { useCan } from '../workshop/permissions.ts'
import { useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import { consortiumIn, partnerReasons } from './brokering-words.ts'
import './brokering.css'

/**
 * Partners for a bid (issue 18): pick a domain and an area, and the organisations working
 * there are ranked by how a consortium would be formed, with the reasons. A facilitator ticks
 * the members, names it and saves it as a network/partnership actor with a membership link
 * from each member, placed on the map.
 */
export function PartnersSection({
  binding,
  onActor,
}: {
  binding: MapBinding | null
  onActor: (id: string) => void
}) {
  const { t } = useTranslation()
  const snapshot = useSnapshot()
  const { connection, select } = useWorkspaceUi()
  const canFacilitate = useCan('facilitate')
  const { refusal, attempt } = useAttempt()
  const id = useId()
  const { actors, links } = snapshot
  const areas = useMemo(() => areasOf(actors), [actors])
  const [domain, setDomain] = useState<Domain>('health')
  const [area, setArea] = useState('')
  const query = useMemo(() => ({ domain, area }), [domain, area])
  const partners = useMemo(() => findPartners({ actors, links }, query), [actors, links, query])
  const byId = useMemo(() => new Map(actors.map((actor) => [actor.id, actor])), [actors])
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set())
  const [name, setName] = useState('')
  const [saved, setSaved] = useState('')
  const members = partners.filter((partner) => chosen.has(partner.actorId)).map((partner) => partner.actorId)

  const toggle = (actorId: string) => {
    const next = new Set(chosen)
    if (!next.delete(actorId)) next.add(actorId)
    setChosen(next)
  }
  const save = (event: FormEvent) => {
    event.preventDefault()
    const plan = consortiumIn(
      planConsortium(name, query, members, actors),
      members.map((id) => byId.get(id)?.name ?? id),
    )
    let networkId: string | undefined
    const done = attempt(() => {
      const network = connection.workspace.addActor(plan.actor)
      networkId = network.id
      for (const membership of plan.memberships)
        connection.workspace.connect({ ...membership, to: network.id })
    })
    if (done && networkId) {
      binding?.place(networkId)
      select({ kind: 'actor', id: networkId })
      setSaved(t('insight.partners.saved', { name: plan.actor.name, count: members.length }))
      setChosen(new Set())
      setName('')
    }
  }

  return (
    <section
      className="insight__section brokering"
      aria-labelledby={`${id}-heading`}
      data-testid="insight-partners"
    >
      <h3 id={`${id}-heading`}>{t('insight.partners.heading')}</h3>
      <p className="hint">{t('insight.partners.hint')}</p>
      <div className="brokering__query">
        <label htmlFor={`${id}-domain`}>{t('insight.partners.domain')}</label>
        <select
          id={`${id}-domain`}
          value={domain}
          onChange={(event) => setDomain(event.target.value as Domain)}
        >
          {DOMAINS.map((value) => (
            <option key={value} value={value}>
              {setLabel('domains', value)}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-area`}>{t('insight.partners.area')}</label>
        <select id={`${id}-area`} value={area} onChange={(event) => setArea(event.target.value)}>
          <option value="">{t('insight.partners.anywhere')}</option>
          {areas.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </div>
      {partners.length === 0 ? (
        <p className="hint">{t('insight.partners.none', { domain: setLabel('domains', domain) })}</p>
      ) : (
        <form onSubmit={save} aria-label={t('insight.partners.save')}>
          <ol className="brokering__list">
            {partners.map((partner) => (
              <li key={partner.actorId} className="brokering__partner">
                {canFacilitate ? (
                  <label className="brokering__pick">
                    <input
                      type="checkbox"
                      checked={chosen.has(partner.actorId)}
                      onChange={() => toggle(partner.actorId)}
                    />
                    <span className="brokering__partner-name">{partner.name}</span>
                  </label>
                ) : (
                  <span className="brokering__partner-name">{partner.name}</span>
                )}
                <button
                  type="button"
                  className="brokering__show"
                  onClick={() => onActor(partner.actorId)}
                  aria-label={t('insight.partners.showNamed', { name: partner.name })}
                >
                  {t('insight.partners.show')}
                </button>
                <p className="brokering__reasons">{partnerReasons(partner, partners, byId, query)}</p>
              </li>
            ))}
          </ol>
          {canFacilitate && (
            <div className="brokering__save">
              <label htmlFor={`${id}-name`}>{t('insight.partners.name')}</label>
              <input
                id={`${id}-name`}
                value={name}
                onChange={(event) => setName(event.target.value)}
                placeholder={
                  area
                    ? t('insight.partners.namePlaceholderArea', { domain: setLabel('domains', domain), area })
                    : t('insight.partners.namePlaceholder', { domain: setLabel('domains', domain) })
                }
              />
              <button
                type="submit"
                className="button button--primary"
                disabled={members.length < 2 || !name.trim()}
              >
                {t('insight.partners.save')}
              </button>
              <p className="hint">
                {members.length < 2
                  ? t('insight.partners.tickTwo')
                  : t('insight.partners.members', { count: members.length })}
              </p>
            </div>
          )}
        </form>
      )}
      <p className="hint brokering__done" role="status">
        {refusal.message ?? saved}
      </p>
    </section>
  )
}
