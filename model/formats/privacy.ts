import type { Dataset } from '../dataset-schema.ts'
import { isExportable } from '../records/journey.ts'

export interface ExportOptions {
  /**
   * Remove every free-text field that may carry personal details (contacts, who said what,
   * residents' own words). Journeys without consent to share are left out in any case.
   */
  readonly redactPersonal?: boolean
}

/** The free-text fields that may name or describe a person, by record. */
export const PERSONAL_FIELDS = {
  meta: ['facilitator'],
  actor: ['contact'],
  themePoint: ['author'],
  quickWin: ['owner'],
  journey: ['resident', 'summary'],
  journeyStep: ['happened'],
  /** Notes are free text about who said and did what: the workshop's and actors' descriptions. */
  notes: ['workshop', 'actors'],
} as const

/**
 * The dataset as it may leave the workspace: journeys only where the resident agreed both to
 * recording and to sharing, and with `redactPersonal`, every personal free-text field emptied
 * and no notes.
 * Every export format starts from this, so no format can forget it.
 */
export function prepareForExport(dataset: Dataset, options: ExportOptions = {}): Dataset {
  const journeys = dataset.journeys.filter(isExportable)
  if (!options.redactPersonal) return { ...dataset, journeys }
  return {
    ...dataset,
    meta: { ...dataset.meta, facilitator: '' },
    actors: dataset.actors.map((actor) => ({ ...actor, contact: '' })),
    themes: dataset.themes.map((theme) => ({
      ...theme,
      points: theme.points.map((point) => ({ ...point, author: '' })),
    })),
    quickWins: dataset.quickWins.map((quickWin) => ({ ...quickWin, owner: '' })),
    journeys: journeys.map((journey) => ({
      ...journey,
      resident: '',
      summary: '',
      steps: journey.steps.map((step) => ({ ...step, happened: '' })),
    })),
    notes: { workshop: '', actors: {} },
  }
}
