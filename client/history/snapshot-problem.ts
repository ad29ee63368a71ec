import type { TFunction } from 'i18next'
import type { Result } from '../../model/result.ts'
import type { LoadedSnapshot } from './history-state.ts'
import type { SnapshotApiError, SnapshotItem } from './snapshot-api.ts'
import { serverProblemWords } from './snapshot-words.ts'

/** Words shown to people, said when shown, so they follow a change of language. */
export type Words = (t: TFunction) => string

/** Why a snapshot could not be had: the server's answer, or a state that came but could not be read. */
export type SnapshotProblem = SnapshotApiError | { readonly kind: 'damaged' }

/** A snapshot's document, fetched once and kept for the tab (see ChangesPanel). */
export type LoadSnapshot = (item: SnapshotItem) => Promise<Result<LoadedSnapshot, SnapshotProblem>>

/** Why a snapshot call failed, in a sentence. */
export const reason = (error: SnapshotProblem, t: TFunction) =>
  error.kind === 'damaged'
    ? t('changes.unreadable')
    : serverProblemWords(error, t, t('changes.needsConnection'))
