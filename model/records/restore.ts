import type { z } from 'zod'
import type { Migration, RawRecord, Restored } from './record.ts'

/**
 * Reads a stored record the way Excalidraw restores elements: migrate, then validate; if the
 * whole fails, keep every field that is valid and put defaults where a field is not. A record
 * is given up only when a field with no default (its id, name, endpoints...) is unusable, so
 * one bad field from a buggy peer or an old file never hides the rest of the record.
 */
export function restoreRecord<S extends z.ZodObject>(
  name: string,
  schema: S,
  migrations: readonly Migration[],
  raw: unknown,
  fromVersion: number,
  version: number,
): Restored<z.infer<S>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: { kind: name, message: `a ${name} must be an object` } }
  }
  const id = typeof (raw as RawRecord).id === 'string' ? ((raw as RawRecord).id as string) : undefined
  if (fromVersion > version) {
    return {
      ok: false,
      error: {
        kind: name,
        id,
        message: `${name} version ${fromVersion} is newer than this app (${version})`,
      },
    }
  }
  let record = raw as RawRecord
  for (const migration of migrations) {
    if (migration.toVersion > fromVersion) record = migration.up(record)
  }
  const whole = schema.safeParse(record)
  if (whole.success) return { ok: true, value: whole.data, repaired: [] }

  const repaired: string[] = []
  const value: RawRecord = {}
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const parsed = field.safeParse(record[key])
    if (parsed.success) {
      if (parsed.data !== undefined) value[key] = parsed.data
      continue
    }
    const fallback = field.safeParse(undefined)
    if (!fallback.success) {
      return {
        ok: false,
        error: { kind: name, id, message: `${name} ${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}` },
      }
    }
    if (fallback.data !== undefined) value[key] = fallback.data
    repaired.push(key)
  }
  const again = schema.safeParse(value)
  if (!again.success) {
    return { ok: false, error: { kind: name, id, message: `${name}: ${again.error.issues[0]?.message}` } }
  }
  return { ok: true, value: again.data, repaired }
}
