import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { WebsocketProvider } from 'y-websocket'

/** The server's own messages this module reads (sync-server/protocol.ts). */
const MESSAGE_ACCESS = 10
const MESSAGE_TIME = 11

/**
 * After the access message, the clock asks the server's time after each of these pauses (ms),
 * then every `REFRESH_MS`. The first answers may wait behind the document's download; later
 * ones, on a quiet connection, have the shortest round trips, and the shortest wins.
 */
const QUERY_PAUSES_MS = [0, 1_000, 4_000, 25_000]
const REFRESH_MS = 5 * 60_000
/** Samples kept per connection: enough for one quick answer to survive a spell of slow ones. */
const MAX_SAMPLES = 8

/**
 * One reading of the server's clock: the local clock when the question went (or, for the
 * access message, when the connection attempt began), the server's clock as it answered, and
 * the local clock when the answer came.
 */
export interface ClockSample {
  readonly sentAt: number
  readonly serverTime: number
  readonly receivedAt: number
}

/** How far the server's clock is ahead of this device's (ms), and how sure: within roundTrip / 2. */
export interface ClockEstimate {
  readonly offset: number
  readonly roundTrip: number
}

/**
 * Estimates server time minus local time from samples. The server read its clock at some local
 * moment between `sentAt` and `receivedAt`; taking the middle is wrong by at most half the round
 * trip, so the sample with the shortest round trip is the best one (the newest on a tie, in
 * case this device's clock was set since). A sample whose answer came "before" its question
 * (the local clock was set back meanwhile) says nothing and is skipped. Null without a usable
 * sample.
 */
export function estimateOffset(samples: readonly ClockSample[]): ClockEstimate | null {
  let best: ClockEstimate | null = null
  for (const sample of samples) {
    const roundTrip = sample.receivedAt - sample.sentAt
    if (!(roundTrip >= 0) || !Number.isFinite(sample.serverTime)) continue
    if (best !== null && roundTrip > best.roundTrip) continue
    best = { offset: sample.serverTime - (sample.sentAt + sample.receivedAt) / 2, roundTrip }
  }
  return best
}

type Handler = (encoder: encoding.Encoder, decoder: decoding.Decoder, ...rest: unknown[]) => void

/**
 * The server's clock as this device estimates it: the reference for the shared timer, so the
 * facilitator's device stamps the timer's end in server time and every device counts down
 * against server time, whatever its own clock says.
 *
 * It reads `serverTime` from the access message (bounded by when the connection attempt began)
 * and then asks the server's time a few times (message type 11). It asks only a server whose
 * access message carried `serverTime`: an older server would close the connection over an
 * unknown message. Until the first answer, and offline, it keeps the last estimate (at first,
 * none: the local clock).
 *
 * Construct it after anything else that handles the access message (the AccessTracker): it
 * wraps that handler rather than replacing it.
 */
export class ServerClock {
  private samples: ClockSample[] = []
  private estimate: ClockEstimate | null = null
  /** Local time the current connection attempt began; null when not connecting. */
  private connectingAt: number | null
  /** Local send time of each unanswered query, by id. */
  private readonly pending = new Map<number, number>()
  private nextId = 1
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly offs: (() => void)[] = []

  constructor(
    private readonly provider: WebsocketProvider,
    /** This device's clock; a test passes a skewed one. */
    private readonly localNow: () => number = Date.now,
  ) {
    // The provider started connecting in its constructor, before we could listen.
    this.connectingAt = provider.wsconnecting ? localNow() : null
    const handlers = provider.messageHandlers as unknown as Handler[]
    const access = handlers[MESSAGE_ACCESS]
    handlers[MESSAGE_ACCESS] = (encoder, decoder, ...rest) => {
      // A copy of the decoder, so the wrapped handler reads the message from its start.
      this.onAccess(decoding.readVarString(decoding.clone(decoder)))
      access?.(encoder, decoder, ...rest)
    }
    handlers[MESSAGE_TIME] = (_encoder, decoder) => this.onTime(decoding.readVarString(decoder))
    const onStatus = ({ status }: { status: string }) => {
      if (status === 'connecting') this.connectingAt = this.localNow()
      if (status === 'disconnected') this.stopAsking()
    }
    provider.on('status', onStatus)
    this.offs.push(() => provider.off('status', onStatus))
  }

  /** The server's time now, as best this device knows it (whole epoch milliseconds). */
  now = (): number => Math.round(this.localNow() + (this.estimate?.offset ?? 0))

  /** The current estimate, or null before the server has said its time. */
  offset(): ClockEstimate | null {
    return this.estimate
  }

  destroy(): void {
    this.stopAsking()
    for (const off of this.offs.splice(0)) off()
  }

  private onAccess(text: string): void {
    const receivedAt = this.localNow()
    const sentAt = this.connectingAt
    this.connectingAt = null
    let serverTime: unknown
    try {
      serverTime = (JSON.parse(text) as { serverTime?: unknown }).serverTime
    } catch {
      return
    }
    // An older server says no time, and would not understand a query either.
    if (typeof serverTime !== 'number') return
    // A new connection: its samples start afresh, in case this device's clock was set since.
    this.stopAsking()
    this.samples = []
    if (sentAt !== null) this.add({ sentAt, serverTime, receivedAt })
    this.askAfter(0)
  }

  private onTime(text: string): void {
    const receivedAt = this.localNow()
    let answer: { id?: unknown; serverTime?: unknown }
    try {
      answer = JSON.parse(text)
    } catch {
      return
    }
    if (typeof answer.id !== 'number' || typeof answer.serverTime !== 'number') return
    const sentAt = this.pending.get(answer.id)
    if (sentAt === undefined) return
    this.pending.delete(answer.id)
    this.add({ sentAt, serverTime: answer.serverTime, receivedAt })
  }

  private add(sample: ClockSample): void {
    this.samples.push(sample)
    if (this.samples.length > MAX_SAMPLES) this.samples.shift()
    this.estimate = estimateOffset(this.samples) ?? this.estimate
  }

  /** Asks after the `step`th pause (then every REFRESH_MS), and so on while connected. */
  private askAfter(step: number): void {
    this.timer = setTimeout(() => {
      this.ask()
      this.askAfter(step + 1)
    }, QUERY_PAUSES_MS[step] ?? REFRESH_MS)
  }

  private ask(): void {
    const ws = this.provider.ws
    if (!this.provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return
    const id = this.nextId++
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_TIME)
    encoding.writeVarUint(encoder, id)
    this.pending.set(id, this.localNow())
    ws.send(encoding.toUint8Array(encoder))
  }

  private stopAsking(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.pending.clear()
  }
}
