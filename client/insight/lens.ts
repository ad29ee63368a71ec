import type { ActorMeasures, NetworkInsight } from '../../model/analysis.ts'
import {
  type Actor,
  DOMAIN_LABELS,
  DOMAINS,
  type Domain,
  type Journey,
  type Link,
  type LinkKind,
} from '../../model/index.ts'

/**
 * Lenses: views of the same map, each a filter (which links show) and a style (what sizes and
 * colours the actor boxes). A lens belongs to one person on one device and lives in the page's
 * address, so a link opens the same view; it never touches the shared document. Pure: no DOM,
 * no tldraw, so the bench and the unit tests can use it.
 */

/** Which links the map shows. */
export const LENS_SHOWS = ['all', 'funding', 'referrals', 'disconnects', 'journey'] as const
export type LensShow = (typeof LENS_SHOWS)[number]

/** The link kind each filtering lens keeps. */
const KIND_OF_SHOW: Partial<Record<LensShow, LinkKind>> = {
  funding: 'funding',
  referrals: 'referral',
  disconnects: 'disconnect',
}

/** What an actor box's halo is sized by. */
export const SIZE_MEASURES = [
  'none',
  'degree',
  'weightedDegree',
  'betweenness',
  'fundingIn',
  'fundingOut',
] as const
export type SizeMeasure = (typeof SIZE_MEASURES)[number]

/** What an actor box is coloured by. */
export const COLOUR_BYS = ['kind', 'domain', 'community'] as const
export type ColourBy = (typeof COLOUR_BYS)[number]

/**
 * The words a lens's key and boxes show, given by the page in the interface's language
 * (lens-state.ts builds them from the locale files); English by default, for the bench and tests.
 */
export interface LensWords {
  /** The Intl locale numbers and money are written in. */
  readonly locale: string
  readonly domain: (domain: Domain) => string
  readonly noDomain: string
  readonly isolated: string
  /** "Community 3". */
  readonly community: (number: number) => string
  /** "Community 3 (12)": the key's entry, with how many actors it has. */
  readonly communitySized: (number: number, size: number) => string
  readonly smallerGroups: string
  /** "3 ties". */
  readonly ties: (count: number) => string
  /** "Housing, Health". */
  readonly list: (items: readonly string[]) => string
}

export const ENGLISH_LENS_WORDS: LensWords = {
  locale: 'en-GB',
  domain: (domain) => DOMAIN_LABELS[domain],
  noDomain: 'No domain',
  isolated: 'Isolated',
  community: (number) => `Community ${number}`,
  communitySized: (number, size) => `Community ${number} (${size})`,
  smallerGroups: 'Smaller groups and isolated',
  ties: (count) => `${count} tie${count === 1 ? '' : 's'}`,
  list: (items) => items.join(', '),
}

export interface Lens {
  readonly show: LensShow
  readonly size: SizeMeasure
  readonly colour: ColourBy
  /** The journey highlighted when `show` is 'journey'. */
  readonly journey: string | null
}

export const DEFAULT_LENS: Lens = { show: 'all', size: 'none', colour: 'kind', journey: null }

/** The address's query parameters a lens is kept in; the rest of the address is left alone. */
export const LENS_PARAMS = { show: 'lens', size: 'size', colour: 'colour', journey: 'journey' } as const

const oneOf = <T extends string>(options: readonly T[], value: string | null, fallback: T): T =>
  value !== null && (options as readonly string[]).includes(value) ? (value as T) : fallback

/** The lens an address names; anything unknown or missing falls back to the plain map. */
export function lensFromSearch(search: string | URLSearchParams): Lens {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search
  const show = oneOf(LENS_SHOWS, params.get(LENS_PARAMS.show), 'all')
  const journey = params.get(LENS_PARAMS.journey)
  return {
    show: show === 'journey' && !journey ? 'all' : show,
    size: oneOf(SIZE_MEASURES, params.get(LENS_PARAMS.size), 'none'),
    colour: oneOf(COLOUR_BYS, params.get(LENS_PARAMS.colour), 'kind'),
    journey: show === 'journey' && journey ? journey : null,
  }
}

/**
 * The query string with this lens in it (defaults left out, so a plain map keeps a plain
 * address) and every other parameter kept as it was. Without the leading "?".
 */
export function lensToSearch(lens: Lens, search: string | URLSearchParams = ''): string {
  const params = new URLSearchParams(search)
  const set = (name: string, value: string | null) => {
    if (value === null) params.delete(name)
    else params.set(name, value)
  }
  set(LENS_PARAMS.show, lens.show === 'all' ? null : lens.show)
  set(LENS_PARAMS.size, lens.size === 'none' ? null : lens.size)
  set(LENS_PARAMS.colour, lens.colour === 'kind' ? null : lens.colour)
  set(LENS_PARAMS.journey, lens.show === 'journey' ? lens.journey : null)
  return params.toString()
}

