import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { UUID_PATTERN, uuidFromId } from './uuid.ts'

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

  it('takes any 8-4-4-4-12 hex namespace as it is, even one of no RFC version', () => {
    const odd = '12345678-1234-0234-0234-123456789012'
    expect(uuidFromId(odd, 'a')).toMatch(UUID_PATTERN)
    expect(uuidFromId(odd, 'a')).not.toBe(uuidFromId(`x${odd}`, 'a'))
  })
})
