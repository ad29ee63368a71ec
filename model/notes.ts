import type { Mark, Node } from '@tiptap/pm/model'
import MarkdownIt, { type StateCore, type Token } from 'markdown-it'
import {
  MarkdownParser,
  MarkdownSerializer,
  type MarkdownSerializerState,
  type ParseSpec,
} from 'prosemirror-markdown'
import type * as Y from 'yjs'
import { noteToDoc, writeNoteDoc } from './note-fragment.ts'
import { LINK_SCHEMES, MENTION_SCHEME, type MentionStyle, noteSchema } from './note-schema.ts'

/**
 * Notes as Markdown, both ways. The notes themselves are Tiptap documents kept in Y.XmlFragments
 * (the y-prosemirror layout: one XmlElement per node, named for the node type, with the node's
 * attributes; text as XmlText whose formatting attributes are the marks). The dataset carries
 * them as Markdown, which every other tool reads, so these functions are the whole contract
 * between the editor's storage and the exports.
 *
 * The Markdown itself is prosemirror-markdown's: its MarkdownSerializer writes it and its
 * MarkdownParser (markdown-it, CommonMark plus ~~strikethrough~~, no HTML) reads it, over
 * `noteSchema`, a ProseMirror schema with the editor's node, mark and attribute names
 * (client/notes/extensions.ts: StarterKit, Link, Mention). Between the fragment and that schema
 * is a small walk of our own each way. Writing, it lays nodes out as y-tiptap's
 * prosemirrorToYXmlFragment does (the tests compare the two); reading, it does not use y-tiptap,
 * whose reader repairs the Y document as it goes (deleting what the schema rejects), and an
 * export must never write: a node it does not know gives its text instead.
 *
 * Only what the editor offers is written: headings, paragraphs, lists, quotes, code blocks,
 * rules, bold, italic, strike, code, links (http(s) and mailto only, as the editor keeps) and
 * mentions of actors, written as `[@Name](actor:ID)` so that they survive a round trip.
 */

export { mentionedActors } from './note-fragment.ts'
export { type MentionStyle, noteSchema } from './note-schema.ts'

/** What a serializer writes: Markdown with mentions in one style, or plain text. */
type Style = MentionStyle | 'plain'

// ---- A fragment into Markdown ------------------------------------------------------------

/** A note as Markdown: blocks separated by blank lines, no trailing newline. */
export function noteToMarkdown(fragment: Y.XmlFragment, mentions: MentionStyle = 'link'): string {
  return trimLines(SERIALIZERS[mentions].serialize(noteToDoc(fragment), TIGHT))
}

/**
 * The plain text of a note, for search and for places Markdown would not render: the blocks'
 * layout as Markdown writes it (`#`, `-`, `>`), the text without marks or escapes, mentions as
 * `@Name`.
 */
export function noteToText(fragment: Y.XmlFragment): string {
  return trimLines(SERIALIZERS.plain.serialize(noteToDoc(fragment), TIGHT))
}

/** Lists are written one item a line (the editor's lists have no loose form). */
const TIGHT = { tightLists: true }

/** Without the blank lines that empty paragraphs at either end leave. */
function trimLines(text: string): string {
  return text.replace(/^\n+|\n+$/g, '')
}

/** A link's address if a note keeps it (http(s) or mailto), else null. */
function keptHref(mark: Mark): string | null {
  const href = mark.attrs.href
  return typeof href === 'string' && LINK_SCHEMES.test(href.trim()) ? href.trim() : null
}

/** An address as a Markdown link destination: parentheses escaped, spaces encoded. */
function destination(href: string): string {
  return href.replace(/[()\\]/g, '\\$&').replace(/[\s<>]/g, encodeURIComponent)
}

/**
 * Italic is written `_like this_`, except where an underscore would not be read as emphasis
 * (inside a word): there `*`. Decided when the mark opens, kept until it closes.
 */
const italicDelimiters = new WeakMap<MarkdownSerializerState, string>()

function italicDelimiter(mark: Mark, parent: Node, index: number): string {
  let end = index
  while (end < parent.childCount && mark.isInSet(parent.child(end).marks)) end += 1
  const inside = parent.textBetween(childStart(parent, index), childStart(parent, end), undefined, leafText)
  const before = index > 0 ? lastChar(parent.child(index - 1)) : ''
  const after = end < parent.childCount ? firstChar(parent.child(end)) : ''
  const word = /[\p{L}\p{N}_]/u
  const left = /^\s/.test(inside) ? ' ' : before
  const right = /\s$/.test(inside) ? ' ' : after
  return word.test(left) || word.test(right) ? '*' : '_'
}

function childStart(parent: Node, index: number): number {
  let pos = 0
  for (let i = 0; i < index; i++) pos += parent.child(i).nodeSize
  return pos
}

function leafText(node: Node): string {
  return node.type.name === 'hardBreak' ? '\n' : '@'
}

function lastChar(node: Node): string {
  return node.isText ? (node.text ?? '').slice(-1) : node.type.name === 'hardBreak' ? '\n' : ')'
}

