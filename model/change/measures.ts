import { analyse } from '../analysis.ts'
import type { Dataset } from '../dataset-schema.ts'
import { domainPairsBridged, isTie } from './ties.ts'

/** The insight figures compared over time, for one state of a workspace. */
export interface ChangeMeasures {
  readonly actors: number
  /** Links other than disconnects. */
  readonly ties: number
  readonly disconnects: number
  /** Actors with no ties. */
  readonly isolated: number
  /** Ties joining actors of different domains (the silos). */
  readonly crossDomainTies: number
  /** Ties joining actors of different sectors (statutory, social, residents). */
  readonly crossSectorTies: number
  /** Actors funded by exactly one funder. */
  readonly singleFunder: number
  /** Communities of two or more actors. */
  readonly communities: number
  /** Pairs of actors joined by a tie, over all pairs (0 to 1). */
  readonly density: number
  /** Funding recorded in GBP. */
  readonly fundingTotal: number
}

/** The figures in the order they are shown, with what people call them. */
export const MEASURE_LABELS: readonly (readonly [keyof ChangeMeasures, string])[] = [
  ['actors', 'Actors'],
  ['ties', 'Ties'],
  ['disconnects', 'Disconnects'],
  ['isolated', 'Isolated actors'],
  ['crossDomainTies', 'Ties across domains'],
  ['crossSectorTies', 'Ties across sectors'],
  ['singleFunder', 'Depend on one funder'],
  ['communities', 'Communities'],
  ['density', 'Density'],
  ['fundingTotal', 'Funding (GBP)'],
]

/**
 * The insight figures of one dataset, read from `analyse` (so they are the figures the insight
 * panel shows), and the ties across domains counted by the analysis's rule for domain bridges.
 */
export function changeMeasures(dataset: Dataset): ChangeMeasures {
  const insight = analyse(dataset)
  const actors = new Map(dataset.actors.map((actor) => [actor.id, actor]))
  let crossDomainTies = 0
  for (const link of dataset.links) {
    const from = actors.get(link.from)
    const to = actors.get(link.to)
    if (!from || !to || link.from === link.to || !isTie(link)) continue
    if (domainPairsBridged(from.domains, to.domains).length > 0) crossDomainTies++
  }
  const { summary } = insight
  return {
    actors: summary.actors,
    ties: summary.ties,
    disconnects: summary.disconnects,
    isolated: summary.isolated,
    crossDomainTies,
    crossSectorTies: insight.sectorBridges.reduce((sum, bridge) => sum + bridge.ties, 0),
    singleFunder: Object.values(insight.actors).filter((measures) => measures.dependsOnOneFunder).length,
    communities: summary.communities,
    density: summary.density,
    fundingTotal: summary.fundingTotal,
  }
}

/** One state of a workspace, named for people: a snapshot, or "Now". */
export interface LabelledDataset {
  readonly label: string
  /** When the state was taken, in epoch milliseconds; absent for "now". */
  readonly at?: number
  readonly dataset: Dataset
}

/** The insight figures of each state, side by side, in the order given. */
export function measuresOverTime(
  states: readonly LabelledDataset[],
): { readonly label: string; readonly at?: number; readonly measures: ChangeMeasures }[] {
  return states.map((state) => ({
    label: state.label,
    ...(state.at !== undefined ? { at: state.at } : {}),
    measures: changeMeasures(state.dataset),
  }))
}
