// A strict reader for the XML subset the graph exports write (double-quoted attributes, no
// comments or CDATA): it throws on anything not well formed. Shared by the GraphML and GEXF tests.
export interface XmlNode {
  name: string
  attributes: Record<string, string>
  children: XmlNode[]
  text: string
}
const isXmlChar = (c: number) =>
  c === 9 ||
  c === 10 ||
  c === 13 ||
  (c >= 0x20 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd) ||
  c >= 0x10000
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
function decode(raw: string): string {
  if (/&(?!(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);)/.test(raw)) throw new Error(`bare & in ${raw}`)
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, ref: string) => {
    if (!ref.startsWith('#')) return ENTITIES[ref] ?? ''
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10)
    if (!isXmlChar(code)) throw new Error(`reference to a character XML forbids: ${ref}`)
    return String.fromCodePoint(code)
  })
}
export function readXml(xml: string): XmlNode {
  for (const char of xml) {
    if (!isXmlChar(char.codePointAt(0) ?? 0)) throw new Error(`raw U+${char.codePointAt(0)?.toString(16)}`)
  }
  const token =
    /<\?xml [^?]*\?>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/y
  const document: XmlNode = { name: '#document', attributes: {}, children: [], text: '' }
  const stack = [document]
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex
    const match = token.exec(xml)
    const top = stack[stack.length - 1]
    if (!match || !top) throw new Error(`not well formed at ${at}: ${xml.slice(at, at + 60)}`)
    const [whole, close, name = '', attributes = '', selfClosing, text] = match
    if (text !== undefined) {
      if (text.includes(']]>')) throw new Error(']]> in text')
      if (stack.length === 1 && text.trim() !== '') throw new Error('text outside the root')
      top.text += decode(text)
    } else if (whole.startsWith('<?xml')) {
      if (at !== 0) throw new Error('declaration not at the start')
    } else if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`)
      stack.pop()
    } else {
      const node: XmlNode = { name, attributes: {}, children: [], text: '' }
      for (const [, key = '', value = ''] of attributes.matchAll(/([\w.:-]+)="([^"]*)"/g)) {
        if (key in node.attributes) throw new Error(`${key} twice on <${name}>`)
        node.attributes[key] = decode(value)
      }
      if (stack.length === 1 && document.children.length > 0) throw new Error('a second root')
      top.children.push(node)
      if (!selfClosing) stack.push(node)
    }
  }
  const root = document.children[0]
  if (stack.length !== 1 || !root) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`)
  return root
}
export const all = (node: XmlNode, name: string): XmlNode[] =>
  node.children.flatMap((child) => [...(child.name === name ? [child] : []), ...all(child, name)])
