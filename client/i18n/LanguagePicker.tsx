import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { chooseLanguage } from './i18n.ts'
import { LANGUAGES, type LanguageCode } from './languages.ts'

/**
 * This device's language. Each option is written in its own language and script, so a person
 * can find theirs whatever the page is in now; the label is in the current one.
 */
export function LanguagePicker({ className = '' }: { className?: string }) {
  const { t, i18n } = useTranslation()
  const id = useId()
  return (
    <div className={`language-picker ${className}`}>
      <label htmlFor={id}>
        <GlobeIcon />
        {t('language.label')}
      </label>
      <select
        id={id}
        value={i18n.resolvedLanguage ?? 'en'}
        onChange={(event) => chooseLanguage(event.currentTarget.value as LanguageCode)}
      >
        {LANGUAGES.map((language) => (
          <option key={language.code} value={language.code} lang={language.code} dir={language.dir}>
            {language.name}
          </option>
        ))}
      </select>
    </div>
  )
}

/** Drawn rather than an emoji: many laptops at a venue have no colour-emoji font. */
function GlobeIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" style={{ verticalAlign: '-3px' }}>
      <g fill="none" stroke="currentColor" strokeWidth="1.3">
        <circle cx="8" cy="8" r="6.5" />
        <ellipse cx="8" cy="8" rx="3" ry="6.5" />
        <path d="M1.5 8h13M2.5 4.75h11M2.5 11.25h11" />
      </g>
    </svg>
  )
}
