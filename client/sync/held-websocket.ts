/**
 * The browser's WebSocket, with one addition: its incoming messages can be held back (`hold`)
 * and are then handed on in order. The map's preview arrives just before a large map's document,
 * and applying the document keeps the page's thread busy for a second or more: without the hold,
 * the preview would be drawn only after that, when it is no longer needed (see PreviewReceiver).
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

  /**
   * Holds the messages that come after this one until the returned function is called, or
   * `maxMs` have passed, whichever is first.
   */
  hold(maxMs: number): () => void {
    if (this.held) return () => undefined
    const held: MessageEvent[] = []
    this.held = held
    let released = false
    const release = () => {
      if (released) return
      released = true
      clearTimeout(timer)
      if (this.held === held) this.held = null
      for (const event of held) this.handler?.(event)
    }
    const timer = setTimeout(release, maxMs)
    return release
  }

  private arrive(event: MessageEvent): void {
    if (this.held) this.held.push(event)
    else this.handler?.(event)
  }
}
