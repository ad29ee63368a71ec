import { useTranslation } from 'react-i18next'
import type { FieldInfo } from '../../model/index.ts'
import { fieldLabel } from '../i18n/declared-words.ts'

/**
 * Which declared fields the table shows: a disclosure of checkboxes, one per field a table can
 * show, so a field added to actors is offered here without other edits.
 */
export function ColumnChooser(props: {
  fields: readonly FieldInfo[]
  shown: ReadonlySet<string>
  onChange: (shown: ReadonlySet<string>) => void
}) {
  const { t } = useTranslation()
  return (
    <details className="table-view__columns">
      <summary>{t('table.columns')}</summary>
      <fieldset>
        <legend className="table-view__vh">{t('table.columnsToShow')}</legend>
        {props.fields.map((field) => (
          <label key={field.key} className="table-view__column-choice">
            <input
              type="checkbox"
              checked={props.shown.has(field.key)}
              onChange={(event) => {
                const next = new Set(props.shown)
                if (event.currentTarget.checked) next.add(field.key)
                else next.delete(field.key)
                props.onChange(next)
              }}
            />
            {fieldLabel(field)}
          </label>
        ))}
      </fieldset>
    </details>
  )
}