function firstChar(node: Node): string {
  return node.isText ? (node.text ?? '').slice(0, 1) : node.type.name === 'hardBreak' ? '\n' : '['
}

/**
 * Characters Markdown would read as formatting that prosemirror-markdown leaves alone: `<`
 * (an autolink), `&` before what would read as an entity, and `)` after a number at the start
 * (an ordered list item such as `1) ...`).
 */
const ESCAPE_EXTRA = /<|&(?=#?[a-z0-9]+;)|(?<=^ {0,3}\d{1,9})\)(?=\s|$)/gi

function serializer(style: Style): MarkdownSerializer {
  const plain = style === 'plain'
  const none = { open: '', close: '', mixable: true }
  return new MarkdownSerializer(
    {
      paragraph(state, node) {
        state.renderInline(plain ? node : withoutLeadingSpace(node))
        state.closeBlock(node)
      },
      heading(state, node) {
        const level = Math.min(6, Math.max(1, Number(node.attrs.level) || 1))
        state.write(`${state.repeat('#', level)} `)
        state.renderInline(node, false)
        state.closeBlock(node)
      },
      blockquote(state, node) {
        state.wrapBlock('> ', null, node, () => state.renderContent(node))
      },
      bulletList(state, node) {
        state.renderList(node, '  ', () => '- ')
      },
      orderedList(state, node) {
        const start = Number.isInteger(Number(node.attrs.start)) ? Number(node.attrs.start) : 1
        const width = String(start + node.childCount - 1).length
        state.renderList(node, state.repeat(' ', width + 2), (i) => {
          const number = String(start + i)
          return `${state.repeat(' ', width - number.length)}${number}. `
        })
      },
      listItem(state, node) {
        state.renderContent(node)
      },
      codeBlock(state, node) {
        // A fence longer than any run of backticks in the code.
        const ticks = (node.textContent.match(/`{3,}/g) ?? []).reduce(
          (a, b) => (b.length > a.length ? b : a),
          '',
        )
        const fence = ticks ? `${ticks}\`` : '```'
        state.write(`${fence}${plain ? '' : String(node.attrs.language ?? '')}\n`)
        state.text(node.textContent, false)
        state.ensureNewLine()
        state.write(fence)
        state.closeBlock(node)
      },
      horizontalRule(state, node) {
        state.write('---')
        state.closeBlock(node)
      },
      hardBreak(state, node, parent, index) {
        // Not at the end of a block, where Markdown has no way to write one.
        for (let i = index + 1; i < parent.childCount; i++) {
          if (parent.child(i).type !== node.type) {
            state.write(plain ? '\n' : '\\\n')
            return
          }
        }
      },
      mention(state, node) {
        const id = String(node.attrs.id ?? '')
        const label = String(node.attrs.label ?? node.attrs.id ?? '')
        if (plain) state.write(`@${label}`)
        else if (style === 'link' && id) state.write(`[@${state.esc(label)}](${MENTION_SCHEME}${id})`)
        else state.write(`@${state.esc(label)}`)
      },
      text(state, node) {
        state.text(node.text ?? '', !plain)
      },
    },
    plain
      ? { link: none, strike: none, italic: none, bold: none, code: { ...none, escape: false } }
      : {
          link: {
            open: (_state, mark) => (keptHref(mark) ? '[' : ''),
            close: (_state, mark) => {
              const href = keptHref(mark)
              if (!href) return ''
              const title = typeof mark.attrs.title === 'string' && mark.attrs.title ? mark.attrs.title : ''
              return `](${destination(href)}${title ? ` "${title.replace(/["\\]/g, '\\$&')}"` : ''})`
            },
            mixable: true,
          },
          strike: { open: '~~', close: '~~', mixable: true, expelEnclosingWhitespace: true },
          italic: {
            open: (state, mark, parent, index) => {
              const delimiter = italicDelimiter(mark, parent, index)
              italicDelimiters.set(state, delimiter)
              return delimiter
            },
            close: (state) => italicDelimiters.get(state) ?? '_',
            mixable: true,
            expelEnclosingWhitespace: true,
          },
          bold: { open: '**', close: '**', mixable: true, expelEnclosingWhitespace: true },
          code: {
            open: (_state, _mark, parent, index) => backticks(parent.child(index), 'open'),
            close: (_state, _mark, parent, index) => backticks(parent.child(index - 1), 'close'),
            escape: false,
          },
        },
    { hardBreakNodeName: 'hardBreak', escapeExtraCharacters: ESCAPE_EXTRA },
  )
}

/**
 * A paragraph without the spaces it starts with, which Markdown cannot keep: it drops up to
 * three, and reads four as the start of a code block.
 */
function withoutLeadingSpace(node: Node): Node {
  const first = node.firstChild
  if (!first?.isText || !/^[ \t]/.test(first.text ?? '')) return node
  const text = (first.text ?? '').replace(/^[ \t]+/, '')
  const rest = node.content.cut(first.nodeSize)
  return node.copy(text ? rest.addToStart(noteSchema.text(text, first.marks)) : rest)
}

