import { z } from 'zod'
import type { ExportFile } from '../formats/format.ts'
import { fileStem } from '../formats/format.ts'
import { ActorSchema, Domain } from '../records/actor.ts'
import { LinkKind, LinkSchema } from '../records/link.ts'
import type { ComparedState, Comparison } from './compare.ts'
import type { FieldChange, RecordChange } from './diff.ts'
import type { ChangeMeasures } from './measures.ts'

export const CHANGES_FORMAT = 'community-network-map-changes'
/** Rises by one whenever the shape below changes. */
export const CHANGES_VERSION = 1

/** A JSON value: what a field's value before or after is (null where the field was absent). */
const JsonValue = z.json()

const FieldChangeSchema = z.object({
  field: z.string(),
  label: z.string(),
  before: JsonValue,
  after: JsonValue,
})

const MeasuresSchema = z.object({
  actors: z.number(),
  ties: z.number(),
  disconnects: z.number(),
  isolated: z.number(),
  crossDomainTies: z.number(),
  crossSectorTies: z.number(),
  singleFunder: z.number(),
  communities: z.number(),
  density: z.number(),
  fundingTotal: z.number(),
}) satisfies z.ZodType<ChangeMeasures>

const StateSchema = z.object({
  label: z.string(),
  /** Epoch milliseconds; null for "now". */
  at: z.number().nullable(),
  measures: MeasuresSchema,
})

/** A link with its ends' names, so the file reads without the dataset beside it. */
const NamedLinkSchema = z.object({
  link: LinkSchema,
  fromName: z.string(),
  toName: z.string(),
})

/**
 * The changes between two states of a workspace as JSON: the shape of the "JSON diff" export.
 * Records added and removed are whole (as in the dataset); changed ones list each changed
 * field with its declared label and its value before and after.
 */
export const ChangesJsonSchema = z.object({
  format: z.literal(CHANGES_FORMAT),
  version: z.literal(CHANGES_VERSION),
  before: StateSchema,
  after: StateSchema,
  actors: z.object({
    added: z.array(ActorSchema),
    removed: z.array(ActorSchema),
    changed: z.array(z.object({ id: z.string(), name: z.string(), fields: z.array(FieldChangeSchema) })),
  }),
  links: z.object({
    added: z.array(NamedLinkSchema),
    removed: z.array(NamedLinkSchema),
    changed: z.array(
      z.object({
        id: z.string(),
        kind: LinkKind,
        fromName: z.string(),
        toName: z.string(),
        fields: z.array(FieldChangeSchema),
      }),
    ),
  }),
  newLinksAcrossDomains: z.array(NamedLinkSchema.extend({ domains: z.array(z.tuple([Domain, Domain])) })),
  disconnectsResolved: z.array(
    NamedLinkSchema.extend({
      now: z.enum(['tied', 'removed']),
      /** The ids of the ties that join the two actors now. */
      ties: z.array(z.string()),
    }),
  ),
})
export type ChangesJson = z.infer<typeof ChangesJsonSchema>

/** JSON has no undefined: an absent value is null, and the rest is copied as plain JSON. */
const toJson = (value: unknown): z.infer<typeof JsonValue> =>
  value === undefined ? null : (JSON.parse(JSON.stringify(value)) as z.infer<typeof JsonValue>)

const fieldsJson = (fields: readonly FieldChange[]) =>
  fields.map((field) => ({
    field: field.key,
    label: field.label,
    before: toJson(field.before),
    after: toJson(field.after),
  }))

const stateJson = (state: ComparedState) => ({
  label: state.label,
  at: state.at ?? null,
  measures: state.measures,
})

/** A comparison as the JSON diff (checked against its schema, so a file always matches it). */
export function changesToJson(comparison: Comparison): ChangesJson {
  const { changes, names } = comparison
  const name = (id: string) => names.get(id) ?? id
  const named = (link: z.infer<typeof LinkSchema>) => ({
    link,
    fromName: name(link.from),
    toName: name(link.to),
  })
  const changedLink = (change: RecordChange<z.infer<typeof LinkSchema>>) => ({
    id: change.id,
    kind: change.after.kind,
    fromName: name(change.after.from),
    toName: name(change.after.to),
    fields: fieldsJson(change.fields),
  })
  return ChangesJsonSchema.parse({
    format: CHANGES_FORMAT,
    version: CHANGES_VERSION,
    before: stateJson(comparison.before),
    after: stateJson(comparison.after),
    actors: {
      added: changes.actors.added,
      removed: changes.actors.removed,
      changed: changes.actors.changed.map((change) => ({
        id: change.id,
        name: change.after.name,
        fields: fieldsJson(change.fields),
      })),
    },
    links: {
      added: changes.links.added.map(named),
      removed: changes.links.removed.map(named),
      changed: changes.links.changed.map(changedLink),
    },
    newLinksAcrossDomains: changes.newLinksAcrossDomains.map((entry) => ({
      ...named(entry.link),
      domains: entry.pairs.map(([a, b]) => [a, b]),
    })),
    disconnectsResolved: changes.disconnectsResolved.map((entry) => ({
      ...named(entry.disconnect),
      now: entry.now,
      ties: entry.ties.map((tie) => tie.id),
    })),
  })
}

/** The JSON diff as a file to download. */
export function changesJsonFile(comparison: Comparison, title: string): ExportFile {
  return {
    filename: `${fileStem(title)}-changes.json`,
    mediaType: 'application/json',
    body: `${JSON.stringify(changesToJson(comparison), null, 2)}\n`,
  }
}
