import { z } from 'zod'
import { Id } from '../ids.ts'
import { defineRecord, Name, Text } from './record.ts'

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
  id: Id,
  text: z.string().min(1).max(2000).regex(/\S/, 'must not be blank'),
  actorIds: z.array(Id).max(50).default([]),
  /** The participant who made the point, if they said. */
  author: Text(100),
  order: OrderKey,
})
export type ThemePoint = z.infer<typeof ThemePointSchema>

/** A theme's own fields. Its points live in a nested map so that people add them concurrently. */
export const ThemeFieldsSchema = z.object({
  id: Id,
  title: Name,
  colour: ThemeColour.default('blue'),
  order: OrderKey,
})
export const ThemeSchema = ThemeFieldsSchema.extend({ points: z.array(ThemePointSchema) })
export type Theme = z.infer<typeof ThemeSchema>

export const themeKind = defineRecord('theme', ThemeFieldsSchema)
export const themePointKind = defineRecord('theme point', ThemePointSchema)
