import { useRoute as useMatch } from 'wouter'
import { navigate } from 'wouter/use-browser-location'

/** The app has two places: the home page (/) and a workspace (/w/<room>). */
export type Route = { page: 'home' } | { page: 'workspace'; room: string }

// A room id has the alphabet of the model's ids (model/ids.ts); any other path is the home page.
const WORKSPACE = /^\/w\/(?<room>[A-Za-z0-9_-]{1,64})\/?$/

/** The current route, re-rendering on navigation (wouter follows pushState and popstate). */
export function useRoute(): Route {
  const [match, params] = useMatch(WORKSPACE)
  return match && params.room ? { page: 'workspace', room: params.room } : { page: 'home' }
}

/** Goes to another place in the app, adding it to the history. */
export { navigate }
