import { useSyncExternalStore } from 'react'

/** The app has two places: the home page (/) and a workspace (/w/<room>). */
export type Route = { page: 'home' } | { page: 'workspace'; room: string }

export function parseRoute(pathname: string): Route {
  const match = /^\/w\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname)
  return match ? { page: 'workspace', room: match[1] as string } : { page: 'home' }
}

const listeners = new Set<() => void>()
window.addEventListener('popstate', () => {
  for (const listener of listeners) listener()
})

export function navigate(path: string): void {
  history.pushState(null, '', path)
  for (const listener of listeners) listener()
}

/** The current route, re-rendering on navigation. */
export function useRoute(): Route {
  const path = useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => location.pathname,
  )
  return parseRoute(path)
}
