import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { mentionedActors, noteToMarkdown, noteToText, writeMarkdownNote } from './notes.ts'

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
})
