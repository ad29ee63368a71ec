import { z } from 'zod'

/** A plain JSON object as stored: a record before it is validated. */
export type RawRecord = Record<string, unknown>

/**
 * One step in a record kind's history: turns a record of version `toVersion - 1` into one of
 * `toVersion`. Append-only: a published migration is never edited, only followed by another.
 */
export interface Migration {
  readonly id: string
  readonly toVersion: number
  readonly up: (record: RawRecord) => RawRecord
}

/** Why a stored record could not be read, or which of its fields had to be repaired. */
export interface RecordIssue {
  readonly kind: string
  readonly id?: string
  readonly message: string
}

export type Restored<T> =
  | { ok: true; value: T; repaired: readonly string[] }
  | { ok: false; error: RecordIssue }

/** Everything the model knows about one kind of record: its shape, version and history. */
export interface RecordKind<S extends z.ZodObject> {
  readonly name: string
  readonly schema: S
  /** The version written by this code: 1 for the first shape, plus one per migration. */
  readonly version: number
  readonly migrations: readonly Migration[]
  /** Brings a stored record of `fromVersion` up to date and repairs it field by field. */
  restore(raw: unknown, fromVersion?: number): Restored<z.infer<S>>
}

/**
 * Defines a record kind. Migrations must rise by one from version 2, so that a gap or a
 * reordering is caught when the module loads rather than when an old document is opened.
 */
export function defineRecord<S extends z.ZodObject>(
  name: string,
  schema: S,
  migrations: readonly Migration[] = [],
): RecordKind<S> {
  migrations.forEach((migration, index) => {
    if (migration.toVersion !== index + 2) {
      throw new Error(`${name} migration ${migration.id} should go to version ${index + 2}`)
    }
  })
  const version = migrations.length + 1
  return {
    name,
    schema,
    version,
    migrations,
    restore: (raw, fromVersion = version) =>
      restoreRecord(name, schema, migrations, raw, fromVersion, version),
  }
}

/**
 * Reads a stored record the way Excalidraw restores elements: migrate, then validate; if the
 * whole fails, keep every field that is valid and put defaults where a field is not. A record
 * is given up only when a field with no default (its id, name, endpoints...) is unusable, so
 * one bad field from a buggy peer or an old file never hides the rest of the record.
 */
function restoreRecord<S extends z.ZodObject>(
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

/** Short free text: a name or a title. Must contain something other than spaces. */
export const Name = z.string().min(1).max(200).regex(/\S/, 'must not be blank')

/** Longer free text with a default of ''. */
export const Text = (max = 20_000) => z.string().max(max).default('')

/** A calendar date, `YYYY-MM-DD`. */
export const IsoDate = z.iso.date()

/**
 * The input a command takes to create a record: every field of `schema` but those the command
 * fills in itself (`generated`), with `id` optional so a caller (the canvas) may choose it.
 * Strict: an unknown field is an error, so a typo never silently drops a value.
 */
export function createSchemaOf<S extends z.ZodObject>(schema: S, generated: readonly string[] = []) {
  const shape: Record<string, z.ZodType> = {}
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    if (generated.includes(key)) continue
    shape[key] = key === 'id' ? (field as z.ZodString).optional() : field
  }
  return z.strictObject(shape)
}

/**
 * The input a command takes to change a record: any subset of the fields but `fixed` ones.
 * Defaults are not applied (an absent field means "leave it"), and `null` clears a field that
 * may be absent (a link's strength, a step's actor).
 */
export function patchSchemaOf<S extends z.ZodObject>(schema: S, fixed: readonly string[] = ['id']) {
  const shape: Record<string, z.ZodType> = {}
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    if (fixed.includes(key)) continue
    if (field instanceof z.ZodDefault) shape[key] = (field.unwrap() as z.ZodType).optional()
    else if (field instanceof z.ZodOptional) shape[key] = field.nullable()
    else shape[key] = field.optional()
  }
  return z.strictObject(shape)
}

/** What a create command accepts for a record schema: fields with defaults may be left out. */
export type CreateInput<S extends z.ZodObject, Generated extends string = never> = Omit<
  z.input<S>,
  Generated | 'id'
> & { id?: string }

/** What an update command accepts: any fields; null clears an optional one. */
export type Patch<T, Fixed extends keyof T = never> = {
  [K in Exclude<keyof T, Fixed | 'id'>]?: undefined extends T[K] ? T[K] | null : T[K]
}
