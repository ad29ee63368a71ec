import { useLayoutEffect, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import type { MentionMenuState } from './extensions.ts'

const GAP = 4
const MARGIN = 8

/**
 * The actors matching what follows an `@`, under the caret. The caret stays in the note: the
 * editor moves the active option with up and down, chooses with Enter or Tab and closes the
 * menu with Escape (the note is the combobox, this is its listbox). A click chooses too.
 */
export function MentionMenu({
  id,
  state,
  active,
  onActive,
}: {
  id: string
  state: MentionMenuState
  active: number
  onActive: (index: number) => void
}) {
  const { t } = useTranslation()
  const menu = useRef<HTMLDivElement>(null)
  const [position, setPosition] = useState<{ left: number; top: number } | null>(null)

  // Below the caret, or above it when there is no room below; always inside the window.
  useLayoutEffect(() => {
    const element = menu.current
    const rect = state.rect
    if (!element || !rect) return
    const { width, height } = element.getBoundingClientRect()
    const below = rect.bottom + GAP
    const top =
      below + height + MARGIN > window.innerHeight && rect.top - GAP - height > MARGIN
        ? rect.top - GAP - height
        : below
    const left = Math.max(MARGIN, Math.min(rect.left, window.innerWidth - width - MARGIN))
    setPosition((previous) =>
      previous && previous.left === left && previous.top === top ? previous : { left, top },
    )
  }, [state])

  useLayoutEffect(() => {
    menu.current?.querySelector(`#${CSS.escape(`${id}-${active}`)}`)?.scrollIntoView({ block: 'nearest' })
  }, [id, active])

  const count = state.items.length
  return createPortal(
    <div
      ref={menu}
      className="note-mentions"
      style={position ? { left: position.left, top: position.top } : { visibility: 'hidden' }}
    >
      {count === 0 ? (
        <p className="note-mentions__empty" role="status">
          {state.query ? t('shared.noActorCalled', { query: state.query }) : t('notes.mentions.nothingOnMap')}
        </p>
      ) : (
        <>
          <div id={id} role="listbox" aria-label={t('notes.mentions.label')} className="note-mentions__list">
            {state.items.map((item, index) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the keys are the note's, which keeps focus
              <div
                key={item.id}
                id={`${id}-${index}`}
                role="option"
                tabIndex={-1}
                aria-selected={index === active}
                className="note-mentions__option"
                // Keep the caret in the note: a mouse down here must not take focus.
                onMouseDown={(event) => event.preventDefault()}
                onMouseEnter={() => onActive(index)}
                onClick={() => state.choose(item)}
              >
                <span className="note-mentions__name">{item.label}</span>
                <span className="note-mentions__kind">{item.kind}</span>
              </div>
            ))}
          </div>
          <p className="note-mentions__help" role="status">
            {t('notes.mentions.help', { count, enter: 'Enter', esc: 'Esc' })}
          </p>
        </>
      )}
    </div>,
    document.body,
  )
}
