import type { SnapshotItem } from './snapshot-api.ts'

const WHEN = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

/** When a snapshot was taken, in this device's time zone: "3 Mar 2027, 10:15". */
export const snapshotTime = (item: Pick<SnapshotItem, 'createdAt'>): string =>
  WHEN.format(new Date(item.createdAt))

/** Who saved a snapshot and when, in words: "saved 3 Mar 2027, 10:15 by Amina". */
export function describeSnapshot(item: SnapshotItem): string {
  const when = snapshotTime(item)
  if (item.auto) return `saved automatically ${when}`
  const by = item.createdBy?.name.trim() || (item.createdBy?.role ? `a ${item.createdBy.role}` : '')
  return by ? `saved ${when} by ${by}` : `saved ${when}`
}
