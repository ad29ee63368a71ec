import { getSchema } from '@tiptap/core'
import { Mention } from '@tiptap/extension-mention'
import { Node } from '@tiptap/pm/model'
import { StarterKit } from '@tiptap/starter-kit'
import { prosemirrorToYXmlFragment } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { mentionedActors, noteSchema, noteToMarkdown, noteToText, writeMarkdownNote } from './notes.ts'

function fragmentOf(markdown: string): Y.XmlFragment {
  const doc = new Y.Doc()
  const fragment = doc.getMap<Y.XmlFragment>('notes').set('n', new Y.XmlFragment())
  doc.transact(() => writeMarkdownNote(fragment, markdown))
  return fragment
}

/** Builds what Tiptap's collaboration binding writes for a small document. */
function tiptapLike(): Y.XmlFragment {
  const doc = new Y.Doc()
  const fragment = doc.getXmlFragment('note')
  const heading = new Y.XmlElement('heading')
  heading.setAttribute('level', 2 as unknown as string)
  const title = new Y.XmlText()
  title.insert(0, 'Quick wins')
  heading.insert(0, [title])
  const paragraph = new Y.XmlElement('paragraph')
  const text = new Y.XmlText()
  text.insert(0, 'Ask ')
  text.insert(4, 'the surgery', { bold: {} })
  text.insert(15, ' about ', {})
  const mention = new Y.XmlElement('mention')
  mention.setAttribute('id', 'actor_1')
  mention.setAttribute('label', 'Thames Ward Food Bank')
  const after = new Y.XmlText()
  after.insert(0, ' and see ')
  after.insert(9, 'the guide', { link: { href: 'https://example.org/guide', target: '_blank' } })
  paragraph.insert(0, [text, mention, after])
  const list = new Y.XmlElement('bulletList')
  const items = ['One', 'Two'].map((words) => {
    const item = new Y.XmlElement('listItem')
    const p = new Y.XmlElement('paragraph')
    const t = new Y.XmlText()
    t.insert(0, words)
    p.insert(0, [t])
    item.insert(0, [p])
    return item
  })
  list.insert(0, items)
  fragment.insert(0, [heading, paragraph, list])
  return fragment
}

