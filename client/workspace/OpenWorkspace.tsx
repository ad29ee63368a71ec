import { type ReactNode, useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import { AccessNotice } from '../access/AccessNotice.tsx'
import { mayDo } from '../access/access.ts'
import { Can, ReadOnlyMap } from '../access/Can.tsx'
import { RoleBadge } from '../access/RoleBadge.tsx'
import '../access/access.css'
import { CanvasView } from '../canvas/CanvasView.tsx'
import type { MapBinding, MapBindingEvents } from '../canvas/map-binding.ts'
import type { RejectedRecord } from '../canvas/store-binding.ts'
import { UnplacedNotice } from '../canvas/UnplacedNotice.tsx'
import { explain } from '../forms/explain.ts'
import { SnapshotView } from '../history/SnapshotView.tsx'
import { type Participant, saveParticipant } from '../identity.ts'
import { Inspector } from '../panels/Inspector.tsx'
import { TableView } from '../panels/TableView.tsx'
import { rememberWorkspace } from '../recent.ts'
import type { WorkspaceConnection } from '../sync/connection.ts'
import { FacilitationBar } from '../workshop/FacilitationBar.tsx'
import { WorkshopPanel, type WorkshopTab } from '../workshop/WorkshopPanel.tsx'
import { type Selection, useWorkspaceData, useWorkspaceUi, WorkspaceProvider } from '../workspace-context.tsx'
import { ExportDialog } from './ExportDialog.tsx'
import { ImportDialog } from './ImportDialog.tsx'
import { LeftMapDialog } from './LeftMapDialog.tsx'
import { MapToolbar } from './MapToolbar.tsx'
import { NameDialog } from './NameDialog.tsx'
import { ShareDialog } from './ShareDialog.tsx'
import { TopBar, type TopBarActions } from './TopBar.tsx'

/** The workspace's whole page: the map, the table, the panels and the dialogs. */
export function OpenWorkspace({
  connection,
  participant,
  onParticipant,
  mapCover,
  onMapDrawn,
}: {
  connection: WorkspaceConnection
  participant: Participant
  onParticipant: (next: Participant) => void
  /** Shown over the map until the map has drawn itself (the map's preview, see WorkspacePage). */
  mapCover?: ReactNode
  onMapDrawn?: () => void
}) {
  const { t } = useTranslation()
  const [selection, setSelection] = useState<Selection>(null)
  const [binding, setBinding] = useState<MapBinding | null>(null)
  const [view, setView] = useState<'map' | 'table'>('map')
  const [sharing, setSharing] = useState(false)
  const [dataDialog, setDataDialog] = useState<'export' | 'import' | null>(null)
  const [renaming, setRenaming] = useState(false)
  const [leftMap, setLeftMap] = useState<string[] | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [workshopTab, setWorkshopTab] = useState<WorkshopTab | null>(null)
  const [moreOpen, setMoreOpen] = useState(false)
  useEffect(() => {
    if (!moreOpen) return
    const close = (event: KeyboardEvent) => event.key === 'Escape' && setMoreOpen(false)
    document.addEventListener('keydown', close)
    return () => document.removeEventListener('keydown', close)
  }, [moreOpen])
  const [shownJourneyId, showJourney] = useState<string | null>(null)

  const select = useCallback(
    (target: Selection) => {
      setSelection(target)
      if (!binding || !target) return
      binding.showOnMap([target])
    },
    [binding],
  )
  const ui = useMemo(
    () => ({ connection, participant, selection, select, shownJourneyId, showJourney }),
    [connection, participant, selection, select, shownJourneyId],
  )
  const events: MapBindingEvents = useMemo(() => ({ onActorsLeftMap: setLeftMap, onError: setMessage }), [])
  const onRejected = useCallback(
    (rejected: RejectedRecord[]) =>
      setMessage(`${rejected.length} map item(s) from another device could not be shown.`),
    [],
  )

  // Removing goes through the model, whose cascade takes the boxes and arrows off every map.
  const { workspace } = connection
  const attempt = useCallback((command: () => unknown) => {
    try {
      command()
    } catch (error) {
      setMessage(explain(error))
    }
  }, [])
  const removeActor = useCallback(
    (actorId: string) => attempt(() => workspace.removeActor(actorId)),
    [attempt, workspace],
  )
  const removeLink = useCallback(
    (linkId: string) => attempt(() => workspace.disconnect(linkId)),
    [attempt, workspace],
  )

  // Read from the connection: this component provides the context useAccess reads.
  const access = useSyncExternalStore(connection.access.subscribe, connection.access.state)
  // From the menu, a choice closes it.
  const fromMenu = (open: () => void) => () => {
    setMoreOpen(false)
    open()
  }
  const topBarActions: TopBarActions = {
    view: setView,
    toggleWorkshop: () => setWorkshopTab(workshopTab ? null : 'notes'),
    toggleMore: () => setMoreOpen(!moreOpen),
    rename: fromMenu(() => setRenaming(true)),
    importData: fromMenu(() => setDataDialog('import')),
    exportData: fromMenu(() => setDataDialog('export')),
    share: () => setSharing(true),
  }

  useEffect(() => {
    if (!message) return
    const timer = setTimeout(() => setMessage(null), 6000)
    return () => clearTimeout(timer)
  }, [message])

  return (
    <WorkspaceProvider value={ui}>
      <div className="workspace" data-view={view}>
        <TopBar
          title={<WorkspaceTitle room={connection.room} />}
          roleBadge={<RoleBadge />}
          editor={binding?.editor ?? null}
          view={view}
          workshopOpen={workshopTab !== null}
          moreOpen={moreOpen}
          participantName={participant.name}
          may={(action) => mayDo(access, action)}
          actions={topBarActions}
        />
        <AccessNotice />
        <ReadOnlyMap binding={binding} />
        <FacilitationBar binding={binding} onMessage={setMessage} />
        <main className="workspace__body">
          <div className="workspace__map" hidden={view !== 'map'}>
            <CanvasView
              events={events}
              onBinding={setBinding}
              onRejected={onRejected}
              onSelectionChange={setSelection}
              onMapDrawn={onMapDrawn}
            />
            {mapCover}
            <SnapshotView />
            <Can action="edit">
              <div className="map-dock">
                {binding && <UnplacedNotice binding={binding} />}
                <MapToolbar binding={binding} />
              </div>
            </Can>
          </div>
          {view === 'table' && (
            <div className="workspace__table">
              <TableView
                placedActorIds={binding?.placedActorIds() ?? new Set()}
                onPlaceOnMap={(actorId) => {
                  setView('map')
                  requestAnimationFrame(() => binding?.place(actorId))
                }}
                onRemoveActor={removeActor}
                onRemoveLink={removeLink}
              />
            </div>
          )}
          {workshopTab && (
            <aside className="workspace__workshop" aria-label={t('workshop.label')}>
              <WorkshopPanel
                tab={workshopTab}
                onTab={setWorkshopTab}
                onClose={() => setWorkshopTab(null)}
                binding={binding}
                onShowMap={() => {
                  setView('map')
                  // On a phone the panel covers the map: get out of the way.
                  if (window.matchMedia('(max-width: 700px)').matches) setWorkshopTab(null)
                }}
              />
            </aside>
          )}
          {selection && (
            <aside className="workspace__inspector" aria-label={t('inspector.eyebrow')}>
              <Inspector
                selection={selection}
                onClose={() => {
                  setSelection(null)
                  binding?.editor.selectNone()
                }}
                onRemoveActor={(actorId) => {
                  removeActor(actorId)
                  setSelection(null)
                }}
                onRemoveLink={(linkId) => {
                  removeLink(linkId)
                  setSelection(null)
                }}
              />
            </aside>
          )}
        </main>
        {message && (
          <div className="toast" role="alert">
            {message}
          </div>
        )}
        {sharing && <ShareDialog room={connection.room} onClose={() => setSharing(false)} />}
        {dataDialog === 'export' && <ExportDialog binding={binding} onClose={() => setDataDialog(null)} />}
        {dataDialog === 'import' && (
          <ImportDialog
            binding={binding}
            onClose={() => {
              setDataDialog(null)
              setView('map')
            }}
          />
        )}
        {renaming && (
          <NameDialog
            participant={participant}
            onSave={(next) => {
              saveParticipant(next)
              setRenaming(false)
              onParticipant(next)
            }}
          />
        )}
        {leftMap && (
          <LeftMapDialog
            actorIds={leftMap}
            onKeep={() => setLeftMap(null)}
            onRemove={(ids) => {
              for (const id of ids) removeActor(id)
              setLeftMap(null)
            }}
          />
        )}
      </div>
    </WorkspaceProvider>
  )
}

/** The workspace's title: set from the home page on creation, remembered in the recent list. */
function WorkspaceTitle({ room }: { room: string }) {
  const title = useWorkspaceData((snapshot) => snapshot.meta.title)
  const { connection } = useWorkspaceUi()
  useEffect(() => {
    const key = `network-map:new-title:${room}`
    const pending = sessionStorage.getItem(key)
    if (pending && title === 'Untitled workspace') {
      connection.workspace.updateMeta({ title: pending })
      sessionStorage.removeItem(key)
    }
  }, [room, title, connection])
  useEffect(() => {
    void rememberWorkspace(room, title)
  }, [room, title])
  useEffect(() => {
    document.title = `${title} · Network map`
  }, [title])
  return <h1 className="topbar__title">{title}</h1>
}
