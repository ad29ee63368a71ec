import { atom } from 'tldraw'
import * as Y from 'yjs'
import type { DatasetChanges, Placement } from '../../model/change/index.ts'
import { actorPlacements } from '../../model/change/index.ts'
import { canvasMap, type Dataset, toDataset, Workspace } from '../../model/index.ts'
import type { SnapshotItem } from './snapshot-api.ts'

/**
 * What this device shows of the workspace's history, as tldraw signals (like the lens): a
 * snapshot opened read-only in place of the live map, and a comparison drawn on whichever map
 * shows its later state. Nothing here is written to the shared document.
 */

/** A snapshot read into a document of its own, which nothing syncs or stores. */
export interface LoadedSnapshot {
  readonly item: SnapshotItem
  readonly doc: Y.Doc
  /** Commands on it would change only this copy; the map showing it is read-only. */
  readonly workspace: Workspace
  readonly dataset: Dataset
}

/** Reads a snapshot's state (a Yjs update) into a document and its dataset. */
export function loadSnapshot(item: SnapshotItem, state: Uint8Array): LoadedSnapshot {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  return { item, doc, workspace: new Workspace(doc), dataset: toDataset(doc) }
}

/** The snapshot shown in place of the live map, read-only; null: the live map. */
export const openSnapshotAtom = atom<LoadedSnapshot | null>('open snapshot', null)

export type ChangeMark = 'added' | 'changed'

/** What a comparison marks on the map that shows its later state. */
export interface ChangeHighlight {
  /** The states compared, for the key on the map ("Morning → Now"): snapshots' names; null: now. */
  readonly title: { readonly before: string; readonly after: string | null }
  readonly actors: ReadonlyMap<string, ChangeMark>
  readonly links: ReadonlyMap<string, ChangeMark>
  /** How many actors are gone since (some may have had no box to draw). */
  readonly removedCount: number
  /** Actors gone since, drawn faint where their boxes stood on the earlier map. */
  readonly removedActors: readonly { readonly id: string; readonly name: string; readonly at: Placement }[]
  /** Links gone since, drawn faint between their actors' boxes (now, or where they stood). */
  readonly removedLinks: readonly { readonly id: string; readonly from: string; readonly to: string }[]
  /** Where each actor stood on the earlier map, for the removed links' ends. */
  readonly placementsBefore: ReadonlyMap<string, Placement>
  /** Compared with now: the marks again from the map as it is (after an edit). */
  readonly follow?: () => ChangeHighlight
}

/** The comparison drawn on the map; null: none. */
export const changeHighlightAtom = atom<ChangeHighlight | null>('change highlight', null)

/** The marks of a comparison's changes, with the earlier state's canvas to place what was removed. */
export function highlightOf(
  changes: DatasetChanges,
  canvasBefore: Y.Doc | null,
  title: ChangeHighlight['title'],
  follow?: () => ChangeHighlight,
): ChangeHighlight {
  const { actors, links } = changes
  const placementsBefore = canvasBefore
    ? actorPlacements(canvasMap(canvasBefore))
    : new Map<string, Placement>()
  const marks = <T extends { id: string }>(
    added: readonly T[],
    changed: readonly { id: string }[],
  ): Map<string, ChangeMark> =>
    new Map<string, ChangeMark>([
      ...added.map((record) => [record.id, 'added'] as const),
      ...changed.map((change) => [change.id, 'changed'] as const),
    ])
  return {
    title,
    actors: marks(actors.added, actors.changed),
    links: marks(links.added, links.changed),
    removedCount: actors.removed.length,
    removedActors: actors.removed.flatMap((actor) => {
      const at = placementsBefore.get(actor.id)
      return at ? [{ id: actor.id, name: actor.name, at }] : []
    }),
    removedLinks: links.removed.map((link) => ({ id: link.id, from: link.from, to: link.to })),
    placementsBefore,
    ...(follow ? { follow } : {}),
  }
}
