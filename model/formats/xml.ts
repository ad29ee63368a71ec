/**
 * The XML writer for the graph exports (GraphML, GEXF): documents are described with `el`
 * and written by `renderXml`, which lays out the elements as fast-xml-parser's XMLBuilder did
 * (the format tests pin those bytes), quotes attribute values and indents, applies XML 1.0's
 * character rule (characters it forbids are dropped) and writes line ends as references so they
 * read back unchanged.
 */

/** Attribute values; `undefined` leaves the attribute out, so callers can pass optional fields. */
export type XmlAttributes = Readonly<Record<string, string | number | boolean | undefined>>

/** An element: its name, attributes and children (elements or text). */
export interface XmlElement {
  readonly name: string
  readonly attributes: XmlAttributes
  readonly children: readonly XmlNode[]
}

export type XmlNode = XmlElement | string

/**
 * Characters XML 1.0 does not allow (outside its `Char` production): control characters other
 * than tab, LF and CR, lone surrogates, and U+FFFE/U+FFFF. They make a document unreadable to
 * every parser and cannot even be written as references, so they are dropped.
 */
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/**
 * Whether a text may need either escape: markup, any control character, any surrogate (a pair is
 * allowed but is checked the slow way) or U+FFFE/U+FFFF. Most values of a map have none of these,
 * and one test is far cheaper than two replacements over every id, name and number of a large
 * export.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const NEEDS_ESCAPING = /[\u0000-\u001F&<>"'\uD800-\uDFFF\uFFFE\uFFFF]/

const MARKUP: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A parser turns a raw CR (or CR LF) into LF; a reference keeps it as it was typed.
  '\r': '&#13;',
  // In attribute values a parser also turns raw tab and LF into spaces; references keep them.
  '\t': '&#9;',
  '\n': '&#10;',
}

/**
 * Text made safe for XML character data: escapes `& < > " '`, writes CR as a reference, and
 * drops characters XML 1.0 does not allow.
 */
export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return text
  return text.replace(FORBIDDEN, '').replace(/[&<>"'\r]/g, (char) => MARKUP[char] ?? '')
}

/**
 * Text made safe for an attribute value: as `escapeXml`, and tab and LF written as references
 * so that a multi-line value reads back unchanged rather than with its line breaks as spaces.
 */
export function escapeXmlAttribute(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return text
  return text.replace(FORBIDDEN, '').replace(/[&<>"'\r\t\n]/g, (char) => MARKUP[char] ?? '')
}

/**
 * Builds an element. Children that are `undefined`, `null` or `false` are left out, so optional
 * parts read as `cond && el(...)`.
 */
export function el(
  name: string,
  attributes: XmlAttributes = {},
  children: readonly (XmlNode | undefined | null | false)[] = [],
): XmlElement {
  return {
    name,
    attributes,
    children: children.filter(
      (child): child is XmlNode => child !== undefined && child !== null && child !== false,
    ),
  }
}

/**
 * The text of `nodes` at one level, laid out as fast-xml-parser's XMLBuilder lays it out (with
 * `preserveOrder`, `format`, `suppressEmptyNode` and our escaping), which the exports were first
 * written with and whose bytes the format tests pin. Written here rather than through the builder
 * because the builder first needs the tree copied into its ordered form and then checks every
 * name and path on the way, which made a 5,000-actor GraphML take a second and more; this walks
 * our elements once. `indentation` is a newline followed by this level's indent, as in the
 * builder; its quirks (text after an element goes on a new line; an element whose content does
 * not end in a tag but contains one is indented) are kept, so output does not change.
 */
function renderNodes(nodes: readonly XmlNode[], indentation: string, indentBy: string): string {
  let out = ''
  let previousWasElement = false
  const deeper = `${indentation}${indentBy}`
  for (const node of nodes) {
    if (typeof node === 'string') {
      if (previousWasElement) out += indentation
      out += escapeXml(node)
      previousWasElement = false
      continue
    }
    let start = `${indentation}<${node.name}`
    for (const name in node.attributes) {
      if (!Object.hasOwn(node.attributes, name)) continue
      const value = node.attributes[name]
      if (value !== undefined) start += ` ${name}="${escapeXmlAttribute(String(value))}"`
    }
    const content = renderNodes(node.children, deeper, indentBy)
    if (content === '') out += `${start}/>`
    else if (content.endsWith('>')) out += `${start}>${content}${indentation}</${node.name}>`
    else if (content.includes('/>') || content.includes('</'))
      out += `${start}>${deeper}${content}${indentation}</${node.name}>`
    else out += `${start}>${content}</${node.name}>`
    previousWasElement = true
  }
  return out
}

/**
 * A whole document: the UTF-8 declaration, then `root` indented by `indent` per level, one
 * element per line (text stays on the line of its tags, so no whitespace is added to a value),
 * ending with a newline. Element and attribute names are written as given: they come from the
 * code, never from user input.
 */
export function renderXml(root: XmlElement, indent = '  '): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${renderNodes([root], '\n', indent)}\n`
}
