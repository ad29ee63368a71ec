import type { Dataset } from '../dataset-schema.ts'
import { displayValue } from '../formats/fields.ts'
import { type ExportOptions, prepareForExport } from '../formats/privacy.ts'
import { actorKind } from '../records/actor.ts'
import { type Link, linkKind } from '../records/link.ts'
import type { FieldInfo, RecordDeclaration } from '../records/record.ts'
import { type DatasetChanges, diffDatasets, type FieldChange } from './diff.ts'
import { type ChangeMeasures, changeMeasures, type LabelledDataset } from './measures.ts'

/** One side of a comparison as people know it: a snapshot's name and time, or "Now". */
export interface ComparedState {
  readonly label: string
  /** Epoch milliseconds; absent for "now". */
  readonly at?: number
  readonly measures: ChangeMeasures
}

/** Two states of a workspace compared: what changed, and the insight figures of each. */
export interface Comparison {
  readonly before: ComparedState
  readonly after: ComparedState
  readonly changes: DatasetChanges
  /** Actor names by id, from both states (the later name where it changed). */
  readonly names: ReadonlyMap<string, string>
}

/**
 * The measures of each dataset compared, by the dataset given and whether it was redacted:
 * compared with now, the earlier state is the same object edit after edit, and its measures
 * (a whole `analyse()`) need working out once.
 */
const measured = new WeakMap<Dataset, Map<boolean, ChangeMeasures>>()

function measuresOf(given: Dataset, prepared: Dataset, redacted: boolean): ChangeMeasures {
  let byRedaction = measured.get(given)
  if (!byRedaction) {
    byRedaction = new Map()
    measured.set(given, byRedaction)
  }
  let measures = byRedaction.get(redacted)
  if (!measures) {
    measures = changeMeasures(prepared)
    byRedaction.set(redacted, measures)
  }
  return measures
}

const stateOf = (state: LabelledDataset, dataset: Dataset, redacted: boolean): ComparedState => ({
  label: state.label,
  ...(state.at !== undefined ? { at: state.at } : {}),
  measures: measuresOf(state.dataset, dataset, redacted),
})

/**
 * Compares two states of one workspace (`before` the earlier). Both are first prepared as every
 * export is (`prepareForExport`): with `redactPersonal`, personal fields are emptied on both
 * sides, so a change to a contact never shows in a shared report.
 */
export function compareStates(
  before: LabelledDataset,
  after: LabelledDataset,
  options: ExportOptions = {},
): Comparison {
  const was = prepareForExport(before.dataset, options)
  const is = prepareForExport(after.dataset, options)
  const names = new Map<string, string>()
  for (const actor of was.actors) names.set(actor.id, actor.name)
  for (const actor of is.actors) names.set(actor.id, actor.name)
  const redacted = options.redactPersonal === true
  return {
    before: stateOf(before, was, redacted),
    after: stateOf(after, is, redacted),
    changes: diffDatasets(was, is),
    names,
  }
}

const count = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 })
const moneyFormats = new Map<string, Intl.NumberFormat>()
function money(amount: number, currency: string): string {
  // Whole amounts without pence, as the report writes them.
  const digits = Number.isInteger(amount) ? 0 : 2
  const key = `${currency} ${digits}`
  let format = moneyFormats.get(key)
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-GB', {
        style: 'currency',
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    } catch {
      format = count
    }
    moneyFormats.set(key, format)
  }
  return format === count ? `${count.format(amount)} ${currency}` : format.format(amount)
}

/**
 * A field's value as people read it in a table of changes: a reference by the name of the record
 * it names, a choice by its label, a list as its items, an amount in the record's currency (a
 * number field of a record with a `currency`), and "(none)" for nothing.
 */
export function shownValue(
  kind: RecordDeclaration,
  field: Pick<FieldInfo, 'key'> & Partial<FieldInfo>,
  value: unknown,
  record: Readonly<Record<string, unknown>>,
  names: ReadonlyMap<string, string>,
): string {
  const info = kind.fields.find((each) => each.key === field.key)
  if (!info) return value === undefined ? '(none)' : JSON.stringify(value)
  if (kind.references.some((reference) => reference.field === info.key) && typeof value === 'string')
    return names.get(value) ?? value
  const shown = displayValue(info, value)
  if (shown === undefined) return '(none)'
  if (typeof shown === 'number')
    return typeof record.currency === 'string' && info.key !== 'strength'
      ? money(shown, record.currency)
      : count.format(shown)
  return Array.isArray(shown) ? (shown.length > 0 ? shown.join(', ') : '(none)') : shown
}

/** A field change as "Label: before → after", values as `shownValue` gives them. */
export function describeFieldChange(
  kind: RecordDeclaration,
  change: FieldChange,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  names: ReadonlyMap<string, string>,
): { label: string; before: string; after: string } {
  return {
    label: change.label,
    before: shownValue(kind, change, change.before, before, names),
    after: shownValue(kind, change, change.after, after, names),
  }
}

export const ACTOR_DECLARATION = actorKind as unknown as RecordDeclaration
export const LINK_DECLARATION = linkKind as unknown as RecordDeclaration

/** A link as people read it: "From → To" (↔ both ways), by the actors' names. */
export function linkEnds(link: Link, names: ReadonlyMap<string, string>): string {
  const arrow = link.direction === 'mutual' ? '↔' : '→'
  return `${names.get(link.from) ?? link.from} ${arrow} ${names.get(link.to) ?? link.to}`
}
