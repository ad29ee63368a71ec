import { useCallback, useEffect, useReducer, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { PreviewMap } from '../canvas/PreviewMap.tsx'
import { type Participant, saveParticipant } from '../identity.ts'
import { openWorkspace, type WorkspaceConnection } from '../sync/connection.ts'
import { NameDialog } from './NameDialog.tsx'
import { OpeningWorkspace } from './OpeningWorkspace.tsx'

type WorkspaceScript = typeof import('./OpenWorkspace.tsx')
/**
 * The workspace's page: a script of its own, with tldraw (see OpenWhenReady), run once. The page
 * fetches it from the start (a modulepreload link, vite.config.ts) but runs it only when needed.
 */
let workspaceScript: Promise<WorkspaceScript> | null = null
const loadWorkspaceScript = () => {
  workspaceScript ??= import('./OpenWorkspace.tsx')
  return workspaceScript
}

/** One open workspace: its connection for as long as the page shows it. */
export function WorkspacePage({
  room,
  participant,
  onParticipant,
}: {
  room: string
  participant: Participant
  onParticipant: (next: Participant) => void
}) {
  const [connection, setConnection] = useState<WorkspaceConnection | null>(null)
  // Created and destroyed in an effect: React StrictMode mounts twice in development. It
  // depends on who this is, not on their name: renaming must not reconnect.
  const participantRef = useRef(participant)
  participantRef.current = participant
  // After an edit the server can never accept, the device's copy is replaced by the server's.
  const [generation, reopen] = useReducer((count: number) => count + 1, 0)
  // biome-ignore lint/correctness/useExhaustiveDependencies: reconnect for another person, not for a rename
  useEffect(() => {
    const opened = openWorkspace(room, participantRef.current, { onReopen: reopen })
    setConnection(opened)
    return () => {
      opened.destroy()
      setConnection(null)
    }
  }, [room, participant.id, generation])
  useEffect(() => {
    connection?.provider.awareness.setLocalStateField('user', {
      id: participant.id,
      name: participant.name,
      colour: participant.colour,
    })
  }, [connection, participant])

  if (!participant.name) {
    return (
      <NameDialog
        participant={participant}
        onSave={(next) => {
          saveParticipant(next)
          onParticipant(next)
        }}
      />
    )
  }
  if (!connection) return null
  return (
    <OpenWhenReady
      key={generation}
      connection={connection}
      participant={participant}
      onParticipant={onParticipant}
    />
  )
}

/**
 * Whatever the page shows first: the workspace's frame and, where the map will be, the map's
 * preview. The workspace itself (tldraw, the panels, the editors: most of the app's script) is
 * a script of its own, mounted once the page has its map:
 *
 * - the document is loaded (synced; or this device's own copy read, see `whenLoaded`): a small
 *   map, or a device that has the map, has nothing to wait for;
 * - a device opening a large map with nothing is sent its preview first, which is drawn at once
 *   (the first boxes come before the workspace's script has even run); the script runs while
 *   the document is on its way (the page is idle meanwhile), and the workspace mounts once the
 *   document is in and applied. Mounted sooner, it held the page's thread (a second on
 *   a borough) while the 8 MiB document was arriving, and a browser whose page is busy stops
 *   reading its socket: the server, waiting for the document to leave before building the
 *   room, gave up and built it, and the document came seconds later. Mounted after the
 *   document had come but before it was applied, the map was drawn no sooner (measured);
 * - the server refused the invite (the workspace says why);
 * - or, with no preview, MOUNT_ANYWAY_MS have passed (a slow server; offline with nothing).
 */
function OpenWhenReady({
  connection,
  participant,
  onParticipant,
}: {
  connection: WorkspaceConnection
  participant: Participant
  onParticipant: (next: Participant) => void
}) {
  const { t } = useTranslation()
  const [ready, setReady] = useState(false)
  // Held in state rather than React.lazy: a lazy component suspends on its first render even
  // when its script is in, and React holds a Suspense boundary's content back 300 ms after that.
  const [script, setScript] = useState<WorkspaceScript | null>(null)
  const [failed, setFailed] = useState(false)
  // The preview stays over the workspace's map until the map has drawn itself: mounting it with
  // a borough's document takes most of a second, and its map area would be blank meanwhile.
  const [covered, setCovered] = useState(false)
  const uncover = useCallback(() => setCovered(false), [])
  useEffect(() => {
    if (ready) return
    const mount = () => setReady(true)
    const { doc, preview } = connection
    const mapIn = () => {
      if (doc.store.clients.size > 0) mount()
    }
    let timer = setTimeout(mount, MOUNT_ANYWAY_MS)
    const stopLoaded = connection.whenLoaded(mount)
    // A refused invite has nothing to wait for: the workspace says why (AccessNotice).
    const denied = () => {
      if (connection.access.state().denied) mount()
    }
    const stopDenied = connection.access.subscribe(denied)
    const stopPainted = preview.whenPainted(() => {
      setCovered(true)
      void loadWorkspaceScript()
      clearTimeout(timer)
      timer = setTimeout(mount, MOUNT_WITH_PREVIEW_MS)
      doc.on('update', mapIn)
      mapIn()
    })
    return () => {
      clearTimeout(timer)
      stopLoaded()
      stopDenied()
      stopPainted()
      doc.off('update', mapIn)
    }
  }, [connection, ready])
  useEffect(() => {
    if (!ready) return
    let live = true
    loadWorkspaceScript().then(
      (loaded) => live && setScript(loaded),
      (error: unknown) => {
        console.error('The workspace could not be loaded:', error)
        if (live) setFailed(true)
      },
    )
    return () => {
      live = false
    }
  }, [ready])
  if (failed) {
    return (
      <div className="access-notice access-notice--denied" role="alert">
        {t('topbar.notLoaded')}
      </div>
    )
  }
  if (!script) return <OpeningWorkspace connection={connection} participant={participant} />
  return (
    <script.OpenWorkspace
      connection={connection}
      participant={participant}
      onParticipant={onParticipant}
      mapCover={covered ? <PreviewMap receiver={connection.preview} /> : null}
      onMapDrawn={covered ? uncover : undefined}
    />
  )
}

/** With no preview on screen, the most the workspace waits for its document before it mounts. */
const MOUNT_ANYWAY_MS = 1500
/** With the preview on screen, the most it waits for the document (a very slow link). */
const MOUNT_WITH_PREVIEW_MS = 15_000
