import { Trans, useTranslation } from 'react-i18next'
import { MEASURE_LABELS } from '../../model/change/index.ts'
import { intlLocale } from '../i18n/i18n.ts'
import { type MeasuredState, type MeasureKey, measureWords, stateLabel } from './measure-words.ts'

/** The insight figures of several states side by side; with `showChange`, the last minus the first. */
export function MeasuresTable({
  caption,
  columns,
  showChange = false,
}: {
  caption: string
  columns: readonly MeasuredState[]
  showChange?: boolean
}) {
  const { t } = useTranslation()
  const first = columns[0]
  const last = columns.at(-1)
  return (
    <div className="history__table-wrap">
      <table className="history__table" data-testid="measures-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('changes.measures.measure')}</th>
            {columns.map((column, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: two snapshots may share a name
              <th key={index} scope="col" className="number">
                {stateLabel(column, t)}
              </th>
            ))}
            {showChange && (
              <th scope="col" className="number">
                {t('changes.measures.change')}
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {MEASURE_LABELS.map(([key]) => (
            <tr key={key}>
              <th scope="row">{t(`changes.measures.labels.${key}`)}</th>
              {columns.map((column, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are in time order, fixed per render
                <td key={index} className="number">
                  <bdi dir="ltr">{measureWords(key, column.measures[key])}</bdi>
                </td>
              ))}
              {showChange && first && last && (
                <td className="number">
                  <MeasureChange measure={key} before={first.measures[key]} after={last.measures[key]} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/**
 * The change of a figure from the first state to the last, signed ("+2", "−1"; nothing when
 * unchanged), a share's in percentage points. The number is kept left to right, so its sign
 * stays in front of it in a right-to-left language.
 */
function MeasureChange({ measure, before, after }: { measure: MeasureKey; before: number; after: number }) {
  const delta = after - before
  if (measure === 'density' ? Math.abs(delta) < 0.0005 : delta === 0) return null
  const sign = delta > 0 ? '+' : '−'
  const size = Math.abs(delta)
  const locale = intlLocale()
  if (measure === 'density') {
    const points = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })
    return (
      <Trans
        i18nKey="changes.measures.points"
        values={{ change: `${sign}${points.format(size * 100)}` }}
        components={[<bdi key="change" dir="ltr" />]}
      />
    )
  }
  return <bdi dir="ltr">{`${sign}${measureWords(measure, size)}`}</bdi>
}
