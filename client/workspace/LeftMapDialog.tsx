import { useEffect, useRef } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import { intlLocale } from '../i18n/i18n.ts'
import { useSnapshot } from '../workspace-context.tsx'

/**
 * After an actor's last box is deleted from the map: was that "this organisation is not part
 * of the network" (remove it from the dataset) or "tidy the map" (keep it in the dataset)?
 */
export function LeftMapDialog({
  actorIds,
  onRemove,
  onKeep,
}: {
  actorIds: string[]
  onRemove: (actorIds: string[]) => void
  onKeep: () => void
}) {
  const { t, i18n } = useTranslation()
  const dialog = useRef<HTMLDialogElement>(null)
  const actors = useSnapshot().actors.filter((actor) => actorIds.includes(actor.id))
  useEffect(() => {
    dialog.current?.showModal()
  }, [])
  const names = new Intl.ListFormat(intlLocale(i18n.resolvedLanguage), { type: 'conjunction' }).format(
    actors.map((actor) => actor.name),
  )
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="left-heading" onClose={onKeep}>
      <h2 id="left-heading">{t('leftMap.heading')}</h2>
      <p>
        <Trans
          i18nKey="leftMap.body"
          count={actors.length}
          values={{ names }}
          components={[<strong key="names" />]}
        />
      </p>
      <div className="dialog__actions">
        {/* "Keep" comes first so that the harmless choice has the focus when the dialog opens. */}
        <button type="button" className="button button--primary" onClick={onKeep}>
          {t('leftMap.keep')}
        </button>
        <button
          type="button"
          className="button button--danger"
          onClick={() => onRemove(actors.map((actor) => actor.id))}
        >
          {t('leftMap.remove')}
        </button>
      </div>
    </dialog>
  )
}
