import {
  ACTOR_KINDS,
  DATASET_FORMAT,
  DATASET_VERSION,
  type Dataset,
  DatasetSchema,
  DOMAINS,
  LINK_KINDS,
} from '../model/index.ts'
import { seededRandom } from '../model/random.ts'

/** A large, plausible map: `actors` actors and `links` links of every kind, valid throughout. */
export function syntheticDataset(actors: number, links: number, seed = 42): Dataset {
  const next = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T
  const actorList = Array.from({ length: actors }, (_, i) => ({
    id: `a${i}`,
    kind: pick(ACTOR_KINDS),
    name: `Organisation ${i}`,
    description: `Works with families in ward ${i % 40}, "quoted", with commas, and a newline\nsecond line.`,
    domains: [pick(DOMAINS), pick(DOMAINS)].filter((domain, index, all) => all.indexOf(domain) === index),
    area: `Ward ${i % 40}`,
    reach: `${Math.floor(next() * 5000)} people a year`,
    website: i % 3 === 0 ? `https://org-${i}.example` : '',
    contact: i % 5 === 0 ? `hello@org-${i}.example` : '',
    tags: i % 4 === 0 ? ['early-help', `cluster-${i % 9}`] : [],
    charityNumber: i % 7 === 0 ? String(1_000_000 + i) : '',
    companyNumber: i % 11 === 0 ? String(10_000_000 + i).slice(0, 8) : '',
  }))
  const seen = new Set<string>()
  const linkList: Dataset['links'] = []
  while (linkList.length < links) {
    const from = Math.floor(next() * actors)
    const to = Math.floor(next() * actors)
    const kind = pick(LINK_KINDS)
    const key = `${from}>${to}>${kind}`
    if (from === to || seen.has(key)) continue
    seen.add(key)
    linkList.push({
      id: `l${linkList.length}`,
      from: `a${from}`,
      to: `a${to}`,
      kind,
      direction: kind === 'partnership' ? 'mutual' : 'directed',
      label: '',
      currency: 'GBP',
      purpose: kind === 'funding' ? 'Core costs' : '',
      notes: '',
      ...(kind === 'funding'
        ? { amount: Math.round(next() * 100_000), periodStart: '2026-04-01', periodEnd: '2027-03-31' }
        : {}),
    })
  }
  return DatasetSchema.parse({
    format: DATASET_FORMAT,
    version: DATASET_VERSION,
    meta: {
      title: 'Synthetic borough map',
      area: 'Borough',
      facilitator: '',
      description: '',
      startDate: '2026-11-23',
    },
    actors: actorList,
    links: linkList,
    themes: [],
    quickWins: [],
    journeys: [],
  })
}

/**
 * The ties of a map with hubs, as real ones have (preferential attachment): actor 0 and 1 tied,
 * then each further actor tied to `perActor` earlier ones, each chosen with a chance in
 * proportion to the ties it already has. Ends are actor indices 0..actors-1.
 */
export function hubTies(actors: number, perActor: number, seed = 42): { from: Int32Array; to: Int32Array } {
  const next = seededRandom(seed)
  const from = [0]
  const to = [1]
  const ends = [0, 1]
  for (let actor = 2; actor < actors; actor++) {
    for (let j = 0; j < perActor; j++) {
      const other = ends[Math.floor(next() * ends.length)] as number
      from.push(actor)
      to.push(other)
      ends.push(actor, other)
    }
  }
  return { from: Int32Array.from(from), to: Int32Array.from(to) }
}