export const sameLens = (a: Lens, b: Lens): boolean =>
  a.show === b.show && a.size === b.size && a.colour === b.colour && a.journey === b.journey

/** Does the lens need the network measures (which take a while on a large map)? */
export const lensNeedsInsight = (lens: Lens): boolean => lens.size !== 'none' || lens.colour === 'community'

/** The map's data a lens looks at. */
export interface LensData {
  readonly actors: readonly Actor[]
  readonly links: readonly Link[]
  readonly journeys: readonly Journey[]
}

/**
 * Whether a lens shows a link. The journey lens keeps the links between two actors the
 * journey passes through; `journeyActors` is that set.
 */
export function linkShown(
  lens: Lens,
  link: Pick<Link, 'kind' | 'from' | 'to'>,
  journeyActors?: ReadonlySet<string>,
): boolean {
  if (lens.show === 'all') return true
  if (lens.show === 'journey')
    return !!journeyActors && journeyActors.has(link.from) && journeyActors.has(link.to)
  return link.kind === KIND_OF_SHOW[lens.show]
}

/** How one actor box looks under a lens. */
export interface ActorLook {
  /** Drawn faded: not part of what the lens shows. */
  readonly dimmed: boolean
  /** The halo's width around the box in page pixels (0 for none). */
  readonly halo: number
  /** The measure's value as words, for the badge (empty for none). */
  readonly badge: string
  /** Border and tint, when the lens colours by something other than kind. */
  readonly colour: string | null
  /** What the colour stands for, for the box's tooltip and the legend. */
  readonly colourLabel: string
}

/** One colour of the lens's key. */
export interface LegendEntry {
  readonly colour: string
  readonly label: string
}

export interface LensView {
  readonly lens: Lens
  /** Is the map showing fewer links than it has? */
  readonly filtering: boolean
  /** While filtering, the links shown, by id (not filled in otherwise: every link shows). */
  readonly shownLinks: ReadonlySet<string>
  /** Per actor id; an actor not here looks as usual. */
  readonly actors: ReadonlyMap<string, ActorLook>
  /** The colour key, when colouring by domain or community. */
  readonly legend: readonly LegendEntry[]
  /** The largest value of the size measure, for the key (0 when not sizing). */
  readonly sizeMax: number
}

/**
 * Ten colours far enough apart in hue and lightness to tell apart with most colour vision, each
 * dark enough for a 3:1 contrast as a border on white (WCAG 1.4.11). Boxes keep their kind's
 * outline (solid, double, dashed, dotted), and the key and each box's tooltip name the colour.
 */
export const PALETTE = [
  '#1f4e9c',
  '#d95f02',
  '#1b7837',
  '#c2185b',
  '#6a3d9a',
  '#00796b',
  '#8c510a',
  '#0277bd',
  '#b3261e',
  '#5d6d00',
] as const

/** Communities past the palette, and isolated actors, are grey. */
export const OTHER_COLOUR = '#6b7280'

export const DOMAIN_COLOURS: Record<Domain, string> = Object.fromEntries(
  DOMAINS.map((domain, index) => [domain, PALETTE[index % PALETTE.length] as string]),
) as Record<Domain, string>

/** The widest halo, in page pixels, for the actor with the largest value. */
export const MAX_HALO = 30
/** The narrowest halo for any value above zero, so small ones still show. */
export const MIN_HALO = 3

/**
 * The halo width for a value, on a square-root scale (so the halo's area, not its width, grows
 * with the value): 0 for 0 or less, MIN_HALO..MAX_HALO for values up to `max`.
 */
export function haloWidth(value: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return 0
  const t = Math.sqrt(Math.min(value, max) / max)
  return Math.round((MIN_HALO + (MAX_HALO - MIN_HALO) * t) * 10) / 10
}

const moneys = new Map<string, Intl.NumberFormat>()
function money(locale: string): Intl.NumberFormat {
  let format = moneys.get(locale)
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: 'GBP',
      notation: 'compact',
      maximumSignificantDigits: 2,
    })
    moneys.set(locale, format)
  }
  return format
}

/** A measure's value as a person reads it. */
export function formatMeasure(
  measure: SizeMeasure,
  value: number,
  words: LensWords = ENGLISH_LENS_WORDS,
): string {
  switch (measure) {
    case 'none':
      return ''
    case 'betweenness':
      return value.toFixed(2)
    case 'fundingIn':
    case 'fundingOut':
      return money(words.locale).format(value)
    case 'degree':
      return words.ties(value)
    case 'weightedDegree':
      return String(Math.round(value * 10) / 10)
  }
}

export const measureOf = (measures: ActorMeasures | undefined, measure: SizeMeasure): number =>
  measure === 'none' || !measures ? 0 : measures[measure]

/** The actors a journey passes through (its steps at an actor of the map). */
export function journeyActors(journey: Journey | undefined): Set<string> {
  return new Set((journey?.steps ?? []).flatMap((step) => (step.actorId ? [step.actorId] : [])))
}

