import type { Removal } from './integrity.ts'
import { type Actor, actorKind } from './records/actor.ts'
import type { AgendaItem, agendaItemKind } from './records/agenda-item.ts'
import type { EmergingModel, emergingModelKind } from './records/emerging-model.ts'
import type { Journey, JourneyStep, journeyKind, journeyStepKind } from './records/journey.ts'
import { type Link, linkKind } from './records/link.ts'
import type { Meta } from './records/meta.ts'
import type { QuickWin, quickWinKind } from './records/quick-win.ts'
import type { CreateInput, KindKey, Patch } from './records/record.ts'
import type { Theme, ThemePoint, themeKind, themePointKind } from './records/theme.ts'

/** What the workspace's named commands take, and what removing an actor reports. */

/** What removing an actor took with it, so the caller can tell the person. */
export interface ActorRemoval {
  readonly actor: Actor
  readonly links: readonly Link[]
  /** Journey steps that named the actor: they keep its name as their place. */
  readonly journeySteps: readonly { journeyId: string; stepId: string }[]
  /** Theme points that referenced the actor: the reference is dropped, the point kept. */
  readonly themePoints: readonly { themeId: string; pointId: string }[]
}

export type ActorCreate = CreateInput<typeof actorKind.schema>
export type ActorPatch = Patch<Actor>
export type LinkCreate = CreateInput<typeof linkKind.schema>
export type LinkPatch = Patch<Link, 'from' | 'to'>
export type ThemeCreate = CreateInput<typeof themeKind.schema, 'order'>
export type ThemePatch = Patch<Omit<Theme, 'points'>, 'order'>
export type ThemePointCreate = CreateInput<typeof themePointKind.schema, 'order'>
export type ThemePointPatch = Patch<ThemePoint, 'order' | 'addedBy'>
export type QuickWinCreate = CreateInput<typeof quickWinKind.schema>
export type QuickWinPatch = Patch<Omit<QuickWin, 'votes'>, 'addedBy'>
export type JourneyCreate = CreateInput<typeof journeyKind.schema>
export type JourneyPatch = Patch<Omit<Journey, 'steps'>, 'addedBy'>
export type JourneyStepCreate = CreateInput<typeof journeyStepKind.schema, 'order'>
export type JourneyStepPatch = Patch<JourneyStep, 'order'>
export type MetaPatch = Patch<Meta>
export type EmergingModelCreate = CreateInput<typeof emergingModelKind.schema>
export type EmergingModelPatch = Patch<EmergingModel, 'addedBy'>
export type AgendaItemCreate = CreateInput<typeof agendaItemKind.schema, 'order'>
export type AgendaItemPatch = Patch<AgendaItem, 'order'>

/** What a removal took with it, told as the actor's removal report. */
export function actorRemovalOf(id: string, removal: Removal): ActorRemoval {
  const fields = removal.removed[0]?.fields ?? {}
  const actor = actorKind.restore(fields)
  const ofKind = (key: KindKey) => removal.removed.filter((record) => record.kind.key === key)
  const cleared = (key: KindKey) => removal.cleared.filter((record) => record.kind.key === key)
  return {
    actor: actor.ok ? actor.value : ({ id, name: String(fields.name ?? id) } as Actor),
    links: ofKind('link').map((link) => {
      const restored = linkKind.restore(link.fields)
      return restored.ok ? restored.value : ({ id: link.id } as Link)
    }),
    journeySteps: cleared('journeyStep').map((step) => ({ journeyId: step.parentId ?? '', stepId: step.id })),
    themePoints: cleared('themePoint').map((point) => ({ themeId: point.parentId ?? '', pointId: point.id })),
  }
}
