import { describe, expect, it } from 'vitest'
import { describeExchange, formatExchanges, parseExchange, parseExchanges } from './exchange.ts'

describe('offers and needs as spreadsheet text', () => {
  const list = [
    { what: 'space' as const, ward: 'Riverside Ward', note: 'main hall (upstairs), weekday evenings' },
    { what: 'volunteers' as const, ward: '', note: '' },
    { what: 'referrals' as const, ward: 'Thames', note: '' },
  ]

  it('writes each item as kind (ward): note, "; " between them, and reads them back exactly', () => {
    const cell = formatExchanges(list)
    expect(cell).toBe(
      'space (Riverside Ward): main hall (upstairs), weekday evenings; volunteers; referrals (Thames)',
    )
    expect(parseExchanges(cell)).toEqual({ ok: true, value: list })
  })

  it('reads what people type: labels, singulars, any case, Kumu\'s "|", each item once', () => {
    expect(parseExchanges('Referrals in | Volunteer: Saturdays | volunteer: Saturdays', /[|;]/)).toEqual({
      ok: true,
      value: [
        { what: 'referrals', ward: '', note: '' },
        { what: 'volunteers', ward: '', note: 'Saturdays' },
      ],
    })
    expect(parseExchange('EQUIPMENT (Riverside Ward)')).toEqual({
      ok: true,
      value: { what: 'equipment', ward: 'Riverside Ward', note: '' },
    })
  })

  it('says which item it could not read, and why', () => {
    expect(parseExchanges('space; cake: lemon')).toEqual({
      ok: false,
      error: expect.stringMatching(/^"cake: lemon" does not start with one of space, volunteers/),
    })
    expect(parseExchange(`space: ${'x'.repeat(201)}`).ok).toBe(false)
  })

  it('describes an item for people', () => {
    expect(describeExchange(list[0] as (typeof list)[number])).toBe(
      'space in Riverside Ward (main hall (upstairs), weekday evenings)',
    )
  })
})
