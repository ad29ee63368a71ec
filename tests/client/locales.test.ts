import { describe, expect, it } from 'vitest'
import { englishDeclaredWords } from '../../client/i18n/declared-words.ts'
import { englishWords } from '../../client/i18n/english.ts'
import { LANGUAGES } from '../../client/i18n/languages.ts'
import en from '../../client/i18n/locales/en.json'
import ur from '../../client/i18n/locales/ur.json'

/**
 * Every locale file against English, the source: the same keys (with the plural forms each
 * language's grammar asks for), the same placeholders, and no string left empty or in English.
 * English is en.json and the words of the record declarations (field labels, help, choices and
 * group headings: client/i18n/declared-words.ts), which the app reads from the declarations at
 * start; every other language words both in its one file. A field declared later fails here
 * until each language has its words.
 */
type Tree = { [key: string]: string | Tree }
const declared = englishDeclaredWords()
const locales: Record<string, Tree> = { en: englishWords(), ur }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else for (const [inner, text] of flatten(value, path)) out.set(inner, text)
  }
  return out
}

const PLURAL = /_(zero|one|two|few|many|other)$/
/** A key without its plural suffix: "journeys.steps_one" is the message "journeys.steps". */
const message = (key: string) => key.replace(PLURAL, '')
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort()

describe('locale files', () => {
  const source = flatten(locales.en as Tree)
  const sourceMessages = new Set([...source.keys()].map(message))

  it("keeps the declarations' and the door refusals' English in the model only, not in en.json", () => {
    for (const section of Object.keys(declared)) expect(Object.keys(en), section).not.toContain(section)
    expect(Object.keys(en.denials)).toEqual(['fallback'])
  })

  it('words every declared field, help text, choice and group heading', () => {
    const wanted = [...flatten(declared as Tree).keys()]
    expect(wanted).toContain('fields.actor.kind.label')
    expect(wanted).toContain('choices.domains.health')
    expect(wanted).toContain('fields.link.direction.choices.mutual')
    expect(wanted).toContain('groups.link.funding')
    for (const language of LANGUAGES) {
      const strings = flatten(locales[language.code] as Tree)
      for (const key of wanted) expect(strings.has(key), `${language.code}: ${key}`).toBe(true)
    }
  })

  it('has a file for every language offered, and nothing else', () => {
    expect(Object.keys(locales).sort()).toEqual(LANGUAGES.map((language) => language.code).sort())
  })

  for (const language of LANGUAGES) {
    describe(language.code, () => {
      const strings = flatten(locales[language.code] as Tree)
      const categories = new Intl.PluralRules(language.code).resolvedOptions().pluralCategories

      it('has every message English has, and no other', () => {
        expect(new Set([...strings.keys()].map(message))).toEqual(sourceMessages)
      })

      it('gives each counted message every plural form the language uses', () => {
        const counted = new Set([...source.keys()].filter((key) => PLURAL.test(key)).map(message))
        for (const key of counted) {
          for (const category of categories) {
            expect(strings.has(`${key}_${category}`), `${key}_${category}`).toBe(true)
          }
        }
      })

      it('keeps the placeholders of each English message', () => {
        for (const [key, text] of strings) {
          const english = source.get(key) ?? source.get(`${message(key)}_other`)
          expect(english, key).toBeDefined()
          // A language may leave out {{count}} where its words say the number ("once").
          const wanted = placeholders(english as string).filter(
            (name) => !(name === 'count' && !text.includes('{{count}}')),
          )
          expect(placeholders(text), key).toEqual(wanted)
        }
      })

      it('leaves no message empty', () => {
        for (const [key, text] of strings) expect(text.trim(), key).not.toBe('')
      })

      if (language.code !== 'en') {
        it('leaves no English word in a message (placeholders and "https" aside)', () => {
          for (const [key, text] of strings) {
            const words = text
              .replace(/\{\{\s*\w+\s*\}\}/g, '')
              .replace(/https/g, '')
              .match(/[A-Za-z]{2,}/g)
            expect(words, key).toBeNull()
          }
        })
      }
    })
  }
})
