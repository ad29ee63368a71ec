import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { englishWords } from './english.ts'
import { initialLanguage, type LanguageCode, languageOf, rememberLanguage } from './languages.ts'
import type en from './locales/en.json'
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

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en }
  }
}

/** Loaded only for a language written in it, so the English interface downloads no Urdu font. */
const fonts: Partial<Record<LanguageCode, () => Promise<unknown>>> = {
  ur: () =>
    Promise.all([
      import('@fontsource/noto-nastaliq-urdu/400.css'),
      import('@fontsource/noto-nastaliq-urdu/700.css'),
    ]),
}

/** Sets what the browser and assistive technology read from <html>: the language and its direction. */
function applyToDocument(code: LanguageCode): void {
  const language = languageOf(code)
  document.documentElement.lang = language.code
  document.documentElement.dir = language.dir
  void fonts[code]?.()
}

const first = initialLanguage()
void i18next.use(initReactI18next).init({
  resources,
  lng: first,
  fallbackLng: 'en',
  // React escapes what it renders; escaping here too would show "&amp;" in names.
  interpolation: { escapeValue: false },
  returnNull: false,
})
applyToDocument(first)

/** Switches this device's language at once, everywhere, and remembers it. */
export function chooseLanguage(code: LanguageCode): void {
  rememberLanguage(code)
  applyToDocument(code)
  void i18next.changeLanguage(code)
}

export { intlLocale } from './intl-locale.ts'
export { i18next }