describe('notes as Markdown', () => {
  it('writes what the editor stores: headings, marks, mentions, links, lists', () => {
    expect(noteToMarkdown(tiptapLike())).toBe(
      [
        '## Quick wins',
        'Ask **the surgery** about [@Thames Ward Food Bank](actor:actor_1) and see [the guide](https://example.org/guide)',
        '- One\n- Two',
      ].join('\n\n'),
    )
    expect(noteToText(tiptapLike())).toContain(
      'Ask the surgery about @Thames Ward Food Bank and see the guide',
    )
    expect(mentionedActors(tiptapLike())).toEqual(['actor_1'])
  })

  it('reads back what it writes', () => {
    const markdown = [
      '# Early Help workshop',
      'We heard **three** things, _twice_, and ~~one~~ `code` about [@Food Bank](actor:fb1).',
      '- Connect\n- Continuity\n  - nested point\n- Trust',
      '3. third\n4. fourth',
      '> A resident said\n>\n> it took six weeks',
      '```\nplain code\n```',
      '---',
      'A line\\\nbroken by hand, and [a link](https://example.org/a%20b).',
    ].join('\n\n')
    const once = noteToMarkdown(fragmentOf(markdown))
    expect(once).toBe(markdown)
    expect(mentionedActors(fragmentOf(markdown))).toEqual(['fb1'])
  })

  it('escapes text that would read as formatting, and keeps it through a round trip', () => {
    const doc = new Y.Doc()
    const fragment = doc.getXmlFragment('note')
    const paragraph = new Y.XmlElement('paragraph')
    const text = new Y.XmlText()
    text.insert(0, '# not a heading *nor emphasis* [nor a link](x) 2_000_000')
    paragraph.insert(0, [text])
    fragment.insert(0, [paragraph])
    const markdown = noteToMarkdown(fragment)
    expect(markdown.startsWith('\\#')).toBe(true)
    expect(noteToMarkdown(fragmentOf(markdown))).toBe(markdown)
  })

  it('never writes a link to a scheme that is not http(s) or mail', () => {
    const fragment = fragmentOf('[click](javascript:alert(1)) and [ok](https://example.org)')
    expect(noteToMarkdown(fragment)).toBe('click and [ok](https://example.org)')
  })

  it('reads plain text as paragraphs', () => {
    expect(noteToMarkdown(fragmentOf('first line\nsame paragraph\n\nsecond'))).toBe(
      'first line same paragraph\n\nsecond',
    )
    expect(noteToMarkdown(fragmentOf(''))).toBe('')
  })

  it('keeps Markdown characters in text as text through a round trip', () => {
    const lines = [
      '1) not a list',
      '- not a bullet',
      '+ nor this',
      '> not a quote',
      '# not a heading',
      '1986. a good year',
      '*stars* and _underscores_ and snake_case_name and 2*3*4',
      '`ticks` ~~tildes~~ [brackets](x) ![bang] back\\slash',
      '<b>not html</b> &amp; &#169; AT&T',
      '---',
      '| a | b |',
    ]
    const doc = new Y.Doc()
    const fragment = doc.getXmlFragment('note')
    fragment.insert(
      0,
      lines.map((line) => {
        const paragraph = new Y.XmlElement('paragraph')
        const text = new Y.XmlText()
        text.insert(0, line)
        paragraph.insert(0, [text])
        return paragraph
      }),
    )
    const markdown = noteToMarkdown(fragment)
    expect(markdown).toContain('1\\) not a list')
    expect(markdown).toContain('\\<b>not html\\</b> \\&amp; \\&#169; AT&T')
    const back = fragmentOf(markdown)
    expect(back.toString()).toBe(fragment.toString())
    expect(noteToText(back).split('\n\n')).toEqual(lines)
  })

  it('writes italics inside a word with stars, which Markdown reads there', () => {
    const doc = new Y.Doc()
    const fragment = doc.getXmlFragment('note')
    const paragraph = new Y.XmlElement('paragraph')
    const text = new Y.XmlText()
    text.insert(0, 'un')
    text.insert(2, 'believ', { italic: {} })
    text.insert(8, 'able, ', {})
    text.insert(14, 'quite', { italic: {} })
    text.insert(19, ' so', {})
    paragraph.insert(0, [text])
    fragment.insert(0, [paragraph])
    expect(noteToMarkdown(fragment)).toBe('un*believ*able, _quite_ so')
    expect(fragmentOf(noteToMarkdown(fragment)).toString()).toBe(fragment.toString())
  })

  it('round-trips nested lists, loose items and code with backticks', () => {
    const markdown = [
      '- one\n  1. first\n  2. second\n     - deep\n- two\n\n  more of two\n- three',
      ' 9. nine\n10. ten',
      'Use `` a`b `` here',
      '````js\nconst fence = "```"\n````',
      '> quoted\n>\n> - listed\n>   - nested',
    ].join('\n\n')
    expect(noteToMarkdown(fragmentOf(markdown))).toBe(markdown)
    const list = fragmentOf(markdown).get(0) as Y.XmlElement
    expect(list.toString()).toContain('<orderedlist start="1"><listitem><paragraph>first</paragraph>')
    expect(fragmentOf(markdown).get(3)).toMatchObject({ nodeName: 'codeBlock' })
    expect((fragmentOf(markdown).get(3) as Y.XmlElement).getAttribute('language')).toBe('js')
  })

  it('reads a mention next to punctuation as a mention, and writes it back the same', () => {
    const markdown = 'Ask ([@Food Bank](actor:fb1))! Then [@Ann](actor:a2), [@B. \\[Ltd\\]](actor:b3).'
    const fragment = fragmentOf(markdown)
    expect(noteToMarkdown(fragment)).toBe(markdown)
    expect(mentionedActors(fragment)).toEqual(['fb1', 'a2', 'b3'])
    expect(noteToText(fragment)).toBe('Ask (@Food Bank)! Then @Ann, @B. [Ltd].')
    expect(noteToMarkdown(fragment, 'text')).toBe('Ask (@Food Bank)! Then @Ann, @B. \\[Ltd\\].')
    // Not a mention: no @, or not an actor.
    expect(noteToMarkdown(fragmentOf('[Ann](actor:a2) and [@Ann](https://example.org)'))).toBe(
      'Ann and [@Ann](https://example.org)',
    )
  })

  it('keeps http(s) and mailto links only, and reads an image as a link to it', () => {
    expect(
      noteToMarkdown(
        fragmentOf('[mail](mailto:a@example.org) [file](file:///etc) ![map](https://example.org/m.png)'),
      ),
    ).toBe('[mail](mailto:a@example.org) file [map](https://example.org/m.png)')
    expect(noteToMarkdown(fragmentOf('[wiki](https://example.org/A_(b))'))).toBe(
      '[wiki](https://example.org/A_\\(b\\))',
    )
  })

  it('writes the layout the editor writes, in the editor schema', () => {
    const tiptap = getSchema([
      StarterKit.configure({
        undoRedo: false,
        underline: false,
        trailingNode: false,
        link: { HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' } },
      }),
      Mention,
    ])
    const defaults = (types: Record<string, { spec: { attrs?: Record<string, { default?: unknown }> } }>) =>
      Object.fromEntries(
        Object.entries(types).map(([name, type]) => [
          name,
          Object.fromEntries(Object.entries(type.spec.attrs ?? {}).map(([key, spec]) => [key, spec.default])),
        ]),
      )
    expect(defaults(noteSchema.nodes)).toEqual(defaults(tiptap.nodes))
    expect(defaults(noteSchema.marks)).toEqual(defaults(tiptap.marks))

    const markdown = [
      '## Title',
      'Some **bold _and italic_** ~~gone~~ `code` [link](https://example.org) [@Ann](actor:a1)\\\nnext',
      '3. three\n   - bullet',
      '> quote',
      '```ts\nlet x\n```',
      '---',
    ].join('\n\n')
    const ours = fragmentOf(markdown)
    const doc = new Y.Doc()
    const theirs = doc.getXmlFragment('note')
    const parse = (fragment: Y.XmlFragment) => fragment.toArray().map((child) => child.toJSON())
    const json = { type: 'doc', content: tiptapJson(ours) }
    doc.transact(() => prosemirrorToYXmlFragment(Node.fromJSON(tiptap, json), theirs))
    expect(parse(ours)).toEqual(parse(theirs))
    expect(deltas(ours)).toEqual(deltas(theirs))
  })

  it('only reads the fragment, keeping the text of nodes it does not know', () => {
    const doc = new Y.Doc()
    const fragment = doc.getXmlFragment('note')
    const table = new Y.XmlElement('table')
    const cell = new Y.XmlElement('tableCell')
    const text = new Y.XmlText()
    text.insert(0, 'kept', { underline: {} })
    cell.insert(0, [text])
    table.insert(0, [cell])
    const loose = new Y.XmlText()
    loose.insert(0, 'loose text')
    fragment.insert(0, [table, loose])
    const before = Y.encodeStateVector(doc)
    expect(noteToMarkdown(fragment)).toBe('kept\n\nloose text')
    expect(Y.encodeStateVector(doc)).toEqual(before)
  })
})

/** A fragment as ProseMirror JSON, read the way y-prosemirror reads it. */
function tiptapJson(fragment: Y.XmlFragment | Y.XmlElement): unknown[] {
  return fragment.toArray().flatMap((child): unknown[] => {
    if (child instanceof Y.XmlText) {
      return (
        child.toDelta() as { insert: string; attributes?: Record<string, Record<string, unknown>> }[]
      ).map((op) => ({
        type: 'text',
        text: op.insert,
        ...(op.attributes
          ? { marks: Object.entries(op.attributes).map(([type, attrs]) => ({ type, attrs })) }
          : {}),
      }))
    }
    if (!(child instanceof Y.XmlElement)) return []
    return [{ type: child.nodeName, attrs: child.getAttributes(), content: tiptapJson(child) }]
  })
}

function deltas(fragment: Y.XmlFragment | Y.XmlElement): unknown[] {
  return fragment
    .toArray()
    .flatMap((child) =>
      child instanceof Y.XmlText ? [child.toDelta()] : child instanceof Y.XmlElement ? deltas(child) : [],
    )
}
