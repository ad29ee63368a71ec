import { EditorContent, useEditor } from '@tiptap/react'
import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import * as Y from 'yjs'
import { type Actor, type ActorKind, CommandOrigin, mentionedActors, notesMap } from '../../model/index.ts'
import { setLabel } from '../i18n/declared-words.ts'
import { useCan } from '../workshop/permissions.ts'
import { useConnectionState, useSnapshot, useWorkspaceUi } from '../workspace-context.tsx'
import {
  type MentionCandidate,
  type MentionMenuState,
  type NoteEditorHooks,
  noteExtensions,
} from './extensions.ts'
import { MentionMenu } from './MentionMenu.tsx'
import { NoteToolbar } from './NoteToolbar.tsx'
import './notes.css'

export interface NoteEditorProps {
  /** The note's key in the workspace's `notes` map (WORKSHOP_NOTES, or actorNoteKey(id)). */
  readonly noteKey: string
  /** The editor's accessible name, e.g. "Workshop notes", in the interface's language. */
  readonly label: string
  /** Ids of elements that describe the editor (a hint above it). */
  readonly describedBy?: string
  /** A mention was clicked, or chosen from the list of mentioned actors. */
  readonly onShowActor: (actorId: string) => void
  /** A smaller editor, for the inspector. */
  readonly compact?: boolean
}

/**
 * A collaborative rich-text note: the fragment at `noteKey`, edited by everyone at once, with
 * carets showing who is typing where, a formatting toolbar, links and mentions of actors.
 * Read-only (and without toolbar) for people who may not edit.
 */
export function NoteEditor(props: NoteEditorProps) {
  const fragment = useNoteFragment(props.noteKey)
  if (!fragment) return <MissingNote noteKey={props.noteKey} />
  // A new fragment (another actor, or a note remade elsewhere) gets a new editor, not a rebound one.
  return <BoundNoteEditor key={fragmentKey(fragment)} fragment={fragment} {...props} />
}

/** The note's fragment, or undefined while it has none; follows the notes map. */
function useNoteFragment(noteKey: string): Y.XmlFragment | undefined {
  const { doc } = useWorkspaceUi().connection
  return useSyncExternalStore(
    (listener) => {
      const notes = notesMap(doc)
      notes.observe(listener)
      return () => notes.unobserve(listener)
    },
    () => {
      const note = notesMap(doc).get(noteKey)
      return note instanceof Y.XmlFragment ? note : undefined
    },
  )
}

const fragmentKeys = new WeakMap<Y.XmlFragment, number>()
let nextFragmentKey = 0
function fragmentKey(fragment: Y.XmlFragment): number {
  let key = fragmentKeys.get(fragment)
  if (key === undefined) {
    key = nextFragmentKey++
    fragmentKeys.set(fragment, key)
  }
  return key
}

/**
 * A note the document does not have yet. The server gives every workspace and actor its notes
 * when it loads a room, so this is a workspace made on this device before it ever connected.
 * Two devices making the same note at once would each keep their own and one would be lost,
 * so the note is only made here once this device has everything the server has.
 */
function MissingNote({ noteKey }: { noteKey: string }) {
  const { t } = useTranslation()
  const { connection, participant } = useWorkspaceUi()
  const { synced } = useConnectionState()
  const canEdit = useCan('edit')
  useEffect(() => {
    if (!synced || !canEdit) return
    const notes = notesMap(connection.doc)
    connection.doc.transact(() => {
      if (!(notes.get(noteKey) instanceof Y.XmlFragment)) notes.set(noteKey, new Y.XmlFragment())
    }, new CommandOrigin('createNote', participant.id))
  }, [synced, canEdit, connection, noteKey, participant.id])
  return (
    <p className="note-editor__waiting" role="status">
      {synced ? (canEdit ? t('notes.opening') : t('notes.noneYet')) : t('notes.waitingForConnection')}
    </p>
  )
}

