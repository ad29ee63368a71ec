import { actorKind } from '../records/actor.ts'
import { linkKind } from '../records/link.ts'
import type { FieldInfo } from '../records/record.ts'
import { splitList } from './csv.ts'
import { datasetFields } from './fields.ts'

/** Kumu's columns, from the record declarations, and the word matching both directions use. */

/** Lower case, "&" as "and", no apostrophes, hyphens, underscores and spaces as one space. */
export const normalise = (word: string) =>
  word
    .toLowerCase()
    .replaceAll('&', ' and ')
    .replace(/['’]/g, '')
    .replace(/[\s_-]+/g, ' ')
    .trim()

// ---- columns, from the record declarations -------------------------------------------------

/**
 * A field's Kumu column: its `kumu` name, or its label. None for `kumu: false` and for every
 * personal field: Kumu maps are often shared publicly, whatever a redaction asked for.
 */
export const kumuNameOf = (field: FieldInfo): string | undefined =>
  field.meta.kumu === false || field.meta.personal ? undefined : (field.meta.kumu ?? field.meta.label)

/** One column of a Kumu sheet, and the field it holds (none for a Kumu field we have no use for). */
export interface KumuColumn {
  readonly name: string
  readonly field?: FieldInfo
}

/** Kumu's own element and connection fields, in the order Kumu's own templates give them. */
export const KUMU_ELEMENT_FIELDS = ['Label', 'Type', 'Description', 'Tags'] as const
export const KUMU_CONNECTION_FIELDS = [
  'From',
  'To',
  'Type',
  'Direction',
  'Label',
  'Description',
  'Tags',
] as const
/** The connection fields kumu.json gives beside `attributes`, as Kumu's JSON import takes them. */
export const KUMU_CONNECTION_JSON_FIELDS = ['From', 'To', 'Type', 'Direction', 'Label'] as const

/**
 * A sheet's columns from a kind's fields: Kumu's own fields first (`own`, in Kumu's order;
 * one that no field fills stays an empty column, as Kumu's templates have it), then every other
 * field in declaration order, and `ID` last, where Kumu keeps a column it does not know.
 */
export function kumuColumnsOf(fields: readonly FieldInfo[], own: readonly string[]): KumuColumn[] {
  const named = datasetFields(fields).flatMap((field) => {
    const name = kumuNameOf(field)
    return name === undefined ? [] : [{ name, field }]
  })
  const find = (name: string) => named.find((column) => column.name === name)
  const id = find('ID')
  return [
    ...own.map((name) => find(name) ?? { name }),
    ...named.filter((column) => !own.includes(column.name) && column !== id),
    ...(id ? [id] : []),
  ]
}

export const ELEMENTS = kumuColumnsOf(actorKind.fields, KUMU_ELEMENT_FIELDS)
export const CONNECTIONS = kumuColumnsOf(linkKind.fields, KUMU_CONNECTION_FIELDS)

/** What a column may hold: the words people use for each value, and how to name the values. */
export interface Vocabulary {
  readonly words: ReadonlyMap<string, string>
  readonly ids: readonly string[]
  readonly labels: Readonly<Record<string, string>>
  readonly noun: string
  readonly column: string
}

/**
 * A choice field's vocabulary: each value known by its id, its label, each half of a label
 * "A / B", and the synonyms given (comma-separated per value).
 */
export function vocabulary(
  field: FieldInfo,
  column: string,
  noun: string,
  synonyms: Readonly<Record<string, string>> = {},
): Vocabulary {
  const ids = field.options ?? []
  const labels = field.meta.labels ?? {}
  const words = new Map<string, string>()
  for (const id of ids) {
    const label = labels[id] ?? id
    const all = [id, label, ...label.split('/'), ...(synonyms[id]?.split(',') ?? [])]
    for (const word of all) words.set(normalise(word), id)
  }
  return { words, ids, labels, noun, column }
}

/** Kumu separates the values of a cell with "|"; people typing them often use ";". */
export const splitValues = (cell: string) => splitList(cell, /[|;]/)
/** Kumu joins by label and our importer matches labels ignoring case and outer spaces. */
export const labelKey = (label: string) => label.trim().toLowerCase()
