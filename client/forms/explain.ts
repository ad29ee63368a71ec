import { z } from 'zod'
import { DECLARATIONS, type RecordDeclaration, WorkspaceError } from '../../model/index.ts'

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
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string') return `Keep it to ${issue.maximum} characters or fewer`
      if (issue.origin === 'array') return `Choose at most ${issue.maximum}`
      return `Use a number up to ${issue.maximum}`
    case 'too_small':
      if (issue.origin === 'string') return 'Write something here first'
      if (issue.origin === 'array') return `Choose at least ${issue.minimum}`
      return `Use a number from ${issue.minimum}`
    case 'invalid_format':
      if (issue.format === 'url') return 'Enter a web address starting with https:// (or http://)'
      if (issue.format === 'date') return 'Enter a date'
      return 'Check the format of this'
    case 'invalid_value':
      return 'Choose one of the options'
    case 'invalid_type':
      if (issue.expected === 'int') return 'Use a whole number'
      if (issue.expected === 'number') return 'Enter a number'
      return issue.input === undefined ? 'Fill this in' : 'This value cannot be used here'
    case 'not_multiple_of':
      return `Use a multiple of ${issue.divisor}`
    case 'unrecognized_keys':
      return 'This form sent a field the workspace does not know'
    default:
      return undefined
  }
}

/** Each command's record kind, so an issue about a field can be called by the field's label. */
const KIND_OF_COMMAND = new Map<string, RecordDeclaration>(
  (DECLARATIONS as readonly RecordDeclaration[]).flatMap((kind) =>
    Object.values(kind.commands).map((command) => [command, kind] as const),
  ),
)

/** A field's label as its kind declares it ("Languages spoken"), or undefined if unknown. */
function labelOf(command: string, field: string): string | undefined {
  return KIND_OF_COMMAND.get(command)?.fields.find((info) => info.key === field)?.meta.label
}

/** Refusals that are not about one field's value, by code (and for some codes, by command). */
function plainRefusal(error: WorkspaceError): string {
  switch (error.code) {
    case 'not-found':
      return 'Someone else removed this just now.'
    case 'newer-schema':
      return 'This workspace was saved by a newer version of the app: reload the page to keep editing.'
    case 'locked':
      return 'The map is locked for a presentation; it can be changed again once it is unlocked.'
    case 'over-budget':
      return 'You have used all your dots. Take one back from another quick win to give one here.'
    case 'invalid-reference':
      if (error.command === 'connect' || error.command === 'reconnect')
        return 'A link joins two different actors, both on the map.'
      if (error.command === 'mergeThemes') return 'A theme cannot be merged into itself.'
      if (error.command === 'mergePoints') return 'A point cannot be merged into itself.'
      if (error.command === 'load') return 'A workspace can be loaded only while it is empty.'
      return 'That refers to something that is not in the workspace any more.'
    case 'invalid-input':
      if (error.command === 'summon') return 'Choose a display name first, then bring everyone to you.'
      if (error.command === 'startTimer') return 'Set how long the timer runs for.'
      return 'That could not be saved: check the fields and try again.'
  }
}

/** "keep it short" -> "Keep it short.": a message as a sentence. */
function sentence(text: string): string {
  const trimmed = text.trim()
  if (!trimmed) return 'That could not be saved.'
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}

/**
 * Explains a refusal field by field: each input issue goes to its field (the first part of its
 * path) in `wording`'s words if given; anything else becomes the general message. Never throws:
 * a bug shows as a message, not a crash.
 */
export function refusalOf(error: unknown, wording: Wording = {}): Refusal {
  if (!(error instanceof WorkspaceError))
    return { fields: {}, message: `Something went wrong: ${String(error)}` }
  if (error.issues.length === 0) return { fields: {}, message: plainRefusal(error) }
  const fields: Record<string, string> = {}
  let general: string | null = null
  for (const issue of error.issues) {
    const field = issue.path.split('.')[0] ?? ''
    // A missing record a field names says so; a value that fails a check says what to fix.
    const plain =
      error.code === 'invalid-reference'
        ? 'That is not in the workspace any more.'
        : (wording[field] ?? sentence(issue.message))
    if (field === '') general ??= plain
    else fields[field] ??= plain
  }
  return { fields, message: general }
}

/**
 * The whole refusal as one plain sentence, for places with one line to show it: a field's
 * problem is prefixed with the field's label from the model ("Website: Enter a web address...").
 */
export function explain(error: unknown): string {
  const refusal = refusalOf(error)
  if (refusal.message) return refusal.message
  const [field, message] = Object.entries(refusal.fields)[0] ?? []
  if (!field || !message) return 'That could not be saved.'
  const label = error instanceof WorkspaceError ? labelOf(error.command, field) : undefined
  return label ? `${label}: ${message}` : message
}
