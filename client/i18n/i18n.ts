import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { initialLanguage, type LanguageCode, languageOf, rememberLanguage } from './languages.ts'
import type en from './locales/en.json'
import { wordsOptions } from './resources.ts'

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
void i18next.use(initReactI18next).init({ ...wordsOptions, lng: first })
applyToDocument(first)

/** Switches this device's language at once, everywhere, and remembers it. */
export function chooseLanguage(code: LanguageCode): void {
  rememberLanguage(code)
  applyToDocument(code)
  void i18next.changeLanguage(code)
}

export { intlLocale } from './intl-locale.ts'
export { i18next }
