import { describe, expect, it } from 'vitest'
import type { Invite, InviteStore } from '../../sync-server/invite-store.ts'

let count = 0
/** An invite as the server records one, with a fresh id. */
function invite(room: string, overrides: Partial<Invite> = {}): Invite {
  count += 1
  const createdAt = Date.UTC(2025, 0, 1) + count * 1000
  return {
    jti: `${count.toString(16).padStart(8, '0')}${'a'.repeat(24)}`,
    room,
    role: 'participant',
    label: `invite ${count}`,
    createdAt,
    expiresAt: createdAt + 7 * 86_400_000,
    revokedAt: null,
    ...overrides,
  }
}

/**
 * The behaviour every InviteStore must have. The SQLite store (DATA_DIR/access.sqlite) and the
 * PostgreSQL one (beside the workspaces) run the same suite, each against its real database.
 * `open` gives a fresh, empty store, a second handle on the same data (another server, or the
 * same one restarted), and a cleanup.
 */
export function inviteStoreSuite(
  name: string,
  open: () => Promise<{
    store: InviteStore
    again: () => Promise<InviteStore>
    cleanup: () => Promise<void>
  }>,
) {
  describe(`${name} InviteStore`, () => {
    it('keeps what it is given, field for field, and says null for an unknown id', async () => {
      const { store, again, cleanup } = await open()
      try {
        const made = invite('room-a', { role: 'facilitator', label: 'Tuesday group — ünïcode' })
        await store.add(made)
        expect(await store.get(made.jti)).toEqual(made)
        expect(await store.get('0'.repeat(32))).toBeNull()
        // Another handle on the same data sees it: it is stored, not held in memory.
        const other = await again()
        expect(await other.get(made.jti)).toEqual(made)
      } finally {
        await cleanup()
      }
    })

    it('lists one room’s invites, newest first, and no other room’s', async () => {
      const { store, cleanup } = await open()
      try {
        const older = invite('room-b')
        const newer = invite('room-b', { role: 'viewer' })
        const elsewhere = invite('room-c')
        for (const made of [older, elsewhere, newer]) await store.add(made)
        expect(await store.list('room-b')).toEqual([newer, older])
        expect(await store.list('room-c')).toEqual([elsewhere])
        expect(await store.list('nobody-here')).toEqual([])
      } finally {
        await cleanup()
      }
    })

    it('withdraws an invite of the room named, once; another room’s id is not found', async () => {
      const { store, again, cleanup } = await open()
      try {
        const made = invite('room-d')
        await store.add(made)
        expect(await store.revoke('room-e', made.jti, 1_000)).toBeNull()
        expect((await store.get(made.jti))?.revokedAt).toBeNull()
        expect(await store.revoke('room-d', made.jti, 2_000)).toEqual({ ...made, revokedAt: 2_000 })
        // A second withdrawal keeps the first time.
        expect((await store.revoke('room-d', made.jti, 3_000))?.revokedAt).toBe(2_000)
        expect((await (await again()).get(made.jti))?.revokedAt).toBe(2_000)
        expect(await store.revoke('room-d', '0'.repeat(32), 4_000)).toBeNull()
      } finally {
        await cleanup()
      }
    })

    it('refuses a second invite with the same id', async () => {
      const { store, cleanup } = await open()
      try {
        const made = invite('room-f')
        await store.add(made)
        await expect(store.add({ ...made, room: 'room-g' })).rejects.toThrow()
        expect((await store.get(made.jti))?.room).toBe('room-f')
      } finally {
        await cleanup()
      }
    })
  })
}
