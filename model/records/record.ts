import { z } from 'zod'
import { restoreRecord } from './restore.ts'

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

// ---- declarations: what the rest of the code derives from a record kind ------------------

/** Who someone is in a workspace. The person who creates a workspace is its facilitator. */
export const ROLES = ['facilitator', 'participant', 'viewer'] as const
export type Role = (typeof ROLES)[number]

/**
 * What the code around a record needs to know of one field, kept on the field's schema with
 * zod's `.meta()` so that a field is declared in one place. Every export, form and table reads
 * these; a new field with a label shows up everywhere without other edits.
 */
export interface FieldMeta {
  /** What a person calls it: form labels, table headers, report rows. */
  readonly label: string
  /** Longer help shown beside a form field. */
  readonly help?: string
  /** May name or describe a person: emptied when an export redacts personal details. */
  readonly personal?: boolean
  /** How a form edits it; derived from the schema when absent. `hidden`: never shown in forms. */
  readonly input?:
    | 'text'
    | 'long-text'
    | 'choice'
    | 'choices'
    | 'list'
    | 'number'
    | 'date'
    | 'url'
    | 'yes-no'
    /** A reference, chosen from the records a form is given (the theme a model answers). */
    | 'record'
    /** A list of offers or needs (exchange.ts): kind, note and ward per item. */
    | 'exchanges'
    | 'hidden'
  /** Its CSV column; snake_case of the key by default; false: never in the tables. */
  readonly csv?: string | false
  /** Its GraphML/GEXF attribute name; snake_case of the key by default; false: not in graph files. */
  readonly graph?: string | false
  /** Its Kumu column; the label by default; false: not in Kumu files. */
  readonly kumu?: string | false
  /** Where it goes in an Open Referral UK directory (table.field), if it maps. */
  readonly directory?: string
  /** Live session state, not part of the dataset (the timer, the lock...). */
  readonly live?: boolean
  /** Labels of an enum's values, for forms, tables and spreadsheets. */
  readonly labels?: Readonly<Record<string, string>>
  /** Typed in capitals (codes and registration numbers): forms upper-case what is typed. */
  readonly upperCase?: boolean
  /** Forms gather fields of one group under this heading ("Funding"). */
  readonly group?: string
  /** Forms show it only while another field has this value (funding details on a funding link). */
  readonly when?: { readonly field: string; readonly is: string }
  /** Tables leave it out until a person adds the column (long or rarely compared fields). */
  readonly tableHidden?: boolean
}

/** The keys of FieldMeta, for code that must tell them from a JSON Schema's own keywords. */
export const FIELD_META_KEYS = [
  'label',
  'help',
  'personal',
  'input',
  'csv',
  'graph',
  'kumu',
  'directory',
  'live',
  'labels',
  'upperCase',
  'group',
  'when',
  'tableHidden',
] as const satisfies readonly (keyof FieldMeta)[]

/** Attaches field metadata; `.meta()` must be the last call so the shape's entry carries it. */
export const described = <T extends z.ZodType>(schema: T, meta: FieldMeta): T =>
  schema.meta(meta as unknown as Record<string, unknown>) as T

/** One field of a record kind, with its metadata. */
export interface FieldInfo {
  readonly key: string
  readonly schema: z.ZodType
  readonly meta: FieldMeta
  /** The value type underneath defaults and optionality: 'string', 'array', 'number'... */
  readonly type: string
  /** The enum's values, for a choice (or each item of a list of choices). */
  readonly options?: readonly string[]
  readonly optional: boolean
}

/** The field's metadata, looking through the wrappers (default, optional) put on after it. */
function metaOf(schema: z.ZodType): FieldMeta | undefined {
  let current: z.ZodType | undefined = schema
  while (current) {
    const meta = current.meta() as FieldMeta | undefined
    if (meta?.label) return meta
    const def = current.def as { innerType?: z.ZodType }
    current = def.innerType
  }
  return undefined
}

function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean } {
  let current = schema
  let optional = false
  for (;;) {
    if (current instanceof z.ZodOptional) optional = true
    const def = current.def as { innerType?: z.ZodType; type: string }
    if (!def.innerType || def.type === 'pipe') return { inner: current, optional }
    current = def.innerType
  }
}

const humanise = (key: string) => key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase())
/** `charityNumber` -> `charity_number`: the column name used by tables and graph files. */
export const snakeCase = (key: string) => key.replace(/([A-Z])/g, '_$1').toLowerCase()

/** Every field of a schema with its metadata, in declaration order. */
export function fieldsOf(schema: z.ZodObject): readonly FieldInfo[] {
  return (Object.entries(schema.shape) as [string, z.ZodType][]).map(([key, field]) => {
    const { inner, optional } = unwrap(field)
    const def = inner.def as { type: string; element?: z.ZodType }
    const element = def.type === 'array' && def.element ? unwrap(def.element).inner : undefined
    const options =
      inner instanceof z.ZodEnum
        ? (inner.options as string[])
        : element instanceof z.ZodEnum
          ? (element.options as string[])
          : undefined
    return {
      key,
      schema: field,
      meta: metaOf(field) ?? { label: humanise(key) },
      type: def.type,
      optional,
      ...(options ? { options } : {}),
    }
  })
}

/** The name a kind is known by in code: `actor`, `themePoint`... */
export type KindKey =
  | 'meta'
  | 'facilitation'
  | 'actor'
  | 'link'
  | 'theme'
  | 'themePoint'
  | 'quickWin'
  | 'journey'
  | 'journeyStep'
  | 'emergingModel'
  | 'agendaItem'

