import * as Y from 'yjs'
import { metaMap, plainFields, SCHEMA_KEY } from './document.ts'
import { type Problem, repairTree } from './integrity.ts'
import { byOrder } from './order.ts'
import type { Actor } from './records/actor.ts'
import type { AgendaItem } from './records/agenda-item.ts'
import type { EmergingModel } from './records/emerging-model.ts'
import type { Facilitation } from './records/facilitation.ts'
import type { Journey } from './records/journey.ts'
import { DECLARATIONS, nestedKinds } from './records/kinds.ts'
import type { Link } from './records/link.ts'
import type { Meta } from './records/meta.ts'
import type { QuickWin } from './records/quick-win.ts'
import type { RecordDeclaration } from './records/record.ts'
import type { Theme } from './records/theme.ts'

export type { Problem } from './integrity.ts'

/** Everything in a workspace, validated, as immutable plain data. */
export interface WorkspaceSnapshot {
  readonly meta: Meta
  readonly actors: readonly Actor[]
  readonly links: readonly Link[]
  readonly themes: readonly Theme[]
  readonly quickWins: readonly QuickWin[]
  readonly journeys: readonly Journey[]
  readonly emergingModels: readonly EmergingModel[]
  /** The agenda, in order. */
  readonly agenda: readonly AgendaItem[]
  /** How the session is being steered: live state, not part of the dataset but its vote budget. */
  readonly facilitation: Facilitation
  /** Records left out or repaired while reading; empty for a healthy document. */
  readonly problems: readonly Problem[]
}

/** The record versions a document says it was written with (1 where it says nothing). */
export function storedVersions(doc: Y.Doc): Record<string, number> {
  const stored = metaMap(doc).get(SCHEMA_KEY)
  return typeof stored === 'object' && stored !== null ? (stored as Record<string, number>) : {}
}

type Row = Record<string, unknown> & { id: string }
/** What one top-level name reads as, before references are checked: its records or its one record. */
interface RootRead {
  readonly value: unknown
  readonly problems: readonly Problem[]
}

const DECLARED = DECLARATIONS as readonly RecordDeclaration[]
/** The kinds read from a top-level name of their own; nested kinds are read with their parent. */
const TOP_LEVEL = DECLARED.filter((kind) => !('parent' in kind.placement))
const nameOf = (kind: RecordDeclaration) =>
  'root' in kind.placement ? kind.placement.root : (kind.placement as { singleton: string }).singleton
/** Every top-level name that holds records: what a change must touch to alter the snapshot. */
export const RECORD_ROOTS: ReadonlySet<string> = new Set(TOP_LEVEL.map(nameOf))

/** Restores one stored record through its kind, reporting a repair or the reason it was left out. */
function restoreInto(
  kind: RecordDeclaration,
  raw: unknown,
  versions: Record<string, number>,
  problems: Problem[],
): Row | undefined {
  const restored = kind.restore(raw, versions[kind.name] ?? 1)
  if (!restored.ok) {
    problems.push(restored.error)
    return undefined
  }
  const value = restored.value as Row
  if (restored.repaired.length > 0) {
    problems.push({
      kind: kind.name,
      id: value.id,
      message: `repaired ${restored.repaired.join(', ')}`,
      repaired: restored.repaired,
    })
  }
  return value
}

/** One record read from its map, with what reading it reported. */
interface RecordRead {
  readonly row: Row | undefined
  readonly problems: readonly Problem[]
}

/** Read records by their map, so an unchanged record is neither read again nor a new object. */
type RecordCache = WeakMap<Y.Map<unknown>, RecordRead>

function readRecord(
  kind: RecordDeclaration,
  id: string,
  map: Y.Map<unknown>,
  versions: Record<string, number>,
): RecordRead {
  const problems: Problem[] = []
  const record = restoreInto(kind, plainFields(map), versions, problems)
  if (record === undefined) return { row: undefined, problems }
  if (record.id !== id) {
    return {
      row: undefined,
      problems: [{ kind: kind.name, id, message: `${kind.name} ${id} holds id ${record.id}` }],
    }
  }
  for (const child of nestedKinds(kind.key)) {
    const key = (child.placement as { key: string }).key
    record[key] = readMap(child, map.get(key), versions, problems)
  }
  if (kind.tally) record[kind.tally.key] = readTally(map.get(kind.tally.key), kind.tally.count)
  return { row: record, problems }
}

