/** Why a command refused to run. The document is unchanged whenever one is thrown. */
export type WorkspaceErrorCode =
  /** The input does not fit the record's schema. */
  | 'invalid-input'
  /** A record the command names does not exist (any more). */
  | 'not-found'
  /** The input names another record that cannot be used: a missing actor, a link to itself. */
  | 'invalid-reference'
  /** The document was written by a newer version of the app; writing could lose its data. */
  | 'newer-schema'
  /** The map is locked for a presentation: only the one who locked it (or a facilitator) edits it. */
  | 'locked'
  /** A participant has placed all the dots the facilitator gave them. */
  | 'over-budget'

export interface InputIssue {
  /** The field, dotted: "domains.2". Empty for the input as a whole. */
  readonly path: string
  readonly message: string
}

/** A command's refusal: which command, why, and for invalid input, which fields. */
export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError'
  constructor(
    readonly code: WorkspaceErrorCode,
    readonly command: string,
    message: string,
    readonly issues: readonly InputIssue[] = [],
  ) {
    super(`${command}: ${message}`)
  }
}
