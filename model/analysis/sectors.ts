import type { ActorKind } from '../records/actor.ts'

/** The three sectors of a neighbourhood's support network. */
export const SECTORS = ['statutory', 'social', 'residents'] as const
export type Sector = (typeof SECTORS)[number]

export const SECTOR_LABELS: Record<Sector, string> = {
  statutory: 'Statutory services',
  social: 'Social sector',
  residents: 'Residents',
}

const SECTOR_OF_KIND: Record<ActorKind, Sector> = {
  'statutory-service': 'statutory',
  organisation: 'social',
  network: 'social',
  space: 'social',
  funder: 'social',
  'resident-group': 'residents',
  role: 'residents',
}

/** The sector an actor of this kind belongs to. */
export const sectorOf = (kind: ActorKind): Sector => SECTOR_OF_KIND[kind]
