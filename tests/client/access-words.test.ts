import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { denialWords, refusalWords } from '../../client/access/access-words.ts'
import ur from '../../client/i18n/locales/ur.json'
import { wordsOptions } from '../../client/i18n/resources.ts'
import { DENIAL_PROBLEMS, DENIAL_REASONS } from '../../model/index.ts'
import type { RecordRef, RecordWrites } from '../../sync-server/record-writes.ts'
import type { UpdateScope } from '../../sync-server/update-scope.ts'
import {
  checkAuthorship,
  checkLock,
  checkVoteBudget,
  checkWrite,
  type Refusal,
} from '../../sync-server/write-rules.ts'

/**
 * The server's refusals in the person's language (client/access/access-words.ts). English is
 * the server's own sentences, word for word: a test here, rather than a second copy that drifts.
 */

const scope = (roots: Record<string, (string | null)[]>, untraceable: string | null = null): UpdateScope =>
  ({
    roots: new Map(Object.entries(roots).map(([root, keys]) => [root, new Set(keys)])),
    untraceable,
    created: new Map(),
  }) as unknown as UpdateScope

const writes = (patch: Partial<RecordWrites>): RecordWrites => ({
  removed: [],
  created: [],
  authorChanged: [],
  votes: [],
  tallied: [],
  ...patch,
})

const ref = { kind: 'quickWin', id: 'w1' } as RecordRef

/** Every refusal the write rules give, each sentence once. */
function everyRefusal(): Refusal[] {
  const refused = (check: ReturnType<typeof checkWrite>) => (check.ok ? null : check.refusal)
  const all = [
    refused(checkWrite('viewer', scope({ actors: ['a'] }))),
    refused(checkWrite('participant', scope({ actors: ['a'] }, 'a deleted item the room does not have'))),
    refused(checkWrite('participant', scope({ agenda: [null] }))),
    refused(checkWrite('participant', scope({ meta: ['title'] }))),
    refused(checkWrite('participant', scope({ facilitation: ['timer'] }))),
    refused(checkWrite('participant', scope({ nothingLikeThis: [null] }))),
    checkLock('participant', true, true),
    checkAuthorship('participant', 'me', writes({ removed: [{ ...ref, addedBy: 'someone' }] })),
    checkAuthorship('participant', 'me', writes({ authorChanged: [ref] })),
    checkAuthorship('participant', 'me', writes({ created: [{ ...ref, addedBy: 'someone' }] })),
    checkAuthorship('participant', 'me', writes({ votes: [{ recordId: 'w1', voter: 'someone', count: 1 }] })),
    checkVoteBudget('participant', 0, 2, 1),
    checkVoteBudget('participant', 0, 4, 3),
  ]
  return all.filter((refusal): refusal is Refusal => refusal !== null)
}

describe('the server’s refusals in the person’s language', () => {
  beforeAll(async () => {
    await i18next.init({ ...wordsOptions, lng: 'en' })
  })

  it('has a refusal for every sentence the write rules give', () => {
    const refusals = everyRefusal()
    expect(refusals).toHaveLength(13)
    expect(new Set(refusals.map((refusal) => refusal.reason)).size).toBe(13)
  })

  it('says each in English exactly as the server does, and in Urdu in other words', async () => {
    for (const refusal of everyRefusal()) {
      await i18next.changeLanguage('en')
      // The untraceable sentence names a technical cause; the app says it plainly instead.
      if (refusal.code !== 'untraceable') expect(refusalWords(refusal)).toBe(refusal.reason)
      await i18next.changeLanguage('ur')
      const urdu = refusalWords(refusal)
      expect(urdu, refusal.reason).not.toBe(refusal.reason)
      expect(urdu.match(/[A-Za-z]{2,}/g), urdu).toBeNull()
    }
  })

  it('keeps the server’s sentence for a code it does not know, and says something when there is none', async () => {
    await i18next.changeLanguage('ur')
    expect(refusalWords({ code: 'from-a-newer-server', reason: 'Some new rule.' })).toBe('Some new rule.')
    expect(refusalWords({ code: 'over-budget', reason: 'No figure sent.' })).toBe('No figure sent.')
    expect(refusalWords({})).toBe(ur.serverRefusals.fallback)
  })

  it('names every door refusal from its sentence, in English as the server says it', async () => {
    for (const problem of DENIAL_PROBLEMS) {
      await i18next.changeLanguage('en')
      expect(denialWords(DENIAL_REASONS[problem])).toBe(DENIAL_REASONS[problem])
      await i18next.changeLanguage('ur')
      expect(denialWords(DENIAL_REASONS[problem])).toBe(ur.denials[problem])
    }
    expect(denialWords('A proxy closed this.')).toBe('A proxy closed this.')
    expect(denialWords('')).toBe(ur.denials.fallback)
  })
})
