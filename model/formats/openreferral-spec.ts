/** Open Referral UK's tables and fields (HSDS 3.0) that this export writes, as the standard declares them. */

export type FieldType = 'string' | 'number' | 'date' | 'datetime'

/** A field as the standard's datapackage.json declares it (without its title and description). */
export interface OpenReferralField {
  readonly name: string
  readonly type: FieldType
  readonly format?: string
  readonly constraints: {
    readonly required: boolean
    readonly unique: boolean
    readonly enum?: readonly string[]
  }
  /** Only on a field this export adds to the standard's table: what it holds and why. */
  readonly description?: string
}

/**
 * The tables this export writes, copied from the standard's datapackage.json (HSDS 3.0.0, Open
 * Referral UK): resource name, path, fields in order, and foreign keys. A field is written
 * `name[:type-or-format][*]`, `*` meaning required; the primary key is always `id`.
 */
export const SPEC = {
  organization: [
    'organizations.csv',
    'id:uuid* name* description* email:email website:uri logo uri:uri parent_organization_id:uuid',
  ],
  service: [
    'services.csv',
    'id:uuid* organization_id:uuid* name* description url:uri email:email status* fees accreditations ' +
      'minimum_age:number maximum_age:number assured_date:date assurer_email:email alert last_modified:datetime',
    { organization_id: 'organization' },
  ],
  location: [
    'locations.csv',
    'id:uuid* location_type* name description latitude:number longitude:number external_identifier ' +
      'external_identifier_type',
  ],
  service_at_location: [
    'service_at_location.csv',
    'id:uuid* service_id:uuid* location_id:uuid*',
    { service_id: 'service', location_id: 'location' },
  ],
  funding: ['funding.csv', 'id:uuid* service_id:uuid source', { service_id: 'service' }],
  language: [
    'languages.csv',
    'id:uuid* service_id:uuid phone_id:uuid',
    { phone_id: 'phone', service_id: 'service' },
  ],
  organization_identifier: [
    'organization_identifiers.csv',
    'id:uuid* organization_id:uuid* identifier_scheme identifier_type* identifier*',
    { organization_id: 'organization' },
  ],
} as const satisfies Record<string, readonly [string, string, Record<string, string>?]>

export type OpenReferralTable = keyof typeof SPEC

export const ENUMS: Record<string, readonly string[]> = {
  status: ['active', 'inactive', 'defunct', 'temporarily closed'],
  location_type: ['physical', 'postal', 'virtual'],
}

/**
 * Fields added after the standard's own, each with why. The UK profile keeps HSDS 3.0's
 * language table but drops its `name` (and `code`, `note`): a row could then say only that a
 * service speaks some language. HSDS 3.0's own `name` is carried so the row says which one.
 */
export const OPEN_REFERRAL_EXTENSIONS: Partial<Record<OpenReferralTable, Readonly<Record<string, string>>>> =
  {
    language: {
      name: "The language, as people name it (HSDS 3.0's language.name, which the UK profile leaves out).",
    },
  }

export function fieldsOf(table: OpenReferralTable): OpenReferralField[] {
  const extensions = Object.entries(OPEN_REFERRAL_EXTENSIONS[table] ?? {}).map(
    ([name, description]): OpenReferralField => ({
      name,
      type: 'string',
      constraints: { required: false, unique: false },
      description,
    }),
  )
  return [...standardFieldsOf(table), ...extensions]
}

export function standardFieldsOf(table: OpenReferralTable): OpenReferralField[] {
  return SPEC[table][1].split(' ').map((token) => {
    const required = token.endsWith('*')
    const [name = '', kind] = token.replace('*', '').split(':')
    const type: FieldType = kind === 'number' || kind === 'date' || kind === 'datetime' ? kind : 'string'
    const values = ENUMS[name]
    return {
      name,
      type,
      ...(kind && type === 'string' ? { format: kind } : {}),
      constraints: { required, unique: name === 'id', ...(values ? { enum: values } : {}) },
    }
  })
}

/** One row of a table: a value per field, absent when empty. */
export type OpenReferralRow = Readonly<Record<string, string | number | undefined>>
export type OpenReferralTables = Readonly<Record<OpenReferralTable, readonly OpenReferralRow[]>>
