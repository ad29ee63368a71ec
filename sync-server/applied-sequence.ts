/** How long a gap in the sequence numbers may stay open before it is filled from storage. */
const GAP_WAIT_MS = 500

/**
 * Which of a room's sequence numbers are in its doc (cluster mode): every one up to `upTo`, and
 * ranges above it applied early (another instance's publish overtook one before it). A gap
 * below such a range that does not close by itself within GAP_WAIT_MS (its instance died between
 * commit and publish, or Redis lost it) is handed to `fillGap`, which reads it from storage.
 */
export class AppliedSequence {
  /** Ranges applied above `upTo` (from -> to), waiting for the gap below them. */
  private readonly ahead = new Map<number, number>()
  private gapTimer: NodeJS.Timeout | undefined

  constructor(
    /** The highest sequence number up to which every update is in the doc. */
    private upTo: number,
    private readonly fillGap: () => void,
  ) {}

  get applied(): number {
    return this.upTo
  }

  /** Was the range starting at `fromSeq` applied already, above a gap? */
  isAhead(fromSeq: number): boolean {
    return this.ahead.has(fromSeq)
  }

  /** Records that `fromSeq..toSeq` is in the doc. */
  mark(fromSeq: number, toSeq: number): void {
    if (toSeq <= this.upTo) return
    if (fromSeq <= this.upTo + 1) this.upTo = toSeq
    else this.ahead.set(fromSeq, toSeq)
    for (let next = this.ahead.get(this.upTo + 1); next !== undefined; next = this.ahead.get(this.upTo + 1)) {
      this.ahead.delete(this.upTo + 1)
      this.upTo = Math.max(this.upTo, next)
    }
    for (const [from, to] of this.ahead) if (to <= this.upTo) this.ahead.delete(from)
    if (this.ahead.size === 0) {
      clearTimeout(this.gapTimer)
      this.gapTimer = undefined
    } else if (this.gapTimer === undefined) {
      // Another instance's publish is usually a moment behind its commit; wait before asking storage.
      this.gapTimer = setTimeout(() => {
        this.gapTimer = undefined
        if (this.ahead.size > 0) this.fillGap()
      }, GAP_WAIT_MS)
      this.gapTimer.unref()
    }
  }

  stop(): void {
    clearTimeout(this.gapTimer)
    this.gapTimer = undefined
  }
}
