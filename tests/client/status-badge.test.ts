import { describe, expect, it } from 'vitest'
import { statusOf } from '../../client/workspace/StatusBadge.tsx'

const state = (network: 'connecting' | 'online' | 'offline', synced: boolean, unsaved = 0) => ({
  network,
  synced,
  unsaved,
  localCopyLoaded: true,
})

describe('what the status badge says', () => {
  it('says connecting until synced, once the socket is open too (it said offline for that moment)', () => {
    expect(statusOf(state('connecting', false))).toBe('connecting')
    expect(statusOf(state('online', false, 2))).toBe('connecting')
    expect(statusOf(state('online', true))).toBe('saved')
  })

  it('says saving for any number of unsaved changes, so a drag’s writes do not change what it says', () => {
    expect(statusOf(state('online', true, 1))).toBe('saving')
    expect(statusOf(state('online', true, 40))).toBe('saving')
  })

  it('counts the changes kept on the device only when offline', () => {
    expect(statusOf(state('offline', false, 3))).toBe('offline:3')
    expect(statusOf(state('offline', true))).toBe('offline:0')
  })
})
