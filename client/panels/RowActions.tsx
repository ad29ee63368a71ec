import { useTranslation } from 'react-i18next'
import { useCan } from '../workshop/permissions.ts'

/** A row's buttons; each names its row for screen readers ("Edit Food bank"), not only "Edit". */
export function RowActions(props: {
  subject: string
  onEdit: () => void
  onPlace?: () => void
  onRemove: () => void
}) {
  const { t } = useTranslation()
  const hidden = <span className="table-view__vh"> {props.subject}</span>
  const canEdit = useCan('edit')
  return (
    <td className="table-view__actions">
      <button type="button" onClick={props.onEdit}>
        {canEdit ? t('table.edit') : t('table.details')}
        {hidden}
      </button>
      {props.onPlace && canEdit && (
        <button type="button" onClick={props.onPlace}>
          {t('table.placeOnMap')}
          {hidden}
        </button>
      )}
      {canEdit && (
        <button type="button" className="table-view__danger" onClick={props.onRemove}>
          {t('table.remove')}
          {hidden}
        </button>
      )}
    </td>
  )
}
