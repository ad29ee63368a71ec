import type { Dataset } from './dataset-schema.ts'
import { newId } from './ids.ts'
import type { WorkspaceSnapshot } from './read.ts'
import type { Actor } from './records/actor.ts'
import { declaration, nestedKinds } from './records/kinds.ts'
import { type Link, linkKind } from './records/link.ts'
import type { KindKey, RecordDeclaration } from './records/record.ts'

/** How imported actors find their counterparts in the workspace. */
export type MatchBy = 'id' | 'name'

/**
 * What an import will do, worked out before anything is written, so the whole import can be
 * checked and then applied in one transaction (all or nothing).
 */
export interface MergePlan {
  readonly addActors: Actor[]
  /** Existing actors with the fields the import changes. */
  readonly updateActors: { id: string; fields: Partial<Actor> }[]
  readonly addLinks: Link[]
  readonly updateLinks: { id: string; fields: Partial<Link> }[]
  readonly addThemes: Dataset['themes']
  readonly addQuickWins: Dataset['quickWins']
  readonly addJourneys: Dataset['journeys']
  readonly addEmergingModels: Dataset['emergingModels']
  /** Descriptions (Markdown) of the actors added, by their id in the workspace. */
  readonly addActorNotes: Record<string, string>
  /** Incoming actor id -> the id it has in the workspace. */
  readonly actorIds: ReadonlyMap<string, string>
}

export interface MergeSummary {
  readonly actorsAdded: number
  readonly actorsUpdated: number
  readonly linksAdded: number
  readonly linksUpdated: number
  readonly themesAdded: number
  readonly quickWinsAdded: number
  readonly journeysAdded: number
  readonly emergingModelsAdded: number
}

const nameKey = (name: string) => name.trim().toLocaleLowerCase('en-GB')

/**
 * The incoming actors that are actors the workspace already has, matched as `planMerge` matches
 * them (by id, or by name ignoring case and surrounding spaces): incoming id -> workspace id.
 * Known before the merge is made, so the Import dialog can start laying the import out (in its
 * worker) while the merge is written; it decides only where boxes go, never what is merged.
 */
export function existingMatches(
  existing: readonly Pick<Actor, 'id' | 'name'>[],
  incoming: readonly Pick<Actor, 'id' | 'name'>[],
  matchBy: MatchBy,
): Map<string, string> {
  const byKey = new Map(
    existing.map((actor) => [matchBy === 'id' ? actor.id : nameKey(actor.name), actor.id]),
  )
  const matches = new Map<string, string>()
  for (const actor of incoming) {
    const id = byKey.get(matchBy === 'id' ? actor.id : nameKey(actor.name))
    if (id !== undefined) matches.set(actor.id, id)
  }
  return matches
}

