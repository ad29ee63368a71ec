import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LanguagePicker } from '../i18n/LanguagePicker.tsx'
import { PARTICIPANT_COLOURS, type Participant } from '../identity.ts'

/** Asks for the name others will see next to this person's cursor, and a colour. */
export function NameDialog({
  participant,
  onSave,
}: {
  participant: Participant
  onSave: (next: Participant) => void
}) {
  const { t } = useTranslation()
  const hintId = useId()
  const dialog = useRef<HTMLDialogElement>(null)
  const [name, setName] = useState(participant.name)
  const [colour, setColour] = useState(participant.colour)
  useEffect(() => {
    dialog.current?.showModal()
  }, [])
  const save = (event: FormEvent) => {
    event.preventDefault()
    if (!name.trim()) return
    onSave({ ...participant, name: name.trim().slice(0, 60), colour })
  }
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="name-heading"
      onCancel={(event) => {
        if (!participant.name) event.preventDefault()
      }}
    >
      {/* First, so someone who does not read English can change it before anything else. */}
      <LanguagePicker />
      <form onSubmit={save}>
        <h2 id="name-heading">{t('join.heading')}</h2>
        <p>{t('join.explain')}</p>
        <label htmlFor="display-name">{t('join.name')}</label>
        <p id={hintId} className="hint">
          {t('join.nameHint')}
        </p>
        <input
          id="display-name"
          value={name}
          required
          maxLength={60}
          autoComplete="nickname"
          aria-describedby={hintId}
          onChange={(event) => setName(event.target.value)}
        />
        <fieldset className="colours">
          <legend>{t('join.colour')}</legend>
          {PARTICIPANT_COLOURS.map((option, index) => (
            <label key={option} className="colours__option" style={{ background: option }}>
              <input
                type="radio"
                name="colour"
                value={option}
                checked={colour === option}
                onChange={() => setColour(option)}
              />
              <span className="visually-hidden">{t('join.colourOption', { number: index + 1 })}</span>
            </label>
          ))}
        </fieldset>
        <div className="dialog__actions">
          <button type="submit" className="button button--primary">
            {t('join.join')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
