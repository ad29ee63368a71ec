import {
  type ChangeEvent,
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react'
import { useTranslation } from 'react-i18next'
import type { Actor } from '../../model/index.ts'
import { useDraft } from '../forms/DraftField.tsx'
import { NO_REFUSAL, type Refusal, refusalOf, type Wording } from '../forms/explain.ts'
import { setLabel } from '../i18n/declared-words.ts'
import './workshop-panels.css'

/**
 * Pieces the workshop board's panels (themes, quick wins, emerging models, journeys) share:
 * the last refusal of a form (in words from forms/explain.ts), fields bound to a stored
 * value, the actor picker, and two-step removal.
 */

/**
 * Runs commands for one form or card and keeps the last refusal for it to show.
 * `attempt` returns whether the command went through.
 */
export function useAttempt(wording: Wording = {}) {
  const [refusal, setRefusal] = useState<Refusal>(NO_REFUSAL)
  const attempt = (command: () => unknown): boolean => {
    try {
      command()
      setRefusal(NO_REFUSAL)
      return true
    } catch (error) {
      setRefusal(refusalOf(error, wording))
      return false
    }
  }
  const clear = useCallback(() => setRefusal(NO_REFUSAL), [])
  return { refusal, attempt, clear, setRefusal }
}

/** A field's error line, announced when it appears. */
export function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null
  return (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  )
}

/** The general error line of a form or card. */
export function FormError({ refusal }: { refusal: Refusal }) {
  if (!refusal.message) return null
  return (
    <p className="field-error" role="alert">
      {refusal.message}
    </p>
  )
}

interface FieldProps {
  readonly label: ReactNode
  readonly value: string
  readonly onChange: (text: string) => void
  readonly error?: string | null
  readonly hint?: ReactNode
  readonly multiline?: boolean
  readonly type?: 'text' | 'url'
  readonly placeholder?: string
  readonly className?: string
  /** Hides the label visually (it stays the field's accessible name). */
  readonly labelHidden?: boolean
}

/** A labelled text field for a form that is submitted as a whole. */
export function TextField(props: FieldProps) {
  const id = useId()
  const describedBy = [props.hint && `${id}-hint`, props.error && `${id}-error`].filter(Boolean).join(' ')
  const common = {
    id,
    value: props.value,
    placeholder: props.placeholder,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy || undefined,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      props.onChange(event.currentTarget.value),
  }
  return (
    <div className={`wb-field ${props.className ?? ''}`}>
      <label htmlFor={id} className={props.labelHidden ? 'visually-hidden' : undefined}>
        {props.label}
      </label>
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      {props.multiline ? (
        <textarea {...common} rows={2} />
      ) : (
        <input {...common} type={props.type ?? 'text'} autoComplete="off" />
      )}
      <FieldError id={`${id}-error`} message={props.error} />
    </div>
  )
}

/**
 * A field bound to a stored value, laid out for the board's cards: edits are a local draft
 * (forms/DraftField.tsx `useDraft`, the same as every declared field), saved on blur or Enter
 * (Escape drops it). `commit` returns an error message, or null when the value was saved.
 */
