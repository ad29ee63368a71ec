import * as Y from 'yjs'

/**
 * Notes as Markdown, both ways. The notes themselves are Tiptap documents kept in Y.XmlFragments
 * (the y-prosemirror layout: one XmlElement per node, named for the node type, with the node's
 * attributes; text as XmlText whose formatting attributes are the marks). The dataset carries
 * them as Markdown, which every other tool reads, so these two functions are the whole contract
 * between the editor's storage and the exports. Only what the editor offers is written: headings,
 * paragraphs, lists, quotes, code blocks, rules, bold, italic, strike, code, links and mentions of
 * actors, written as `[@Name](actor:ID)` so that they survive a round trip.
 */

/** How a mention of an actor is written: a link that survives a round trip, or just `@Name`. */
export type MentionStyle = 'link' | 'text'
/** What a walk writes: Markdown with mentions in one style, or plain text. */
type Style = MentionStyle | 'plain'

const MENTION_SCHEME = 'actor:'

/** A note as Markdown: blocks separated by blank lines, no trailing newline. */
export function noteToMarkdown(fragment: Y.XmlFragment, mentions: MentionStyle = 'link'): string {
  return blocks(fragment.toArray(), mentions).join('\n\n')
}

/** The plain text of a note, for search and for places Markdown would not render. */
export function noteToText(fragment: Y.XmlFragment): string {
  return blocks(fragment.toArray(), 'plain').join('\n\n')
}

type Child = Y.XmlElement | Y.XmlText | Y.XmlHook

function blocks(children: readonly Child[], mentions: Style): string[] {
  const out: string[] = []
  for (const child of children) {
    if (!(child instanceof Y.XmlElement)) {
      if (child instanceof Y.XmlText) out.push(inline([child], mentions))
      continue
    }
    const block = blockOf(child, mentions)
    if (block !== null) out.push(block)
  }
  return out
}

function blockOf(element: Y.XmlElement, mentions: Style): string | null {
  const children = element.toArray()
  switch (element.nodeName) {
    case 'paragraph':
      return inline(children, mentions)
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(element.getAttribute('level')) || 1))
      return `${'#'.repeat(level)} ${inline(children, mentions)}`
    }
    case 'bulletList':
    case 'orderedList': {
      const start = Number(element.getAttribute('start')) || 1
      return children
        .filter((item): item is Y.XmlElement => item instanceof Y.XmlElement)
        .map((item, index) => {
          const marker = element.nodeName === 'bulletList' ? '- ' : `${start + index}. `
          const body = blocks(item.toArray(), mentions).join('\n')
          return marker + indent(body, ' '.repeat(marker.length))
        })
        .join('\n')
    }
    case 'blockquote':
      return blocks(children, mentions)
        .join('\n\n')
        .split('\n')
        .map((line) => (line ? `> ${line}` : '>'))
        .join('\n')
    case 'codeBlock': {
      const language = String(element.getAttribute('language') ?? '')
      const code = children.map((child) => (child instanceof Y.XmlText ? child.toString() : '')).join('')
      return `\`\`\`${language}\n${code}\n\`\`\``
    }
    case 'horizontalRule':
      return '---'
    default:
      // A node a newer editor wrote: keep its text rather than lose it.
      return blocks(children, mentions).join('\n\n') || null
  }
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line, index) => (index === 0 || line === '' ? line : by + line))
    .join('\n')
}

interface Delta {
  insert: string | object
  attributes?: Record<string, unknown>
}

