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
        <span aria-hidden="true">🌐 </span>
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
