import { strToU8 } from 'fflate'

/**
 * Deterministic UUIDs for export formats that require them (Open Referral ids must be UUIDs).
 * The same workspace exported twice must give the same ids, or every directory that imports
 * the file would see each organisation as new; so ids are derived, not random: RFC 4122
 * version 5 (SHA-1 of a namespace and a name). SHA-1 is written here because the model runs
 * in the browser and Node alike: WebCrypto's digest is async, and node:crypto is Node only.
 * SHA-1's weakness against chosen collisions does not matter for naming records.
 */

const rotl = (value: number, bits: number) => (value << bits) | (value >>> (32 - bits))

/** SHA-1 (FIPS 180-4) of some bytes: 20 bytes. */
export function sha1(bytes: Uint8Array): Uint8Array {
  // Message padded to a multiple of 64 bytes: a 1 bit, zeros, and the length in bits (64-bit).
  const blocks = ((bytes.length + 8) >> 6) + 1
  const words = new Uint32Array(blocks * 16)
  bytes.forEach((byte, i) => {
    words[i >> 2] = (words[i >> 2] ?? 0) | (byte << (24 - (i % 4) * 8))
  })
  const end = bytes.length
  words[end >> 2] = (words[end >> 2] ?? 0) | (0x80 << (24 - (end % 4) * 8))
  words[blocks * 16 - 2] = Math.floor(end / 0x20000000)
  words[blocks * 16 - 1] = (end * 8) >>> 0

  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]
  const w = new Int32Array(80)
  for (let block = 0; block < words.length; block += 16) {
    for (let t = 0; t < 80; t++) {
      w[t] =
        t < 16
          ? (words[block + t] ?? 0)
          : rotl((w[t - 3] ?? 0) ^ (w[t - 8] ?? 0) ^ (w[t - 14] ?? 0) ^ (w[t - 16] ?? 0), 1)
    }
    let [a, b, c, d, e] = h as [number, number, number, number, number]
    for (let t = 0; t < 80; t++) {
      const f = t < 20 ? (b & c) | (~b & d) : t < 40 || t >= 60 ? b ^ c ^ d : (b & c) | (b & d) | (c & d)
      const k = t < 20 ? 0x5a827999 : t < 40 ? 0x6ed9eba1 : t < 60 ? 0x8f1bbcdc : 0xca62c1d6
      const next = (rotl(a, 5) + f + e + k + (w[t] ?? 0)) | 0
      e = d
      d = c
      c = rotl(b, 30)
      b = a
      a = next
    }
    h[0] = ((h[0] ?? 0) + a) | 0
    h[1] = ((h[1] ?? 0) + b) | 0
    h[2] = ((h[2] ?? 0) + c) | 0
    h[3] = ((h[3] ?? 0) + d) | 0
    h[4] = ((h[4] ?? 0) + e) | 0
  }
  const digest = new Uint8Array(20)
  h.forEach((word, i) => {
    for (let j = 0; j < 4; j++) digest[i * 4 + j] = (word >>> (24 - j * 8)) & 0xff
  })
  return digest
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')

/** SHA-1 of a string (as UTF-8) or bytes, as 40 lowercase hex digits. */
export function sha1Hex(input: string | Uint8Array): string {
  return hex(sha1(typeof input === 'string' ? strToU8(input) : input))
}

/** A UUID in its canonical form, any version; RFC 4122 variant. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i

/** RFC 4122's namespace for URLs, used to turn a namespace that is not a UUID into one. */
const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8'

/** Any 8-4-4-4-12 hex string, the nil UUID included: accepted as a namespace as it is. */
const UUID_SHAPE = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i

const uuidBytes = (uuid: string) =>
  Uint8Array.from(uuid.replace(/-/g, '').match(/../g) ?? [], (pair) => parseInt(pair, 16))

function uuidV5(namespace: Uint8Array, name: string): string {
  const nameBytes = strToU8(name)
  const input = new Uint8Array(namespace.length + nameBytes.length)
  input.set(namespace)
  input.set(nameBytes, namespace.length)
  const bytes = sha1(input).slice(0, 16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50 // version 5
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80 // RFC 4122 variant
  const d = hex(bytes)
  return `${d.slice(0, 8)}-${d.slice(8, 12)}-${d.slice(12, 16)}-${d.slice(16, 20)}-${d.slice(20)}`
}

/**
 * A stable RFC 4122 version 5 UUID for a record id within a namespace: the same namespace and
 * id always give the same UUID, in any browser or in Node. `namespace` may be a UUID (used as
 * is, so the result equals any other v5 implementation's `uuid5(namespace, id)`), or any other
 * string, which is first made a namespace UUID as `uuid5(NAMESPACE_URL, namespace)`.
 */
export function uuidFromId(namespace: string, id: string): string {
  const space = UUID_SHAPE.test(namespace) ? namespace : uuidV5(uuidBytes(NAMESPACE_URL), namespace)
  return uuidV5(uuidBytes(space), id)
}
