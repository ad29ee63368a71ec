import * as decoding from 'lib0/decoding'
import type * as encoding from 'lib0/encoding'
import type { WebsocketProvider } from 'y-websocket'
import { decodePreview, type MapPreview } from '../../model/map-preview.ts'
import { HeldWebSocket } from './held-websocket.ts'

/** The server's map preview message (sync-server/protocol.ts). */
const MESSAGE_PREVIEW = 12

/**
 * The longest the document waits for the map to draw the preview: the map mounting on a slow
 * laptop takes about a second; a page not showing the map gets its document this much later.
 */
const MAX_HOLD_MS = 2000

type Handler = (encoder: encoding.Encoder, decoder: decoding.Decoder, ...rest: unknown[]) => void

/**
 * Takes the map's preview the server sends a device that has nothing, just before the document
 * (model/map-preview.ts), and keeps it until the document is in: the map draws it meanwhile. A
 * preview that does not read is ignored: the map then simply waits for its document.
 */
export class PreviewReceiver {
  private preview: MapPreview | null = null
  /** The last preview that came, kept after the sync (see `received`). */
  private last: MapPreview | null = null
  /** Lets the held document in (see `painted`). */
  private release: (() => void) | null = null
  private readonly listeners = new Set<() => void>()
  private readonly paintListeners = new Set<() => void>()
  private wasPainted = false
  private readonly onSync: (synced: boolean) => void

  constructor(private readonly provider: WebsocketProvider) {
    const handlers = provider.messageHandlers as unknown as Handler[]
    handlers[MESSAGE_PREVIEW] = (_encoder, decoder) => {
      const preview = decodePreview(decoding.readVarUint8Array(decoder))
      if (!preview) {
        console.warn('The map preview from the server could not be read; waiting for the map itself.')
        return
      }
      // The document waits until the map has drawn the preview (`painted`), so the preview is
      // on screen before the document's apply holds the page's thread.
      if (provider.ws instanceof HeldWebSocket) this.release = provider.ws.hold(MAX_HOLD_MS)
      this.set(preview)
    }
    // Once synced the map has everything: the preview is no longer drawn, and is let go.
    this.onSync = (synced) => {
      if (synced) this.set(null)
    }
    provider.on('sync', this.onSync)
  }

  /**
   * The map has drawn the preview: the document comes in once that frame is on screen. Until
   * then it is held, at most MAX_HOLD_MS (the map may not be open, or still mounting).
   */
  painted(): void {
    const release = this.release
    this.release = null
    if (release) requestAnimationFrame(release)
    if (this.wasPainted) return
    this.wasPainted = true
    for (const listener of this.paintListeners) listener()
    this.paintListeners.clear()
  }

  /** Calls back once a preview is on screen (at once if one already is); returns a cancel. */
  whenPainted(painted: () => void): () => void {
    if (this.wasPainted) {
      painted()
      return () => undefined
    }
    this.paintListeners.add(painted)
    return () => this.paintListeners.delete(painted)
  }

  /** The preview, until the document is synced; null if none came. */
  get current(): MapPreview | null {
    return this.preview
  }

  /**
   * The last preview that came, kept after the document is synced: the page shows it over the
   * map until the map has drawn itself (WorkspacePage), which may come after the sync.
   */
  get received(): MapPreview | null {
    return this.last
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    this.release?.()
    this.provider.off('sync', this.onSync)
    this.listeners.clear()
    this.paintListeners.clear()
  }

  private set(preview: MapPreview | null): void {
    if (preview === this.preview) return
    this.preview = preview
    if (preview) this.last = preview
    for (const listener of this.listeners) listener()
  }
}
