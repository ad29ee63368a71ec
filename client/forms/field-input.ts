import { displayValue, shapeOf } from '../../model/formats/fields.ts'
import {
  type Exchange,
  type FieldInfo,
  type FieldMeta,
  formatExchanges,
  parseExchanges,
} from '../../model/index.ts'

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

/** The options of a choice: the enum's values, or for a number with labels, the labelled values. */
export function optionsOf(field: FieldInfo): readonly (readonly [value: string, label: string])[] {
  const values = field.options ?? Object.keys(field.meta.labels ?? {})
  return values.map((value) => [value, field.meta.labels?.[value] ?? value] as const)
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
    if (cleaned === '' || !Number.isFinite(number)) return { ok: false, message: 'Enter a number, e.g. 1500' }
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

/** A value as a table cell shows it: labels for choices, lists joined, '' for nothing. */
export function cellText(field: FieldInfo, value: unknown): string {
  const shown = displayValue(field, value)
  if (shown === undefined) return ''
  // Offers and needs hold commas in their notes: "; " keeps the items apart.
  if (Array.isArray(shown)) return shown.join(shapeOf(field) === 'exchanges' ? '; ' : ', ')
  if (typeof shown === 'number') return shown.toLocaleString('en-GB')
  return shown
}

/** Whether the actors table shows the field's column before a person chooses columns. */
export const inTableByDefault = (field: FieldInfo): boolean =>
  !field.meta.tableHidden && !field.meta.personal && !['hidden', 'long-text'].includes(inputOf(field))
