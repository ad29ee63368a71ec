import * as Y from 'yjs'
import type { z } from 'zod'
import { type AnyMap, newRecordMap, noteKey, notesMap, plainFields, writeFields } from './document.ts'
import { type InputIssue, WorkspaceError } from './errors.ts'
import { newId } from './ids.ts'
import { cascadeRemoval, type Located, type Removal } from './integrity.ts'
import { byOrder, orderBetween } from './order.ts'
import { declaration, nestedKinds } from './records/kinds.ts'
import { AUTHOR_FIELD, type RecordDeclaration } from './records/record.ts'

/** What every command needs from the workspace it runs in. */
export interface CommandContext {
  readonly doc: Y.Doc
  /**
   * Runs `writes` in one transaction tagged with the command, after the checks every command
   * makes (a newer schema, the map lock). Nothing is written before this is called.
   */
  write(command: string, writes: () => void): void
  /**
   * Whose records this replica adds: written as the `addedBy` of each record of an authored kind
   * that a command's input does not give one (see `AUTHOR_FIELD`).
   */
  readonly authorId?: string
}

/** Where to put an item in an ordered list: its index among the others (the end if absent). */
export interface Position {
  readonly at?: number
}

/** Which record of a nested kind: the parent's id (a theme's, for one of its points). */
export interface Within {
  readonly parentId?: string
}

/** Validates `input` against `schema`, or throws the command's invalid-input refusal. */
export function parseInput<S extends z.ZodType>(command: string, schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  const issues: InputIssue[] = parsed.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }))
  const summary = issues
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join('; ')
  throw new WorkspaceError('invalid-input', command, summary, issues)
}

/** The map holding a kind's records: a root map, or the nested map of one parent (not created). */
function holderOf(
  doc: Y.Doc,
  kind: RecordDeclaration,
  command: string,
  within: Within,
): {
  holder: AnyMap | undefined
  parent?: Y.Map<unknown>
} {
  const placement = kind.placement
  if ('root' in placement) return { holder: doc.getMap(placement.root) }
  if ('singleton' in placement) return { holder: undefined }
  const parentKind = declaration(placement.parent)
  const parent = findRecord(doc, parentKind, command, within.parentId ?? '', {})
  const nested = parent.map.get(placement.key)
  return { holder: nested instanceof Y.Map ? nested : undefined, parent: parent.map }
}

/** A record's map, or the command's not-found refusal. */
export function findRecord(
  doc: Y.Doc,
  kind: RecordDeclaration,
  command: string,
  id: string,
  within: Within,
): Located {
  const placement = kind.placement
  if ('singleton' in placement) {
    const map = doc.getMap(placement.singleton)
    return { kind, id: placement.singleton, map, holder: map }
  }
  const { holder } = holderOf(doc, kind, command, within)
  const map = holder?.get(id)
  if (!(map instanceof Y.Map)) {
    const where =
      'parent' in placement
        ? `${declaration(placement.parent).name} ${within.parentId} has no `
        : 'there is no '
    throw new WorkspaceError('not-found', command, `${where}${kind.name} ${id}`)
  }
  return {
    kind,
    id,
    map,
    holder: holder as Y.Map<unknown>,
    ...(within.parentId ? { parentId: within.parentId } : {}),
  }
}

/**
 * Refuses a record whose references name records that are not there, and a record that breaks
 * its kind's own rule. Only the references in `fields` are checked (a patch checks what it sets).
 */
function checkReferences(
  doc: Y.Doc,
  kind: RecordDeclaration,
  command: string,
  fields: Record<string, unknown>,
): void {
  for (const reference of kind.references) {
    const value = fields[reference.field]
    const ids =
      reference.many && Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : []
    const target = declaration(reference.to)
    const holder = 'root' in target.placement ? doc.getMap(target.placement.root) : undefined
    const missing = ids.filter((id) => !(holder?.get(id) instanceof Y.Map))
    if (missing.length > 0) {
      const where = target.key === 'actor' ? ' on the map' : ''
      throw new WorkspaceError(
        'invalid-reference',
        command,
        `no ${target.name} ${missing.join(', ')}${where}`,
        [{ path: reference.field, message: `no ${target.name} ${missing.join(', ')}${where}` }],
      )
    }
  }
}

/**
 * The record's own rules: what it must satisfy as a whole (a link joins two actors: refused as
 * an invalid reference), and what a command must give beyond the fields (invalid input).
 */
function checkRules(kind: RecordDeclaration, command: string, record: Record<string, unknown>): void {
  const reason = kind.check?.(record as never)
  if (reason) throw new WorkspaceError('invalid-reference', command, reason)
  const issue = kind.rule?.(record as never)
  if (issue) throw new WorkspaceError('invalid-input', command, issue.message, [issue])
}

/** The order key for an item placed at `position` among `siblings` (leaving out `moving`). */
export function orderAt(
  command: string,
  siblings: AnyMap | undefined,
  position: Position,
  moving?: string,
): string {
  const ordered = [...(siblings?.entries() ?? [])]
    .filter(([id]) => id !== moving)
    .map(([id, map]) => ({ id, order: map instanceof Y.Map ? String(map.get('order') ?? '') : '' }))
    .sort(byOrder)
  const at = position.at ?? ordered.length
  if (!Number.isInteger(at) || at < 0 || at > ordered.length) {
    throw new WorkspaceError('invalid-input', command, `position ${at} is outside 0..${ordered.length}`, [
      { path: 'at', message: `must be between 0 and ${ordered.length}` },
    ])
  }
  const before = ordered[at - 1]?.order || null
  const after = ordered.slice(at).find((item) => before === null || item.order > before)?.order ?? null
  return orderBetween(before, after)
}

