import type { TFunction } from 'i18next'
import { intlLocale } from '../i18n/i18n.ts'
import type { ServerProblem, SnapshotItem } from './snapshot-api.ts'

/** When a snapshot was taken, in this device's time zone and the interface's language: "3 Mar 2027, 10:15". */
export const snapshotTime = (item: Pick<SnapshotItem, 'createdAt'>): string =>
  new Intl.DateTimeFormat(intlLocale(), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    // A 24-hour clock in every language: Urdu's 12-hour one would say AM and PM in English.
    hourCycle: 'h23',
  }).format(new Date(item.createdAt))

const ROLES = ['facilitator', 'participant', 'viewer'] as const
type KnownRole = (typeof ROLES)[number]
export const isKnownRole = (role: string | undefined): role is KnownRole => ROLES.includes(role as KnownRole)

/** Who saved a snapshot and when, in words: "saved 3 Mar 2027, 10:15 by Amina". */
export function describeSnapshot(item: SnapshotItem, t: TFunction): string {
  const when = snapshotTime(item)
  if (item.auto) return t('changes.snapshot.savedAuto', { when })
  const name = item.createdBy?.name.trim()
  if (name) return t('changes.snapshot.savedBy', { when, name })
  const role = item.createdBy?.role
  return isKnownRole(role)
    ? t(`changes.snapshot.savedByRole.${role}`, { when })
    : t('changes.snapshot.savedAt', { when })
}

/** The name the server gives the snapshot it saves before a restore (see sync-server/change-api.ts). */
const BEFORE_RESTORING = /^Before restoring (.+)$/s

/**
 * A snapshot's name as shown: what a person typed, as typed; the server's own name for the
 * automatic snapshot before a restore ("Before restoring Morning") said in the interface's language.
 */
export function snapshotName(item: Pick<SnapshotItem, 'name' | 'auto'>, t: TFunction): string {
  const restoring = item.auto ? BEFORE_RESTORING.exec(item.name) : null
  return restoring?.[1] ? t('changes.snapshot.beforeRestoring', { name: restoring[1] }) : item.name
}

/** Any letter of a right-to-left script (Hebrew, Arabic and Urdu, Syriac, Thaana, N'Ko...). */
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/

/**
 * A name set apart from the words around it (Unicode's first-strong isolate) when it is written
 * right to left, so an arrow between two names points the reading way whatever scripts they and
 * the interface are in: "عائشہ → Ben" in English reads from عائشہ to Ben. Names in a
 * left-to-right script are left as they are; the Urdu messages isolate every name themselves.
 */
export const isolated = (name: string): string => (RIGHT_TO_LEFT.test(name) ? `\u2068${name}\u2069` : name)

/** Why a call to the server failed, in a sentence: the server's own words where it gave them. */
export function serverProblemWords(problem: ServerProblem, t: TFunction, offline: string): string {
  switch (problem.kind) {
    case 'offline':
      return offline
    case 'unreachable':
      return t('server.unreachable')
    case 'unreadable':
      return t('server.unreadable')
    case 'refused':
      return problem.words ?? t('server.answered', { status: problem.status })
  }
}
