import type { actorKind, linkKind } from '../../model/index.ts'
import { fieldLabel, fieldOf } from '../i18n/declared-words.ts'

/** A declared field's label by key, in the interface's language. */
export function labelOf(kind: typeof actorKind | typeof linkKind, key: string): string {
  const field = fieldOf(kind, key)
  return field ? fieldLabel(field) : key
}