function BoundNoteEditor({
  fragment,
  label,
  describedBy,
  onShowActor,
  compact,
}: NoteEditorProps & { fragment: Y.XmlFragment }) {
  const { t } = useTranslation()
  const { connection, participant } = useWorkspaceUi()
  const { actors } = useSnapshot()
  const canEdit = useCan('edit')
  const menuId = useId()
  const [menu, setMenu] = useState<MentionMenuState | null>(null)
  const [active, setActive] = useState(0)
  const [linkFormOpen, setLinkFormOpen] = useState(false)

  // The editor is made once per fragment; what it asks of React goes through these refs.
  const kindLabel = (kind: ActorKind) => setLabel('actorKinds', kind)
  const latest = useRef({ actors, menu, active, onShowActor, canEdit, kindLabel })
  latest.current = { actors, menu, active, onShowActor, canEdit, kindLabel }
  const hooks = useRef<NoteEditorHooks>({
    candidates: (query) => matchActors(latest.current.actors, query, latest.current.kindLabel),
    onMentionMenu: (state) => {
      setMenu(state)
      // Each new query starts again at the best match.
      setActive(0)
    },
    onMentionKey: (event) => {
      const { menu: open, active: index } = latest.current
      if (!open || open.items.length === 0) return false
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        const step = event.key === 'ArrowDown' ? 1 : -1
        setActive((index + step + open.items.length) % open.items.length)
        return true
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        const item = open.items[index]
        if (item) open.choose(item)
        return true
      }
      return false
    },
    onLinkShortcut: () => {
      if (latest.current.canEdit) setLinkFormOpen(true)
    },
  })

  // Made with the editor, for the participant of that moment: a rename reaches the carets
  // through the awareness state, which the workspace page keeps up to date.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a rename must not remake the editor
  const extensions = useMemo(
    () =>
      noteExtensions({ fragment, provider: connection.provider, user: participant, hooks: hooks.current }),
    [fragment, connection.provider],
  )
  const editor = useEditor(
    {
      extensions,
      editable: canEdit,
      editorProps: {
        attributes: {
          class: 'note-editor__content',
          'aria-label': label,
          ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        },
        handleDOMEvents: {
          click: (_view, event) => {
            const mention = (event.target as Element | null)?.closest?.('[data-type="mention"]')
            const id = mention?.getAttribute('data-id')
            if (!id) return false
            event.preventDefault()
            latest.current.onShowActor(id)
            return true
          },
        },
      },
    },
    [fragment, connection.provider],
  )

  // The editable element, once EditorContent has mounted the editor into the frame.
  const frame = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (editor.isEditable !== canEdit) editor.setEditable(canEdit, false)
    const dom = contentOf(frame.current)
    if (!dom) return
    // A text box to assistive technology while it can be edited; plain content when it cannot.
    if (canEdit) {
      dom.setAttribute('role', 'textbox')
      dom.setAttribute('aria-multiline', 'true')
    } else {
      dom.removeAttribute('role')
      dom.removeAttribute('aria-multiline')
    }
  }, [editor, canEdit])

  // The mention menu is the note's list of suggestions: the note says which option is active.
  const showMenu = menu !== null && (menu.items.length > 0 || !/\s/.test(menu.query))
  useEffect(() => {
    const dom = contentOf(frame.current)
    if (!dom) return
    if (showMenu && menu && menu.items.length > 0) {
      dom.setAttribute('aria-controls', menuId)
      dom.setAttribute('aria-activedescendant', `${menuId}-${active}`)
    } else {
      dom.removeAttribute('aria-controls')
      dom.removeAttribute('aria-activedescendant')
    }
    dom.setAttribute('aria-autocomplete', 'list')
  }, [showMenu, menu, active, menuId])

  return (
    <div className={`note-editor${compact ? ' note-editor--compact' : ''}`}>
      {canEdit && (
        <NoteToolbar
          editor={editor}
          label={t('notes.formatting', { label })}
          linkFormOpen={linkFormOpen}
          onLinkForm={setLinkFormOpen}
        />
      )}
      <div ref={frame} className="note-editor__frame">
        <EditorContent editor={editor} />
      </div>
      {showMenu && menu && <MentionMenu id={menuId} state={menu} active={active} onActive={setActive} />}
      <MentionedActors fragment={fragment} actors={actors} onShowActor={onShowActor} />
    </div>
  )
}

function contentOf(frame: HTMLElement | null): HTMLElement | null {
  return frame?.querySelector<HTMLElement>('.note-editor__content') ?? null
}

/**
 * Actors whose names contain the query, those starting with it first; at most eight, each with
 * its kind in the interface's language.
 */
export function matchActors(
  actors: readonly Actor[],
  query: string,
  kindLabel: (kind: ActorKind) => string,
): MentionCandidate[] {
  const wanted = query.trim().toLowerCase()
  return actors
    .map((actor) => ({ actor, at: actor.name.toLowerCase().indexOf(wanted) }))
    .filter(({ actor, at }) => at >= 0 && actor.name.trim() !== '')
    .sort((a, b) => {
      const rank = (at: number, name: string) => (at === 0 ? 0 : /\s/.test(name[at - 1] ?? '') ? 1 : 2)
      return rank(a.at, a.actor.name) - rank(b.at, b.actor.name) || a.actor.name.localeCompare(b.actor.name)
    })
    .slice(0, 8)
    .map(({ actor }) => ({ id: actor.id, label: actor.name, kind: kindLabel(actor.kind) }))
}

/**
 * The actors a note mentions, as buttons: the keyboard's and the screen reader's way to what a
 * mention in the text does on a click.
 */
function MentionedActors({
  fragment,
  actors,
  onShowActor,
}: {
  fragment: Y.XmlFragment
  actors: readonly Actor[]
  onShowActor: (actorId: string) => void
}) {
  const { t } = useTranslation()
  const [ids, setIds] = useState<readonly string[]>(() => mentionedActors(fragment))
  const headingId = useId()
  useEffect(() => {
    const update = () =>
      setIds((previous) => {
        const next = mentionedActors(fragment)
        return next.join('\n') === previous.join('\n') ? previous : next
      })
    update()
    fragment.observeDeep(update)
    return () => fragment.unobserveDeep(update)
  }, [fragment])
  const present = ids
    .map((id) => actors.find((actor) => actor.id === id))
    .filter((actor): actor is Actor => actor !== undefined)
  if (present.length === 0) return null
  return (
    <div className="note-editor__mentions">
      <span id={headingId} className="note-editor__mentions-title">
        {t('notes.mentioned')}
      </span>
      <ul aria-labelledby={headingId}>
        {present.map((actor) => (
          <li key={actor.id}>
            <button
              type="button"
              className="note-editor__mentioned"
              aria-label={t('notes.showOnMap', { name: actor.name })}
              onClick={() => onShowActor(actor.id)}
            >
              {actor.name}
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}