/**
 * Everything the map needs to draw a lens: which links show and how each actor box looks.
 * `insight` may be missing or out of date (it is worked out apart): actors it does not know
 * are drawn without a halo.
 */
export function lensView(
  lens: Lens,
  data: LensData | null,
  insight: NetworkInsight | null,
  words: LensWords = ENGLISH_LENS_WORDS,
): LensView {
  const links = data?.links ?? []
  const actors = data?.actors ?? []
  const journey =
    lens.show === 'journey' ? data?.journeys.find((each) => each.id === lens.journey) : undefined
  const onJourney = journey ? journeyActors(journey) : undefined
  // A journey lens whose journey is not (yet) here filters nothing: the data may still be loading.
  const filtering = lens.show !== 'all' && !(lens.show === 'journey' && !journey)

  const shownLinks = new Set<string>()
  const touched = new Set<string>()
  if (filtering)
    for (const link of links) {
      if (!linkShown(lens, link, onJourney)) continue
      shownLinks.add(link.id)
      touched.add(link.from)
      touched.add(link.to)
    }
  const lit = onJourney ?? touched

  let sizeMax = 0
  if (lens.size !== 'none' && insight)
    for (const actor of actors) sizeMax = Math.max(sizeMax, measureOf(insight.actors[actor.id], lens.size))

  const legend: LegendEntry[] = []
  if (lens.colour === 'domain') {
    const used = new Set(actors.flatMap((actor) => actor.domains.slice(0, 1)))
    for (const domain of DOMAINS)
      if (used.has(domain)) legend.push({ colour: DOMAIN_COLOURS[domain], label: words.domain(domain) })
    if (actors.some((actor) => actor.domains.length === 0))
      legend.push({ colour: OTHER_COLOUR, label: words.noDomain })
  } else if (lens.colour === 'community' && insight) {
    const seen = new Map<number, number>()
    for (const actor of actors) {
      const measures = insight.actors[actor.id]
      if (!measures || measures.isolated) continue
      seen.set(measures.community, (seen.get(measures.community) ?? 0) + 1)
    }
    for (const [community, size] of [...seen].sort(([a], [b]) => a - b)) {
      if (community >= PALETTE.length || size < 2) continue
      legend.push({ colour: PALETTE[community] as string, label: words.communitySized(community + 1, size) })
    }
    legend.push({ colour: OTHER_COLOUR, label: words.smallerGroups })
  }

  const looks = new Map<string, ActorLook>()
  const plain = lens.size === 'none' && lens.colour === 'kind' && !filtering
  if (!plain) {
    for (const actor of actors) {
      const measures = insight?.actors[actor.id]
      const value = measureOf(measures, lens.size)
      let colour: string | null = null
      let colourLabel = ''
      if (lens.colour === 'domain') {
        const [first] = actor.domains
        colour = first ? DOMAIN_COLOURS[first] : OTHER_COLOUR
        colourLabel =
          actor.domains.length > 0 ? words.list(actor.domains.map((d) => words.domain(d))) : words.noDomain
      } else if (lens.colour === 'community' && measures) {
        const small = measures.isolated || measures.community >= PALETTE.length
        colour = small ? OTHER_COLOUR : (PALETTE[measures.community] as string)
        colourLabel = measures.isolated ? words.isolated : words.community(measures.community + 1)
      }
      looks.set(actor.id, {
        dimmed: filtering && !lit.has(actor.id),
        halo: lens.size === 'none' || !measures ? 0 : haloWidth(value, sizeMax),
        badge: lens.size === 'none' || !measures ? '' : formatMeasure(lens.size, value, words),
        colour,
        colourLabel,
      })
    }
  }
  return { lens, filtering, shownLinks, actors: looks, legend, sizeMax }
}

/** A funding link drawn with a width for its amount. */
export interface FundingWidth {
  readonly linkId: string
  readonly from: string
  readonly to: string
  readonly amount: number
  /** Line width in page pixels. */
  readonly width: number
}

/** The narrowest and widest funding lines, in page pixels. */
export const FUNDING_WIDTH = { min: 3, max: 36 } as const

/**
 * The funding links with an amount in pounds, each with a line width: the square root of its
 * share of the largest (an area-like scale, so one big grant does not flatten the rest).
 */
export function fundingWidths(links: readonly Link[]): FundingWidth[] {
  const funded = links.filter(
    (link) =>
      link.kind === 'funding' && link.amount !== undefined && link.amount > 0 && link.currency === 'GBP',
  )
  const max = Math.max(0, ...funded.map((link) => link.amount ?? 0))
  return funded.map((link) => ({
    linkId: link.id,
    from: link.from,
    to: link.to,
    amount: link.amount ?? 0,
    width:
      Math.round(
        (FUNDING_WIDTH.min + (FUNDING_WIDTH.max - FUNDING_WIDTH.min) * Math.sqrt((link.amount ?? 0) / max)) *
          10,
      ) / 10,
  }))
}
