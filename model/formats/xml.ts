import { XMLBuilder } from 'fast-xml-parser'

/**
 * The XML writer for the graph exports (GraphML, GEXF): documents are described with `el`
 * and written by fast-xml-parser's XMLBuilder, which lays out the elements, quotes attribute
 * values and indents. What stays here is what no builder does for us: XML 1.0's character rule
 * (characters it forbids are dropped) and line ends written as references so they read back
 * unchanged.
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
  return text.replace(FORBIDDEN, '').replace(/[&<>"'\r]/g, (char) => MARKUP[char] ?? '')
}

/**
 * Text made safe for an attribute value: as `escapeXml`, and tab and LF written as references
 * so that a multi-line value reads back unchanged rather than with its line breaks as spaces.
 */
export function escapeXmlAttribute(text: string): string {
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

/** XMLBuilder's ordered form of a node: `{ name: children, ':@': attributes }`, or `{ '#text': text }`. */
type Ordered = Record<string, unknown>

function ordered(node: XmlNode): Ordered {
  if (typeof node === 'string') return { '#text': node }
  const out: Ordered = { [node.name]: node.children.map(ordered) }
  const attributes = Object.entries(node.attributes).filter(([, value]) => value !== undefined)
  if (attributes.length > 0) {
    out[':@'] = Object.fromEntries(attributes.map(([name, value]) => [`@_${name}`, String(value)]))
  }
  return out
}

const builder = (indent: string) =>
  new XMLBuilder({
    preserveOrder: true,
    ignoreAttributes: false,
    format: true,
    indentBy: indent,
    suppressEmptyNode: true,
    suppressBooleanAttributes: false,
    // The escaping is ours (above): the builder's own knows neither line ends nor XML's
    // forbidden characters. It still writes any quote left in an attribute as a reference.
    processEntities: false,
    tagValueProcessor: (_, value) => escapeXml(String(value)),
    attributeValueProcessor: (_, value) => escapeXmlAttribute(String(value)),
  })

/**
 * A whole document: the UTF-8 declaration, then `root` indented by `indent` per level, one
 * element per line (text stays on the line of its tags, so no whitespace is added to a value),
 * ending with a newline. Element and attribute names are written as given: they come from the
 * code, never from user input.
 */
export function renderXml(root: XmlElement, indent = '  '): string {
  const declaration = { '?xml': [], ':@': { '@_version': '1.0', '@_encoding': 'UTF-8' } }
  return `${builder(indent).build([declaration, ordered(root)])}\n`
}
