import i18next from 'i18next'
import { z } from 'zod'
import { DECLARATIONS, type RecordDeclaration, WorkspaceError } from '../../model/index.ts'
import { fieldLabel } from '../i18n/declared-words.ts'
import type en from '../i18n/locales/en.json'

/**
 * Turning a refused command into words for the person at the screen. A command refuses with a
 * WorkspaceError: a code, the command's name and, for input, one issue per field at fault. The
 * words come from those, never from cutting up the error's message (written for logs).
 */

/** A refused command in the person's words: a message per field at fault, and one for the rest. */
export interface Refusal {
  readonly fields: Readonly<Record<string, string>>
  readonly message: string | null
}

export const NO_REFUSAL: Refusal = { fields: {}, message: null }

/** What a field says when its value is refused, in place of the general words (a form's own hint). */
export type Wording = Readonly<Record<string, string>>

// The model validates with zod; zod words its built-in checks for developers ("Too big: expected
// string to have <=200 characters"). This app's wording of the same checks, from each issue's
// structured code and limits. Messages a schema gives itself (a charity number's format) still
// win: zod asks this only when the schema said nothing.
z.config({ customError: plainIssue })

function plainIssue(issue: z.core.$ZodRawIssue): string | undefined {
  const t = i18next.t
  switch (issue.code) {
    case 'too_big': {
      const count = Number(issue.maximum)
      if (issue.origin === 'string') return t('refusals.tooLong', { count })
      if (issue.origin === 'array') return t('refusals.chooseAtMost', { count })
      return t('refusals.numberUpTo', { max: count })
    }
    case 'too_small': {
      const count = Number(issue.minimum)
      if (issue.origin === 'string') return t('refusals.writeSomething')
      if (issue.origin === 'array') return t('refusals.chooseAtLeast', { count })
      return t('refusals.numberFrom', { min: count })
    }
    case 'invalid_format':
      if (issue.format === 'url') return t('refusals.webAddress')
      if (issue.format === 'date') return t('refusals.date')
      return t('refusals.format')
    case 'invalid_value':
      return t('refusals.choose')
    case 'invalid_type':
      if (issue.expected === 'int') return t('refusals.wholeNumber')
      if (issue.expected === 'number') return t('refusals.number')
      return issue.input === undefined ? t('refusals.fillIn') : t('refusals.cannotUse')
    case 'not_multiple_of':
      return t('refusals.multipleOf', { divisor: Number(issue.divisor) })
    case 'unrecognized_keys':
      return t('refusals.unknownField')
    default:
      return undefined
  }
}

/**
 * The messages the model's schemas and rules give themselves (a charity number's format), as
 * the model writes them, and the key of the same words in the locale files. An English message
 * not listed here is shown as the model wrote it.
 */
export const MODEL_MESSAGES = {
  'must not be blank': 'blank',
  'a charity number is 5 to 8 digits, optionally after SC or NI': 'charityNumber',
  'a company number is 8 characters, e.g. 01234567 or SC123456': 'companyNumber',
  'a currency is an ISO 4217 code such as GBP': 'currency',
  'a note cannot hold ";" or "|": they separate offers and needs in a spreadsheet': 'noteSeparators',
  'a ward cannot hold ";", "|" or brackets': 'wardSeparators',
  'name an actor on the map or the place in words': 'stepPlace',
  'a link joins two different actors': 'linkEnds',
  'an id is 1 to 64 letters, digits, "-" or "_"': 'id',
  'an author is an id or nothing': 'author',
} as const satisfies Record<string, keyof typeof en.refusals.model>

/** A message the model wrote, in the person's language where it is one the locale files word. */
export function modelMessage(message: string): string {
  const key = (MODEL_MESSAGES as Readonly<Record<string, keyof typeof en.refusals.model>>)[message.trim()]
  return key ? i18next.t(`refusals.model.${key}`) : message
}

/** Each command's record kind, so an issue about a field can be called by the field's label. */
const KIND_OF_COMMAND = new Map<string, RecordDeclaration>(
  (DECLARATIONS as readonly RecordDeclaration[]).flatMap((kind) =>
    Object.values(kind.commands).map((command) => [command, kind] as const),
  ),
)

/** A field's label as its kind declares it ("Languages spoken"), in the person's language. */
function labelOf(command: string, field: string): string | undefined {
  const info = KIND_OF_COMMAND.get(command)?.fields.find((each) => each.key === field)
  return info ? fieldLabel(info) : undefined
}

/** Refusals that are not about one field's value, by code (and for some codes, by command). */
function plainRefusal(error: WorkspaceError): string {
  const t = i18next.t
  switch (error.code) {
    case 'not-found':
      return t('refusals.notFound')
    case 'newer-schema':
      return t('refusals.newerSchema')
    case 'locked':
      return t('refusals.locked')
    case 'over-budget':
      return t('refusals.overBudget')
    case 'invalid-reference':
      if (error.command === 'connect' || error.command === 'reconnect') return t('refusals.linkEnds')
      if (error.command === 'mergeThemes') return t('refusals.mergeTheme')
      if (error.command === 'mergePoints') return t('refusals.mergePoint')
      if (error.command === 'load') return t('refusals.loadEmpty')
      return t('refusals.goneReference')
    case 'invalid-input':
      if (error.command === 'summon') return t('refusals.summonName')
      if (error.command === 'startTimer') return t('refusals.timerLength')
      return t('refusals.checkFields')
  }
}

/** "keep it short" -> "Keep it short.": a message as a sentence. */
function sentence(text: string): string {
  const trimmed = modelMessage(text).trim()
  if (!trimmed) return i18next.t('refusals.couldNotSave')
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
  // Urdu ends a sentence with "۔", which a translated message has already.
  return /[.!?۔؟]$/.test(capital) ? capital : `${capital}${i18next.t('refusals.fullStop')}`
}

/**
 * Explains a refusal field by field: each input issue goes to its field (the first part of its
 * path) in `wording`'s words if given; anything else becomes the general message. Never throws:
 * a bug shows as a message, not a crash.
 */
export function refusalOf(error: unknown, wording: Wording = {}): Refusal {
  if (!(error instanceof WorkspaceError))
    return { fields: {}, message: i18next.t('refusals.wrong', { reason: String(error) }) }
  if (error.issues.length === 0) return { fields: {}, message: plainRefusal(error) }
  const fields: Record<string, string> = {}
  let general: string | null = null
  for (const issue of error.issues) {
    const field = issue.path.split('.')[0] ?? ''
    // A missing record a field names says so; a value that fails a check says what to fix.
    const plain =
      error.code === 'invalid-reference'
        ? i18next.t('refusals.notThereAnyMore')
        : (wording[field] ?? sentence(issue.message))
    if (field === '') general ??= plain
    else fields[field] ??= plain
  }
  return { fields, message: general }
}

/**
 * The whole refusal as one plain sentence, for places with one line to show it: a field's
 * problem is prefixed with the field's label from the model ("Website: Enter a web address..."),
 * in the person's language as every message here (the locale files' `refusals`).
 */
export function explain(error: unknown): string {
  const refusal = refusalOf(error)
  if (refusal.message) return refusal.message
  const [field, message] = Object.entries(refusal.fields)[0] ?? []
  if (!field || !message) return i18next.t('refusals.couldNotSave')
  const label = error instanceof WorkspaceError ? labelOf(error.command, field) : undefined
  return label ? i18next.t('refusals.fieldProblem', { label, message }) : message
}
