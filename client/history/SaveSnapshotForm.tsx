import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'

/** A facilitator's form to save the workspace as a named snapshot. */
export function SaveSnapshotForm({ busy, onSave }: { busy: boolean; onSave: (name: string) => void }) {
  const { t } = useTranslation()
  const [name, setName] = useState('')
  const id = useId()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (!trimmed) return
    onSave(trimmed)
    setName('')
  }
  return (
    <form className="history__save" onSubmit={submit} aria-labelledby={id}>
      <h3 id={id} className="visually-hidden">
        {t('changes.save.heading')}
      </h3>
      <label>
        <span>{t('changes.save.name')}</span>
        <input
          value={name}
          maxLength={120}
          required
          placeholder={t('changes.save.placeholder')}
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      <button type="submit" className="button button--primary" disabled={busy || !name.trim()}>
        {t('changes.save.button')}
      </button>
    </form>
  )
}
