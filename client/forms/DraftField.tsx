import { type ChangeEvent, type KeyboardEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FieldInfo } from '../../model/index.ts'
import { fieldHelp, fieldLabel } from '../i18n/declared-words.ts'
import { ExchangesField } from './ExchangesField.tsx'
import { inputOf, optionsOf } from './field-input.ts'
import './forms.css'

/** How a field's commit went: done, or refused (with words for the field, if it is about it). */
export type Outcome = { ok: true } | { ok: false; message?: string }

/**
 * A field's local draft of a stored value. The draft remembers the value it was made from, so
 * it is dropped as soon as that value changes under it (someone else edited the field); a
 * refused draft is kept, with its message, until the person fixes it. Every field bound to a
 * stored value keeps its draft here, whether drawn from a declaration or laid out by hand.
 */
export function useDraft(value: string, commit: (text: string) => Outcome) {
  const [draft, setDraft] = useState<{ base: string; text: string; error?: string } | null>(null)
  const live = draft?.base === value ? draft : null
  const text = live ? live.text : value
  return {
    text,
    error: live?.error,
    dirty: live !== null,
    change: (next: string) => setDraft({ base: value, text: next, error: live?.error }),
    revert: () => setDraft(null),
    save: (next: string = text) => {
      if (next === value) return setDraft(null)
      const outcome = commit(next)
      setDraft(outcome.ok ? null : { base: value, text: next, error: outcome.message })
    },
  }
}

export interface DraftFieldProps {
  /** The declared field: its label, help, control and options come from the model. */
  readonly field: FieldInfo
  /** The stored value as text (see field-input.ts `toText`). */
  readonly value: string
  /** Gives the edited text to the form; a refusal keeps the draft with its message. */
  readonly commit: (text: string) => Outcome
  /** A message from outside the field (a whole form's refused submit). */
  readonly error?: string | undefined
  /** The records a reference may name, as [id, label] (input 'record'). */
  readonly options?: readonly (readonly [value: string, label: string])[]
  /**
   * Every keystroke commits (a form that is submitted as a whole: the draft is the form's).
   * Otherwise text commits on blur and Enter, and Escape drops the draft.
   */
  readonly immediate?: boolean
}

/**
 * The one control for any declared field: a text, number, web address or date input, a text
 * area, a select, or a group of checkboxes, labelled from the declaration, with its help and
 * its error tied to it for screen readers.
 */
export function DraftField({ field, value, commit, error, immediate, options: records }: DraftFieldProps) {
  const { t } = useTranslation()
  const draft = useDraft(value, commit)
  const id = useId()
  const input = inputOf(field)
  const message = draft.error ?? error
  if (input === 'choices') return <Checkboxes field={field} draft={draft} error={message} />
  if (input === 'exchanges') return <ExchangesField field={field} draft={draft} error={message} />
  const help = fieldHelp(field)
  const describedBy = [help && `${id}-hint`, message && `${id}-error`].filter(Boolean).join(' ')
  const common = {
    id,
    name: field.key,
    value: draft.text,
    'aria-invalid': message ? true : undefined,
    'aria-describedby': describedBy || undefined,
  }
  const onChange = (event: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
    immediate || input === 'choice' || input === 'record' || input === 'date' || input === 'yes-no'
      ? draft.save(event.currentTarget.value)
      : draft.change(event.currentTarget.value)
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (immediate) return
    if (event.key === 'Enter') {
      event.preventDefault()
      draft.save()
    } else if (event.key === 'Escape' && draft.dirty) {
      event.stopPropagation()
      draft.revert()
    }
  }
  const options =
    input === 'yes-no'
      ? [
          ['yes', t('forms.yes')],
          ['no', t('forms.no')],
        ]
      : input === 'record'
        ? (records ?? [])
        : optionsOf(field)
  return (
    <div className="record-field">
      <label htmlFor={id}>{fieldLabel(field)}</label>
      {help && (
        <p id={`${id}-hint`} className="record-field__hint">
          {help}
        </p>
      )}
      {input === 'choice' || input === 'yes-no' || input === 'record' ? (
        <select {...common} onChange={onChange}>
          {field.optional && (
            <option value="">{input === 'record' ? t('forms.none') : t('forms.notSaid')}</option>
          )}
          {options.map(([option, label]) => (
            <option key={option} value={option}>
              {label}
            </option>
          ))}
        </select>
      ) : input === 'long-text' ? (
        <textarea {...common} rows={4} onChange={onChange} onBlur={() => draft.save()} />
      ) : (
        <input
          {...common}
          type={input === 'url' || input === 'date' ? input : 'text'}
          inputMode={input === 'number' ? 'decimal' : input === 'url' ? 'url' : undefined}
          onChange={onChange}
          onBlur={() => draft.save()}
          onKeyDown={onKeyDown}
        />
      )}
      {message && (
        <p id={`${id}-error`} className="record-field__error">
          {message}
        </p>
      )}
    </div>
  )
}

/** Several of a field's options at once (an actor's domains), saved as each box is ticked. */
function Checkboxes(props: {
  field: FieldInfo
  draft: ReturnType<typeof useDraft>
  error: string | undefined
}) {
  const { field, draft, error } = props
  useTranslation()
  const errorId = useId()
  const options = optionsOf(field)
  const checked = new Set(draft.text ? draft.text.split(',') : [])
  const toggle = (option: string) => {
    if (!checked.delete(option)) checked.add(option)
    // Kept in the options' order, so a draft compares equal to the stored list however it was ticked.
    draft.save(
      options
        .map(([value]) => value)
        .filter((value) => checked.has(value))
        .join(','),
    )
  }
  return (
    <fieldset
      className="record-group record-checks"
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>{fieldLabel(field)}</legend>
      {options.map(([value, label]) => (
        <label key={value} className="record-check">
          <input type="checkbox" checked={checked.has(value)} onChange={() => toggle(value)} />
          {label}
        </label>
      ))}
      {error && (
        <p id={errorId} className="record-field__error">
          {error}
        </p>
      )}
    </fieldset>
  )
}
