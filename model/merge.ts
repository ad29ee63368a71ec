import type { Dataset } from './dataset-schema.ts'
import { newId } from './ids.ts'
import type { WorkspaceSnapshot } from './read.ts'
import type { Actor } from './records/actor.ts'
import type { Link } from './records/link.ts'

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

  const linkKey = (link: Pick<Link, 'from' | 'to' | 'kind'>) => `${link.from}>${link.to}>${link.kind}`
  const linksById = new Map(snapshot.links.map((link) => [link.id, link]))
  const linksByEnds = new Map(snapshot.links.map((link) => [linkKey(link), link]))
  const addLinks: Link[] = []
  const updateLinks: MergePlan['updateLinks'] = []
  for (const link of incoming.links) {
    const from = actorIds.get(link.from) ?? link.from
    const to = actorIds.get(link.to) ?? link.to
    const moved = { ...link, from, to }
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

  const mapActor = (id: string) => actorIds.get(id) ?? id
  const themeIds = new Set(snapshot.themes.map((theme) => theme.id))
  const addThemes = incoming.themes
    .filter((theme) => !themeIds.has(theme.id))
    .map((theme) => ({
      ...theme,
      points: theme.points.map((point) => ({ ...point, actorIds: point.actorIds.map(mapActor) })),
    }))
  const quickWinIds = new Set(snapshot.quickWins.map((quickWin) => quickWin.id))
  const addQuickWins = incoming.quickWins.filter((quickWin) => !quickWinIds.has(quickWin.id))
  const journeyIds = new Set(snapshot.journeys.map((journey) => journey.id))
  const addJourneys = incoming.journeys
    .filter((journey) => !journeyIds.has(journey.id))
    .map((journey) => ({
      ...journey,
      steps: journey.steps.map((step) =>
        step.actorId ? { ...step, actorId: mapActor(step.actorId) } : step,
      ),
    }))

  const modelIds = new Set(snapshot.emergingModels.map((model) => model.id))
  const incomingThemes = new Set([...themeIds, ...addThemes.map((theme) => theme.id)])
  const addEmergingModels = incoming.emergingModels
    .filter((model) => !modelIds.has(model.id))
    .map((model) => {
      if (model.themeId === undefined || incomingThemes.has(model.themeId)) return model
      const { themeId: _gone, ...rest } = model
      return rest
    })

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
