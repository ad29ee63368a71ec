/**
 * The languages the interface speaks, and this device's choice among them. A choice per device
 * rather than per workspace: a resident at a shared laptop and the facilitator beside them may
 * each read the same map in their own language.
 */
export interface Language {
  /** BCP 47 code, as set on <html lang>. */
  readonly code: string
  /** Its name in itself, so someone who reads only that language can find it in the list. */
  readonly name: string
  readonly dir: 'ltr' | 'rtl'
  /** The code tldraw's own menus and tooltips use for it (see @tldraw/assets' translations). */
  readonly tldraw: string
}

export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr', tldraw: 'en' },
  { code: 'ur', name: 'اردو', dir: 'rtl', tldraw: 'ur' },
] as const satisfies readonly Language[]

export type LanguageCode = (typeof LANGUAGES)[number]['code']

const KEY = 'network-map:language'

export function languageOf(code: string): Language {
  return LANGUAGES.find((language) => language.code === code) ?? LANGUAGES[0]
}

function isSupported(code: string | null | undefined): code is LanguageCode {
  return LANGUAGES.some((language) => language.code === code)
}

/**
 * The language chosen on this device, or else the first of the browser's preferred languages
 * that the interface speaks ("ur-PK" counts as Urdu), or else English.
 */
export function initialLanguage(): LanguageCode {
  try {
    const stored = localStorage.getItem(KEY)
    if (isSupported(stored)) return stored
  } catch {
    // Storage may be blocked (a private window in some browsers): fall through to the browser's.
  }
  for (const preferred of navigator.languages ?? []) {
    const base = preferred.toLowerCase().split('-')[0]
    if (isSupported(base)) return base
  }
  return 'en'
}

export function rememberLanguage(code: LanguageCode): void {
  try {
    localStorage.setItem(KEY, code)
  } catch {
    // Not remembered on this device; the choice still holds until the page is closed.
  }
}