function inline(children: readonly Child[], mentions: Style): string {
  let out = ''
  for (const child of children) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as Delta[]) {
        if (typeof op.insert !== 'string') continue
        out += mentions === 'plain' ? op.insert : marked(escapeInline(op.insert), op.attributes ?? {})
      }
    } else if (child instanceof Y.XmlElement) {
      if (child.nodeName === 'mention') {
        const label = String(child.getAttribute('label') ?? child.getAttribute('id') ?? '')
        const id = String(child.getAttribute('id') ?? '')
        out +=
          mentions === 'link' && id
            ? `[@${escapeInline(label)}](${MENTION_SCHEME}${id})`
            : `@${mentions === 'plain' ? label : escapeInline(label)}`
      } else if (child.nodeName === 'hardBreak') {
        out += mentions === 'plain' ? '\n' : '\\\n'
      } else {
        out += inline(child.toArray(), mentions)
      }
    }
  }
  return out
}

function marked(text: string, marks: Record<string, unknown>): string {
  if (text === '') return text
  // Markdown cannot open emphasis on a space: keep the spaces outside the markers.
  const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) ?? []
  if (core === '') return text
  let out = core
  if (marks.code) out = `\`${out.replace(/\\([\\`*_[\]#>~-])/g, '$1')}\``
  if (marks.bold) out = `**${out}**`
  if (marks.italic) out = `_${out}_`
  if (marks.strike) out = `~~${out}~~`
  const link = marks.link as { href?: unknown } | undefined
  if (link && typeof link.href === 'string' && /^(https?:|mailto:)/i.test(link.href)) {
    out = `[${out}](${link.href.replace(/[()\s]/g, encodeURIComponent)})`
  }
  return lead + out + trail
}