/**
 * A field that names another record, and what becomes of the field when that record goes:
 * - `cascade`: this record goes too (a link whose actor is removed);
 * - `clear`: the reference is dropped, the record kept (a quick win's theme);
 * - `keep-as-text`: the reference is dropped and `text` keeps the removed record's name (a
 *   journey step keeps the name of the actor it was at).
 * A reference may be a list of ids (`many`): each one missing is taken out of the list.
 */
export interface Reference {
  readonly field: string
  readonly to: KindKey
  readonly onDelete: 'cascade' | 'clear' | 'keep-as-text'
  readonly many?: boolean
  readonly text?: string
}

/** Where a kind's records live in the document (and, the same names, in the dataset). */
export type Placement =
  /** A top-level `Y.Map<id, Y.Map>` and the dataset's array of the same name. */
  | { readonly root: string }
  /** A `Y.Map<id, Y.Map>` inside each record of `parent`, at `key` (a theme's points). */
  | { readonly parent: KindKey; readonly key: string }
  /** A top-level `Y.Map<field, value>`: one record per document. */
  | { readonly singleton: string }

export interface DeclarationInput<S extends z.ZodObject> {
  readonly key: KindKey
  /** Its name in messages and in the document's stored versions: 'actor', 'quick win'. */
  readonly name: string
  readonly schema: S
  readonly migrations?: readonly Migration[]
  readonly placement: Placement
  readonly references?: readonly Reference[]
  /** The roles whose updates may change it (the server refuses anyone else's). */
  readonly writers: readonly Role[]
  /** Whether the presentation lock freezes it for participants. */
  readonly frozenByLock?: boolean
  /** Kept in order by an `order` key (themes, points, steps, agenda) rather than by id. */
  readonly ordered?: boolean
  /** A `Y.Map<participant, count>` inside each record at this key: a quick win's votes. */
  readonly tally?: { readonly key: string; readonly count: z.ZodNumber }
  /** Each record has a description note, made with it and removed with it. */
  readonly ownsNote?: boolean
  /** What the record as a whole must satisfy beyond its fields: a reason, or undefined. */
  check?(record: z.infer<S>): string | undefined
  /**
   * What a command's record must give beyond its fields, as the field to fix and why. Unlike
   * `check`, readers keep records that break it: a peer's concurrent edit can leave one so.
   */
  rule?(record: z.infer<S>): { readonly path: string; readonly message: string } | undefined
  /** Fields set when the record is made and never patched (a link's ends: `reconnect` moves them). */
  readonly fixed?: readonly string[]
  /**
   * Records remember who added them, in `AUTHOR_FIELD` (which the schema must have): only that
   * person or a facilitator may remove one, and nobody may change the field. The field is fixed
   * (no patch sets it) and the server refuses a participant's update that breaks either rule.
   */
  readonly authored?: boolean
  /** The word used in command names: `add${noun}`, `update${noun}`... */
  readonly noun: string
  /** Command names other than `add/update/remove/move${noun}`: a link is made by `connect`. */
  readonly commands?: Partial<Record<'add' | 'update' | 'remove' | 'move', string>>
}

/** A record kind and everything the code derives from it. */
export interface RecordDeclaration<S extends z.ZodObject = z.ZodObject>
  extends RecordKind<S>,
    Omit<DeclarationInput<S>, 'migrations' | 'name' | 'schema' | 'commands'> {
  readonly references: readonly Reference[]
  readonly fields: readonly FieldInfo[]
  readonly commands: Record<'add' | 'update' | 'remove' | 'move', string>
  /** The input `add` takes: every field but the order, with the id optional. */
  readonly createSchema: z.ZodType
  /** The input `update` takes: any fields but the id, order and references that fix it. */
  readonly patchSchema: z.ZodType
}

/** Declares a record kind: its shape and history, and what the rest of the code derives. */
export function declareRecord<S extends z.ZodObject>(input: DeclarationInput<S>): RecordDeclaration<S> {
  const kind = defineRecord(input.name, input.schema, input.migrations)
  const generated = input.ordered ? ['order'] : []
  if (input.authored && !(AUTHOR_FIELD in input.schema.shape)) {
    throw new Error(`${input.name} is authored, so its schema needs an ${AUTHOR_FIELD} field`)
  }
  const fixed = ['id', ...generated, ...(input.fixed ?? []), ...(input.authored ? [AUTHOR_FIELD] : [])]
  return {
    ...kind,
    ...input,
    references: input.references ?? [],
    fields: fieldsOf(input.schema),
    commands: {
      add: `add${input.noun}`,
      update: `update${input.noun}`,
      remove: `remove${input.noun}`,
      move: `move${input.noun}`,
      ...input.commands,
    },
    createSchema: createSchemaOf(input.schema, generated),
    patchSchema: patchSchemaOf(input.schema, 'singleton' in input.placement ? [] : fixed),
  }
}

// ---- authorship ------------------------------------------------------------------------------

/** The field of an authored kind that names who added the record. */
export const AUTHOR_FIELD = 'addedBy'

/** An author's id as stored: an id (see `Id`), or '' for nobody known. */
export const AuthorId = z.string().regex(/^[A-Za-z0-9_-]{0,64}$/, 'an author is an id or nothing')

/**
 * Who added a record: the id of the invite whose link they came in by (the token's `jti`), or on
 * an open-access server without a token, the device's participant id. '' when unknown: records
 * made before authorship was recorded, which anyone who edits may remove, as before.
 * Not personal (an opaque id, not a name): it stays in redacted exports, so that a workspace
 * restored from one still knows whose items are whose; graph and Kumu files, which hold only
 * the map, never carry it.
 */
export const addedByField = (csv?: string) =>
  described(AuthorId.default(''), {
    label: 'Added by',
    help: 'The invite the person who added it came in by.',
    input: 'hidden',
    graph: false,
    kumu: false,
    ...(csv ? { csv } : {}),
  })
