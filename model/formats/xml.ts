/**
 * A tiny, dependency-free XML writer for the graph exports (GraphML, GEXF). The model runs in
 * the browser and in Node, so neither the DOM's XMLSerializer nor a Node library is available;
 * and the exports only ever write, never read, XML.
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
 * The characters XML 1.0 allows (its `Char` production). Control characters other than tab,
 * LF and CR, lone surrogates and U+FFFE/U+FFFF make a document unreadable to every parser,
 * and cannot even be written as character references, so they are dropped.
 */
const isXmlChar = (code: number): boolean =>
  code === 0x9 ||
  code === 0xa ||
  code === 0xd ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  (code >= 0x10000 && code <= 0x10ffff)

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A parser turns a raw CR (or CR LF) into LF; a reference keeps it as it was typed.
  '\r': '&#13;',
}

/** In attribute values a parser also turns raw tab and LF into spaces; references keep them. */
const ATTRIBUTE_ENTITIES: Readonly<Record<string, string>> = { ...ENTITIES, '\t': '&#9;', '\n': '&#10;' }

function escapeWith(text: string, entities: Readonly<Record<string, string>>): string {
  let out = ''
  // for...of walks code points, so an emoji (a surrogate pair) is kept whole and only a lone
  // surrogate is seen on its own.
  for (const char of text) {
    const entity = entities[char]
    if (entity !== undefined) out += entity
    else if (isXmlChar(char.codePointAt(0) ?? 0)) out += char
  }
  return out
}

/**
 * Text made safe for XML character data: escapes `& < > " '` (all five, so the result is safe
 * in attributes too), writes CR as a reference, and drops characters XML 1.0 does not allow.
 */
export function escapeXml(text: string): string {
  return escapeWith(text, ENTITIES)
}

/**
 * Text made safe for an attribute value: as `escapeXml`, and tab and LF written as references
 * so that a multi-line value reads back unchanged rather than with its line breaks as spaces.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeWith(text, ATTRIBUTE_ENTITIES)
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

function renderAttributes(attributes: XmlAttributes): string {
  let out = ''
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue
    out += ` ${name}="${escapeXmlAttribute(String(value))}"`
  }
  return out
}

function renderElement(element: XmlElement, indent: string, depth: number, lines: string[]): void {
  const pad = indent.repeat(depth)
  const open = `${element.name}${renderAttributes(element.attributes)}`
  if (element.children.length === 0) {
    lines.push(`${pad}<${open}/>`)
    return
  }
  // Text-only content stays on one line with the tags: indenting it would add whitespace to
  // the value itself.
  if (element.children.every((child) => typeof child === 'string')) {
    lines.push(
      `${pad}<${open}>${element.children.map((child) => escapeXml(child as string)).join('')}</${element.name}>`,
    )
    return
  }
  lines.push(`${pad}<${open}>`)
  for (const child of element.children) {
    if (typeof child === 'string') lines.push(`${indent.repeat(depth + 1)}${escapeXml(child)}`)
    else renderElement(child, indent, depth + 1, lines)
  }
  lines.push(`${pad}</${element.name}>`)
}

/**
 * A whole document: the UTF-8 declaration, then `root` indented by `indent` per level, one
 * element per line, ending with a newline. Element and attribute names are written as given:
 * they come from the code, never from user input.
 */
export function renderXml(root: XmlElement, indent = '  '): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>']
  renderElement(root, indent, 0, lines)
  return `${lines.join('\n')}\n`
}
