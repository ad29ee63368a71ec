import i18next from 'i18next'
import {
  ACTOR_KIND_LABELS,
  DECLARATIONS,
  DOMAIN_LABELS,
  EXCHANGE_KIND_LABELS,
  FEELING_LABELS,
  type FieldInfo,
  type KindKey,
  LINK_KIND_LABELS,
  QUICK_WIN_STATUS_LABELS,
  type RecordDeclaration,
} from '../../model/index.ts'

/**
 * The words of the record declarations (model/records/*.ts) in the interface's language. English
 * has one source, the declarations themselves: `englishDeclaredWords()` reads them into the
 * English resources when the app starts, so en.json never repeats them. Every other language
 * gives them in its locale file, under the same keys:
 *
 * - `fields.<kind>.<field>.label` and `.help`: a field's label and help ("fields.actor.area.help");
 * - `fields.<kind>.<field>.choices.<value>`: the labels a field declares for its own values (a
 *   link's direction);
 * - `choices.<set>.<value>`: a set of labels several fields or screens share, one name per set
 *   (CHOICE_SETS: actor kinds, domains, link kinds...);
 * - `groups.<kind>.<group>`: a form's group heading ("groups.link.funding").
 *
 * tests/client/locales.test.ts walks the declarations, so a field added later fails it until
 * every language words it. Exports (CSV, Kumu, the report) read the declarations directly and
 * stay in English. A component showing these words re-renders on a change of language by calling
 * `useTranslation()` itself.
 */

/** Label sets with a name of their own: the same words wherever they show (forms, table, map, insight). */
export const CHOICE_SETS = {
  actorKinds: ACTOR_KIND_LABELS,
  domains: DOMAIN_LABELS,
  linkKinds: LINK_KIND_LABELS,
  exchangeKinds: EXCHANGE_KIND_LABELS,
  feelings: FEELING_LABELS,
  quickWinStatuses: QUICK_WIN_STATUS_LABELS,
} as const
export type ChoiceSet = keyof typeof CHOICE_SETS

type Tree = { [key: string]: string | Tree }

/** "Funding" -> "funding": a group heading as a key. */
const groupKey = (group: string) =>
  group
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')

const declarations = DECLARATIONS as readonly RecordDeclaration[]

/** Each declared field's kind, so a field alone (as a form holds it) finds its words. */
const kindOfField = new WeakMap<FieldInfo, KindKey>(
  declarations.flatMap((kind) => kind.fields.map((field) => [field, kind.key] as const)),
)

/** Where the labels of a field's values are worded: its named set, or the field's own. */
function choicesKey(kind: KindKey, field: FieldInfo): string | undefined {
  const labels = field.meta.labels
  if (!labels) return undefined
  const set = Object.entries(CHOICE_SETS).find(([, known]) => known === labels)?.[0]
  return set ? `choices.${set}` : `fields.${kind}.${field.key}.choices`
}

/** The English words of every declaration, as locale keys: the English resources' `fields`, `choices` and `groups`. */
export function englishDeclaredWords(): { fields: Tree; choices: Tree; groups: Tree } {
  const fields: Tree = {}
  const groups: Tree = {}
  for (const kind of declarations) {
    const own: Tree = {}
    for (const field of kind.fields) {
      const words: Tree = { label: field.meta.label }
      if (field.meta.help) words.help = field.meta.help
      if (field.meta.labels && choicesKey(kind.key, field)?.startsWith('fields.'))
        words.choices = { ...field.meta.labels }
      own[field.key] = words
      if (field.meta.group) {
        const kindGroups = (groups[kind.key] ?? {}) as Tree
        kindGroups[groupKey(field.meta.group)] = field.meta.group
        groups[kind.key] = kindGroups
      }
    }
    fields[kind.key] = own
  }
  const choices: Tree = Object.fromEntries(
    Object.entries(CHOICE_SETS).map(([set, labels]) => [set, { ...labels }]),
  )
  return { fields, choices, groups }
}

/** A key's words in the current language, the declaration's English when a language lacks them. */
/** A word whose English is the model's own (a declaration's, a door refusal's), in the current language. */
export const modelWord = (key: string, english: string): string =>
  (i18next.t as unknown as (key: string, options: { defaultValue: string }) => string)(key, {
    defaultValue: english,
  })

/** A declared field's label ("Area", "علاقہ"). */
export function fieldLabel(field: FieldInfo): string {
  const kind = kindOfField.get(field)
  return kind ? modelWord(`fields.${kind}.${field.key}.label`, field.meta.label) : field.meta.label
}

/** A declared field's help, or undefined if it has none. */
export function fieldHelp(field: FieldInfo): string | undefined {
  const kind = kindOfField.get(field)
  if (!field.meta.help) return undefined
  return kind ? modelWord(`fields.${kind}.${field.key}.help`, field.meta.help) : field.meta.help
}

/** A field's group heading ("Funding"), or null for a field in no group. */
export function groupLabel(field: FieldInfo): string | null {
  const group = field.meta.group
  if (!group) return null
  const kind = kindOfField.get(field)
  return kind ? modelWord(`groups.${kind}.${groupKey(group)}`, group) : group
}

/** A value of a field as people read it: its declared label, or the value itself if it has none. */
export function choiceLabel(field: FieldInfo, value: string): string {
  const english = field.meta.labels?.[value]
  if (english === undefined) return value
  const kind = kindOfField.get(field)
  const key = kind && choicesKey(kind, field)
  return key ? modelWord(`${key}.${value}`, english) : english
}

/** A label of a named set, for screens that show one outside a form (a filter, the map's key). */
export function setLabel<S extends ChoiceSet>(set: S, value: keyof (typeof CHOICE_SETS)[S] & string): string {
  const labels = CHOICE_SETS[set] as Readonly<Record<string, string>>
  return modelWord(`choices.${set}.${value}`, labels[value] ?? value)
}

/** Every value of a named set with its label in the current language, in the set's order. */
export const setOptions = (set: ChoiceSet): [value: string, label: string][] =>
  Object.keys(CHOICE_SETS[set]).map((value) => [value, setLabel(set, value as never)])

/** A declared field of a kind, by key (for a screen that names one field: the table's Name column). */
export const fieldOf = (kind: RecordDeclaration, key: string): FieldInfo | undefined =>
  kind.fields.find((field) => field.key === key)
