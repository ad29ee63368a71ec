import type { Editor } from '@tiptap/core'
import { useEditorState } from '@tiptap/react'
import type { TFunction } from 'i18next'
import { type FormEvent, type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type LinkAddressProblem, normaliseLinkAddress } from './extensions.ts'

/** The example address the link form shows: an address, the same in every language. */
const EXAMPLE_ADDRESS = 'https://example.org'

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
/** A shortcut as people read it on this device ("Ctrl+B" or "⌘B"). */
const shown = (keys: string) =>
  MAC ? keys.replace('Mod+', '⌘').replace('Alt+', '⌥').replace('Shift+', '⇧') : keys.replace('Mod+', 'Ctrl+')
/** The same shortcut for aria-keyshortcuts ("Control+B" or "Meta+B"). */
const announced = (keys: string) => keys.replace('Mod+', MAC ? 'Meta+' : 'Control+')

interface Tool {
  readonly id: string
  /** Its name, in the interface's language. */
  readonly label: (t: TFunction) => string
  readonly keys?: string
  readonly icon: ReactNode
  readonly pressed?: (state: ToolState) => boolean
  readonly run: (editor: Editor) => void
  readonly group: number
}

type ToolState = ReturnType<typeof readState>

function readState(editor: Editor) {
  return {
    h1: editor.isActive('heading', { level: 1 }),
    h2: editor.isActive('heading', { level: 2 }),
    h3: editor.isActive('heading', { level: 3 }),
    bold: editor.isActive('bold'),
    italic: editor.isActive('italic'),
    bulletList: editor.isActive('bulletList'),
    orderedList: editor.isActive('orderedList'),
    link: editor.isActive('link'),
  }
}

const TOOLS: readonly Tool[] = [
  ...([1, 2, 3] as const).map(
    (level): Tool => ({
      id: `h${level}`,
      label: (t) => t('notes.toolbar.heading', { level }),
      keys: `Mod+Alt+${level}`,
      icon: <span className="note-toolbar__text">H{level}</span>,
      pressed: (state) => state[`h${level}`],
      run: (editor) => editor.chain().focus().toggleHeading({ level }).run(),
      group: 0,
    }),
  ),
  {
    id: 'bold',
    label: (t) => t('notes.toolbar.bold'),
    keys: 'Mod+B',
    icon: <strong className="note-toolbar__text">B</strong>,
    pressed: (state) => state.bold,
    run: (editor) => editor.chain().focus().toggleBold().run(),
    group: 1,
  },
  {
    id: 'italic',
    label: (t) => t('notes.toolbar.italic'),
    keys: 'Mod+I',
    icon: <em className="note-toolbar__text note-toolbar__text--italic">I</em>,
    pressed: (state) => state.italic,
    run: (editor) => editor.chain().focus().toggleItalic().run(),
    group: 1,
  },
  {
    id: 'bulletList',
    label: (t) => t('notes.toolbar.bulletList'),
    keys: 'Mod+Shift+8',
    icon: (
      <svg viewBox="0 0 20 20" aria-hidden="true">
        <circle cx="4" cy="5" r="1.6" />
        <circle cx="4" cy="10" r="1.6" />
        <circle cx="4" cy="15" r="1.6" />
        <path d="M8 5h10M8 10h10M8 15h10" />
      </svg>
    ),
    pressed: (state) => state.bulletList,
    run: (editor) => editor.chain().focus().toggleBulletList().run(),
    group: 2,
  },
  {
    id: 'orderedList',
    label: (t) => t('notes.toolbar.orderedList'),
    keys: 'Mod+Shift+7',
    icon: (
      <svg viewBox="0 0 20 20" aria-hidden="true">
        <text x="1" y="7.5">
          1
        </text>
        <text x="1" y="17">
          2
        </text>
        <path d="M8 5h10M8 14h10" />
      </svg>
    ),
    pressed: (state) => state.orderedList,
    run: (editor) => editor.chain().focus().toggleOrderedList().run(),
    group: 2,
  },
]

/**
 * The formatting toolbar (the WAI-ARIA toolbar pattern: one tab stop, arrow keys between the
 * buttons). Each button says its keyboard shortcut; pressing one keeps the caret in the note.
 */
