import { type Attrs, Mark, type Node } from '@tiptap/pm/model'
import * as Y from 'yjs'
import { noteSchema } from './note-schema.ts'

/**
 * Between a note's Y.XmlFragment (y-prosemirror's layout: one XmlElement per node, named for its
 * type, with its attributes; text as XmlText whose formatting attributes are the marks) and a
 * document of `noteSchema`. Reading is a walk of our own, not y-tiptap's, whose reader repairs
 * the Y document as it goes and an export must never write; writing lays nodes out as y-tiptap's
 * prosemirrorToYXmlFragment does (the tests compare the two).
 */

/** A fragment as a document of `noteSchema`. Reads only: the fragment is never changed. */
export function noteToDoc(fragment: Y.XmlFragment): Node {
  return noteSchema.node('doc', null, nodesOf(fragment.toArray(), false))
}

type Child = Y.XmlElement | Y.XmlText | Y.XmlHook

interface Delta {
  insert: string | object
  attributes?: Record<string, unknown>
}

/**
 * The nodes for a run of Y children, as blocks or (`inline`) as inline content. An element of a
 * type the schema lacks (a newer editor's) gives its content rather than lose the text; inline
 * content where blocks belong is wrapped in a paragraph.
 */
function nodesOf(children: readonly Child[], inline: boolean): Node[] {
  const out: Node[] = []
  for (const child of children) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as Delta[]) {
        if (typeof op.insert === 'string' && op.insert !== '') {
          out.push(noteSchema.text(op.insert, marksOf(op.attributes ?? {})))
        }
      }
    } else if (child instanceof Y.XmlElement) {
      const type = noteSchema.nodes[child.nodeName]
      if (!type || type === noteSchema.topNodeType || type.isText) {
        out.push(...nodesOf(child.toArray(), inline))
      } else if (type.isBlock && inline) {
        out.push(...nodesOf(child.toArray(), true))
      } else {
        const content = type.isLeaf ? [] : nodesOf(child.toArray(), type.inlineContent)
        out.push(type.create(attrsOf(child.getAttributes(), type.spec.attrs ?? {}), content))
      }
    }
  }
  if (inline) return out
  // Inline nodes among blocks (text straight in the fragment, say): each run a paragraph.
  const blocks: Node[] = []
  let run: Node[] = []
  const flush = () => {
    if (run.length > 0) blocks.push(noteSchema.node('paragraph', null, run))
    run = []
  }
  for (const node of out) {
    if (node.isInline) run.push(node)
    else {
      flush()
      blocks.push(node)
    }
  }
  flush()
  return blocks
}

/** Stored attributes the type knows, the others left out (the type's defaults fill the gaps). */
function attrsOf(stored: Record<string, unknown>, known: Readonly<Record<string, unknown>>): Attrs {
  const attrs: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(stored)) {
    if (key in known && value !== undefined && value !== null) attrs[key] = value
  }
  return attrs
}

/** An XmlText run's formatting attributes as marks (`name--hash` is y-prosemirror's key for overlapping marks). */
function marksOf(attributes: Record<string, unknown>): readonly Mark[] {
  const marks: Mark[] = []
  for (const [key, value] of Object.entries(attributes)) {
    const type = noteSchema.marks[key.split('--')[0] ?? key]
    if (!type || value === null || value === undefined || value === false) continue
    const stored = typeof value === 'object' ? (value as Record<string, unknown>) : {}
    marks.push(type.create(attrsOf(stored, type.spec.attrs ?? {})))
  }
  return Mark.setFrom(marks)
}

/**
 * Replaces a fragment's content with `doc` (inside the caller's transaction), laid out as the
 * editor's collaboration binding would write it.
 */
export function writeNoteDoc(fragment: Y.XmlFragment, doc: Node): void {
  if (fragment.length > 0) fragment.delete(0, fragment.length)
  const children: (Y.XmlElement | Y.XmlText)[] = []
  doc.forEach((node) => {
    children.push(...toY(node))
  })
  fragment.insert(0, children)
}

/**
 * A node as y-prosemirror lays it out: an element named for its type with its attributes that
 * are not null; each run of text one XmlText whose formatting attributes are the marks' attributes.
 */
function toY(node: Node): (Y.XmlElement | Y.XmlText)[] {
  if (node.isText) return [textOf([node])]
  const element = new Y.XmlElement(node.type.name)
  for (const [key, value] of Object.entries(node.attrs)) {
    if (value !== null && value !== undefined) element.setAttribute(key, value as string)
  }
  const children: (Y.XmlElement | Y.XmlText)[] = []
  let run: Node[] = []
  const flush = () => {
    if (run.length > 0) children.push(textOf(run))
    run = []
  }
  node.forEach((child) => {
    if (child.isText) run.push(child)
    else {
      flush()
      children.push(...toY(child))
    }
  })
  flush()
  element.insert(0, children)
  return [element]
}

function textOf(nodes: readonly Node[]): Y.XmlText {
  const text = new Y.XmlText()
  text.applyDelta(
    nodes.map((node) => ({
      insert: node.text ?? '',
      attributes: Object.fromEntries(node.marks.map((mark) => [mark.type.name, mark.attrs])),
    })),
  )
  return text
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
