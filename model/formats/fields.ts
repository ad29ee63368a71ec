import type { z } from 'zod'
import { type Exchange, ExchangeSchema, formatExchange } from '../records/exchange.ts'
import type { FieldInfo } from '../records/record.ts'

/**
 * What every export needs to know of a field's values, read from its schema: one place decides
 * that an array is a list and a `.int()` number an integer, so the formats cannot disagree.
 */
export type FieldShape =
  | 'text'
  | 'choice'
  | 'list'
  | 'choices'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'object'
  /** A list of offers or needs (records/exchange.ts), written `space (Ward): note; volunteers`. */
  | 'exchanges'

/** Looks through defaults and optionality to the schema that says what the values are. */
function innerOf(schema: z.ZodType): z.ZodType {
  let current = schema
  for (;;) {
    const def = current.def as { type: string; innerType?: z.ZodType }
    if (!def.innerType || def.type === 'pipe') return current
    current = def.innerType
  }
}

export function shapeOf(field: FieldInfo): FieldShape {
  switch (field.type) {
    case 'enum':
      return 'choice'
    case 'array':
      if ((innerOf(field.schema).def as { element?: unknown }).element === ExchangeSchema) return 'exchanges'
      return field.options ? 'choices' : 'list'
    case 'number':
      return (innerOf(field.schema) as z.ZodNumber).isInt ? 'integer' : 'number'
    case 'boolean':
      return 'boolean'
    case 'object':
    case 'record':
    case 'map':
      return 'object'
    default:
      // Strings, and unions of them (a web address or nothing).
      return 'text'
  }
}

/** A choice as people read it: its label where the field declares labels, else the value. */
export const labelOf = (field: FieldInfo, value: string): string => field.meta.labels?.[value] ?? value

/**
 * A value for people (a report, a Kumu sheet): choices by their labels, lists as their items,
 * yes/no for booleans; `undefined` when there is nothing to show (absent, blank, empty list).
 */
export function displayValue(field: FieldInfo, value: unknown): string | number | string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined
  switch (shapeOf(field)) {
    case 'choice':
      return labelOf(field, String(value))
    case 'list':
    case 'choices': {
      const items = (value as unknown[]).map((item) => labelOf(field, String(item)))
      return items.length > 0 ? items : undefined
    }
    case 'integer':
    case 'number':
      return value as number
    case 'boolean':
      return value ? 'Yes' : 'No'
    case 'exchanges': {
      const items = (value as Exchange[]).map(formatExchange)
      return items.length > 0 ? items : undefined
    }
    case 'object':
      return JSON.stringify(value)
    default:
      return String(value)
  }
}

/** Fields of the dataset: live session state (the timer, the lock) is never exported. */
export const datasetFields = (fields: readonly FieldInfo[]): readonly FieldInfo[] =>
  fields.filter((field) => !field.meta.live)
