import { z } from 'zod'
import { Id } from '../ids.ts'
import { addedByField, declareRecord, described, Name, Text } from './record.ts'

/** Colours a theme can take: tldraw's palette names, so the board and the canvas agree. */
export const THEME_COLOURS = [
  'blue',
  'light-blue',
  'green',
  'light-green',
  'orange',
  'yellow',
  'red',
  'light-red',
  'violet',
  'light-violet',
  'grey',
] as const
export const ThemeColour = z.enum(THEME_COLOURS)
export type ThemeColour = z.infer<typeof ThemeColour>

const OrderKey = z.string().min(1).max(100)

/** One point made under a theme; it may name actors on the map. */
export const ThemePointSchema = z.object({
  id: described(Id, { label: 'ID', input: 'hidden', csv: 'point_id' }),
  text: described(z.string().min(1).max(2000).regex(/\S/, 'must not be blank'), {
    label: 'Point',
    input: 'long-text',
    csv: 'point_text',
  }),
  actorIds: described(z.array(Id).max(50).default([]), {
    label: 'Actors',
    input: 'hidden',
    csv: 'point_actor_ids',
  }),
  /** The participant who made the point, if they said: a name, as they gave it. */
  author: described(Text(100), { label: 'Said by', personal: true, csv: 'point_author' }),
  /**
   * Whose device added it (an invite id, not a name): only they (or a facilitator) may remove
   * it. Apart from `author`, which is what the point says about who said it.
   */
  addedBy: addedByField('point_added_by'),
  order: described(OrderKey, { label: 'Order', input: 'hidden', csv: 'point_order' }),
})
export type ThemePoint = z.infer<typeof ThemePointSchema>

/** A theme's own fields. Its points live in a nested map so that people add them concurrently. */
export const ThemeFieldsSchema = z.object({
  id: described(Id, { label: 'ID', input: 'hidden', csv: 'theme_id' }),
  title: described(Name, { label: 'Theme', csv: 'theme_title' }),
  colour: described(ThemeColour.default('blue'), { label: 'Colour' }),
  order: described(OrderKey, { label: 'Order', input: 'hidden', csv: 'theme_order' }),
})
export const ThemeSchema = ThemeFieldsSchema.extend({ points: z.array(ThemePointSchema) })
export type Theme = z.infer<typeof ThemeSchema>

export const themeKind = declareRecord({
  key: 'theme',
  name: 'theme',
  noun: 'Theme',
  schema: ThemeFieldsSchema,
  placement: { root: 'themes' },
  ordered: true,
  writers: ['facilitator', 'participant'],
})
export const themePointKind = declareRecord({
  key: 'themePoint',
  name: 'theme point',
  noun: 'Point',
  schema: ThemePointSchema,
  migrations: [
    {
      // Points made before authorship was recorded have no known author ('').
      id: 'theme-point/2-added-by',
      toVersion: 2,
      up: (point) => ({ ...point, addedBy: typeof point.addedBy === 'string' ? point.addedBy : '' }),
    },
  ],
  placement: { parent: 'theme', key: 'points' },
  references: [{ field: 'actorIds', to: 'actor', onDelete: 'clear', many: true }],
  ordered: true,
  writers: ['facilitator', 'participant'],
  authored: true,
})
