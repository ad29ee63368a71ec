import type { Dataset } from '../../model/index.ts'
import type { LoadedSnapshot } from './history-state.ts'

/** "Now": the workspace as this device has it, in a comparison. */
export const NOW = 'now'
/**
 * The label of "now" given to the model: the downloads are exports, in English (as the rest of
 * the report); the interface says "now" in its own language wherever a state has no time.
 */
export const NOW_LABEL = 'Now'

/** A state to compare: a snapshot, or the workspace now. */
export interface ComparedState {
  readonly label: string
  readonly at?: number
  readonly dataset: Dataset
  /** The snapshot, where the state is one (its document places what was removed). */
  readonly snapshot?: LoadedSnapshot
}

/** A comparison asked for from elsewhere in the tab (a snapshot's "Compare with now"). */
export interface CompareRequest {
  readonly from: string
  readonly to: string
  /** Rises with each request, so asking twice for the same pair compares again. */
  readonly count: number
}
