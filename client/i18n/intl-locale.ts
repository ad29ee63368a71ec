import i18next from 'i18next'

/**
 * The locale Intl formats dates, numbers and lists in for a language of the interface: the
 * interface's own, with British dates and numbers for English (as the app wrote them before).
 * Apart from i18n.ts (which sets up the page's language) so that modules also loaded outside a
 * page (the canvas's shapes in unit tests) can use it.
 */
export function intlLocale(language: string = i18next.resolvedLanguage ?? i18next.language): string {
  return language === 'en' ? 'en-GB' : language
}
