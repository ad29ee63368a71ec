import { strToU8, zipSync } from 'fflate'
import type { Dataset } from '../dataset-schema.ts'
import { ACTOR_KIND_LABELS, type Actor, type ActorKind, actorKind, DOMAIN_LABELS } from '../records/actor.ts'
import type { LinkKind } from '../records/link.ts'
import type { FieldInfo } from '../records/record.ts'
import { toCsv } from './csv.ts'
import { displayValue, labelOf } from './fields.ts'
import { type ExportFile, fileStem } from './format.ts'
import {
  fieldsOf,
  type OpenReferralRow,
  type OpenReferralTable,
  type OpenReferralTables,
  SPEC,
} from './openreferral-spec.ts'
import { type ExportOptions, prepareForExport } from './privacy.ts'
import { charityIdentifier } from './threesixtygiving.ts'
import { uuidFromId } from './uuid.ts'

/**
 * Open Referral UK (HSDS 3.0 profile): the map's organisations, one service each, venues and
 * funding, for service directories and the tools that read them. The tabular form is a
 * Frictionless data package of CSV files; `toOpenReferralJson` gives the nested API form.
 */

/**
 * The default namespace for ids. Fixed rather than the workspace title, so renaming the map
 * keeps every id (a directory that imported last year's file updates records instead of
 * duplicating them); actor ids are random, so two workspaces do not share UUIDs.
 */
export const OPEN_REFERRAL_NAMESPACE = 'network-map/open-referral'

export type OpenReferralOptions = ExportOptions & {
  /** Namespace for the UUIDs (a UUID or any string); the same namespace keeps the same ids. */
  readonly namespace?: string
}

/** Actors that are organisations in Open Referral's sense. Spaces become locations; roles
 * (a link worker, a SENCo) are posts within an organisation, not directory entries. */
export const ORGANIZATION_KINDS: ReadonlySet<ActorKind> = new Set<ActorKind>([
  'organisation',
  'statutory-service',
  'resident-group',
  'funder',
  'network',
])

/** Ties between an organisation and a space that mean "its service happens there". A referral
 * or a disconnect with a venue says nothing about where a service is delivered. */
const AT_LOCATION_KINDS: ReadonlySet<LinkKind> = new Set<LinkKind>(['partnership', 'membership'])

