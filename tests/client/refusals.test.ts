import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { explain, MODEL_MESSAGES, refusalOf } from '../../client/forms/explain.ts'
import { wordsOptions } from '../../client/i18n/resources.ts'
import { Workspace } from '../../model/index.ts'

/**
 * Refusals in the person's language (client/forms/explain.ts): zod's checks worded by their code,
 * the model's own messages by their English, a field named by its label in that language.
 */

const MODEL = join(import.meta.dirname, '../../model')

/** Every message the model's schemas and rules give themselves, as written in its sources. */
function modelMessages(): string[] {
  const files = [
    ...readdirSync(join(MODEL, 'records'))
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
      .map((name) => join(MODEL, 'records', name)),
    join(MODEL, 'ids.ts'),
  ]
  const found = new Set<string>()
  for (const file of files) {
    const source = readFileSync(file, 'utf8')
    for (const pattern of [
      /\.regex\([^\n]*?,\s*'([^']+)'\)/g,
      /message: '([^']+)'/g,
      /\? '([a-z][^']+)' : undefined/g,
    ])
      for (const match of source.matchAll(pattern)) found.add(match[1] as string)
  }
  return [...found]
}

function refused(run: (workspace: Workspace) => unknown): unknown {
  try {
    run(new Workspace(new Y.Doc()))
  } catch (error) {
    return error
  }
  throw new Error('the command was not refused')
}

describe('refusals', () => {
  beforeAll(async () => {
    await i18next.init({ ...wordsOptions, lng: 'en' })
  })

  it('word every message the model gives itself', () => {
    const messages = modelMessages()
    expect(messages).toContain('must not be blank')
    expect(messages.filter((message) => !(message in MODEL_MESSAGES))).toEqual([])
  })

  it('name the field and say what to fix, in English and in Urdu', async () => {
    await i18next.changeLanguage('en')
    const website = refused((ws) =>
      ws.addActor({ kind: 'organisation', name: 'Fund', website: 'javascript:x' }),
    )
    expect(explain(website)).toBe('Website: Enter a web address starting with https:// (or http://).')
    const blank = refused((ws) => ws.addActor({ kind: 'organisation', name: '   ' }))
    expect(refusalOf(blank).fields.name).toBe('Must not be blank.')

    await i18next.changeLanguage('ur')
    const again = refused((ws) =>
      ws.addActor({ kind: 'organisation', name: 'Fund', website: 'javascript:x' }),
    )
    expect(explain(again)).toBe('ویب سائٹ: ویب کا پتہ لکھیں جو https:// سے شروع ہو۔')
    const blankAgain = refused((ws) => ws.addActor({ kind: 'organisation', name: '   ' }))
    expect(refusalOf(blankAgain).fields.name).toBe('یہ خالی نہیں رہ سکتا۔')
    const long = refused((ws) => ws.addActor({ kind: 'organisation', name: 'x'.repeat(201) }))
    expect(refusalOf(long).fields.name).toBe('اسے 200 حروف یا اس سے کم میں لکھیں۔')
    await i18next.changeLanguage('en')
  })
})
