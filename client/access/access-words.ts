import i18next from 'i18next'
import { DENIAL_REASONS, denialOf } from '../../model/index.ts'
import { modelWord } from '../i18n/declared-words.ts'

/**
 * The server's refusals in the person's language. The server names each refusal with a stable
 * code (and, for a door refusal, one sentence from the model's DENIAL_REASONS table); its English
 * sentence is kept for a code this app does not know, so nothing is ever left unsaid.
 */

/** Why the server turned this device away at the door (a WebSocket close reason). */
export function denialWords(reason: string): string {
  const problem = denialOf(reason)
  if (problem) return modelWord(`denials.${problem}`, DENIAL_REASONS[problem])
  return reason || i18next.t('denials.fallback')
}

/** A refused write as the server sent it: `{ code, reason, params }`, any of which may be missing. */
export interface ServerRefusal {
  readonly code?: unknown
  readonly reason?: unknown
  readonly params?: unknown
}

const PARTS = ['meta', 'agenda', 'facilitation', 'other', 'unknown'] as const
const ACTS = ['remove', 'author', 'add'] as const

const oneOf = <T extends string>(values: readonly T[], value: unknown): T | null =>
  values.includes(value as T) ? (value as T) : null

/** Why one of this device's changes was not saved. */
export function refusalWords(refusal: ServerRefusal): string {
  const params = (typeof refusal.params === 'object' && refusal.params) || {}
  const param = (name: string): unknown => (params as Record<string, unknown>)[name]
  const english = typeof refusal.reason === 'string' ? refusal.reason : null
  switch (refusal.code) {
    case 'read-only':
      return i18next.t('serverRefusals.readOnly')
    case 'untraceable':
      return i18next.t('serverRefusals.untraceable')
    case 'map-locked':
      return i18next.t('serverRefusals.mapLocked')
    case 'not-your-vote':
      return i18next.t('serverRefusals.notYourVote')
    case 'facilitators-only': {
      const part = oneOf(PARTS, param('part'))
      if (part) return i18next.t(`serverRefusals.facilitatorsOnly.${part}`)
      break
    }
    case 'not-yours': {
      const act = oneOf(ACTS, param('act'))
      if (act) return i18next.t(`serverRefusals.notYours.${act}`)
      break
    }
    case 'over-budget': {
      const budget = param('budget')
      if (typeof budget === 'number') return i18next.t('serverRefusals.overBudget', { count: budget })
      break
    }
  }
  return english ?? i18next.t('serverRefusals.fallback')
}