/** Fields of `incoming` that say something and differ from `existing` (empty text never erases). */
function changedFields<T extends Record<string, unknown>>(existing: T, incoming: T): Partial<T> {
  const fields: Partial<T> = {}
  for (const [key, value] of Object.entries(incoming) as [keyof T, unknown][]) {
    if (key === 'id' || value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
      continue
    if (JSON.stringify(existing[key]) !== JSON.stringify(value)) fields[key] = value as T[keyof T]
  }
  return fields
}

/**
 * A record (and its nested records) with every reference that `ids` re-maps pointed at its new
 * target, by the references its kind declares.
 */
function repointed<T>(
  kind: RecordDeclaration,
  record: T,
  ids: ReadonlyMap<KindKey, ReadonlyMap<string, string>>,
): T {
  const next = { ...record } as Record<string, unknown>
  for (const reference of kind.references) {
    const map = ids.get(reference.to)
    const value = next[reference.field]
    if (!map) continue
    if (Array.isArray(value)) next[reference.field] = value.map((id) => map.get(id) ?? id)
    else if (typeof value === 'string') next[reference.field] = map.get(value) ?? value
  }
  for (const child of nestedKinds(kind.key)) {
    const key = (child.placement as { key: string }).key
    const items = next[key]
    if (Array.isArray(items)) next[key] = items.map((item) => repointed(child, item, ids))
  }
  return next as T
}

/**
 * Plans merging a dataset into a workspace.
 *
 * - Actors match by id, or by name (case and surrounding spaces ignored). A match takes the
 *   import's non-empty fields; its empty fields never erase what the workspace knows. Actors
 *   that match nothing are added; matched by name, they get fresh ids (another tool's ids mean
 *   nothing here).
 * - Links are re-pointed at the workspace's actor ids; a link joining the same two actors with
 *   the same kind as an existing one updates it, others are added.
 * - Themes, quick wins, journeys and emerging models that the workspace does not have (by id)
 *   are added, with references re-pointed; ones it has are left as they are.
 * - Added actors bring their descriptions, with mentions re-pointed. The workshop's own notes
 *   and agenda belong to the session they were written in and are not merged.
 */
export function planMerge(snapshot: WorkspaceSnapshot, incoming: Dataset, matchBy: MatchBy): MergePlan {
  const byId = new Map(snapshot.actors.map((actor) => [actor.id, actor]))
  const byName = new Map(snapshot.actors.map((actor) => [nameKey(actor.name), actor]))
  const actorIds = new Map<string, string>()
  const addActors: Actor[] = []
  const updateActors: MergePlan['updateActors'] = []
  for (const actor of incoming.actors) {
    const existing = matchBy === 'id' ? byId.get(actor.id) : byName.get(nameKey(actor.name))
    if (existing) {
      actorIds.set(actor.id, existing.id)
      // Matched by name, the names are the same but for case and spaces: keep the map's.
      const { name: _name, ...fields } = changedFields(existing, actor)
      if (Object.keys(fields).length > 0) updateActors.push({ id: existing.id, fields })
      continue
    }
    const id = matchBy === 'id' && !byId.has(actor.id) ? actor.id : newId()
    actorIds.set(actor.id, id)
    const added = { ...actor, id }
    addActors.push(added)
    byName.set(nameKey(actor.name), added)
  }

  // Everything else the import brings names actors by their incoming ids: point it at the map's.
  const ids = new Map<KindKey, ReadonlyMap<string, string>>([['actor', actorIds]])
  const linkKey = (link: Pick<Link, 'from' | 'to' | 'kind'>) => `${link.from}>${link.to}>${link.kind}`
  const linksById = new Map(snapshot.links.map((link) => [link.id, link]))
  const linksByEnds = new Map(snapshot.links.map((link) => [linkKey(link), link]))
  const addLinks: Link[] = []
  const updateLinks: MergePlan['updateLinks'] = []
  for (const link of incoming.links) {
    const moved = repointed(linkKind, link, ids)
    const existing =
      (matchBy === 'id' ? linksById.get(link.id) : undefined) ?? linksByEnds.get(linkKey(moved))
    if (existing) {
      const { from: _from, to: _to, ...fields } = changedFields(existing, moved)
      if (Object.keys(fields).length > 0) updateLinks.push({ id: existing.id, fields })
      continue
    }
    const added = { ...moved, id: linksById.has(link.id) || matchBy === 'name' ? newId() : link.id }
    addLinks.push(added)
    linksByEnds.set(linkKey(added), added)
  }

  const addedOf = <T extends { id: string }>(
    key: KindKey,
    incomingRecords: readonly T[],
    existing: readonly T[],
  ) => {
    const have = new Set(existing.map((record) => record.id))
    return incomingRecords
      .filter((record) => !have.has(record.id))
      .map((record) => repointed(declaration(key), record, ids))
  }
  const addThemes = addedOf('theme', incoming.themes, snapshot.themes)
  const addQuickWins = addedOf('quickWin', incoming.quickWins, snapshot.quickWins)
  const addJourneys = addedOf('journey', incoming.journeys, snapshot.journeys)
  const addEmergingModels = addedOf('emergingModel', incoming.emergingModels, snapshot.emergingModels)
  const mapActor = (id: string) => actorIds.get(id) ?? id

  const addActorNotes: Record<string, string> = {}
  const added = new Set(addActors.map((actor) => actor.id))
  for (const [incomingId, markdown] of Object.entries(incoming.notes.actors)) {
    const id = actorIds.get(incomingId)
    if (id === undefined || !added.has(id) || markdown.trim() === '') continue
    addActorNotes[id] = markdown.replace(
      /\]\(actor:([^)\s]+)\)/g,
      (_all, mentioned: string) => `](actor:${mapActor(mentioned)})`,
    )
  }

  return {
    addActors,
    updateActors,
    addLinks,
    updateLinks,
    addThemes,
    addQuickWins,
    addJourneys,
    addEmergingModels,
    addActorNotes,
    actorIds,
  }
}

/** Counts of what a plan does, for telling the person. */
export function summarise(plan: MergePlan): MergeSummary {
  return {
    actorsAdded: plan.addActors.length,
    actorsUpdated: plan.updateActors.length,
    linksAdded: plan.addLinks.length,
    linksUpdated: plan.updateLinks.length,
    themesAdded: plan.addThemes.length,
    quickWinsAdded: plan.addQuickWins.length,
    journeysAdded: plan.addJourneys.length,
    emergingModelsAdded: plan.addEmergingModels.length,
  }
}
