import { useTranslation } from 'react-i18next'
import type { Editor } from 'tldraw'
import { usePeople } from '../sync/usePeople.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'

/** Who is here, each with a button to follow their view of the map. */
export function People({ editor }: { editor: Editor | null }) {
  const { t } = useTranslation()
  const { connection, participant } = useWorkspaceUi()
  const people = usePeople(connection.provider.awareness)
  return (
    <ul className="people" aria-label={t('people.here', { count: people.length + 1 })}>
      <li className="people__person" title={t('people.you', { name: participant.name })}>
        <span className="people__avatar" style={{ background: participant.colour }} aria-hidden="true">
          {initial(participant.name)}
        </span>
        <span className="visually-hidden">{t('people.you', { name: participant.name })}</span>
      </li>
      {people.map((person) => (
        <li key={person.clientId} className="people__person">
          <button
            type="button"
            className="people__avatar people__avatar--button"
            style={{ background: person.colour }}
            title={t('people.follow', { name: person.name })}
            aria-label={t('people.followView', { name: person.name })}
            disabled={!editor || !person.presenceUserId}
            onClick={() => person.presenceUserId && editor?.startFollowingUser(person.presenceUserId)}
          >
            {initial(person.name)}
          </button>
        </li>
      ))}
    </ul>
  )
}

const initial = (name: string) => (name.trim()[0] ?? '?').toUpperCase()