/** A record map's records of `kind`, each under its own id, sorted as the kind sorts. */
function readMap(
  kind: RecordDeclaration,
  holder: unknown,
  versions: Record<string, number>,
  problems: Problem[],
  cache?: RecordCache,
): Row[] {
  if (!(holder instanceof Y.Map)) return []
  const records: Row[] = []
  for (const [id, map] of holder.entries()) {
    if (!(map instanceof Y.Map)) {
      problems.push({ kind: kind.name, id, message: `${kind.name} ${id} is not a map` })
      continue
    }
    let read = cache?.get(map)
    if (!read) {
      read = readRecord(kind, id, map, versions)
      cache?.set(map, read)
    }
    problems.push(...read.problems)
    if (read.row) records.push(read.row)
  }
  return sortAsDeclared(kind, records)
}

/** Sorts records the way their kind lists them: by order key where it is ordered, else by id. */
export function sortAsDeclared<T extends { id: string }>(kind: RecordDeclaration, records: T[]): T[] {
  const byId = (a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return records.sort(kind.ordered ? (byOrder as unknown as (a: T, b: T) => number) : byId)
}

/** A tally's counts by participant, sorted, leaving out anything that is not a count above 0. */
function readTally(tally: unknown, count: { safeParse(value: unknown): { success: boolean } }) {
  const result: Record<string, number> = {}
  if (!(tally instanceof Y.Map)) return result
  for (const participant of [...tally.keys()].sort()) {
    const value = tally.get(participant)
    if (count.safeParse(value).success && (value as number) > 0) result[participant] = value as number
  }
  return result
}

function readRoot(
  doc: Y.Doc,
  kind: RecordDeclaration,
  versions: Record<string, number>,
  cache?: RecordCache,
): RootRead {
  const problems: Problem[] = []
  const placement = kind.placement
  if ('singleton' in placement) {
    const value =
      restoreInto(kind, plainFields(doc.getMap(placement.singleton)), versions, problems) ??
      kind.schema.parse({})
    return { value, problems }
  }
  return { value: readMap(kind, doc.getMap(nameOf(kind)), versions, problems, cache), problems }
}

/**
 * Reads a workspace's document into snapshots, re-reading only what a change touched: a drag
 * on the canvas or typing in a note reads nothing and returns the same snapshot; a change to
 * one collection leaves every other collection's list the same object, and within it every
 * record that did not change, so a view that reads part of the workspace need not re-render
 * and a big map is not re-validated for each edit.
 */
export class SnapshotReader {
  private readonly roots = new Map<string, RootRead>()
  private records: RecordCache = new WeakMap()
  private last: WorkspaceSnapshot | undefined

  constructor(private readonly doc: Y.Doc) {}

  /**
   * Notes what a transaction changed: the top-level names, and the types it changed (with all
   * their ancestors, as Yjs lists them), so that only the records holding them are read again.
   */
  invalidate(changed: Iterable<string>, types: Iterable<Y.AbstractType<unknown>> = []): void {
    for (const name of changed) {
      if (!RECORD_ROOTS.has(name)) continue
      this.last = undefined
      this.roots.delete(name)
      // The stored versions live in meta: a change there may change how every record reads.
      if (name === 'meta') {
        this.roots.clear()
        this.records = new WeakMap()
      }
    }
    for (const type of types) if (type instanceof Y.Map) this.records.delete(type)
  }

  /** Forgets everything read: the next snapshot reads the whole document. */
  invalidateAll(): void {
    this.roots.clear()
    this.records = new WeakMap()
    this.last = undefined
  }

  snapshot(): WorkspaceSnapshot {
    if (this.last) return this.last
    const versions = storedVersions(this.doc)
    const tree: Record<string, unknown> = {}
    const problems: Problem[] = []
    for (const kind of TOP_LEVEL) {
      const name = nameOf(kind)
      let read = this.roots.get(name)
      if (!read) {
        read = readRoot(this.doc, kind, versions, this.records)
        this.roots.set(name, read)
      }
      tree[name] = read.value
      problems.push(...read.problems)
    }
    const repaired = repairTree(tree, problems)
    this.last = { ...(repaired as unknown as Omit<WorkspaceSnapshot, 'problems'>), problems }
    return this.last
  }
}

/**
 * Reads the whole document into a snapshot. Pure: it never writes. Every record is restored
 * through its kind (migrated, repaired field by field); references are checked in a second
 * pass (`repairTree`), so a link is shown only while both of its actors exist, and a journey
 * step whose actor is gone keeps its words but loses the reference.
 */
export function readSnapshot(doc: Y.Doc): WorkspaceSnapshot {
  return new SnapshotReader(doc).snapshot()
}
