import { type FormEvent, useEffect, useRef, useState } from 'react'
import { PARTICIPANT_COLOURS, type Participant } from '../identity.ts'

/** Asks for the name others will see next to this person's cursor, and a colour. */
export function NameDialog({
  participant,
  onSave,
}: {
  participant: Participant
  onSave: (next: Participant) => void
}) {
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
      <form onSubmit={save}>
        <h2 id="name-heading">What should people call you?</h2>
        <p>Your name appears beside your cursor and in the list of who is here. It stays on this device.</p>
        <label htmlFor="display-name">Display name</label>
        <input
          id="display-name"
          value={name}
          required
          maxLength={60}
          autoComplete="nickname"
          onChange={(event) => setName(event.target.value)}
        />
        <fieldset className="colours">
          <legend>Colour</legend>
          {PARTICIPANT_COLOURS.map((option) => (
            <label key={option} className="colours__option" style={{ background: option }}>
              <input
                type="radio"
                name="colour"
                value={option}
                checked={colour === option}
                onChange={() => setColour(option)}
              />
              <span className="visually-hidden">{option}</span>
            </label>
          ))}
        </fieldset>
        <div className="dialog__actions">
          <button type="submit" className="button button--primary">
            Join
          </button>
        </div>
      </form>
    </dialog>
  )
}
