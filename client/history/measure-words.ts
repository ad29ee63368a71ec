import type { TFunction } from 'i18next'
import type { measuresOverTime } from '../../model/change/index.ts'
import { intlLocale } from '../i18n/i18n.ts'
import { snapshotName } from './snapshot-words.ts'

/** A state's figures, as the comparison and the measures over time give them. */
export type MeasuredState = ReturnType<typeof measuresOverTime>[number]
export type MeasureKey = keyof MeasuredState['measures']

/** A state as shown: a snapshot by its name, now in the interface's words. */
export function stateLabel(state: { label: string; at?: number }, t: TFunction): string {
  // A state keeps only its snapshot's name: one named as the server names its own, said as it.
  return state.at === undefined
    ? t('changes.compare.now')
    : snapshotName({ name: state.label, auto: true }, t)
}

/** A figure in the interface's language: a share as a percentage, money in pounds. */
export function measureWords(key: MeasureKey, value: number): string {
  const locale = intlLocale()
  if (key === 'density')
    return new Intl.NumberFormat(locale, {
      style: 'percent',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    }).format(value)
  if (key === 'fundingTotal')
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: 'GBP',
      maximumFractionDigits: 0,
    }).format(value)
  return new Intl.NumberFormat(locale).format(value)
}
