import type { Dataset } from '../dataset-schema.ts'
import { isExportable } from '../records/journey.ts'
import { DECLARATIONS } from '../records/kinds.ts'
import type { FieldInfo, KindKey, RecordDeclaration } from '../records/record.ts'

export interface ExportOptions {
  /**
   * Remove every free-text field that may carry personal details (contacts, who said what,
   * residents' own words). Journeys without consent to share are left out in any case.
   */
  readonly redactPersonal?: boolean
}

/** The keys of the fields declared `personal`: those that may name or describe a person. */
export const personalFieldsOf = (fields: readonly FieldInfo[]): readonly string[] =>
  fields.filter((field) => field.meta.personal).map((field) => field.key)

/**
 * The fields that may name or describe a person, by kind, as the declarations mark them; and
 * the notes, which are not fields but free text about who said and did what (the workshop's
 * notes and the actors' descriptions), so they go whole.
 */
export const PERSONAL_FIELDS: Readonly<Partial<Record<KindKey, readonly string[]>>> & {
  readonly notes: readonly string[]
} = {
  ...Object.fromEntries(
    DECLARATIONS.map((kind) => [kind.key, personalFieldsOf(kind.fields)] as const).filter(
      ([, keys]) => keys.length > 0,
    ),
  ),
  notes: ['workshop', 'actors'],
}

type Raw = Record<string, unknown>
const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * What a personal field becomes when redacted: its default ('' for text), or nothing for an
 * optional field. A personal field with neither could not be emptied and still be valid, so
 * declaring one is an error, reported when the redaction is first used rather than by a
 * dataset that fails its own schema.
 */
function emptied(kind: RecordDeclaration, field: FieldInfo): { value: unknown } {
  const parsed = field.schema.safeParse(undefined)
  if (!parsed.success) {
    throw new Error(`${kind.name} ${field.key} is personal, so it needs a default or must be optional`)
  }
  return { value: parsed.data }
}

function redactRecord(kind: RecordDeclaration, record: Raw, kinds: readonly RecordDeclaration[]): Raw {
  const out: Raw = { ...record }
  for (const field of kind.fields) {
    // Only fields the record has: a dataset may hold part of a kind (the facilitation's vote budget).
    if (!field.meta.personal || !(field.key in out)) continue
    const { value } = emptied(kind, field)
    if (value === undefined) delete out[field.key]
    else out[field.key] = value
  }
  for (const nested of kinds) {
    if (!('parent' in nested.placement) || nested.placement.parent !== kind.key) continue
    const children = out[nested.placement.key]
    if (Array.isArray(children)) {
      out[nested.placement.key] = children.map((child) =>
        isRecord(child) ? redactRecord(nested, child, kinds) : child,
      )
    }
  }
  return out
}

/**
 * The dataset with every field declared `personal` emptied, in every kind and the kinds nested
 * in them (a theme's points, a journey's steps), and no notes. `kinds` are the declarations to
 * follow; the dataset keeps each kind where the document does (`actors`, `meta`...).
 */
export function redactPersonal(
  dataset: Dataset,
  kinds: readonly RecordDeclaration[] = DECLARATIONS,
): Dataset {
  const out: Raw = { ...dataset }
  for (const kind of kinds) {
    const { placement } = kind
    if ('root' in placement) {
      const records = out[placement.root]
      if (Array.isArray(records))
        out[placement.root] = records.map((record) =>
          isRecord(record) ? redactRecord(kind, record, kinds) : record,
        )
    } else if ('singleton' in placement) {
      const record = out[placement.singleton]
      if (isRecord(record)) out[placement.singleton] = redactRecord(kind, record, kinds)
    }
  }
  out.notes = { workshop: '', actors: {} }
  return out as Dataset
}

/**
 * The dataset as it may leave the workspace: journeys only where the resident agreed both to
 * recording and to sharing, and with `redactPersonal`, every personal field emptied and no notes.
 * Every export format starts from this, so no format can forget it.
 */
export function prepareForExport(dataset: Dataset, options: ExportOptions = {}): Dataset {
  const shared = { ...dataset, journeys: dataset.journeys.filter(isExportable) }
  return options.redactPersonal ? redactPersonal(shared) : shared
}
