import type { Editor } from 'tldraw'
import { usePeople } from '../sync/usePeople.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'

/** Who is here, each with a button to follow their view of the map. */
export function People({ editor }: { editor: Editor | null }) {
  const { connection, participant } = useWorkspaceUi()
  const people = usePeople(connection.provider.awareness)
  return (
    <ul className="people" aria-label={`${people.length + 1} people here`}>
      <li className="people__person" title={`${participant.name} (you)`}>
        <span className="people__avatar" style={{ background: participant.colour }} aria-hidden="true">
          {initial(participant.name)}
        </span>
        <span className="visually-hidden">{participant.name} (you)</span>
      </li>
      {people.map((person) => (
        <li key={person.clientId} className="people__person">
          <button
            type="button"
            className="people__avatar people__avatar--button"
            style={{ background: person.colour }}
            title={`Follow ${person.name}`}
            aria-label={`Follow ${person.name}'s view`}
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
