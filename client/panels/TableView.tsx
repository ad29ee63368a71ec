import { useMemo } from 'react'
import { useCan } from '../workshop/permissions.ts'
import { useSnapshot } from '../workspace-context.tsx'
import { ActorsTable } from './ActorsTable.tsx'
import { AddActorForm } from './AddActorForm.tsx'
import { LinksTable } from './LinksTable.tsx'
import './panels.css'

export interface TableViewProps {
  placedActorIds: ReadonlySet<string>
  onPlaceOnMap: (actorId: string) => void
  onRemoveActor: (actorId: string) => void
  onRemoveLink: (linkId: string) => void
}

/** The actors and links of the workspace as filterable, sortable tables, with a quick add form. */
export function TableView({ placedActorIds, onPlaceOnMap, onRemoveActor, onRemoveLink }: TableViewProps) {
  const snapshot = useSnapshot()
  const canEdit = useCan('edit')
  const names = useMemo(
    () => new Map(snapshot.actors.map((actor) => [actor.id, actor.name])),
    [snapshot.actors],
  )
  return (
    <div className="table-view">
      {canEdit && <AddActorForm />}
      <ActorsTable
        actors={snapshot.actors}
        links={snapshot.links}
        placedActorIds={placedActorIds}
        onPlaceOnMap={onPlaceOnMap}
        onRemove={onRemoveActor}
      />
      <LinksTable links={snapshot.links} names={names} onRemove={onRemoveLink} />
    </div>
  )
}
