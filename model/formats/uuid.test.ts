import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sha1Hex, UUID_PATTERN, uuidFromId } from './uuid.ts'

describe('sha1', () => {
  it('matches the FIPS 180 test vectors', () => {
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d')
    expect(sha1Hex('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709')
    expect(sha1Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    )
    expect(sha1Hex('a'.repeat(1_000_000))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f')
  })

  it('pads correctly at the block boundaries (55, 56 and 64 bytes)', () => {
    expect(sha1Hex('a'.repeat(55))).toBe('c1c8bbdc22796e28c0e15163d20899b65621d65a')
    expect(sha1Hex('a'.repeat(56))).toBe('c2db330f6083854c99d4b5bfb6e8f29f201be699')
    expect(sha1Hex('a'.repeat(64))).toBe('0098ba824b5c16427bd7a1122a5a442a25ec644d')
  })

  it('agrees with node:crypto on any text, hashed as UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        expect(sha1Hex(text)).toBe(createHash('sha1').update(text, 'utf8').digest('hex'))
      }),
    )
  })
})

describe('uuidFromId', () => {
  it('is RFC 4122 version 5: equal to uuid5 for a UUID namespace', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com')
    expect(uuidFromId('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    )
  })

  it('turns any other namespace into uuid5(NAMESPACE_URL, namespace) first', () => {
    // Python: uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, 'network-map'), 'a-foodbank')
    expect(uuidFromId('network-map', 'a-foodbank')).toBe('0f4ff89c-6f2d-5625-99ef-51afd28e759c')
    // Python: uuid.uuid5(uuid.NAMESPACE_URL, 'café ☕'): names are hashed as UTF-8
    expect(uuidFromId('6ba7b811-9dad-11d1-80b4-00c04fd430c8', 'café ☕')).toBe(
      '36f48fed-86d1-5a55-9e68-6e3338fc2b5e',
    )
  })

  it('is stable, UUID-shaped, and differs by namespace and by id', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (namespace, id) => {
        const uuid = uuidFromId(namespace, id)
        expect(uuid).toMatch(UUID_PATTERN)
        expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
        expect(uuidFromId(namespace, id)).toBe(uuid)
      }),
    )
    expect(uuidFromId('one', 'a-foodbank')).not.toBe(uuidFromId('two', 'a-foodbank'))
    expect(uuidFromId('one', 'a-foodbank')).not.toBe(uuidFromId('one', 'a-food-bank'))
  })
})
