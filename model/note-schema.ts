import { Schema } from '@tiptap/pm/model'

/**
 * What a note is made of, as the editor stores it: the schema the Markdown is written and read
 * over (see notes.ts), and the few rules both directions share.
 */

/** How a mention of an actor is written: a link that survives a round trip, or just `@Name`. */
export type MentionStyle = 'link' | 'text'

/** How a mention links to its actor in Markdown: `[@Name](actor:ID)`. */
export const MENTION_SCHEME = 'actor:'
/** Link addresses a note keeps, as the editor does (client/notes/extensions.ts LINK_SCHEMES). */
export const LINK_SCHEMES = /^(https?:|mailto:)/i

/**
 * The editor's document model: the names, attributes and defaults of Tiptap's StarterKit (as the
 * editor configures it) and Mention, so that what is read from a fragment and written into one
 * is what the editor stores. Content rules are looser where a reader should not reject: a
 * document may be empty, and code may carry other marks.
 */
export const noteSchema = new Schema({
  nodes: {
    doc: { content: 'block*' },
    paragraph: { content: 'inline*', group: 'block' },
    heading: { attrs: { level: { default: 1 } }, content: 'inline*', group: 'block' },
    blockquote: { content: 'block+', group: 'block' },
    bulletList: { content: 'listItem+', group: 'block list' },
    orderedList: {
      attrs: { start: { default: 1 }, type: { default: null } },
      content: 'listItem+',
      group: 'block list',
    },
    listItem: { content: 'paragraph block*' },
    codeBlock: {
      attrs: { language: { default: null } },
      content: 'text*',
      marks: '',
      code: true,
      group: 'block',
    },
    horizontalRule: { group: 'block' },
    text: { group: 'inline' },
    hardBreak: { inline: true, group: 'inline' },
    mention: {
      inline: true,
      group: 'inline',
      atom: true,
      attrs: { id: { default: null }, label: { default: null }, mentionSuggestionChar: { default: '@' } },
    },
  },
  // In the order they nest when written: a link outermost, code innermost.
  marks: {
    link: {
      attrs: {
        href: { default: null },
        target: { default: '_blank' },
        rel: { default: 'noopener noreferrer nofollow' },
        class: { default: null },
        title: { default: null },
      },
      inclusive: false,
    },
    strike: {},
    italic: {},
    bold: {},
    code: {},
  },
})
