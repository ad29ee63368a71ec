import * as Y from 'yjs'
import {
  type Collection,
  collection,
  facilitationMap,
  metaMap,
  NESTED,
  plainFields,
  SCHEMA_KEY,
} from './document.ts'
import { byOrder } from './order.ts'
import { type Actor, actorKind } from './records/actor.ts'
import { type AgendaItem, agendaItemKind } from './records/agenda-item.ts'
import { type EmergingModel, emergingModelKind } from './records/emerging-model.ts'
import { type Facilitation, facilitationKind } from './records/facilitation.ts'
import { type Journey, type JourneyStep, journeyKind, journeyStepKind } from './records/journey.ts'
import { type Link, linkKind } from './records/link.ts'
import { type Meta, metaKind } from './records/meta.ts'
import { type QuickWin, quickWinKind, VoteCount } from './records/quick-win.ts'
import type { RecordIssue, RecordKind } from './records/record.ts'
import { type Theme, type ThemePoint, themeKind, themePointKind } from './records/theme.ts'

/**
 * Something in the document that readers had to leave out or repair: a record a peer wrote
 * badly, or a link whose actor was removed while someone else was drawing it.
 */
export interface Problem extends RecordIssue {
  readonly repaired?: readonly string[]
}

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

/**
 * Reads the whole document into a snapshot. Pure: it never writes. Every record is restored
 * through its kind (migrated, repaired field by field); cross-references are checked in a
 * second pass, so a link is shown only while both of its actors exist, and a journey step
 * whose actor is gone keeps its words but loses the reference.
 */
export function readSnapshot(doc: Y.Doc): WorkspaceSnapshot {
  const problems: Problem[] = []
  const versions = storedVersions(doc)
  const read = <T>(kind: RecordKind<never>, raw: unknown): T | undefined => {
    const restored = kind.restore(raw, versions[kind.name] ?? 1)
    if (!restored.ok) {
      problems.push(restored.error)
      return undefined
    }
    if (restored.repaired.length > 0) {
      problems.push({
        kind: kind.name,
        id: (restored.value as { id?: string }).id,
        message: `repaired ${restored.repaired.join(', ')}`,
        repaired: restored.repaired,
      })
    }
    return restored.value as T
  }
  const readAll = <T extends { id: string }>(
    name: Collection,
    kind: RecordKind<never>,
    withNested: (record: T, map: Y.Map<unknown>) => T = (record) => record,
  ): T[] => {
    const records: T[] = []
    for (const [id, map] of collection(doc, name).entries()) {
      if (!(map instanceof Y.Map)) {
        problems.push({ kind: kind.name, id, message: `${kind.name} ${id} is not a map` })
        continue
      }
      const record = read<T>(kind, plainFields(map))
      if (record === undefined) continue
      if (record.id !== id) {
        problems.push({ kind: kind.name, id, message: `${kind.name} ${id} holds id ${record.id}` })
        continue
      }
      records.push(withNested(record, map))
    }
    return records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }
  const nestedRecords = <T extends { id: string; order: string }>(
    map: Y.Map<unknown>,
    key: string,
    kind: RecordKind<never>,
  ): T[] => {
    const nested = map.get(key)
    if (!(nested instanceof Y.Map)) return []
    const items: T[] = []
    for (const [id, item] of nested.entries()) {
      const record = item instanceof Y.Map ? read<T>(kind, plainFields(item)) : undefined
      if (record !== undefined && record.id === id) items.push(record)
    }
    return items.sort(byOrder)
  }

  const metaRead = read<Meta>(metaKind as unknown as RecordKind<never>, plainFields(metaMap(doc)))
  const meta = metaRead ?? metaKind.schema.parse({})

  const actors = readAll<Actor>('actors', actorKind as unknown as RecordKind<never>)
  const actorIds = new Set(actors.map((actor) => actor.id))

  const links = readAll<Link>('links', linkKind as unknown as RecordKind<never>).filter((link) => {
    const missing = [link.from, link.to].filter((id) => !actorIds.has(id))
    if (missing.length === 0 && link.from !== link.to) return true
    problems.push({
      kind: 'link',
      id: link.id,
      message:
        missing.length > 0
          ? `link ${link.id} points at removed actor ${missing.join(', ')}`
          : 'a link to itself',
    })
    return false
  })

  const themes = readAll<Theme>('themes', themeKind as unknown as RecordKind<never>, (theme, map) => ({
    ...theme,
    points: nestedRecords<ThemePoint>(map, NESTED.themes, themePointKind as unknown as RecordKind<never>).map(
      (point) => ({
        ...point,
        actorIds: point.actorIds.filter((id) => actorIds.has(id)),
      }),
    ),
  })).sort(byOrder)

  const themeIds = new Set(themes.map((theme) => theme.id))
  const quickWins = readAll<QuickWin>('quickWins', quickWinKind as unknown as RecordKind<never>, (quickWin, map) => {
    const { themeId, ...rest } = quickWin
    return {
      ...rest,
      // A theme removed while someone filed a quick win under it: the quick win stays, unfiled.
      ...(themeId !== undefined && themeIds.has(themeId) ? { themeId } : {}),
      votes: readVotes(map.get(NESTED.quickWins)),
    }
  })

  const journeys = readAll<Journey>('journeys', journeyKind as unknown as RecordKind<never>, (journey, map) => ({
    ...journey,
    steps: nestedRecords<JourneyStep>(map, NESTED.journeys, journeyStepKind as unknown as RecordKind<never>).map(
      (step) => (step.actorId === undefined || actorIds.has(step.actorId) ? step : withoutActor(step)),
    ),
  }))

  const emergingModels = readAll<EmergingModel>('emergingModels', emergingModelKind as unknown as RecordKind<never>).map(
    (model) => {
      if (model.themeId === undefined || themeIds.has(model.themeId)) return model
      const { themeId: _removed, ...rest } = model
      return rest
    },
  )
  const agenda = readAll<AgendaItem>('agenda', agendaItemKind as unknown as RecordKind<never>).sort(byOrder)
  const agendaIds = new Set(agenda.map((item) => item.id))

  const steering =
    read<Facilitation>(facilitationKind as unknown as RecordKind<never>, plainFields(facilitationMap(doc))) ??
    facilitationKind.schema.parse({})
  const { currentItemId, ...rest } = steering
  const facilitation =
    currentItemId !== undefined && agendaIds.has(currentItemId) ? steering : (rest as Facilitation)

  return {
    meta,
    actors,
    links,
    themes,
    quickWins,
    journeys,
    emergingModels,
    agenda,
    facilitation,
    problems,
  }
}

function withoutActor(step: JourneyStep): JourneyStep {
  const { actorId: _removed, ...rest } = step
  return rest
}

function readVotes(votes: unknown): Record<string, number> {
  const result: Record<string, number> = {}
  if (!(votes instanceof Y.Map)) return result
  for (const participant of [...votes.keys()].sort()) {
    const count = VoteCount.safeParse(votes.get(participant))
    if (count.success && count.data > 0) result[participant] = count.data
  }
  return result
}
