import type * as Y from 'yjs'
import { canvasMap } from './document.ts'

/**
 * Migrations of a whole document, for changes of its layout that no one record kind owns (the
 * `canvas` map's records are tldraw's, not ours). Each is named, run once per document by
 * `migrateDocument`, and stamped in `meta` under DOCUMENT_MIGRATIONS_KEY. Append-only: a
 * published migration is never edited or removed, only followed by another.
 */
export interface DocumentMigration {
  /** `document/<n>-<what it does>`, n rising by one. */
  readonly id: string
  /** Changes the document (inside migrateDocument's transaction); says how many records it touched. */
  readonly up: (doc: Y.Doc) => number
}

/** The `meta` key listing the ids of the document migrations a document has had. */
export const DOCUMENT_MIGRATIONS_KEY = 'documentMigrations'

interface CanvasRecord {
  readonly typeName?: unknown
  readonly type?: unknown
  readonly meta?: { readonly linkId?: unknown }
  readonly fromId?: unknown
}

/**
 * The canvas records of link arrows: every arrow shape naming a link (`meta.linkId`), and its
 * bindings. A plain drawn arrow (no link named) is not one of them.
 *
 * Each device derives a link's arrow from the link and the boxes (client/canvas/canvas-scope.ts),
 * and hides a canvas arrow that names a link; so the stored ones are dead weight: a borough's
 * 20,000 arrows and 40,000 bindings were 17 of its 25 MiB. An arrow naming a link the dataset no
 * longer has goes too: the cascade of a removal should have taken it, and it is hidden all the same.
 */
export function linkArrowKeys(canvas: Y.Map<unknown>): string[] {
  const arrows = new Set<string>()
  const bindings: [string, CanvasRecord][] = []
  for (const [key, value] of canvas.entries()) {
    const record = value as CanvasRecord
    if (typeof record !== 'object' || record === null) continue
    if (record.typeName === 'binding') bindings.push([key, record])
    else if (
      record.typeName === 'shape' &&
      record.type === 'arrow' &&
      typeof record.meta?.linkId === 'string'
    )
      arrows.add(key)
  }
  const keys = [...arrows]
  for (const [key, binding] of bindings)
    if (typeof binding.fromId === 'string' && arrows.has(binding.fromId)) keys.push(key)
  return keys
}

/** Removes the canvas's link arrows and their bindings (see linkArrowKeys); says how many records. */
export function removeLinkArrows(doc: Y.Doc): number {
  const canvas = canvasMap(doc)
  const keys = linkArrowKeys(canvas)
  for (const key of keys) canvas.delete(key)
  return keys.length
}

export const DOCUMENT_MIGRATIONS: readonly DocumentMigration[] = [
  { id: 'document/1-link-arrows-derived', up: removeLinkArrows },
]

/** The ids of the document migrations this document has had. */
export function appliedDocumentMigrations(meta: Y.Map<unknown>): string[] {
  const applied = meta.get(DOCUMENT_MIGRATIONS_KEY)
  return Array.isArray(applied) ? applied.filter((id): id is string => typeof id === 'string') : []
}
