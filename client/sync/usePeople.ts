import { useSyncExternalStore } from 'react'
import type { Awareness } from 'y-protocols/awareness'

/** Someone else in the workspace now, as their device announces them. */
export interface Person {
  readonly clientId: number
  readonly id: string
  readonly name: string
  readonly colour: string
  /** Their tldraw user id, for following their view. */
  readonly presenceUserId?: string
}

const cache = new WeakMap<Awareness, { key: string; people: Person[] }>()

function readPeople(awareness: Awareness): Person[] {
  const people: Person[] = []
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue
    const user = (state as { user?: { id?: unknown; name?: unknown; colour?: unknown } }).user
    if (!user || typeof user.id !== 'string') continue
    const presence = (state as { presence?: { userId?: unknown } | null }).presence
    people.push({
      clientId,
      id: user.id,
      name: typeof user.name === 'string' && user.name ? user.name : 'Guest',
      colour: typeof user.colour === 'string' ? user.colour : '#6b7280',
      presenceUserId: typeof presence?.userId === 'string' ? presence.userId : undefined,
    })
  }
  people.sort((a, b) => a.name.localeCompare(b.name))
  const key = JSON.stringify(people)
  const cached = cache.get(awareness)
  if (cached?.key === key) return cached.people
  cache.set(awareness, { key, people })
  return people
}

/** Everyone else present, re-rendering as people come, go or rename themselves. */
export function usePeople(awareness: Awareness): Person[] {
  return useSyncExternalStore(
    (listener) => {
      awareness.on('change', listener)
      return () => awareness.off('change', listener)
    },
    () => readPeople(awareness),
  )
}