/** Escapes what Markdown would otherwise read as formatting. */
function escapeInline(text: string): string {
  return text.replace(/([\\`*_[\]~<])/g, '\\$1').replace(/^([#>]|-(?= )|\d+\.(?= ))/, '\\$1')
}

// ---- Markdown into a fragment ------------------------------------------------------------

/**
 * Replaces a fragment's content with the document `markdown` describes (inside the caller's
 * transaction). Reads what `noteToMarkdown` writes, and plain text (each paragraph a paragraph).
 */
export function writeMarkdownNote(fragment: Y.XmlFragment, markdown: string): void {
  if (fragment.length > 0) fragment.delete(0, fragment.length)
  const nodes = parseBlocks(markdown.replace(/\r\n?/g, '\n').split('\n'))
  fragment.insert(0, nodes.map(toYNode))
}

/** A parsed node: an element with attributes and children, or a run of text with marks. */
type Node =
  | { type: string; attrs?: Record<string, unknown>; children: Node[] }
  | { text: string; marks: Record<string, unknown> }

function toYNode(node: Node): Y.XmlElement | Y.XmlText {
  if ('text' in node) {
    const text = new Y.XmlText()
    text.applyDelta([{ insert: node.text, attributes: node.marks }])
    return text
  }
  const element = new Y.XmlElement(node.type)
  for (const [key, value] of Object.entries(node.attrs ?? {})) element.setAttribute(key, value as string)
  // Adjacent text runs become one XmlText with formatting, as y-prosemirror keeps them.
  const children: (Y.XmlElement | Y.XmlText)[] = []
  let run: { insert: string; attributes: Record<string, unknown> }[] = []
  const flush = () => {
    if (run.length === 0) return
    const text = new Y.XmlText()
    text.applyDelta(run)
    children.push(text)
    run = []
  }
  for (const child of node.children) {
    if ('text' in child) run.push({ insert: child.text, attributes: child.marks })
    else {
      flush()
      children.push(toYNode(child))
    }
  }
  flush()
  element.insert(0, children)
  return element
}

function parseBlocks(lines: string[]): Node[] {
  const nodes: Node[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i] ?? ''
    if (line.trim() === '') {
      i += 1
      continue
    }
    const fence = /^```(\S*)\s*$/.exec(line)
    if (fence) {
      const body: string[] = []
      i += 1
      while (i < lines.length && !/^```\s*$/.test(lines[i] ?? '')) body.push(lines[i++] ?? '')
      i += 1
      const code = body.join('\n')
      nodes.push({
        type: 'codeBlock',
        attrs: fence[1] ? { language: fence[1] } : {},
        children: code ? [{ text: code, marks: {} }] : [],
      })
      continue
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line)
    if (heading) {
      nodes.push({
        type: 'heading',
        attrs: { level: heading[1]?.length ?? 1 },
        children: parseInline(heading[2] ?? ''),
      })
      i += 1
      continue
    }
    if (/^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
      nodes.push({ type: 'horizontalRule', children: [] })
      i += 1
      continue
    }
    if (/^>/.test(line)) {
      const quoted: string[] = []
      while (i < lines.length && /^>/.test(lines[i] ?? ''))
        quoted.push((lines[i++] ?? '').replace(/^> ?/, ''))
      nodes.push({ type: 'blockquote', children: parseBlocks(quoted) })
      continue
    }
    const item = listMarker(line)
    if (item) {
      const list = parseList(lines, i, item.ordered)
      nodes.push(list.node)
      i = list.next
      continue
    }
    const paragraph: string[] = []
    while (i < lines.length && (lines[i] ?? '').trim() !== '' && !startsBlock(lines[i] ?? '')) {
      paragraph.push(lines[i++] ?? '')
    }
    nodes.push({ type: 'paragraph', children: parseParagraph(paragraph) })
  }
  return nodes
}

function startsBlock(line: string): boolean {
  return /^(```|#{1,6}\s|>)/.test(line) || listMarker(line) !== null || /^\s*(-{3,}|\*{3,})\s*$/.test(line)
}

function listMarker(line: string): { ordered: boolean; start: number; width: number } | null {
  const bullet = /^([-*+])\s+/.exec(line)
  if (bullet) return { ordered: false, start: 1, width: bullet[0].length }
  const number = /^(\d{1,9})[.)]\s+/.exec(line)
  if (number) return { ordered: true, start: Number(number[1]), width: number[0].length }
  return null
}

/** A list starting at `lines[from]`: items, each with its indented continuation lines. */
function parseList(lines: string[], from: number, ordered: boolean): { node: Node; next: number } {
  const items: Node[] = []
  let i = from
  const first = listMarker(lines[i] ?? '')
  while (i < lines.length) {
    const marker = listMarker(lines[i] ?? '')
    if (!marker || marker.ordered !== ordered) break
    const body = [(lines[i] ?? '').slice(marker.width)]
    i += 1
    while (i < lines.length) {
      const next = lines[i] ?? ''
      if (next.trim() === '') {
        // A blank line ends the item unless an indented line follows.
        if (/^\s{2,}\S/.test(lines[i + 1] ?? '')) {
          body.push('')
          i += 1
          continue
        }
        break
      }
      if (!/^\s/.test(next)) break
      body.push(next.replace(/^ {1,4}|^\t/, ''))
      i += 1
    }
    const children = parseBlocks(body)
    items.push({ type: 'listItem', children: children.length > 0 ? children : [paragraphOf('')] })
    while (
      i < lines.length &&
      (lines[i] ?? '').trim() === '' &&
      listMarker(lines[i + 1] ?? '')?.ordered === ordered
    )
      i += 1
  }
  const attrs = ordered && first && first.start !== 1 ? { start: first.start } : undefined
  return {
    node: { type: ordered ? 'orderedList' : 'bulletList', ...(attrs ? { attrs } : {}), children: items },
    next: i,
  }
}

function paragraphOf(text: string): Node {
  return { type: 'paragraph', children: text ? [{ text, marks: {} }] : [] }
}

/** Lines of one paragraph: joined by spaces, with `\` at a line's end as a hard break. */
function parseParagraph(lines: string[]): Node[] {
  const out: Node[] = []
  lines.forEach((line, index) => {
    const hard = /\\$/.test(line) || / {2,}$/.test(line)
    const text = line.replace(/\\$| {2,}$/, '')
    out.push(...parseInline(text))
    if (index < lines.length - 1) {
      if (hard) out.push({ type: 'hardBreak', children: [] })
      else out.push({ text: ' ', marks: {} })
    }
  })
  return merge(out)
}

const INLINE_MARKS: readonly [RegExp, string][] = [
  [/^\*\*(?=\S)([\s\S]*?\S)\*\*/, 'bold'],
  [/^__(?=\S)([\s\S]*?\S)__/, 'bold'],
  [/^_(?=\S)([\s\S]*?\S)_/, 'italic'],
  [/^\*(?=\S)([\s\S]*?\S)\*/, 'italic'],
  [/^~~(?=\S)([\s\S]*?\S)~~/, 'strike'],
]

/** Inline Markdown into text runs with marks, mentions and hard breaks. */
export function parseInline(source: string, marks: Record<string, unknown> = {}): Node[] {
  const out: Node[] = []
  let text = ''
  const flush = () => {
    if (text) out.push({ text, marks })
    text = ''
  }
  let i = 0
  while (i < source.length) {
    const rest = source.slice(i)
    const char = source[i] ?? ''
    if (char === '\\' && i + 1 < source.length) {
      text += source[i + 1]
      i += 2
      continue
    }
    if (char === '`') {
      const code = /^`([^`]+)`/.exec(rest)
      if (code) {
        flush()
        out.push({ text: code[1] ?? '', marks: { ...marks, code: {} } })
        i += code[0].length
        continue
      }
    }
    if (char === '[') {
      const link = /^\[((?:\\.|[^\]\\])*)\]\(((?:[^()\s]|\([^()\s]*\))*)\)/.exec(rest)
      if (link) {
        const label = link[1] ?? ''
        const href = link[2] ?? ''
        flush()
        if (href.startsWith(MENTION_SCHEME) && label.startsWith('@')) {
          const id = href.slice(MENTION_SCHEME.length)
          out.push({ type: 'mention', attrs: { id, label: unescapeMarkdown(label.slice(1)) }, children: [] })
        } else if (/^(https?:|mailto:)/i.test(href)) {
          out.push(...parseInline(label, { ...marks, link: { href: decodeURIComponentSafe(href) } }))
        } else {
          out.push(...parseInline(label, marks))
        }
        i += link[0].length
        continue
      }
    }
    const emphasis = INLINE_MARKS.find(([pattern]) => pattern.test(rest))
    if (emphasis && (i === 0 || !/\w/.test(source[i - 1] ?? '') || char === '*' || char === '~')) {
      const match = emphasis[0].exec(rest)
      if (match) {
        flush()
        out.push(...parseInline(match[1] ?? '', { ...marks, [emphasis[1]]: {} }))
        i += match[0].length
        continue
      }
    }
    text += char
    i += 1
  }
  flush()
  return merge(out)
}

function unescapeMarkdown(text: string): string {
  return text.replace(/\\(.)/g, '$1')
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Joins adjacent text runs with the same marks. */
function merge(nodes: Node[]): Node[] {
  const out: Node[] = []
  for (const node of nodes) {
    const last = out.at(-1)
    if (
      last &&
      'text' in last &&
      'text' in node &&
      JSON.stringify(last.marks) === JSON.stringify(node.marks)
    ) {
      out[out.length - 1] = { text: last.text + node.text, marks: last.marks }
    } else out.push(node)
  }
  return out
}

/** The ids of the actors a note mentions, in order of first mention. */
export function mentionedActors(fragment: Y.XmlFragment): string[] {
  const ids = new Set<string>()
  const walk = (children: readonly Child[]) => {
    for (const child of children) {
      if (!(child instanceof Y.XmlElement)) continue
      if (child.nodeName === 'mention') {
        const id = child.getAttribute('id')
        if (typeof id === 'string' && id) ids.add(id)
      } else walk(child.toArray())
    }
  }
  walk(fragment.toArray())
  return [...ids]
}
