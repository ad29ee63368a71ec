import { actorKind } from './actor.ts'
import { agendaItemKind } from './agenda-item.ts'
import { emergingModelKind } from './emerging-model.ts'
import { facilitationKind } from './facilitation.ts'
import { journeyKind, journeyStepKind } from './journey.ts'
import { linkKind } from './link.ts'
import { metaKind } from './meta.ts'
import { quickWinKind } from './quick-win.ts'
import type { RecordKind } from './record.ts'
import { themeKind, themePointKind } from './theme.ts'

/** Every kind of record a document holds, each with its own version. */
export const RECORD_KINDS: readonly RecordKind<never>[] = [
  actorKind,
  linkKind,
  themeKind,
  themePointKind,
  quickWinKind,
  journeyKind,
  journeyStepKind,
  metaKind,
  emergingModelKind,
  agendaItemKind,
  facilitationKind,
] as unknown as readonly RecordKind<never>[]