/** Enough backticks to hold code that has backticks of its own (as prosemirror-markdown does). */
function backticks(node: Node, side: 'open' | 'close'): string {
  const longest = Math.max(0, ...((node.text ?? '').match(/`+/g) ?? []).map((run) => run.length))
  if (longest === 0) return '`'
  const fence = '`'.repeat(longest + 1)
  return side === 'open' ? `${fence} ` : ` ${fence}`
}

const SERIALIZERS: Record<Style, MarkdownSerializer> = {
  link: serializer('link'),
  text: serializer('text'),
  plain: serializer('plain'),
}

// ---- Markdown into a fragment ------------------------------------------------------------

/**
 * markdown-it as notes read it: CommonMark with ~~strikethrough~~ and without HTML. Every link
 * is read as one (markdown-it would leave a `javascript:` link as literal text) so that
 * `noteLinks` can keep the ones a note keeps and turn the rest into their text; addresses are
 * kept as written.
 */
const tokenizer = MarkdownIt('commonmark', { html: false }).enable('strikethrough')
tokenizer.validateLink = () => true
tokenizer.normalizeLink = (url) => url
tokenizer.core.ruler.push('note_links', noteLinks)

/**
 * Links as a note keeps them: `[@Name](actor:ID)` becomes a mention, an http(s) or mailto link
 * stays a link, any other link (and an image) leaves its text.
 */
function noteLinks(state: StateCore): void {
  for (const block of state.tokens) {
    if (block.type === 'inline' && block.children) block.children = inlineLinks(block.children, state)
  }
}

function inlineLinks(source: readonly Token[], state: StateCore, inLink = false): Token[] {
  // An image (the editor has none) reads as a link to it, or inside a link as its description.
  const tokens = source.flatMap((token) => {
    if (token.type !== 'image') return [token]
    const description = token.children ?? []
    if (inLink) return description
    const open = new state.Token('link_open', 'a', 1)
    open.attrSet('href', token.attrGet('src') ?? '')
    return [open, ...description, new state.Token('link_close', 'a', -1)]
  })
  const out: Token[] = []
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token
    if (token.type !== 'link_open') {
      if (token.type !== 'link_close') out.push(token)
      continue
    }
    let close = i + 1
    while (close < tokens.length && tokens[close]?.type !== 'link_close') close += 1
    const inner = inlineLinks(tokens.slice(i + 1, close), state, true)
    const href = token.attrGet('href') ?? ''
    const label = inner.map((t) => (t.type === 'softbreak' ? ' ' : t.content)).join('')
    if (href.startsWith(MENTION_SCHEME) && label.startsWith('@')) {
      const mention = new state.Token('mention', '', 0)
      mention.attrSet('id', href.slice(MENTION_SCHEME.length))
      mention.attrSet('label', label.slice(1))
      out.push(mention)
    } else if (LINK_SCHEMES.test(href)) {
      out.push(token, ...inner, tokens[close] ?? new state.Token('link_close', 'a', -1))
    } else out.push(...inner)
    i = close
  }
  return out
}

const TOKENS: Record<string, ParseSpec> = {
  paragraph: { block: 'paragraph' },
  heading: { block: 'heading', getAttrs: (token) => ({ level: Number(token.tag.slice(1)) || 1 }) },
  blockquote: { block: 'blockquote' },
  bullet_list: { block: 'bulletList' },
  ordered_list: {
    block: 'orderedList',
    getAttrs: (token) => ({ start: Number(token.attrGet('start') ?? 1) }),
  },
  list_item: { block: 'listItem' },
  code_block: { block: 'codeBlock', noCloseToken: true },
  fence: {
    block: 'codeBlock',
    getAttrs: (token) => ({ language: token.info.trim().split(/\s+/)[0] || null }),
    noCloseToken: true,
  },
  hr: { node: 'horizontalRule' },
  hardbreak: { node: 'hardBreak' },
  mention: {
    node: 'mention',
    getAttrs: (token) => ({ id: token.attrGet('id'), label: token.attrGet('label') }),
  },
  em: { mark: 'italic' },
  strong: { mark: 'bold' },
  s: { mark: 'strike' },
  code_inline: { mark: 'code', noCloseToken: true },
  link: {
    mark: 'link',
    getAttrs: (token) => ({ href: token.attrGet('href'), title: token.attrGet('title') || null }),
  },
}

const parser = new MarkdownParser(noteSchema, tokenizer, TOKENS)

/**
 * Replaces a fragment's content with the document `markdown` describes (inside the caller's
 * transaction), laid out as the editor's collaboration binding would write it. Reads what
 * `noteToMarkdown` writes, any CommonMark, and plain text (each paragraph a paragraph).
 */
export function writeMarkdownNote(fragment: Y.XmlFragment, markdown: string): void {
  writeNoteDoc(fragment, parser.parse(markdown))
}