const list = (words: readonly string[]) =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`

/**
 * What an actor does, in a sentence, for when nobody wrote a description: the standard
 * requires one on every organization. "Resident group in Riverside Ward working on housing."
 */
export function describeActor(actor: Actor): string {
  const domains = actor.domains.map((domain) => DOMAIN_LABELS[domain].toLowerCase())
  const area = actor.area.trim() ? ` in ${actor.area.trim()}` : ''
  return `${ACTOR_KIND_LABELS[actor.kind]}${area}${domains.length ? ` working on ${list(domains)}` : ''}.`
}

// The pattern ajv-formats uses for the standard's `email` format, so what is written validates.
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i

/**
 * The contact field is free text that may name a person, so it is exported only when it is
 * nothing but an email address (an office inbox is what a directory lists) and never as a
 * contact or phone row; with `redactPersonal`, `prepareForExport` has already emptied it.
 */
const contactEmail = (actor: Actor) => {
  const text = actor.contact.trim().replace(/^mailto:/i, '')
  return EMAIL.test(text) ? text : undefined
}

const text = (value: string) => value.trim() || undefined

/** Where an actor field goes in the directory: its `directory` metadata, `table.column`. */
export interface DirectoryField {
  readonly field: FieldInfo
  readonly table: OpenReferralTable
  readonly column: string
}

/**
 * The directory places of a kind's fields, checked against the tables this export writes: a
 * place that is not one of their columns is a mistake in a declaration, and is refused rather
 * than the field silently left out of every directory.
 */
export function directoryFieldsOf(fields: readonly FieldInfo[]): DirectoryField[] {
  return fields.flatMap((field) => {
    const place = field.meta.directory
    if (place === undefined) return []
    const [table = '', column = ''] = place.split('.')
    if (!Object.hasOwn(SPEC, table) || !fieldsOf(table as OpenReferralTable).some((f) => f.name === column)) {
      throw new Error(`${field.key} goes to ${place}, which is not a column this Open Referral export writes`)
    }
    return [{ field, table: table as OpenReferralTable, column }]
  })
}

const DIRECTORY = directoryFieldsOf(actorKind.fields)

/** A field's value as a directory cell: text trimmed, choices by their labels, lists joined. */
function cellOf(field: FieldInfo, value: unknown): string | number | undefined {
  const shown = displayValue(field, value)
  if (Array.isArray(shown)) return shown.join('; ')
  return typeof shown === 'string' ? text(shown) : shown
}

/** The columns of `table` that an actor's fields fill, as the declarations place them. */
const placed = (actor: Actor, table: OpenReferralTable): Record<string, string | number | undefined> =>
  Object.fromEntries(
    DIRECTORY.filter((place) => place.table === table).map((place) => [
      place.column,
      cellOf(place.field, (actor as Record<string, unknown>)[place.field.key]),
    ]),
  )

/**
 * The register behind an identifier field: the org-id.guide scheme and the identifier within
 * it, or none when the value is no identifier. A field placed in organization_identifier
 * without a register here is written without a scheme.
 */
const REGISTERS: Readonly<
  Record<string, (value: string) => { scheme: string; identifier: string } | undefined>
> = {
  charityNumber: charityIdentifier,
  companyNumber: (value) => (value.trim() ? { scheme: 'GB-COH', identifier: value.trim() } : undefined),
}

/** Tables whose rows belong to an organisation's service: one row per value (a language each). */
const ofService = (table: OpenReferralTable) =>
  table !== 'funding' && fieldsOf(table).some((field) => field.name === 'service_id')

/**
 * The Open Referral tables of a dataset, as rows keyed by the standard's field names. Ids are
 * UUIDs derived from actor and link ids, so the same workspace always gives the same ids.
 * An actor field reaches the directory where its `directory` metadata places it: the
 * organisation's own columns, its identifiers, or a table of its service's (its languages).
 */
export function planOpenReferral(dataset: Dataset, options: OpenReferralOptions = {}): OpenReferralTables {
  const prepared = prepareForExport(dataset, options)
  const namespace = options.namespace ?? OPEN_REFERRAL_NAMESPACE
  const id = (name: string) => uuidFromId(namespace, name)
  const serviceId = (actor: Actor) => id(`${actor.id}/service`)
  const actors = new Map(prepared.actors.map((actor) => [actor.id, actor]))
  const organizations = prepared.actors.filter((actor) => ORGANIZATION_KINDS.has(actor.kind))
  const spaces = prepared.actors.filter((actor) => actor.kind === 'space')

  const identifiers: OpenReferralRow[] = []
  const perService: Partial<Record<OpenReferralTable, OpenReferralRow[]>> = {}
  for (const actor of organizations) {
    for (const { field, table, column } of DIRECTORY) {
      const value = (actor as Record<string, unknown>)[field.key]
      if (table === 'organization_identifier') {
        const register = REGISTERS[field.key]
        const found = register
          ? register(String(value ?? ''))
          : { scheme: undefined, identifier: text(String(value ?? '')) }
        if (found?.identifier === undefined) continue
        identifiers.push({
          id: id(`${actor.id}/${found.scheme ?? field.key}`),
          organization_id: id(actor.id),
          identifier_scheme: found.scheme,
          identifier_type: field.meta.label,
          [column]: found.identifier,
        })
      } else if (ofService(table)) {
        // Each value once, whatever its case: "Urdu" and "urdu" are one language.
        const values = Array.isArray(value)
          ? value.map((item) => text(labelOf(field, String(item))))
          : [cellOf(field, value)]
        const seen = new Set<string>()
        for (const item of values) {
          const key = String(item ?? '').toLowerCase()
          if (item === undefined || seen.has(key)) continue
          seen.add(key)
          const rows = perService[table] ?? []
          perService[table] = rows
          rows.push({
            id: id(`${actor.id}/service/${table}/${key}`),
            service_id: serviceId(actor),
            [column]: item,
          })
        }
      }
    }
  }

  const funding: OpenReferralRow[] = []
  const atLocation = new Map<string, OpenReferralRow>()
  for (const link of prepared.links) {
    const from = actors.get(link.from)
    const to = actors.get(link.to)
    if (!from || !to) continue
    if (link.kind === 'funding' && ORGANIZATION_KINDS.has(to.kind)) {
      // Funding belongs to the recipient's service: the standard has no organization_id here.
      funding.push({ id: id(link.id), service_id: serviceId(to), source: from.name })
    }
    if (AT_LOCATION_KINDS.has(link.kind)) {
      const [organization, space] = ORGANIZATION_KINDS.has(from.kind) ? [from, to] : [to, from]
      if (!ORGANIZATION_KINDS.has(organization.kind) || space.kind !== 'space') continue
      // Two ties between the same pair (a partnership and a membership) are one place.
      const key = `${organization.id}/at/${space.id}`
      atLocation.set(key, { id: id(key), service_id: serviceId(organization), location_id: id(space.id) })
    }
  }

  return {
    organization: organizations.map((actor) => {
      const own = placed(actor, 'organization')
      // The standard requires a description of every organization.
      return {
        id: id(actor.id),
        ...own,
        description: own.description ?? describeActor(actor),
        email: contactEmail(actor),
      }
    }),
    // Each organisation has one service, described as the organisation is: its name and
    // description, its website as the service's url; and what the declarations place there.
    service: organizations.map((actor) => {
      const own = placed(actor, 'organization')
      return {
        id: serviceId(actor),
        organization_id: id(actor.id),
        name: own.name,
        description: own.description ?? describeActor(actor),
        url: own.website,
        ...placed(actor, 'service'),
        status: 'active',
      }
    }),
    // A space is a location, named and described as it would be as an organisation.
    location: spaces.map((actor) => {
      const own = placed(actor, 'organization')
      return {
        id: id(actor.id),
        location_type: 'physical',
        name: own.name,
        description: own.description,
        ...placed(actor, 'location'),
      }
    }),
    service_at_location: [...atLocation.values()],
    funding,
    language: perService.language ?? [],
    organization_identifier: identifiers,
  }
}

/** The tables written even when empty: the standard's core tables that this map always has. */
const ALWAYS: ReadonlySet<OpenReferralTable> = new Set<OpenReferralTable>(['organization', 'service'])

/** The Frictionless data package descriptor listing exactly the tables that are written. */
export function openReferralDataPackage(dataset: Dataset, tables: readonly OpenReferralTable[]) {
  return {
    profile: 'tabular-data-package',
    name: `${fileStem(dataset.meta.title)}-openreferral`,
    title: `${dataset.meta.title}: Open Referral UK`,
    description:
      `Organisations, services, venues and funding from the network map "${dataset.meta.title}", ` +
      'in the Open Referral UK tabular format (HSDS 3.0).',
    resources: tables.map((table) => {
      const [path, , foreignKeys = {}] = SPEC[table] as readonly [string, string, Record<string, string>?]
      // A package may refer only to resources it has: a map has no phones to refer to.
      const keys = Object.entries(foreignKeys)
        .filter(([, resource]) => tables.includes(resource as OpenReferralTable))
        .map(([field, resource]) => ({ fields: field, reference: { resource, fields: 'id' } }))
      return {
        name: table,
        path,
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        profile: 'tabular-data-resource',
        schema: { primaryKey: 'id', ...(keys.length ? { foreignKeys: keys } : {}), fields: fieldsOf(table) },
      }
    }),
  }
}

/**
 * The map as an Open Referral UK data package: `<stem>-openreferral.zip` with datapackage.json
 * and one CSV per table that has rows (organizations and services always). Columns are every
 * field of the standard's table, in its order, empty where the map has nothing to say.
 */
export function toOpenReferral(dataset: Dataset, options: OpenReferralOptions = {}): ExportFile {
  const tables = planOpenReferral(dataset, options)
  const written = (Object.keys(SPEC) as OpenReferralTable[]).filter(
    (table) => ALWAYS.has(table) || tables[table].length > 0,
  )
  const files: Record<string, Uint8Array> = {
    'datapackage.json': strToU8(`${JSON.stringify(openReferralDataPackage(dataset, written), null, 2)}\n`),
  }
  for (const table of written) {
    const fields = fieldsOf(table).map((field) => field.name)
    const rows = tables[table].map((row) => fields.map((field) => row[field]))
    files[SPEC[table][0]] = strToU8(toCsv(fields, rows, { spreadsheet: false }))
  }
  return {
    filename: `${fileStem(dataset.meta.title)}-openreferral.zip`,
    mediaType: 'application/zip',
    body: zipSync(files),
  }
}

/** An object of the standard's nested (compiled) JSON form. */
export interface OpenReferralObject {
  readonly [field: string]: string | number | OpenReferralObject | readonly OpenReferralObject[]
}

const compact = (row: OpenReferralRow): OpenReferralObject =>
  Object.fromEntries(
    Object.entries(row).filter((entry): entry is [string, string | number] => entry[1] !== undefined),
  )

/**
 * The organizations in the standard's compiled JSON form (`schema/compiled/organization.json`):
 * each with its identifiers and its service, the service with its funding and its locations
 * nested, as an Open Referral UK API would return them from `/organizations/{id}`.
 */
export function toOpenReferralJson(
  dataset: Dataset,
  options: OpenReferralOptions = {},
): OpenReferralObject[] {
  const tables = planOpenReferral(dataset, options)
  const locations = new Map(tables.location.map((row) => [row.id, row]))
  return tables.organization.map((organization) => ({
    ...compact(organization),
    organization_identifiers: tables.organization_identifier
      .filter((row) => row.organization_id === organization.id)
      .map(compact),
    services: tables.service
      .filter((service) => service.organization_id === organization.id)
      .map((service) => ({
        ...compact(service),
        service_at_locations: tables.service_at_location
          .filter((row) => row.service_id === service.id)
          .map((row) => {
            const location = locations.get(row.location_id)
            return { ...compact(row), ...(location ? { location: compact(location) } : {}) }
          }),
        funding: tables.funding.filter((row) => row.service_id === service.id).map(compact),
        languages: tables.language.filter((row) => row.service_id === service.id).map(compact),
      })),
  }))
}

export {
  OPEN_REFERRAL_EXTENSIONS,
  type OpenReferralField,
  type OpenReferralRow,
  type OpenReferralTable,
  type OpenReferralTables,
} from './openreferral-spec.ts'
