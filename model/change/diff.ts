import type { Dataset } from '../dataset-schema.ts'
import { sameJson } from '../document.ts'
import { datasetFields, shapeOf } from '../formats/fields.ts'
import { type Actor, actorKind, type Domain } from '../records/actor.ts'
import { type Link, linkKind } from '../records/link.ts'
import type { FieldInfo, RecordDeclaration } from '../records/record.ts'
import { domainPairsBridged, isTie, sameEnds } from './ties.ts'

/** One field of a record that differs between two states, with its declared label. */
export interface FieldChange {
  readonly key: string
  readonly label: string
  /** The value before; undefined where the field was absent (an optional field not set). */
  readonly before: unknown
  readonly after: unknown
}

/** A record present in both states whose declared fields differ. */
export interface RecordChange<T> {
  readonly id: string
  readonly before: T
  readonly after: T
  /** In the kind's declaration order. */
  readonly fields: readonly FieldChange[]
}

/** How the records of one kind differ: by id, each list in id order. */
export interface KindChanges<T> {
  readonly added: readonly T[]
  readonly removed: readonly T[]
  readonly changed: readonly RecordChange<T>[]
}

/** A tie joining actors of different domains that was not such a tie before. */
export interface CrossDomainLink {
  readonly link: Link
  /** The unordered pairs of different domains it joins, in DOMAINS order. */
  readonly pairs: readonly (readonly [Domain, Domain])[]
}

/**
 * A disconnect marked before between two actors that are both still on the map, where now no
 * disconnect joins them (either way): `tied` when a tie now joins them, `removed` when the
 * disconnect was only taken off.
 */
export interface ResolvedDisconnect {
  readonly disconnect: Link
  readonly now: 'tied' | 'removed'
  /** The ties that join the two actors now (any kind but disconnect, either way). */
  readonly ties: readonly Link[]
}

/** Everything that differs between two datasets of one workspace, as the map's records see it. */
export interface DatasetChanges {
  readonly actors: KindChanges<Actor>
  readonly links: KindChanges<Link>
  readonly newLinksAcrossDomains: readonly CrossDomainLink[]
  readonly disconnectsResolved: readonly ResolvedDisconnect[]
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * A field's value as compared: a list of choices (an actor's domains) is a set, so the order it
 * was ticked in is no change; every other value is compared as it is, structurally.
 */
function comparable(field: FieldInfo, value: unknown): unknown {
  if (shapeOf(field) === 'choices' && Array.isArray(value)) return [...value].map(String).sort()
  return value
}

/** The fields a diff compares: every declared field of the dataset but the id. */
export const comparedFields = (kind: RecordDeclaration): readonly FieldInfo[] =>
  datasetFields(kind.fields).filter((field) => field.key !== 'id')

/**
 * The fields of `kind` that differ between two versions of a record, every declared field
 * compared (a new field in the declaration is compared without other edits).
 */
export function changedFields(
  kind: RecordDeclaration,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): FieldChange[] {
  const changes: FieldChange[] = []
  for (const field of comparedFields(kind)) {
    const was = before[field.key]
    const is = after[field.key]
    if (sameJson(comparable(field, was), comparable(field, is))) continue
    changes.push({ key: field.key, label: field.meta.label, before: was, after: is })
  }
  return changes
}

/** The records of one kind added, removed and changed between two states, matched by id. */
export function diffRecords<T extends { readonly id: string }>(
  kind: RecordDeclaration,
  before: readonly T[],
  after: readonly T[],
): KindChanges<T> {
  const was = new Map(before.map((record) => [record.id, record]))
  const is = new Map(after.map((record) => [record.id, record]))
  const added: T[] = []
  const changed: RecordChange<T>[] = []
  for (const [id, record] of is) {
    const old = was.get(id)
    if (!old) {
      added.push(record)
      continue
    }
    const fields = changedFields(
      kind,
      old as unknown as Record<string, unknown>,
      record as unknown as Record<string, unknown>,
    )
    if (fields.length > 0) changed.push({ id, before: old, after: record, fields })
  }
  const removed = [...was.values()].filter((record) => !is.has(record.id))
  return {
    added: added.sort(byId),
    removed: removed.sort(byId),
    changed: changed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  }
}

/** The links of a dataset that join two different actors of it (a valid dataset has no others). */
function linksOnMap(dataset: Dataset): Link[] {
  const ids = new Set(dataset.actors.map((actor) => actor.id))
  return dataset.links.filter((link) => link.from !== link.to && ids.has(link.from) && ids.has(link.to))
}

/** The ties of `dataset` that join actors of different domains, by link id, with the pairs. */
function crossDomainTies(dataset: Dataset): Map<string, CrossDomainLink> {
  const actors = new Map(dataset.actors.map((actor) => [actor.id, actor]))
  const found = new Map<string, CrossDomainLink>()
  for (const link of linksOnMap(dataset)) {
    if (!isTie(link)) continue
    const pairs = domainPairsBridged(actors.get(link.from)?.domains ?? [], actors.get(link.to)?.domains ?? [])
    if (pairs.length > 0) found.set(link.id, { link, pairs })
  }
  return found
}

/**
 * What changed on the map from `before` to `after` (two datasets of one workspace, e.g. two
 * snapshots, or a snapshot and now): actors and links added, removed and changed field by field;
 * ties that now join different domains (new links, or links that became such ties because their
 * kind or their actors' domains changed); and disconnects resolved. Pure and deterministic.
 */
export function diffDatasets(before: Dataset, after: Dataset): DatasetChanges {
  const actors = diffRecords(actorKind as unknown as RecordDeclaration, before.actors, after.actors)
  const links = diffRecords(linkKind as unknown as RecordDeclaration, before.links, after.links)

  const crossBefore = crossDomainTies(before)
  const newLinksAcrossDomains = [...crossDomainTies(after).values()]
    .filter((entry) => !crossBefore.has(entry.link.id))
    .sort((a, b) => byId(a.link, b.link))

  const actorsAfter = new Set(after.actors.map((actor) => actor.id))
  const linksAfter = linksOnMap(after)
  const disconnectsResolved: ResolvedDisconnect[] = []
  for (const disconnect of linksOnMap(before)) {
    if (disconnect.kind !== 'disconnect') continue
    if (!actorsAfter.has(disconnect.from) || !actorsAfter.has(disconnect.to)) continue
    const between = linksAfter.filter((link) => sameEnds(link, disconnect))
    if (between.some((link) => link.kind === 'disconnect')) continue
    const ties = between.filter(isTie).sort(byId)
    disconnectsResolved.push({ disconnect, now: ties.length > 0 ? 'tied' : 'removed', ties })
  }
  disconnectsResolved.sort((a, b) => byId(a.disconnect, b.disconnect))

  return { actors, links, newLinksAcrossDomains, disconnectsResolved }
}

/** Whether nothing on the map changed. */
export const isUnchanged = (changes: DatasetChanges): boolean =>
  changes.actors.added.length === 0 &&
  changes.actors.removed.length === 0 &&
  changes.actors.changed.length === 0 &&
  changes.links.added.length === 0 &&
  changes.links.removed.length === 0 &&
  changes.links.changed.length === 0
