import { useId, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { findMatches, type Match, type NeedMatches } from '../../model/analysis/matching.ts'
import { useAttempt } from '../panels/workshop-shared.tsx'
import { useCan } from '../workshop/permissions.ts'
import { useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import {
  kindWord,
  linkFromMatch,
  matchReasons,
  needWords,
  offerWords,
  quickWinFromMatch,
  summaryWords,
} from './brokering-words.ts'
import './brokering.css'

/**
 * Offers meeting needs (issue 18): each need on the map with the offers that could meet it,
 * best first, with the reasons in words. A facilitator turns a match into a quick win or a
 * link, through the same commands as everywhere else.
 */
export function MatchesSection({ onActor }: { onActor: (id: string) => void }) {
  const { t } = useTranslation()
  const snapshot = useSnapshot()
  const headingId = useId()
  const { actors, links } = snapshot
  const needs = useMemo(() => findMatches({ actors, links }), [actors, links])
  const names = useMemo(() => new Map(actors.map((actor) => [actor.id, actor.name])), [actors])
  const [all, setAll] = useState(false)
  const shown = all ? needs : needs.slice(0, 5)
  return (
    <section className="insight__section brokering" aria-labelledby={headingId} data-testid="insight-matches">
      <h3 id={headingId}>{t('insight.matches.heading')}</h3>
      {needs.length === 0 ? (
        <p className="hint">{t('insight.matches.none')}</p>
      ) : (
        <ol className="brokering__list">
          {shown.map((entry) => (
            <NeedItem key={entry.key} entry={entry} names={names} onActor={onActor} />
          ))}
        </ol>
      )}
      {needs.length > 5 && (
        <button type="button" className="insight__more" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('insight.showFewer') : t('insight.showMore', { count: needs.length - 5 })}
        </button>
      )}
    </section>
  )
}

function NeedItem({
  entry,
  names,
  onActor,
}: {
  entry: NeedMatches
  names: ReadonlyMap<string, string>
  onActor: (id: string) => void
}) {
  const { t } = useTranslation()
  // The names the section already holds: no search of every actor for each need.
  const name = names.get(entry.actorId)
  if (name === undefined) return null
  return (
    <li className="brokering__need">
      <p className="brokering__headline">
        <button
          type="button"
          className="brokering__name"
          onClick={() => onActor(entry.actorId)}
          title={t('insight.showOnMap')}
        >
          {name}
        </button>{' '}
        {needWords(entry.need)}
      </p>
      <p className="brokering__summary">{summaryWords(entry, names)}</p>
      <ul className="brokering__matches">
        {entry.matches.map((match) => (
          <MatchItem key={match.key} match={match} names={names} onActor={onActor} />
        ))}
      </ul>
      {entry.more > 0 && (
        <p className="hint">{t('insight.matches.more', { count: entry.more, what: kindWord(entry.need) })}</p>
      )}
    </li>
  )
}

function MatchItem({
  match,
  names,
  onActor,
}: {
  match: Match
  names: ReadonlyMap<string, string>
  onActor: (id: string) => void
}) {
  const { t } = useTranslation()
  const { connection } = useWorkspaceUi()
  const canFacilitate = useCan('facilitate')
  const { refusal, attempt } = useAttempt()
  const [done, setDone] = useState<string | null>(null)
  const link = linkFromMatch(match)
  const linked = match.linkedBy.includes(link.kind)
  const offerer = names.get(match.offerActorId) ?? match.offerActorId
  const needer = names.get(match.needActorId) ?? match.needActorId
  return (
    <li className="brokering__match">
      <div className="brokering__what">
        <button
          type="button"
          className="brokering__name"
          onClick={() => onActor(match.offerActorId)}
          title={t('insight.showOnMap')}
        >
          {offerer}
        </button>{' '}
        {offerWords(match.offer)}
      </div>
      <p className="brokering__reasons">{matchReasons(match)}</p>
      {canFacilitate && (
        <div className="row brokering__actions">
          <button
            type="button"
            className="button"
            aria-label={t('insight.matches.quickWinFor', { offerer, needer })}
            onClick={() => {
              if (attempt(() => connection.workspace.addQuickWin({ text: quickWinFromMatch(match, names) })))
                setDone(t('insight.matches.quickWinAdded'))
            }}
          >
            {t('insight.matches.quickWin')}
          </button>
          <button
            type="button"
            className="button"
            disabled={linked}
            aria-label={
              linked
                ? t('insight.matches.areLinked', { offerer, needer })
                : t('insight.matches.linkFor', { offerer, needer })
            }
            onClick={() => {
              if (attempt(() => connection.workspace.connect(link))) setDone(t('insight.matches.linkedDone'))
            }}
          >
            {linked ? t('insight.matches.linked') : t('insight.matches.link')}
          </button>
        </div>
      )}
      <p className="hint brokering__done" role="status">
        {refusal.message ?? done ?? ''}
      </p>
    </li>
  )
}
