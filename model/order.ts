import { generateKeyBetween } from 'fractional-indexing'

/**
 * Order keys for lists that several people reorder at once (theme points, journey steps, themes).
 * Items live in a Y.Map keyed by id and sort by (order, id): a move rewrites one key instead of
 * deleting and re-inserting, so concurrent moves never duplicate an item, and concurrent inserts
 * at the same place both survive (ties fall back to the id).
 */
export type OrderKey = string

/** A key after every key in `existing`. */
export function orderAfterAll(existing: readonly OrderKey[]): OrderKey {
  const last = [...existing].sort().at(-1) ?? null
  return generateKeyBetween(last, null)
}

/** A key between two neighbours (null for "start" or "end"). */
export function orderBetween(before: OrderKey | null, after: OrderKey | null): OrderKey {
  return generateKeyBetween(before, after)
}

/** Compares two ordered items by order key, then id, so every replica lists them identically. */
export function byOrder(a: { order: string; id: string }, b: { order: string; id: string }): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Is this string a key that `fractional-indexing` can place items between? */
export function isOrderKey(value: string): boolean {
  try {
    generateKeyBetween(value, null)
    return true
  } catch {
    return false
  }
}