/**
 * Adds a record of any kind: input validated against the kind's create schema, completed with
 * an id (given or new), for ordered kinds an order key, and for authored kinds the context's
 * author unless the input names one; references and rules checked; then
 * one transaction writes it with its nested maps, tally and note. A refused add writes nothing:
 * a nested map an older peer left out is created inside that same transaction.
 */
export function addRecord<T>(
  ctx: CommandContext,
  kind: RecordDeclaration,
  input: unknown,
  options: Within & Position = {},
): T {
  const command = kind.commands.add
  const { holder, parent } = holderOf(ctx.doc, kind, command, options)
  const authored =
    kind.authored && ctx.authorId !== undefined && isObject(input) && input[AUTHOR_FIELD] === undefined
      ? { ...input, [AUTHOR_FIELD]: ctx.authorId }
      : input
  const fields = parseInput(command, kind.createSchema, authored) as Record<string, unknown>
  const generated = kind.ordered ? { order: orderAt(command, holder, options) } : {}
  const record = parseInput(command, kind.schema, {
    ...fields,
    ...generated,
    id: fields.id ?? newId(),
  }) as Record<string, unknown> & { id: string }
  if (holder?.has(record.id)) {
    throw new WorkspaceError('invalid-reference', command, `there is a ${kind.name} ${record.id} already`)
  }
  checkReferences(ctx.doc, kind, command, record)
  checkRules(kind, command, record)
  ctx.write(command, () => {
    const map = newRecordMap(record)
    for (const child of childKeys(kind)) map.set(child, new Y.Map())
    let target = holder
    if (!target && parent && 'parent' in kind.placement) {
      target = new Y.Map()
      parent.set(kind.placement.key, target)
    }
    ;(target as AnyMap).set(record.id, map)
    // Made with the record, which only this replica can be creating: never raced (see migrate).
    if (kind.ownsNote) notesMap(ctx.doc).set(noteKey(kind.key, record.id), new Y.XmlFragment())
  })
  const made: Record<string, unknown> = { ...record }
  for (const child of nestedKinds(kind.key)) made[(child.placement as { key: string }).key] = []
  if (kind.tally) made[kind.tally.key] = {}
  return made as T
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The keys of the nested maps a record of `kind` holds: its tally's and its nested kinds'. */
export function childKeys(kind: RecordDeclaration): string[] {
  const nested = nestedKinds(kind.key).map((child) => (child.placement as { key: string }).key)
  return kind.tally ? [kind.tally.key, ...nested] : nested
}

/**
 * Changes some fields of a record: validated whole against the kind's schema, references the
 * patch sets checked, written field by field (unchanged fields are not rewritten; `null`
 * clears an optional field). Concurrent edits to other fields are kept.
 */
export function updateRecord<T>(
  ctx: CommandContext,
  kind: RecordDeclaration,
  id: string,
  patch: unknown,
  options: Within & { readonly command?: string } = {},
): T {
  const command = options.command ?? kind.commands.update
  const { map } = findRecord(ctx.doc, kind, command, id, options)
  const changes = parseInput(command, kind.patchSchema, patch) as Record<string, unknown>
  const cleared = Object.keys(changes).filter((key) => changes[key] === null)
  const merged = { ...plainFields(map), ...changes }
  for (const key of cleared) delete merged[key]
  const record = parseInput(command, kind.schema, merged) as Record<string, unknown>
  checkReferences(
    ctx.doc,
    kind,
    command,
    Object.fromEntries(Object.keys(changes).map((key) => [key, record[key]])),
  )
  checkRules(kind, command, record)
  const written = Object.fromEntries(
    Object.keys(changes)
      .filter((key) => changes[key] !== null)
      .map((key) => [key, record[key]]),
  )
  ctx.write(command, () => writeFields(map, written, cleared))
  return record as T
}

/** Moves a record of an ordered kind to another place among its siblings. */
export function moveRecord(
  ctx: CommandContext,
  kind: RecordDeclaration,
  id: string,
  position: Position,
  options: Within = {},
): void {
  const command = kind.commands.move
  const { map, holder } = findRecord(ctx.doc, kind, command, id, options)
  const order = orderAt(command, holder as AnyMap, position, id)
  ctx.write(command, () => map.set('order', order))
}

/**
 * Removes a record and, by the declared on-delete rules, what depends on it (see
 * `cascadeRemoval`), in one transaction.
 */
export function removeRecord(
  ctx: CommandContext,
  kind: RecordDeclaration,
  id: string,
  options: Within = {},
): Removal {
  const command = kind.commands.remove
  const located = findRecord(ctx.doc, kind, command, id, options)
  let removal: Removal = { removed: [], cleared: [] }
  ctx.write(command, () => {
    removal = cascadeRemoval(ctx.doc, located)
  })
  return removal
}
