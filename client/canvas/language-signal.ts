import i18next from 'i18next'
import { atom } from 'tldraw'

/**
 * The interface's language as a tldraw signal. A borough's 5,000 boxes read their kind and
 * domains in it: as a signal they follow a change of language without 5,000 i18next listeners
 * (one per `useTranslation`), the way each box already follows its own actor.
 */
export const languageSignal = atom<string>('language', i18next.resolvedLanguage ?? i18next.language ?? 'en')
i18next.on('languageChanged', (language) => languageSignal.set(language))
