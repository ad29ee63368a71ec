import { describe, expect, it } from 'vitest'
import { LINK_KIND_LABELS, LINK_KINDS, LinkSchema } from './link.ts'

const grant = {
  id: 'l-1',
  from: 'a-fund',
  to: 'a-foodbank',
  kind: 'funding',
  amount: 25000,
  currency: 'GBP',
  periodStart: '2026-04-01',
  periodEnd: '2027-03-31',
  purpose: 'Holiday hunger programme',
}

describe('link', () => {
  it('accepts a grant and fills defaults', () => {
    expect(LinkSchema.parse(grant)).toMatchObject({
      direction: 'directed',
      label: '',
      notes: '',
      currency: 'GBP',
    })
  })

  it.each([
    ['an unknown kind', { kind: 'friendship' }],
    ['a negative amount', { amount: -1 }],
    ['an amount that is not a number', { amount: '25000' }],
    ['a lower-case currency', { currency: 'gbp' }],
    ['an impossible date', { periodEnd: '2027-02-30' }],
    ['a strength of 0', { strength: 0 }],
    ['a fractional strength', { strength: 2.5 }],
    ['a missing endpoint', { to: undefined }],
  ])('refuses %s', (_, change) => {
    expect(LinkSchema.safeParse({ ...grant, ...change }).success).toBe(false)
  })

  it('labels every kind', () => {
    expect(Object.keys(LINK_KIND_LABELS).sort()).toEqual([...LINK_KINDS].sort())
  })
})
