import type { Domain } from '../records/actor.ts'
import type { Sector } from './sectors.ts'

/** What the analysis answers: the shapes the insight panel, the exports and the report read. */

/** The currency funding totals are in; amounts in others are counted, never converted. */
export const FUNDING_CURRENCY = 'GBP'

export interface ActorMeasures {
  /** Ties (links other than disconnects) touching the actor, each counted once. */
  readonly degree: number
  /** Ties towards the actor; a mutual tie counts both in and out for both ends. */
  readonly inDegree: number
  /** Ties from the actor; a mutual tie counts both in and out for both ends. */
  readonly outDegree: number
  /** The sum of the strengths of its ties; a tie without a strength counts 1. */
  readonly weightedDegree: number
  /** Disconnect links touching the actor. */
  readonly disconnects: number
  /**
   * Betweenness on the undirected tie graph, normalised to 0..1: exact on small maps, estimated
   * on large ones (see `NetworkInsight.betweenness`).
   */
  readonly betweenness: number
  /**
   * Its community (Louvain on the tie graph): 0 is the largest, ties broken by smallest actor id.
   * An isolated actor is a community of its own, numbered after every larger one.
   */
  readonly community: number
  /** Has no ties (disconnects are not ties). */
  readonly isolated: boolean
  /** Funding received, in GBP. */
  readonly fundingIn: number
  /** Funding given, in GBP. */
  readonly fundingOut: number
  /** Funding links touching it whose amount is in another currency, so left out of the sums. */
  readonly fundingOtherCurrencies: number
  /** Actors with a funding link to it, by id. */
  readonly funders: readonly string[]
  /** Receives funding from exactly one funder. */
  readonly dependsOnOneFunder: boolean
}

export interface NetworkSummary {
  readonly actors: number
  /** Links other than disconnects. */
  readonly ties: number
  readonly disconnects: number
  readonly isolated: number
  /** Communities of two or more actors (isolated actors are each a community of their own). */
  readonly communities: number
  /** Pairs of actors joined by a tie, over all pairs of actors (0 with fewer than two actors). */
  readonly density: number
  /** All funding recorded in GBP. */
  readonly fundingTotal: number
  /** Funding links with an amount in another currency, left out of the total. */
  readonly fundingOtherCurrencies: number
}

/** How many ties join an actor of domain `a` to one of domain `b` (`a` before `b` in DOMAINS). */
export interface DomainBridge {
  readonly a: Domain
  readonly b: Domain
  readonly ties: number
}

/** How many ties join an actor of sector `a` to one of sector `b` (`a` before `b` in SECTORS). */
export interface SectorBridge {
  readonly a: Sector
  readonly b: Sector
  readonly ties: number
}

export type FundingDomain = Domain | 'unspecified'

export interface FunderTotal {
  /** Given, in GBP. */
  readonly total: number
  /** Different actors it funds (in any currency, with or without an amount). */
  readonly recipients: number
}

/**
 * One band of the funding Sankey diagram. Nodes are keyed by column so that an actor that both
 * funds and is funded never makes a cycle: `funder:<actor id>` -> `recipient:<actor id>` ->
 * `domain:<domain>` (or `domain:unspecified`).
 */
export interface FundingFlow {
  readonly source: string
  readonly target: string
  readonly amount: number
}

export interface FundingNode {
  readonly id: string
  readonly label: string
  /** 0 funders, 1 recipients, 2 domains. */
  readonly column: 0 | 1 | 2
}

export interface FundingInsight {
  /** Per funder (any actor with a funding link from it), by actor id. */
  readonly byFunder: Readonly<Record<string, FunderTotal>>
  /** Funding received by actors in each domain, in GBP, split equally across an actor's domains. */
  readonly byDomain: Readonly<Record<FundingDomain, number>>
  /** Funder -> recipient -> domain, in GBP; every column sums to the summary's funding total. */
  readonly flows: readonly FundingFlow[]
  /** The flows' nodes, in column order. */
  readonly nodes: readonly FundingNode[]
}

/** How betweenness was worked out: exact, or (on large maps) estimated from a sample of actors. */
export interface BetweennessMethod {
  /** Estimated from the shortest paths of `sources` of the `connected` actors, not all of them. */
  readonly sampled: boolean
  /** Actors the shortest paths were counted from. */
  readonly sources: number
  /** Actors with at least one tie (the others lie on no path): all are sources when exact. */
  readonly connected: number
}

export interface NetworkInsight {
  /** Per actor id. */
  readonly actors: Readonly<Record<string, ActorMeasures>>
  readonly summary: NetworkSummary
  /** Up to 10 actor ids with betweenness above 0, highest first (equal ones by name). */
  readonly brokers: readonly string[]
  readonly betweenness: BetweennessMethod
  /** Every unordered pair of domains, in DOMAINS order. */
  readonly domainBridges: readonly DomainBridge[]
  /** Pairs of domains that both have actors, fewest ties first; at most 10. */
  readonly quietestDomainPairs: readonly DomainBridge[]
  /** Every unordered pair of different sectors, in SECTORS order. */
  readonly sectorBridges: readonly SectorBridge[]
  readonly funding: FundingInsight
}
