import { type KeyboardEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  EXCHANGE_KINDS,
  type Exchange,
  type ExchangeKind,
  ExchangeSchema,
  type FieldInfo,
  formatExchanges,
  parseExchanges,
} from '../../model/index.ts'
import { fieldHelp, fieldLabel, setLabel } from '../i18n/declared-words.ts'
import type { useDraft } from './DraftField.tsx'
import { modelMessage } from './explain.ts'

type Draft = ReturnType<typeof useDraft>

/**
 * An actor's offers or needs: one row per item (its kind, ward and note, and a Remove button)
 * and a row to add one. The draft holds the list as its spreadsheet text (records/exchange.ts),
 * so the form commits it as it commits any field: the model parses and validates it. A row
 * being typed in is kept here until it is left (or Enter), then the whole list is saved.
 */
export function ExchangesField({ field, draft, error }: { field: FieldInfo; draft: Draft; error?: string }) {
  const { t } = useTranslation()
  const id = useId()
  const label = fieldLabel(field)
  const help = fieldHelp(field)
  // "Add offer", "New need: kind": the field's one item, worded per field (offers, needs).
  const item = field.key === 'needs' ? 'need' : 'offer'
  const read = parseExchanges(draft.text)
  const stored = read.ok ? read.value : []
  // Rows typed in but not saved yet, dropped when the stored list changes under them.
  const [typing, setTyping] = useState<{ base: string; rows: Exchange[] } | null>(null)
  const rows = typing?.base === draft.text ? typing.rows : stored
  const [problem, setProblem] = useState<string | undefined>()
  const [adding, setAdding] = useState<Exchange>({ what: 'space', ward: '', note: '' })

  const save = (next: Exchange[]) => {
    for (const item of next) {
      const checked = ExchangeSchema.safeParse(item)
      if (!checked.success) {
        setTyping({ base: draft.text, rows: next })
        const issue = checked.error.issues[0]?.message
        setProblem(issue === undefined ? undefined : modelMessage(issue))
        return false
      }
    }
    setProblem(undefined)
    setTyping(null)
    draft.save(
      formatExchanges(next.map((item) => ({ ...item, ward: item.ward.trim(), note: item.note.trim() }))),
    )
    return true
  }
  const type = (index: number, change: Partial<Exchange>) =>
    setTyping({ base: draft.text, rows: rows.map((row, at) => (at === index ? { ...row, ...change } : row)) })
  const onEnter = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return
    event.preventDefault()
    save(rows)
  }
  const add = () => {
    if (save([...rows, adding])) setAdding({ what: adding.what, ward: '', note: '' })
  }
  const message = problem ?? draft.error ?? error ?? (read.ok ? undefined : read.error)

  return (
    <fieldset
      className="record-group exchanges"
      aria-describedby={
        [help && `${id}-hint`, message && `${id}-error`].filter(Boolean).join(' ') || undefined
      }
      data-field={field.key}
    >
      <legend>{label}</legend>
      {help && (
        <p id={`${id}-hint`} className="record-field__hint">
          {help}
        </p>
      )}
      {rows.length > 0 && (
        <ul className="exchanges__list">
          {rows.map((row, index) => {
            const name = t('exchanges.numbered', { label, number: index + 1 })
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: items have no id; a row is its place in the list
              <li key={index} className="exchanges__row">
                <select
                  aria-label={t('exchanges.kindOf', { name })}
                  value={row.what}
                  onChange={(event) =>
                    save(
                      rows.map((r, at) =>
                        at === index ? { ...r, what: event.target.value as ExchangeKind } : r,
                      ),
                    )
                  }
                >
                  {EXCHANGE_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {setLabel('exchangeKinds', kind)}
                    </option>
                  ))}
                </select>
                <input
                  aria-label={t('exchanges.wardOf', { name })}
                  placeholder={t('exchanges.ward')}
                  value={row.ward}
                  onChange={(event) => type(index, { ward: event.target.value })}
                  onBlur={() => save(rows)}
                  onKeyDown={onEnter}
                />
                <input
                  aria-label={t('exchanges.noteOf', { name })}
                  placeholder={t('exchanges.note')}
                  value={row.note}
                  onChange={(event) => type(index, { note: event.target.value })}
                  onBlur={() => save(rows)}
                  onKeyDown={onEnter}
                />
                <button
                  type="button"
                  className="button"
                  aria-label={t('exchanges.removeNamed', { name })}
                  onClick={() => save(rows.filter((_, at) => at !== index))}
                >
                  {t('exchanges.remove')}
                </button>
              </li>
            )
          })}
        </ul>
      )}
      <div className="exchanges__row exchanges__add">
        <select
          aria-label={t(`exchanges.new.${item}.kind`)}
          value={adding.what}
          onChange={(event) => setAdding({ ...adding, what: event.target.value as ExchangeKind })}
        >
          {EXCHANGE_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {setLabel('exchangeKinds', kind)}
            </option>
          ))}
        </select>
        <input
          aria-label={t(`exchanges.new.${item}.ward`)}
          placeholder={t('exchanges.ward')}
          value={adding.ward}
          onChange={(event) => setAdding({ ...adding, ward: event.target.value })}
        />
        <input
          aria-label={t(`exchanges.new.${item}.note`)}
          placeholder={t('exchanges.note')}
          value={adding.note}
          onChange={(event) => setAdding({ ...adding, note: event.target.value })}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault()
              add()
            }
          }}
        />
        <button type="button" className="button" onClick={add}>
          {t(`exchanges.new.${item}.add`)}
        </button>
      </div>
      {message && (
        <p id={`${id}-error`} className="record-field__error" role="alert">
          {message}
        </p>
      )}
    </fieldset>
  )
}