export function StoredField(props: {
  label: ReactNode
  value: string
  commit: (text: string) => string | null
  multiline?: boolean
  type?: 'text' | 'url' | 'number'
  hint?: ReactNode
  className?: string
}) {
  const id = useId()
  const draft = useDraft(props.value, (text) => {
    const message = props.commit(text)
    return message ? { ok: false, message } : { ok: true }
  })
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !props.multiline) {
      event.preventDefault()
      draft.save()
    } else if (event.key === 'Escape' && draft.dirty) {
      event.stopPropagation()
      draft.revert()
    }
  }
  const error = draft.error
  const describedBy = [props.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ')
  const common = {
    id,
    value: draft.text,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      draft.change(event.currentTarget.value),
    onBlur: () => draft.save(),
    onKeyDown,
  }
  return (
    <div className={`wb-field ${props.className ?? ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      {props.multiline ? (
        <textarea {...common} rows={3} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          inputMode={props.type === 'number' ? 'numeric' : undefined}
          autoComplete="off"
        />
      )}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  )
}

/**
 * Runs an update command for one field of a StoredField and returns the message for that field
 * (or the general one) when it is refused.
 */
export function commitField(field: string, command: () => unknown, wording: Wording = {}): string | null {
  try {
    command()
    return null
  } catch (error) {
    const refusal = refusalOf(error, wording)
    return refusal.fields[field] ?? refusal.message ?? Object.values(refusal.fields)[0] ?? null
  }
}

/**
 * Picks an actor from the map's actors: a combobox (WAI-ARIA 1.2 pattern) that filters as the
 * person types. Arrow keys move through the matches, Enter picks, Escape closes.
 */
export function ActorPicker(props: {
  label: string
  actors: readonly Actor[]
  onPick: (actor: Actor) => void
  exclude?: ReadonlySet<string>
  hint?: ReactNode
}) {
  const { t } = useTranslation()
  const id = useId()
  const [query, setQuery] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const matches = useMemo(() => {
    const wanted = fold(query.trim())
    return props.actors
      .filter((actor) => !props.exclude?.has(actor.id) && fold(actor.name).includes(wanted))
      .map((actor) => ({ actor, starts: fold(actor.name).startsWith(wanted) }))
      .sort((a, b) => Number(b.starts) - Number(a.starts) || a.actor.name.localeCompare(b.actor.name))
      .slice(0, 30)
      .map(({ actor }) => actor)
  }, [query, props.actors, props.exclude])
  const shown = open && matches.length > 0
  const current = Math.min(active, Math.max(0, matches.length - 1))
  const pick = (actor: Actor) => {
    props.onPick(actor)
    setQuery('')
    setOpen(false)
    setActive(0)
  }
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault()
      if (!open) setOpen(true)
      else setActive((current + 1) % Math.max(1, matches.length))
    } else if (event.key === 'ArrowUp') {
      event.preventDefault()
      setOpen(true)
      setActive((current - 1 + matches.length) % Math.max(1, matches.length))
    } else if (event.key === 'Enter') {
      const actor = matches[current]
      if (shown && actor) {
        event.preventDefault()
        pick(actor)
      }
    } else if (event.key === 'Escape' && open) {
      event.stopPropagation()
      setOpen(false)
    }
  }
  if (props.actors.length === 0) {
    return (
      <div className="wb-field actor-picker">
        <span className="wb-label">{props.label}</span>
        <p className="hint">{t('shared.noActorsYet')}</p>
      </div>
    )
  }
  const optionId = (index: number) => `${id}-option-${index}`
  return (
    <div className="wb-field actor-picker">
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      <div className="actor-picker__box">
        <input
          id={id}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={shown}
          aria-controls={`${id}-list`}
          aria-activedescendant={shown ? optionId(current) : undefined}
          aria-describedby={props.hint ? `${id}-hint` : undefined}
          autoComplete="off"
          placeholder={t('shared.searchPlaceholder')}
          value={query}
          onChange={(event) => {
            setQuery(event.currentTarget.value)
            setOpen(true)
            setActive(0)
          }}
          onClick={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        <div
          id={`${id}-list`}
          role="listbox"
          aria-label={props.label}
          className="actor-picker__list"
          hidden={!shown}
        >
          {shown &&
            matches.map((actor, index) => (
              // Keyboard use goes through the input (aria-activedescendant); the click is for pointers.
              // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keys
              <div
                key={actor.id}
                id={optionId(index)}
                role="option"
                tabIndex={-1}
                aria-selected={index === current}
                className="actor-picker__option"
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => pick(actor)}
              >
                <span>{actor.name}</span>
                <span className="hint">{setLabel('actorKinds', actor.kind)}</span>
              </div>
            ))}
        </div>
        {open && query.trim() !== '' && matches.length === 0 && (
          <p className="hint actor-picker__none">{t('shared.noActorCalled', { query: query.trim() })}</p>
        )}
      </div>
      <p className="visually-hidden" role="status">
        {shown ? t('shared.actorsFound', { count: matches.length }) : ''}
      </p>
    </div>
  )
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
}

/**
 * An actor named by a point or a step: pressing it shows the actor on the map. With `onRemove`,
 * a second button takes it off.
 */
export function ActorChip(props: { name: string; onShow?: () => void; onRemove?: () => void }) {
  const { t } = useTranslation()
  return (
    <span className="actor-chip">
      {props.onShow ? (
        <button
          type="button"
          className="actor-chip__name"
          onClick={props.onShow}
          title={t('shared.showOnMap')}
        >
          {props.name}
        </button>
      ) : (
        <span className="actor-chip__name">{props.name}</span>
      )}
      {props.onRemove && (
        <button
          type="button"
          className="actor-chip__remove"
          aria-label={t('shared.removeNamed', { name: props.name })}
          onClick={props.onRemove}
        >
          ×
        </button>
      )}
    </span>
  )
}

/** Removal in two steps, without a browser dialog: "Remove" asks, "Yes, remove" does it. */
export function RemoveButton({ label, onRemove }: { label: string; onRemove: () => void }) {
  const { t } = useTranslation()
  const [asking, setAsking] = useState(false)
  const confirm = useRef<HTMLButtonElement>(null)
  const ask = useRef<HTMLButtonElement>(null)
  const moved = useRef(false)
  // Keyboard focus follows the question and comes back when it is cancelled.
  useEffect(() => {
    if (!moved.current) return
    ;(asking ? confirm : ask).current?.focus()
  }, [asking])
  const answer = (next: boolean) => {
    moved.current = true
    setAsking(next)
  }
  if (!asking) {
    return (
      <button
        ref={ask}
        type="button"
        className="wb-button wb-button--quiet-danger"
        onClick={() => answer(true)}
      >
        {label}
      </button>
    )
  }
  return (
    <span className="row wb-confirm">
      <span>{t('shared.sure')}</span>
      <button ref={confirm} type="button" className="wb-button wb-button--danger" onClick={onRemove}>
        {/* Lower case reads as "Yes, remove theme"; scripts without case are left as they are. */}
        {t('shared.yes', { action: `${label.charAt(0).toLocaleLowerCase()}${label.slice(1)}` })}
      </button>
      <button type="button" className="wb-button" onClick={() => answer(false)}>
        {t('shared.cancel')}
      </button>
    </span>
  )
}

/** Shortens a record's text for a label ("Give a dot to …"). */
export function short(text: string, length = 60): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > length ? `${line.slice(0, length - 1)}…` : line
}

/** The button that opens and closes a card's editor ("Edit" / "Done"). */
export function EditToggle(props: {
  editing: boolean
  onToggle: () => void
  /** The id of what is being edited, so the button's purpose is announced with it. */
  describedBy: string
  label?: string
}) {
  const { t } = useTranslation()
  return (
    <button
      type="button"
      className="wb-button wb-button--small"
      aria-expanded={props.editing}
      aria-describedby={props.describedBy}
      onClick={props.onToggle}
    >
      {props.editing ? t('shared.done') : (props.label ?? t('shared.edit'))}
    </button>
  )
}

/** Files a record under one of the board's themes, or none. Shown only when there are themes. */
export function ThemeField(props: {
  id: string
  label: string
  value: string | undefined
  themes: readonly { id: string; title: string }[]
  onChange: (themeId: string | null) => void
}) {
  const { t } = useTranslation()
  if (props.themes.length === 0) return null
  return (
    <div className="wb-field">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value ?? ''}
        onChange={(event) => props.onChange(event.currentTarget.value || null)}
      >
        <option value="">{t('shared.none')}</option>
        {props.themes.map((each) => (
          <option key={each.id} value={each.id}>
            {each.title}
          </option>
        ))}
      </select>
    </div>
  )
}

/**
 * Choose another record from a list, then act on it with one button: "merge into", "move to".
 * Hidden when there is nothing to choose.
 */
export function PickThenAct(props: {
  label: string
  placeholder: string
  options: readonly { id: string; label: string }[]
  action: string
  onAct: (id: string) => void
  hint?: string
}) {
  const [chosen, setChosen] = useState('')
  const id = useId()
  if (props.options.length === 0) return null
  return (
    <div className="wb-field">
      <label htmlFor={id}>{props.label}</label>
      <div className="row">
        <select
          id={id}
          className="grow"
          value={chosen}
          onChange={(event) => setChosen(event.currentTarget.value)}
        >
          <option value="">{props.placeholder}</option>
          {props.options.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </select>
        <button type="button" className="wb-button" disabled={!chosen} onClick={() => props.onAct(chosen)}>
          {props.action}
        </button>
      </div>
      {props.hint && <p className="hint">{props.hint}</p>}
    </div>
  )
}
