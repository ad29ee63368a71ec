import { describe, expect, it } from 'vitest'
import { el, escapeXml, escapeXmlAttribute, renderXml } from './xml.ts'

describe('escapeXml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeXml(`Tom & Jerry's <"show">`)).toBe('Tom &amp; Jerry&apos;s &lt;&quot;show&quot;&gt;')
    expect(escapeXml('a]]>b')).toBe('a]]&gt;b')
    expect(escapeXml('&amp;')).toBe('&amp;amp;')
  })

  it('drops characters XML 1.0 does not allow and keeps every other', () => {
    expect(escapeXml('a\u0000b\u0007c\u000Bd\u001Fe\uFFFEf\uFFFFg')).toBe('abcdefg')
    // A lone surrogate is dropped; a pair (an emoji) is one character and kept.
    expect(escapeXml('x\uD800y\uDC00z')).toBe('xyz')
    expect(escapeXml('Café 🎉 ñ 中文 \u0085\u007F')).toBe('Café 🎉 ñ 中文 \u0085\u007F')
  })

  it('keeps tab and LF, and writes CR as a reference so it survives line-end normalisation', () => {
    expect(escapeXml('a\tb\nc\r\nd')).toBe('a\tb\nc&#13;\nd')
  })

  it('in attribute values, also writes tab and LF as references', () => {
    expect(escapeXmlAttribute('a\tb\nc\r"d"')).toBe('a&#9;b&#10;c&#13;&quot;d&quot;')
  })
})

describe('renderXml', () => {
  it('writes an indented document with a declaration', () => {
    const doc = el('root', { xmlns: 'urn:x', count: 2, on: true, off: false, missing: undefined }, [
      el('empty'),
      el('text', { id: 'a&b' }, ['1 < 2']),
      undefined,
      false,
      null,
      el('nested', {}, [el('leaf', { value: 'line\nbreak' })]),
    ])
    expect(renderXml(doc)).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<root xmlns="urn:x" count="2" on="true" off="false">',
        '  <empty/>',
        '  <text id="a&amp;b">1 &lt; 2</text>',
        '  <nested>',
        '    <leaf value="line&#10;break"/>',
        '  </nested>',
        '</root>',
        '',
      ].join('\n'),
    )
  })

  it('keeps text content on the line of its tags, so no whitespace is added to a value', () => {
    expect(renderXml(el('a', {}, ['x', ' y']), '\t')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<a>x y</a>\n',
    )
  })

  it('keeps text mixed with elements unindented, so no whitespace is added to it either', () => {
    // (The exports never mix text and elements; this is XMLBuilder's layout.)
    expect(renderXml(el('a', {}, ['x', el('b')]))).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<a>x\n  <b/>\n</a>\n',
    )
  })

  it('escapes text and attribute values in the document, and drops forbidden characters', () => {
    expect(renderXml(el('a', { v: `"x'\u0001\r\n` }, [`<'\u0000\r\n>`]))).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<a v="&quot;x&apos;&#13;&#10;">&lt;&apos;&#13;\n&gt;</a>\n',
    )
  })
})
