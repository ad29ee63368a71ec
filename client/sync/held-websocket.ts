/**
 * The browser's WebSocket, with one addition: its incoming messages can be held back until the
 * page has painted (`holdUntilPainted`). The map's preview arrives just before a large map's
 * document, and applying the document keeps the page's thread busy for a second or more: without
 * the hold, the preview would be drawn only after that, when it is no longer needed. Messages
 * held are handed on in order, and a hold never lasts past MAX_HOLD_MS (a page in the
 * background paints no frames).
 *
 * Given to the provider as its WebSocket class: it sets `onmessage`, which is where the messages
 * are held. Nothing else of the socket changes.
 */
export class HeldWebSocket extends WebSocket {
  private handler: ((event: MessageEvent) => void) | null = null
  private held: MessageEvent[] | null = null

  override set onmessage(handler: ((event: MessageEvent) => void) | null) {
    this.handler = handler
    super.onmessage = handler ? (event: MessageEvent) => this.arrive(event) : null
  }

  override get onmessage(): ((event: MessageEvent) => void) | null {
    return this.handler
  }

  /** Holds the messages that come after this one until the page has painted a frame. */
  holdUntilPainted(): void {
    if (this.held) return
    this.held = []
    let released = false
    const release = () => {
      if (released) return
      released = true
      clearTimeout(timer)
      const held = this.held ?? []
      this.held = null
      for (const event of held) this.handler?.(event)
    }
    const timer = setTimeout(release, MAX_HOLD_MS)
    // The first frame draws what was just received; the second begins once the first is out.
    requestAnimationFrame(() => requestAnimationFrame(release))
  }

  private arrive(event: MessageEvent): void {
    if (this.held) this.held.push(event)
    else this.handler?.(event)
  }
}

/** The longest a hold lasts: a few frames' time. */
const MAX_HOLD_MS = 100
