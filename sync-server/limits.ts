import { TokenBucket } from './token-bucket.ts'

/** What one network address may use, across all its connections. */
export interface AddressLimitSettings {
  /** Open WebSockets from one address. */
  readonly maxConnectionsPerIp: number
  /** Messages per second from one address, on average... */
  readonly ipMessagesPerSecond: number
  /** ...and in a burst. */
  readonly ipMessageBurst: number
}

/** One address's share: its open connections and its message bucket. */
export class AddressBudget {
  connections = 0
  private readonly messages: TokenBucket

  constructor(settings: AddressLimitSettings) {
    this.messages = new TokenBucket(settings.ipMessagesPerSecond, settings.ipMessageBurst)
  }

  /** Spends one message; false when the address has overspent (the sender is then closed). */
  spend(): boolean {
    return this.messages.take(1)
  }
}

/**
 * Budgets by network address, so one device (or one script) cannot open connection after
 * connection to get round the per-connection limits. A venue behind NAT shows the internet one
 * address for everyone, hence generous defaults. An address is forgotten when its last
 * connection closes.
 */
export class AddressLimits {
  private readonly budgets = new Map<string, AddressBudget>()

  constructor(private readonly settings: AddressLimitSettings) {}

  /** Counts a new connection from `address`; null when that address already has too many. */
  admit(address: string): AddressBudget | null {
    let budget = this.budgets.get(address)
    if (!budget) {
      budget = new AddressBudget(this.settings)
      this.budgets.set(address, budget)
    }
    if (budget.connections >= this.settings.maxConnectionsPerIp) return null
    budget.connections++
    return budget
  }

  /** Gives back a connection admitted for `address`. */
  release(address: string): void {
    const budget = this.budgets.get(address)
    if (!budget) return
    budget.connections--
    if (budget.connections <= 0) this.budgets.delete(address)
  }

  /** Addresses with open connections (for health reporting). */
  get addresses(): number {
    return this.budgets.size
  }
}
