import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type ClockSample, estimateOffset } from '../../client/sync/server-clock.ts'

/** The offset estimator on its own: samples in, server time minus local time out. */
describe('estimateOffset', () => {
  it('says nothing without a sample', () => {
    expect(estimateOffset([])).toBeNull()
  })

  it('takes the middle of the round trip: a device 10 s slow, 100 ms there and back', () => {
    // Sent at local 1000 (server 11000), answered at server 11050, back at local 1100.
    expect(estimateOffset([{ sentAt: 1000, serverTime: 11_050, receivedAt: 1100 }])).toEqual({
      offset: 10_000,
      roundTrip: 100,
    })
  })

  it('trusts the sample with the shortest round trip', () => {
    const samples: ClockSample[] = [
      { sentAt: 0, serverTime: 5_900, receivedAt: 800 }, // a slow answer: wide bounds
      { sentAt: 2_000, serverTime: 7_010, receivedAt: 2_020 },
      { sentAt: 4_000, serverTime: 9_200, receivedAt: 4_300 },
    ]
    expect(estimateOffset(samples)).toEqual({ offset: 5_000, roundTrip: 20 })
  })

  it('takes the newest of equally short round trips (the device clock may have been set since)', () => {
    const samples: ClockSample[] = [
      { sentAt: 0, serverTime: 5_010, receivedAt: 20 },
      { sentAt: 1_000, serverTime: 3_010, receivedAt: 1_020 },
    ]
    expect(estimateOffset(samples)?.offset).toBe(2_000)
  })

  it('skips a sample whose answer came "before" its question (the device clock went back)', () => {
    expect(estimateOffset([{ sentAt: 1_000, serverTime: 50, receivedAt: 900 }])).toBeNull()
    expect(
      estimateOffset([
        { sentAt: 1_000, serverTime: 50, receivedAt: 900 },
        { sentAt: 2_000, serverTime: 2_530, receivedAt: 2_060 },
      ]),
    ).toEqual({ offset: 500, roundTrip: 60 })
  })

  it('is never further off than half the round trip, however lopsided the delays', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -86_400_000, max: 86_400_000 }), // true offset
        fc.integer({ min: 0, max: 2e12 }), // local send time
        fc.array(fc.tuple(fc.nat(5_000), fc.nat(5_000)), { minLength: 1, maxLength: 8 }), // delays out, back
        (offset, start, delays) => {
          const samples = delays.map(([out, back], i) => {
            const sentAt = start + i * 10_000
            return { sentAt, serverTime: sentAt + out + offset, receivedAt: sentAt + out + back }
          })
          const estimate = estimateOffset(samples)
          expect(estimate).not.toBeNull()
          const { offset: estimated, roundTrip } = estimate as { offset: number; roundTrip: number }
          expect(Math.abs(estimated - offset)).toBeLessThanOrEqual(roundTrip / 2)
          expect(roundTrip).toBe(Math.min(...delays.map(([out, back]) => out + back)))
        },
      ),
    )
  })
})
