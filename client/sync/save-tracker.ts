import * as decoding from 'lib0/decoding'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'

const MESSAGE_AWARENESS = 1
const QUERY_AWARENESS = new Uint8Array([3])

/**
 * Knows whether this device's edits are saved on the server.
 *
 * The y-websocket protocol has no acknowledgement, so the tracker borrows one: after local
 * edits it asks the server for everyone's presence ("query awareness"). Our server answers
 * that only once every update the connection sent before it is committed to storage, and the
 * answer is the only presence message that carries our own client id (the server never relays
 * our own presence back to us). So that answer means "everything up to the question is saved".
 */
export class SaveTracker {
  private localEdits = 0
  private savedEdits = 0
  private asked: number | null = null
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly listeners = new Set<() => void>()

  constructor(
    private readonly doc: Y.Doc,
    private readonly provider: WebsocketProvider,
    private readonly ignoredOrigins: readonly unknown[],
    /** True while edits are held back (a refused write): they are not saved, so do not ask. */
    private readonly paused: () => boolean = () => false,
  ) {
    doc.on('update', this.onUpdate)
    provider.on('sync', this.onSync)
    const handlers = provider.messageHandlers as unknown as ((...args: unknown[]) => void)[]
    const original = handlers[MESSAGE_AWARENESS] as (...args: unknown[]) => void
    handlers[MESSAGE_AWARENESS] = (encoder, decoder, ...rest) => {
      const isAnswer = this.asked !== null && carriesClient(decoder as decoding.Decoder, doc.clientID)
      original(encoder, decoder, ...rest)
      if (isAnswer) this.onAnswer()
    }
  }

  /** How many local edits the server has not confirmed yet. */
  get unsaved(): number {
    return this.localEdits - this.savedEdits
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    clearTimeout(this.timer)
    this.doc.off('update', this.onUpdate)
    this.provider.off('sync', this.onSync)
  }

  private readonly onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === this.provider || this.ignoredOrigins.includes(origin)) return
    this.localEdits++
    this.notify()
    this.askSoon()
  }

  private readonly onSync = (synced: boolean) => {
    // After a reconnect, sync step 2 carried every edit made offline: ask whether they are saved.
    if (synced && this.unsaved > 0) this.askSoon()
  }

  private askSoon(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.ask(), 250)
  }

  private ask(): void {
    const socket = this.provider.ws
    if (this.paused() || !this.provider.synced || !socket || socket.readyState !== socket.OPEN) return
    this.asked = this.localEdits
    socket.send(QUERY_AWARENESS)
  }

  private onAnswer(): void {
    if (this.asked === null) return
    this.savedEdits = Math.max(this.savedEdits, this.asked)
    this.asked = null
    if (this.unsaved > 0) this.askSoon()
    this.notify()
  }

  private notify(): void {
    for (const listener of this.listeners) listener()
  }
}

/** Does this awareness message (positioned after its type) carry an entry for `clientId`? */
function carriesClient(decoder: decoding.Decoder, clientId: number): boolean {
  try {
    const copy = decoding.clone(decoder)
    const update = decoding.createDecoder(decoding.readVarUint8Array(copy))
    const count = decoding.readVarUint(update)
    for (let i = 0; i < count; i++) {
      if (decoding.readVarUint(update) === clientId) return true
      decoding.readVarUint(update)
      decoding.readVarString(update)
    }
  } catch {
    // Not ours to judge: the provider's own handler reports malformed messages.
  }
  return false
}
