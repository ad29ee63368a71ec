import * as decoding from 'lib0/decoding'
import type * as encoding from 'lib0/encoding'
import type { WebsocketProvider } from 'y-websocket'
import { decodePreview, type MapPreview } from '../../model/map-preview.ts'
import { HeldWebSocket } from './held-websocket.ts'

/** The server's map preview message (sync-server/protocol.ts). */
const MESSAGE_PREVIEW = 12

type Handler = (encoder: encoding.Encoder, decoder: decoding.Decoder, ...rest: unknown[]) => void

/**
 * Takes the map's preview the server sends a device that has nothing, just before the document
 * (model/map-preview.ts), and keeps it until the document is in: the map draws it meanwhile. A
 * preview that does not read is ignored: the map then simply waits for its document.
 */
export class PreviewReceiver {
  private preview: MapPreview | null = null
  private readonly listeners = new Set<() => void>()
  private readonly onSync: (synced: boolean) => void

  constructor(private readonly provider: WebsocketProvider) {
    const handlers = provider.messageHandlers as unknown as Handler[]
    handlers[MESSAGE_PREVIEW] = (_encoder, decoder) => {
      const preview = decodePreview(decoding.readVarUint8Array(decoder))
      if (!preview) {
        console.warn('The map preview from the server could not be read; waiting for the map itself.')
        return
      }
      this.set(preview)
      // So the preview is on screen before the document's apply holds the page's thread.
      if (provider.ws instanceof HeldWebSocket) provider.ws.holdUntilPainted()
    }
    // Once synced the map has everything: the preview is no longer drawn, and is let go.
    this.onSync = (synced) => {
      if (synced) this.set(null)
    }
    provider.on('sync', this.onSync)
  }

  /** The preview, until the document is synced; null if none came. */
  get current(): MapPreview | null {
    return this.preview
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    this.provider.off('sync', this.onSync)
    this.listeners.clear()
  }

  private set(preview: MapPreview | null): void {
    if (preview === this.preview) return
    this.preview = preview
    for (const listener of this.listeners) listener()
  }
}