export function NoteToolbar({
  editor,
  label,
  linkFormOpen,
  onLinkForm,
}: {
  editor: Editor
  label: string
  linkFormOpen: boolean
  onLinkForm: (open: boolean) => void
}) {
  const { t } = useTranslation()
  const state = useEditorState({ editor, selector: ({ editor: current }) => readState(current) })
  const buttons = useRef<(HTMLButtonElement | null)[]>([])
  const [focusIndex, setFocusIndex] = useState(0)
  const all: Tool[] = [
    ...TOOLS,
    {
      id: 'link',
      label: () => (state.link ? t('notes.toolbar.editLink') : t('notes.toolbar.link')),
      keys: 'Mod+K',
      icon: (
        <svg viewBox="0 0 20 20" aria-hidden="true">
          <path d="M8.5 11.5a3.5 3.5 0 0 0 5 0l3-3a3.5 3.5 0 0 0-5-5l-1 1" />
          <path d="M11.5 8.5a3.5 3.5 0 0 0-5 0l-3 3a3.5 3.5 0 0 0 5 5l1-1" />
        </svg>
      ),
      pressed: () => linkFormOpen,
      run: () => onLinkForm(!linkFormOpen),
      group: 3,
    },
    {
      id: 'mention',
      label: () => t('notes.toolbar.mention'),
      icon: <span className="note-toolbar__text">@</span>,
      run: (current) => {
        // Focus first, so the mention menu (shown only where someone is typing) opens at once.
        current.view.focus()
        const before = current.state.selection.$from.nodeBefore?.text ?? ''
        current
          .chain()
          .insertContent(before === '' || /\s$/.test(before) ? '@' : ' @')
          .run()
      },
      group: 3,
    },
  ]

  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
    const to =
      event.key === 'Home' ? 0 : event.key === 'End' ? all.length - 1 : step ? focusIndex + step : null
    if (to === null) return
    event.preventDefault()
    const next = (to + all.length) % all.length
    setFocusIndex(next)
    buttons.current[next]?.focus()
  }

  return (
    <div className="note-toolbar-wrap">
      <div className="note-toolbar" role="toolbar" aria-label={label} onKeyDown={onKeyDown}>
        {all.map((tool, index) => {
          const pressed = tool.pressed?.(state)
          const name = tool.label(t)
          return (
            <button
              key={tool.id}
              ref={(element) => {
                buttons.current[index] = element
              }}
              type="button"
              className={`note-toolbar__button${index > 0 && all[index - 1]?.group !== tool.group ? ' note-toolbar__button--group' : ''}`}
              aria-label={name}
              aria-pressed={pressed === undefined ? undefined : pressed}
              aria-keyshortcuts={tool.keys ? announced(tool.keys) : undefined}
              title={tool.keys ? t('notes.toolbar.withShortcut', { name, keys: shown(tool.keys) }) : name}
              tabIndex={index === focusIndex ? 0 : -1}
              // A mouse press must not take the caret out of the note.
              onMouseDown={(event) => event.preventDefault()}
              onFocus={() => setFocusIndex(index)}
              onClick={() => tool.run(editor)}
            >
              {tool.icon}
            </button>
          )
        })}
      </div>
      {linkFormOpen && <LinkForm editor={editor} onClose={() => onLinkForm(false)} />}
    </div>
  )
}

/** Asks for a link's address; web and email addresses only. */
function LinkForm({ editor, onClose }: { editor: Editor; onClose: () => void }) {
  const { t } = useTranslation()
  const id = useId()
  const current = editor.isActive('link') ? String(editor.getAttributes('link').href ?? '') : ''
  const [address, setAddress] = useState(current)
  const [error, setError] = useState<LinkAddressProblem | null>(null)
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])

  const close = () => {
    onClose()
    editor.commands.focus()
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const result = normaliseLinkAddress(address)
    if (!result.ok) {
      setError(result.problem)
      input.current?.focus()
      return
    }
    const { href } = result
    const chain = editor.chain().focus()
    if (editor.isActive('link')) chain.extendMarkRange('link').setLink({ href }).run()
    else if (editor.state.selection.empty) {
      // Nothing selected: the address itself becomes the link's text.
      chain
        .insertContent({
          type: 'text',
          text: href.replace(/^mailto:/, ''),
          marks: [{ type: 'link', attrs: { href } }],
        })
        .run()
    } else chain.setLink({ href }).run()
    onClose()
  }
  const remove = () => {
    editor.chain().focus().extendMarkRange('link').unsetLink().run()
    onClose()
  }

  return (
    <form
      className="note-link-form"
      aria-label={t('notes.toolbar.link')}
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault()
          event.stopPropagation()
          close()
        }
      }}
    >
      <label htmlFor={id}>{t('notes.link.address')}</label>
      <p className="note-link-form__hint" id={`${id}-hint`}>
        {t('notes.link.hint', { example: 'https://…' })}
      </p>
      <input
        ref={input}
        id={id}
        type="text"
        inputMode="url"
        // An address reads left to right in every language.
        dir="ltr"
        autoComplete="url"
        spellCheck={false}
        value={address}
        placeholder={EXAMPLE_ADDRESS}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        onChange={(event) => {
          setAddress(event.currentTarget.value)
          setError(null)
        }}
      />
      {error && (
        <p className="note-link-form__error" id={`${id}-error`} role="alert">
          {t(`notes.link.problems.${error}`, {
            example: EXAMPLE_ADDRESS,
            web: 'http://, https://',
            email: 'mailto:',
          })}
        </p>
      )}
      <div className="note-link-form__actions">
        <button type="submit" className="note-link-form__button note-link-form__button--primary">
          {current ? t('notes.link.update') : t('notes.link.add')}
        </button>
        {current && (
          <button type="button" className="note-link-form__button" onClick={remove}>
            {t('notes.link.remove')}
          </button>
        )}
        <button type="button" className="note-link-form__button" onClick={close}>
          {t('shared.cancel')}
        </button>
      </div>
    </form>
  )
}
