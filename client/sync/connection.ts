import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { Id, Workspace } from '../../model/index.ts'
import { AccessTracker } from '../access/access.ts'
import { claimsOf, takeInviteToken } from '../access/tokens.ts'
import type { Participant } from '../identity.ts'
import { HeldWebSocket } from './held-websocket.ts'
import { PreviewReceiver } from './preview-receiver.ts'
import { SaveTracker } from './save-tracker.ts'
import { ServerClock } from './server-clock.ts'

/** What the person sees of the connection, in one value. */
export interface ConnectionState {
  /** The server connection: 'online' once connected, 'offline' while retrying. */
  readonly network: 'connecting' | 'online' | 'offline'
  /** This session has received everything the server had. */
  readonly synced: boolean
  /** The copy kept on this device has been read. */
  readonly localCopyLoaded: boolean
  /** Local edits not yet confirmed saved by the server. */
  readonly unsaved: number
}

/** One open workspace: its document, its device copy, its server connection, its commands. */
export interface WorkspaceConnection {
  readonly room: string
  readonly doc: Y.Doc
  readonly provider: WebsocketProvider
  readonly workspace: Workspace
  readonly saves: SaveTracker
  /** Who this device is in the workspace, and what the server refused. */
  readonly access: AccessTracker
  /** The server's clock, which the shared timer is stamped and counted down with. */
  readonly clock: ServerClock
  /** The map's preview, drawn while a device with nothing waits for a large map's document. */
  readonly preview: PreviewReceiver
  /**
   * Who this device's records are added by and whose dots it places: the invite's id (its
   * token's `jti`), or without a token (an open-access server) the participant id, which the
   * server cannot hold anyone to.
   */
  readonly authorId: string
  state(): ConnectionState
  subscribe(listener: () => void): () => void
  /**
   * Calls back once the document holds what there is to hold: synced with the server, or this
   * device's own copy read and the server out of reach (or the copy not empty, so this device is
   * known to have the map). What is written before that goes into the document of a device the
   * server then cannot tell has nothing (see StoreBindingOptions.whenLoaded).
   */
  whenLoaded(loaded: () => void): () => void
  destroy(): void
}

/**
 * Opens a workspace: the document is kept in IndexedDB on this device (so it opens and edits
 * offline) and synced with the server over the y-websocket protocol at /sync/<room>.
 */
export function openWorkspace(
  room: string,
  participant: Participant,
  options: { onReopen?: () => void } = {},
): WorkspaceConnection {
  const doc = new Y.Doc()
  const persistence = new IndexeddbPersistence(`network-map:${room}`, doc)
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  // The invite token goes as `?token=` on /sync/<room>: browsers cannot set WebSocket headers.
  const token = takeInviteToken(room)
  const provider = new WebsocketProvider(`${scheme}://${location.host}/sync`, room, doc, {
    // Retry quickly at first: venue wifi drops for seconds, not minutes.
    maxBackoffTime: 5000,
    // Holds the document back after the map's preview until the map has drawn it (PreviewReceiver).
    WebSocketPolyfill: HeldWebSocket,
    // `messages=access`: this client handles the server's own messages (role, refusals, time),
    // which the server sends only to clients that ask (sync-server/protocol.ts says why).
    params: token ? { token, messages: 'access' } : { messages: 'access' },
  })
  // A refused edit that can never be saved: this device's copy is replaced by the server's.
  const access = new AccessTracker(room, provider, doc, token, () => {
    void persistence.clearData().finally(() => options.onReopen?.())
  })
  // After the AccessTracker: the clock wraps its handler for the access message.
  const clock = new ServerClock(provider)
  const preview = new PreviewReceiver(provider)
  provider.awareness.setLocalStateField('user', {
    id: participant.id,
    name: participant.name,
    colour: participant.colour,
  })
  // Read from the token without verifying it: the server checks it, and holds this device's
  // records and votes to the same id.
  const jti = token ? claimsOf(token)?.jti : undefined
  const authorId = jti !== undefined && Id.safeParse(jti).success ? jti : participant.id
  const workspace = new Workspace(doc, {
    participantId: participant.id,
    authorId,
    // A facilitator's invite lets its holder work on a locked map. On an open-access server
    // everyone counts as a facilitator, so there the lock binds all but whoever locked it.
    mayEditLockedMap: () => access.state().role === 'facilitator' && !access.state().open,
    // The timer and summons are stamped in server time, so a device whose clock is off
    // still sets the end every device counts down to.
    now: clock.now,
  })
  // Edits held back after a refused write are not saved: the tracker waits until they are sent.
  const saves = new SaveTracker(doc, provider, [persistence], () => {
    const { holding, role } = access.state()
    return holding && role !== 'viewer'
  })

  const listeners = new Set<() => void>()
  let localCopyLoaded = false
  // Until the first attempt fails we say "connecting"; after that "offline" until connected.
  let attemptFailed = false
  let current: ConnectionState = { network: 'connecting', synced: false, localCopyLoaded, unsaved: 0 }
  const update = () => {
    if (provider.wsconnected) attemptFailed = false
    const network = provider.wsconnected
      ? 'online'
      : attemptFailed || !navigator.onLine
        ? 'offline'
        : 'connecting'
    const next: ConnectionState = {
      network,
      synced: provider.synced,
      localCopyLoaded,
      unsaved: saves.unsaved,
    }
    if (JSON.stringify(next) === JSON.stringify(current)) return
    current = next
    for (const listener of listeners) listener()
  }
  persistence.once('synced', () => {
    localCopyLoaded = true
    update()
  })
  provider.on('status', update)
  provider.on('sync', update)
  const failed = () => {
    attemptFailed = true
    update()
  }
  provider.on('connection-close', failed)
  provider.on('connection-error', failed)
  window.addEventListener('online', update)
  window.addEventListener('offline', update)
  const stopSaves = saves.subscribe(update)
  const subscribe = (listener: () => void) => {
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }

  return {
    room,
    doc,
    provider,
    workspace,
    saves,
    access,
    clock,
    preview,
    authorId,
    state: () => current,
    subscribe,
    whenLoaded: (loaded) => {
      let done = false
      const check = () => {
        if (done) return
        const { synced, network } = current
        const ownCopy = localCopyLoaded && (network === 'offline' || doc.store.clients.size > 0)
        if (!synced && !ownCopy) return
        done = true
        stop()
        loaded()
      }
      const stop = subscribe(check)
      check()
      return () => {
        done = true
        stop()
      }
    },
    destroy: () => {
      window.removeEventListener('online', update)
      window.removeEventListener('offline', update)
      stopSaves()
      clock.destroy()
      preview.destroy()
      access.destroy()
      saves.destroy()
      workspace.destroy()
      provider.destroy()
      void persistence.destroy()
      doc.destroy()
    },
  }
}
