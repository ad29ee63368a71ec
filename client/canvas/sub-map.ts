import { atom } from 'tldraw'
import { type Actor, DOMAINS, type Domain } from '../../model/index.ts'

/**
 * A sub-map: the part of a large map one workshop works on, one ward (the actors' `area`), one
 * domain, or both. It is a view, like a lens: it lives in the page's address
 * (`?area=Ward%203&domain=health`), so a facilitator shares it as a link and everyone who opens
 * the link sees the same part, and on each device the canvas takes in only the boxes and arrows
 * of the actors in it (CanvasScope), never the whole borough to hide.
 *
 * Kept as links only, not as a record kind: a saved sub-map would be a name for two words that
 * already travel in the link (the workshop's invite or the share dialog carries them), and a view
 * belongs to the device, as a lens does, so one person's sub-map never changes another's map.
 */
export interface SubMap {
  /** The ward: actors whose `area` is exactly this; null for any. */
  readonly area: string | null
  /** The domain: actors working in it; null for any. */
  readonly domain: Domain | null
}

export const WHOLE_MAP: SubMap = { area: null, domain: null }

/** The address's query parameters a sub-map is kept in. */
export const SUB_MAP_PARAMS = { area: 'area', domain: 'domain' } as const

/** The sub-map an address names; an unknown domain or an empty ward is left out. */
export function subMapFromSearch(search: string | URLSearchParams): SubMap {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search
  const area = params.get(SUB_MAP_PARAMS.area)?.trim() || null
  const domain = params.get(SUB_MAP_PARAMS.domain)
  return {
    area,
    domain: domain !== null && (DOMAINS as readonly string[]).includes(domain) ? (domain as Domain) : null,
  }
}

/** The query string with this sub-map in it and every other parameter kept. Without the "?". */
export function subMapToSearch(subMap: SubMap, search: string | URLSearchParams = ''): string {
  const params = new URLSearchParams(search)
  if (subMap.area === null) params.delete(SUB_MAP_PARAMS.area)
  else params.set(SUB_MAP_PARAMS.area, subMap.area)
  if (subMap.domain === null) params.delete(SUB_MAP_PARAMS.domain)
  else params.set(SUB_MAP_PARAMS.domain, subMap.domain)
  return params.toString()
}

/** Is this the whole map (no ward, no domain)? */
export const isWholeMap = (subMap: SubMap): boolean => subMap.area === null && subMap.domain === null

export const sameSubMap = (a: SubMap, b: SubMap): boolean => a.area === b.area && a.domain === b.domain

/** Is this actor in the sub-map? */
export function inSubMap(subMap: SubMap, actor: Pick<Actor, 'area' | 'domains'>): boolean {
  if (subMap.area !== null && actor.area !== subMap.area) return false
  if (subMap.domain !== null && !actor.domains.includes(subMap.domain)) return false
  return true
}

/** The ids of the actors in a sub-map; null for the whole map (every actor). */
export function actorsInSubMap(subMap: SubMap, actors: readonly Actor[]): Set<string> | null {
  if (isWholeMap(subMap)) return null
  const ids = new Set<string>()
  for (const actor of actors) if (inSubMap(subMap, actor)) ids.add(actor.id)
  return ids
}

/** The wards named by the actors, in a natural order (Ward 2 before Ward 10). */
export function wardsOf(actors: readonly Pick<Actor, 'area'>[]): string[] {
  const wards = new Set<string>()
  for (const actor of actors) if (actor.area.trim()) wards.add(actor.area)
  return [...wards].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
}

/** The sub-map this device has open (read from the address on opening, written back to it). */
export const subMapAtom = atom<SubMap>('sub-map', WHOLE_MAP)

/** What a new actor added in a sub-map is given, so it belongs to the sub-map it was added in. */
export function newActorFields(subMap: SubMap): Partial<Pick<Actor, 'area' | 'domains'>> {
  return {
    ...(subMap.area !== null ? { area: subMap.area } : {}),
    ...(subMap.domain !== null ? { domains: [subMap.domain] } : {}),
  }
}
