import { actorKind } from './actor.ts'
import { agendaItemKind } from './agenda-item.ts'
import { emergingModelKind } from './emerging-model.ts'
import { facilitationKind } from './facilitation.ts'
import { journeyKind, journeyStepKind } from './journey.ts'
import { linkKind } from './link.ts'
import { metaKind } from './meta.ts'
import { quickWinKind } from './quick-win.ts'
import type { KindKey, RecordDeclaration, RecordKind } from './record.ts'
import { themeKind, themePointKind } from './theme.ts'

/**
 * Every kind of record a document holds, each with its own version. Referenced kinds come
 * before the kinds that refer to them, and parents before their nested kinds, so one pass in
 * this order can check every reference against records already read.
 */
export const DECLARATIONS = [
  metaKind,
  actorKind,
  linkKind,
  themeKind,
  themePointKind,
  quickWinKind,
  journeyKind,
  journeyStepKind,
  emergingModelKind,
  agendaItemKind,
  facilitationKind,
] as const satisfies readonly RecordDeclaration[]

/** The same list, as the kinds' shape and history alone (migrations, restore). */
export const RECORD_KINDS: readonly RecordKind<never>[] =
  DECLARATIONS as unknown as readonly RecordKind<never>[]

/** A declaration by its key. */
export const declaration = (key: KindKey): RecordDeclaration =>
  (DECLARATIONS as readonly RecordDeclaration[]).find((kind) => kind.key === key) as RecordDeclaration

/** The kinds nested inside records of `parent` (a theme's points). */
export const nestedKinds = (parent: KindKey): readonly RecordDeclaration[] =>
  (DECLARATIONS as readonly RecordDeclaration[]).filter(
    (kind) => 'parent' in kind.placement && kind.placement.parent === parent,
  )
