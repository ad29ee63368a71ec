import i18next from 'i18next'
import { shapeOf } from '../../model/formats/fields.ts'
import {
  type Exchange,
  type FieldInfo,
  type FieldMeta,
  formatExchange,
  formatExchanges,
  parseExchanges,
} from '../../model/index.ts'
import { choiceLabel, setLabel } from '../i18n/declared-words.ts'
import { intlLocale } from '../i18n/intl-locale.ts'

/**
 * How a form edits one declared field, and the text a control shows for a value and back.
 * Pure, so that what a person types becomes exactly the value the model is given (the model
 * then validates it): everything here is read from the field's declaration.
 */

/** The control a field gets. */
export type Input = NonNullable<FieldMeta['input']>

/** The field's own choice, or the one its schema implies. */
export function inputOf(field: FieldInfo): Input {
  if (field.meta.input) return field.meta.input
  switch (shapeOf(field)) {
    case 'choice':
      return 'choice'
    case 'choices':
      return 'choices'
    case 'list':
      return 'list'
    case 'exchanges':
      return 'exchanges'
    case 'integer':
    case 'number':
      return 'number'
    case 'boolean':
      return 'yes-no'
    case 'object':
      return 'hidden'
    default:
      return 'text'
  }
}

/**
 * The options of a choice: the enum's values, or for a number with labels, the labelled values,
 * each with its label in the interface's language.
 */
export function optionsOf(field: FieldInfo): readonly (readonly [value: string, label: string])[] {
  const values = field.options ?? Object.keys(field.meta.labels ?? {})
  return values.map((value) => [value, choiceLabel(field, value)] as const)
}

/** What a control shows for a stored value: '' for nothing, a list as "a, b", choices as values. */
export function toText(field: FieldInfo, value: unknown): string {
  if (value === undefined || value === null) return ''
  if (shapeOf(field) === 'exchanges') return formatExchanges(value as Exchange[])
  if (Array.isArray(value)) return value.join(inputOf(field) === 'choices' ? ',' : ', ')
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  return String(value)
}

/** What a typed text becomes, or why it cannot be given to the model at all. */
export type Parsed = { ok: true; value: unknown } | { ok: false; message: string }

/**
 * The value a field's text stands for. Empty text clears an optional field (null) and is ''
 * elsewhere, so the model's own check ("Write something here first") speaks for required ones.
 */
export function fromText(field: FieldInfo, text: string): Parsed {
  const input = inputOf(field)
  const numeric = shapeOf(field) === 'integer' || shapeOf(field) === 'number'
  if (input === 'long-text') return { ok: true, value: text }
  const trimmed = text.trim()
  if (trimmed === '' && field.optional) return { ok: true, value: null }
  switch (input) {
    case 'choices':
      return { ok: true, value: trimmed ? trimmed.split(',') : [] }
    case 'list':
      return {
        ok: true,
        value: [...new Set(trimmed.split(',').map((item) => item.trim()))].filter(Boolean),
      }
    case 'yes-no':
      return { ok: true, value: trimmed === 'yes' }
    case 'exchanges': {
      const read = parseExchanges(trimmed)
      return read.ok ? read : { ok: false, message: read.error }
    }
    default:
      break
  }
  if (numeric) {
    // People type amounts as they write them: "£1,500", "2 000".
    const cleaned = trimmed.replace(/[£$€,\s]/g, '')
    const number = Number(cleaned)
    if (cleaned === '' || !Number.isFinite(number))
      return { ok: false, message: i18next.t('forms.enterNumber', { example: 1500 }) }
    return { ok: true, value: number }
  }
  return { ok: true, value: field.meta.upperCase ? trimmed.toUpperCase() : trimmed }
}

/** Whether a form shows the field for this record: not hidden, and its `when` condition holds. */
export function isShown(field: FieldInfo, record: Readonly<Record<string, unknown>>): boolean {
  if (inputOf(field) === 'hidden') return false
  const when = field.meta.when
  return !when || record[when.field] === when.is
}

/** An offer or need as a cell shows it: as a spreadsheet writes it in English, by its kind's label otherwise. */
function exchangeText(item: Exchange): string {
  if (i18next.resolvedLanguage === 'en') return formatExchange(item)
  const ward = item.ward.trim() ? ` (${item.ward.trim()})` : ''
  const note = item.note.trim() ? `: ${item.note.trim()}` : ''
  return `${setLabel('exchangeKinds', item.what)}${ward}${note}`
}

/**
 * A value as a table cell shows it, in the interface's language: labels for choices, lists
 * joined, numbers in the language's digits and separators, '' for nothing. (Exports write the
 * declarations' English: model/formats/fields.ts `displayValue`.)
 */
export function cellText(field: FieldInfo, value: unknown): string {
  if (value === undefined || value === null || value === '') return ''
  const list = i18next.t('forms.listSeparator')
  switch (shapeOf(field)) {
    case 'choice':
      return choiceLabel(field, String(value))
    case 'list':
    case 'choices':
      return (value as unknown[]).map((item) => choiceLabel(field, String(item))).join(list)
    case 'integer':
    case 'number':
      return (value as number).toLocaleString(intlLocale())
    case 'boolean':
      return value ? i18next.t('forms.yes') : i18next.t('forms.no')
    case 'exchanges':
      // Offers and needs hold commas in their notes: "; " keeps the items apart.
      return (value as Exchange[]).map(exchangeText).join('; ')
    case 'object':
      return JSON.stringify(value)
    default:
      return String(value)
  }
}

/** Whether the actors table shows the field's column before a person chooses columns. */
export const inTableByDefault = (field: FieldInfo): boolean =>
  !field.meta.tableHidden && !field.meta.personal && !['hidden', 'long-text'].includes(inputOf(field))
