import {
  atom,
  createPresenceStateDerivation,
  createUserId,
  InstancePresenceRecordType,
  react,
  type TLInstancePresence,
  type TLStore,
  UserRecordType,
} from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import type { Participant } from '../identity.ts'

/**
 * Shares this person's cursor, selection and viewport through the provider's awareness, and
 * shows everyone else's as tldraw presence records (cursors, the people menu, following).
 * Presence never enters the document: it lives and dies with the connection.
 */
export function bindPresence(store: TLStore, awareness: Awareness, participant: Participant): () => void {
  const $user = atom(
    'user',
    UserRecordType.create({
      id: createUserId(participant.id),
      name: participant.name || 'Guest',
      color: participant.colour,
    }),
  )
  const instanceId = InstancePresenceRecordType.createId(String(awareness.clientID))
  const $presence = createPresenceStateDerivation($user, { instanceId })(store)

  let frame: number | null = null
  const stopReacting = react('share presence', () => {
    $presence.get()
    // A cursor moves many times a frame; share it at most once per frame.
    frame ??= requestAnimationFrame(() => {
      frame = null
      awareness.setLocalStateField('presence', $presence.get() ?? null)
    })
  })

  const idOf = (clientId: number) => InstancePresenceRecordType.createId(String(clientId))
  const onChange = ({
    added,
    updated,
    removed,
  }: {
    added: number[]
    updated: number[]
    removed: number[]
  }) => {
    const states = awareness.getStates()
    const put: TLInstancePresence[] = []
    const gone = removed.map(idOf)
    for (const clientId of [...added, ...updated]) {
      if (clientId === awareness.clientID) continue
      const presence = (states.get(clientId) as { presence?: TLInstancePresence } | undefined)?.presence
      if (presence && presence.id === idOf(clientId)) put.push(presence)
      else gone.push(idOf(clientId))
    }
    store.mergeRemoteChanges(() => {
      const present = gone.filter((id) => store.has(id))
      if (present.length > 0) store.remove(present)
      if (put.length > 0) {
        try {
          store.put(put)
        } catch {
          // A malformed presence from another device is dropped; it is only a cursor.
        }
      }
    })
  }
  awareness.on('change', onChange)
  onChange({ added: [...awareness.getStates().keys()], updated: [], removed: [] })

  return () => {
    stopReacting()
    if (frame !== null) cancelAnimationFrame(frame)
    awareness.off('change', onChange)
    awareness.setLocalStateField('presence', null)
  }
}
