import { type AnyExtension, Extension, mergeAttributes } from '@tiptap/core'
import { Collaboration } from '@tiptap/extension-collaboration'
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret'
import { Mention } from '@tiptap/extension-mention'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state'
import { StarterKit } from '@tiptap/starter-kit'
import type { SuggestionKeyDownProps, SuggestionProps } from '@tiptap/suggestion'
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { i18next } from '../i18n/i18n.ts'

/** An actor offered in the mention menu; `id` and `label` become the mention node's attributes. */
export interface MentionCandidate {
  readonly id: string
  readonly label: string
  readonly kind: string
}

/** What the mention menu shows while someone is typing `@...`. */
export interface MentionMenuState {
  readonly query: string
  readonly items: readonly MentionCandidate[]
  readonly rect: DOMRect | null
  readonly choose: (item: MentionCandidate) => void
}

/** How the editor talks to the React around it: set once per editor, read through refs. */
export interface NoteEditorHooks {
  /** The actors matching what was typed after `@`. */
  readonly candidates: (query: string) => MentionCandidate[]
  /** Shows, moves or (with null) closes the mention menu. */
  readonly onMentionMenu: (state: MentionMenuState | null) => void
  /** A key pressed while the mention menu is open; true if the menu used it. */
  readonly onMentionKey: (event: KeyboardEvent) => boolean
  /** Ctrl/Cmd+K: open the link form. */
  readonly onLinkShortcut: () => void
}

/** Who this device is, as carets show it to the others. */
export interface CaretUser {
  readonly id: string
  readonly name: string
  readonly colour: string
}

/** Link addresses a note keeps; the exports keep the same ones (model/notes.ts). */
export const LINK_SCHEMES = /^(https?:|mailto:)/i
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:/i

/**
 * The editor's extensions: StarterKit without its own history (the collaboration extension
 * brings a Yjs-aware undo) and without the marks the Markdown export cannot write, the note's
 * fragment, everyone's carets, links and mentions of actors.
 */
export function noteExtensions(options: {
  fragment: Y.XmlFragment
  provider: WebsocketProvider
  user: CaretUser
  hooks: NoteEditorHooks
}): AnyExtension[] {
  const { fragment, provider, user, hooks } = options
  return [
    StarterKit.configure({
      undoRedo: false,
      underline: false,
      // Each replica would add its own empty paragraph after a final list or heading at once.
      trailingNode: false,
      heading: { levels: [1, 2, 3] },
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: 'https',
        // A bare "example.org" is given https by autolink; any other scheme is refused.
        isAllowedUri: (url) => !ANY_SCHEME.test(url.trim()) || LINK_SCHEMES.test(url.trim()),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
      },
    }),
    Collaboration.configure({ fragment }),
    KeepCaretInItsBlock,
    CollaborationCaret.configure({
      provider,
      // The app's own presence reads `colour`; Tiptap's reads `color`. Both are kept.
      user: { id: user.id, name: user.name, colour: user.colour, color: user.colour },
      render: renderCaret,
      selectionRender: (other: Record<string, unknown>) => ({
        nodeName: 'span',
        class: 'collaboration-carets__selection',
        style: `background-color: ${caretColour(other)}33`,
      }),
    }),
    Mention.configure({
      HTMLAttributes: { class: 'note-mention' },
      renderHTML: ({ options, node }) => [
        'span',
        mergeAttributes(options.HTMLAttributes, {
          title: `Show ${node.attrs.label ?? 'this actor'} on the map`,
        }),
        `@${node.attrs.label ?? node.attrs.id}`,
      ],
      suggestion: {
        char: '@',
        allowSpaces: true,
        // Only where this person is typing: not in a note they left with the caret after an @.
        shouldShow: ({ editor }) => editor.view.hasFocus(),
        items: ({ query }) => hooks.candidates(query),
        render: () => {
          const show = (props: SuggestionProps<MentionCandidate, { id: string; label: string }>) =>
            hooks.onMentionMenu({
              query: props.query,
              items: props.items,
              rect: props.clientRect?.() ?? null,
              choose: (item) => props.command({ id: item.id, label: item.label }),
            })
          return {
            onStart: show,
            onUpdate: show,
            onExit: () => hooks.onMentionMenu(null),
            onKeyDown: ({ event }: SuggestionKeyDownProps) => hooks.onMentionKey(event),
          }
        },
      },
    }),
    Extension.create({
      name: 'noteShortcuts',
      addKeyboardShortcuts: () => ({
        'Mod-k': () => {
          hooks.onLinkShortcut()
          return true
        },
      }),
    }),
  ]
}

