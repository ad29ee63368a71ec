import { get, set } from 'idb-keyval'

/** A workspace this device has opened, for the home page's list. */
export interface RecentWorkspace {
  readonly room: string
  readonly title: string
  readonly openedAt: number
}

const KEY = 'network-map:recent'

export async function recentWorkspaces(): Promise<RecentWorkspace[]> {
  const list = ((await get(KEY)) as RecentWorkspace[] | undefined) ?? []
  return [...list].sort((a, b) => b.openedAt - a.openedAt)
}

/** Records that a workspace was opened (or renamed), keeping the 30 most recent. */
export async function rememberWorkspace(room: string, title: string): Promise<void> {
  const list = (await recentWorkspaces()).filter((entry) => entry.room !== room)
  await set(KEY, [{ room, title, openedAt: Date.now() }, ...list].slice(0, 30))
}

export async function forgetWorkspace(room: string): Promise<void> {
  await set(
    KEY,
    (await recentWorkspaces()).filter((entry) => entry.room !== room),
  )
}
