import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { InviteStore } from '../invite-store.ts'
import type { PostgresInviteStore } from '../invite-store-postgres.ts'

/**
 * Moving a server's access along with its workspaces (`npm run migrate-store`): the invites it
 * issued and the secret that signed their tokens. Without both, every link made before the move
 * would stop working after it (the server fails closed on an invite it does not know).
 */

/** What became of the signing secret. */
export type SecretOutcome =
  /** The target had none: it keeps the source's now. */
  | 'adopted'
  /** The target kept the same one already. */
  | 'same'
  /** The target keeps another: links signed with the source's work only with SECRET set to it. */
  | 'different'
  /** The source keeps none (it was given SECRET, or never made one): nothing to move. */
  | 'none'

export interface AccessCopy {
  readonly copied: number
  /** Invites the target had already (by id): left as they are there. */
  readonly present: number
  readonly secret: SecretOutcome
}

/** The secret a SQLite server keeps in its data directory, if it made one (none is made here). */
export function dataDirSecret(dataDir: string): string | null {
  const path = join(dataDir, 'secret')
  return existsSync(path) ? readFileSync(path, 'utf8').trim() || null : null
}

/** Keeps `value` as the data directory's secret unless it has one; says which. */
export function adoptDataDirSecret(dataDir: string, value: string): Exclude<SecretOutcome, 'none'> {
  const kept = dataDirSecret(dataDir)
  if (kept !== null) return kept === value ? 'same' : 'different'
  const path = join(dataDir, 'secret')
  // 'wx': never over a secret a server made meanwhile.
  writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' })
  chmodSync(path, 0o600)
  return 'adopted'
}

/**
 * Copies invites (of `rooms` only, when given) that the target does not hold yet, withdrawn ones
 * included so a withdrawn link stays withdrawn, and moves the secret with `moveSecret`.
 */
export async function copyInvites(
  source: InviteStore,
  target: InviteStore,
  options: { rooms?: readonly string[] | undefined; moveSecret: () => Promise<SecretOutcome> },
): Promise<AccessCopy> {
  let copied = 0
  let present = 0
  for (const invite of await source.all()) {
    if (options.rooms && !options.rooms.includes(invite.room)) continue
    if (await target.get(invite.jti)) present++
    else {
      await target.add(invite)
      copied++
    }
  }
  return { copied, present, secret: await options.moveSecret() }
}

/** The secret's move from a data directory into PostgreSQL. */
export const secretIntoPostgres = (dataDir: string, target: PostgresInviteStore) => async () => {
  const secret = dataDirSecret(dataDir)
  return secret === null ? 'none' : target.adoptSecret(secret)
}

/** The secret's move from PostgreSQL into a data directory. */
export const secretIntoDataDir = (source: PostgresInviteStore, dataDir: string) => async () => {
  const secret = await source.keptSecret()
  return secret === null ? 'none' : adoptDataDirSecret(dataDir, secret)
}