/**
 * After a remote change, y-tiptap 3.0.9 puts the local caret back where Yjs says it was, but
 * second-guesses Yjs when the caret is at the start of a block: it then looks for "the n-th
 * block with the same text". Blocks with the same text (most often empty lines, right after
 * two people each press Enter) make that guess land in someone else's new line, and the next
 * keystrokes go into their text. Where the guess cannot tell the blocks apart, this keeps the
 * position Yjs resolved.
 */
const KeepCaretInItsBlock = Extension.create({
  name: 'keepCaretInItsBlock',
  addProseMirrorPlugins: () => [
    new Plugin({
      key: new PluginKey('keepCaretInItsBlock'),
      appendTransaction: (transactions, oldState, newState) => {
        if (!transactions.some((tr) => tr.getMeta(ySyncPluginKey)?.isChangeOrigin)) return null
        const sync = ySyncPluginKey.getState(newState)
        const before = sync?.binding?.beforeTransactionSelection
        if (before?.type !== 'text' || !before.anchor || !before.head) return null
        if (!sameTextElsewhere(oldState.doc, newState.doc, oldState.selection.head)) return null
        const resolve = (relative: unknown) =>
          relativePositionToAbsolutePosition(sync.doc, sync.type, relative, sync.binding.mapping)
        const anchor = resolve(before.anchor)
        const head = resolve(before.head)
        if (anchor === null || head === null) return null
        const { selection } = newState
        if (selection.anchor === anchor && selection.head === head) return null
        const size = newState.doc.content.size
        if (anchor > size || head > size) return null
        const kept = TextSelection.between(newState.doc.resolve(anchor), newState.doc.resolve(head))
        return newState.tr
          .setSelection(kept)
          .setMeta('addToHistory', false)
          .setMeta(ySyncPluginKey, { isChangeOrigin: true })
      },
    }),
  ],
})

/** Does the top-level block holding `pos` before have the same type and text as another one after? */
function sameTextElsewhere(before: ProseMirrorNode, after: ProseMirrorNode, pos: number): boolean {
  if (before.resolve(pos).depth === 0) return false
  const block = before.child(before.resolve(pos).index(0))
  let matches = 0
  after.forEach((child) => {
    if (child.type === block.type && child.textContent === block.textContent) matches += 1
  })
  return matches > 1
}

const HEX_COLOUR = /^#[0-9a-f]{6}$/i

/** A caret's colour: the app's `colour`, else Tiptap's `color`, else a neutral grey. */
function caretColour(user: Record<string, unknown>): string {
  for (const value of [user.colour, user.color]) {
    if (typeof value === 'string' && HEX_COLOUR.test(value)) return value
  }
  return '#4b5563'
}

function renderCaret(user: Record<string, unknown>): HTMLElement {
  const colour = caretColour(user)
  const caret = document.createElement('span')
  caret.className = 'collaboration-carets__caret'
  caret.style.borderColor = colour
  const label = document.createElement('span')
  label.className = 'collaboration-carets__label'
  label.style.backgroundColor = colour
  label.textContent =
    typeof user.name === 'string' && user.name.trim() ? user.name : i18next.t('notes.someone')
  caret.append(label)
  return caret
}

/** Why an address typed into the link form was refused (the form says it in the chosen language). */
export type LinkAddressProblem = 'empty' | 'spaces' | 'scheme' | 'invalid'

/**
 * An address typed into the link form, made into one a note keeps: a bare domain gets https,
 * a bare email address mailto. Anything with another scheme (javascript:, file:, ...) is refused.
 */
export function normaliseLinkAddress(
  input: string,
): { ok: true; href: string } | { ok: false; problem: LinkAddressProblem } {
  const text = input.trim()
  if (!text) return { ok: false, problem: 'empty' }
  if (/\s/.test(text)) return { ok: false, problem: 'spaces' }
  let href = text
  // "example.org:8080/x" looks like a scheme to the pattern; a dotted host and a port is not one.
  if (ANY_SCHEME.test(text) && !/^[^:/]+\.[^:/]+:\d/.test(text)) {
    if (!LINK_SCHEMES.test(text)) return { ok: false, problem: 'scheme' }
  } else if (/^[^@/]+@[^@/]+\.[^@/]+$/.test(text)) href = `mailto:${text}`
  else href = `https://${text}`
  try {
    const url = new URL(href)
    if (url.protocol !== 'mailto:' && !url.hostname.includes('.') && url.hostname !== 'localhost') {
      return { ok: false, problem: 'invalid' }
    }
  } catch {
    return { ok: false, problem: 'invalid' }
  }
  return { ok: true, href }
}
