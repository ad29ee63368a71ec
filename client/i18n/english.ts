import { DENIAL_REASONS } from '../../model/index.ts'
import { englishDeclaredWords } from './declared-words.ts'
import en from './locales/en.json'

/**
 * The English resources: en.json, plus the words whose one English source is the model (the
 * record declarations' labels, help and choices; the server's door refusals), read from it here
 * so en.json never repeats them. Other languages give all of them in their own file.
 */
export function englishWords() {
  return {
    ...en,
    ...englishDeclaredWords(),
    denials: { ...en.denials, ...DENIAL_REASONS },
  }
}
