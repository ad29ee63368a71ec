import type { InitOptions } from 'i18next'
import { englishWords } from './english.ts'
import ur from './locales/ur.json'

/**
 * The interface's words, from one locale file per language. English is the source and the
 * fallback: a string missing from another language shows in English rather than as a key
 * (tests/client/locales.test.ts keeps every language's keys and placeholders equal to English's).
 */
export const resources = {
  // English words whose source is the model come from it (english.ts); other languages give them
  // in their locale file.
  en: { translation: englishWords() },
  ur: { translation: ur },
} as const

/**
 * How i18next is set up with those words, in the app (i18n.ts) and in the tests that word things
 * without a page: no side effects here, so Node can import it.
 */
export const wordsOptions = {
  resources,
  fallbackLng: 'en',
  // React escapes what it renders; escaping here too would show "&amp;" in names.
  interpolation: { escapeValue: false },
  returnNull: false,
} satisfies InitOptions
