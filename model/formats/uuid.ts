import { parse, v5 } from 'uuid'

/**
 * Deterministic UUIDs for export formats that require them (Open Referral ids must be UUIDs).
 * The same workspace exported twice must give the same ids, or every directory that imports
 * the file would see each organisation as new; so ids are derived, not random: RFC 4122
 * version 5 (SHA-1 of a namespace and a name), from the `uuid` package, which hashes
 * synchronously in the browser and in Node alike.
 */

/** A UUID in its canonical form, any version; RFC 4122 variant. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i

/** RFC 4122's namespace for URLs, used to turn a namespace that is not a UUID into one. */
const NAMESPACE_URL = parse(v5.URL)

/** Any 8-4-4-4-12 hex string, the nil UUID included: accepted as a namespace as it is. */
const UUID_SHAPE = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i

/** The 16 bytes of any 8-4-4-4-12 hex string (`uuid`'s parse accepts only valid versions). */
const uuidBytes = (uuid: string) =>
  Uint8Array.from(uuid.replace(/-/g, '').match(/../g) ?? [], (pair) => parseInt(pair, 16))

/**
 * A stable RFC 4122 version 5 UUID for a record id within a namespace: the same namespace and
 * id always give the same UUID, in any browser or in Node. `namespace` may be a UUID (used as
 * is, so the result equals any other v5 implementation's `uuid5(namespace, id)`), or any other
 * string, which is first made a namespace UUID as `uuid5(NAMESPACE_URL, namespace)`.
 */
export function uuidFromId(namespace: string, id: string): string {
  const space = UUID_SHAPE.test(namespace)
    ? uuidBytes(namespace)
    : v5(namespace, NAMESPACE_URL, new Uint8Array(16))
  return v5(id, space)
}
