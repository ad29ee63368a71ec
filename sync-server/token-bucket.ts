/**
 * A token bucket: `capacity` tokens at most, refilled continuously at `perSecond`. Spending
 * always takes the tokens (a bucket may go into debt, which later refills must pay back first),
 * and reports whether the bucket is still out of debt.
 */
export class TokenBucket {
  private tokens: number
  private refilledAt = performance.now()

  constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
  ) {
    this.tokens = capacity
  }

  /** Takes `amount` tokens (after refilling for the time since the last call); false when overspent. */
  take(amount = 1, now = performance.now()): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond)
    this.refilledAt = now
    this.tokens -= amount
    return this.tokens >= 0
  }
}
