import { XMLParser, XMLValidator } from 'fast-xml-parser'

// A strict reader for the graph exports' XML, shared by the GraphML and GEXF tests: fast-xml-parser's
// validator and parser, plus the well-formedness rules they let through (characters XML 1.0
// forbids, raw or as references; undeclared entities; `<` or a bare `&` in an attribute value;
// `]]>` in text; more than one root; text outside the root). It throws on anything not well formed.
export interface XmlNode {
  name: string
  attributes: Record<string, string>
  children: XmlNode[]
  text: string
}

const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u
const REFERENCE = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g

const options = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
} as const
/** Values as written, to check the references in them. */
const raw = new XMLParser({ ...options, processEntities: false })
/** Values as a reader sees them (numeric references decoded; no HTML names get past the checks). */
const decoded = new XMLParser({ ...options, htmlEntities: true })

type Ordered = Record<string, unknown>
const nameOf = (node: Ordered) => Object.keys(node).find((key) => key !== ':@') ?? ''
const attributesOf = (node: Ordered) => (node[':@'] ?? {}) as Record<string, string>

/** A value as written: only the five entities and references to characters XML allows. */
function checkWritten(value: string, where: string): void {
  if (FORBIDDEN.test(value)) throw new Error(`a raw character XML forbids in ${where}`)
  if (value.replace(REFERENCE, '').includes('&')) throw new Error(`bare & or unknown entity in ${where}`)
  for (const [ref] of value.matchAll(REFERENCE)) {
    const code = ref[2] === 'x' ? Number.parseInt(ref.slice(3), 16) : Number.parseInt(ref.slice(2), 10)
    if (ref[1] === '#' && (code > 0x10ffff || FORBIDDEN.test(String.fromCodePoint(code)))) {
      throw new Error(`a reference to a character XML forbids in ${where}: ${ref}`)
    }
  }
}

/** The rules the validator lets through, checked on the values as written. */
function check(node: Ordered): void {
  const name = nameOf(node)
  for (const [key, value] of Object.entries(attributesOf(node))) {
    if (value.includes('<')) throw new Error(`< in ${key} of <${name}>`)
    checkWritten(value, `${key} of <${name}>`)
  }
  for (const child of node[name] as Ordered[]) {
    if (!('#text' in child)) check(child)
    else if (String(child['#text']).includes(']]>')) throw new Error(`]]> in the text of <${name}>`)
    else checkWritten(String(child['#text']), `the text of <${name}>`)
  }
}

function convert(node: Ordered): XmlNode {
  const name = nameOf(node)
  const out: XmlNode = { name, attributes: { ...attributesOf(node) }, children: [], text: '' }
  for (const child of node[name] as Ordered[]) {
    if ('#text' in child) out.text += String(child['#text'])
    else out.children.push(convert(child))
  }
  return out
}

export function readXml(xml: string): XmlNode {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) throw new Error(`not well formed: ${valid.err.msg} (line ${valid.err.line})`)
  const written = raw.parse(xml) as Ordered[]
  const elements = written.filter((node) => !('#text' in node))
  if (elements.length !== 1) throw new Error(`${elements.length} roots`)
  if (written.some((node) => '#text' in node && String(node['#text']).trim() !== '')) {
    throw new Error('text outside the root')
  }
  // The parser drops text after the root without a word.
  if (xml.slice(xml.lastIndexOf('>') + 1).trim() !== '') throw new Error('text after the root')
  for (const node of elements) check(node)
  const root = (decoded.parse(xml) as Ordered[]).find((node) => !('#text' in node))
  if (!root) throw new Error('no root')
  return convert(root)
}

export const all = (node: XmlNode, name: string): XmlNode[] =>
  node.children.flatMap((child) => [...(child.name === name ? [child] : []), ...all(child, name)])
