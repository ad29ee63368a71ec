import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * The y-websocket wire protocol, as the stock WebsocketProvider speaks it: every binary frame
 * starts with a message type; sync messages carry a sub-type (y-protocols/sync).
 */
export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3
/**
 * Our own messages. The stock provider has no handler for them and logs each one as "Unable to
 * compute message", so refused and access go only to clients that asked for them (see
 * `wantsOwnMessages`); our client asks and registers handlers for all three.
 * - refused (server to client): a write was dropped (never stored, applied or relayed); a
 *   varString of JSON `{ code, reason }`.
 * - access (server to client): sent once a connection is accepted, before any document data; a
 *   varString of JSON `{ role, room, open, expiresAt, serverTime }`.
 * - time: a client's query is a varUint id; the answer is a varString of JSON `{ id, serverTime }`.
 *   Only a client that sends a query gets an answer, so a stock client never sees one.
 * - preview (server to client): the map's preview (model/map-preview.ts) as a varUint8Array,
 *   sent to a client that has nothing just before the document, so it can draw the map first.
 */
export const MESSAGE_REFUSED = 9
export const MESSAGE_ACCESS = 10
export const MESSAGE_TIME = 11
export const MESSAGE_PREVIEW = 12

/**
 * The opt-in to our own messages: `?messages=access` on `/sync/<room>`, beside `?token=`.
 * A query parameter rather than a WebSocket subprotocol: a browser that offers a subprotocol
 * fails the handshake when the server picks none, so the app could not reach an older server
 * (or pass a proxy that drops the header), whereas an unknown parameter is simply ignored; and
 * the provider already builds its URL from `params`, where the token goes.
 */
export const OWN_MESSAGES_PARAM = 'messages'
export const OWN_MESSAGES_VALUE = 'access'

/** Did the client ask for our own messages (refused, access)? */
export function wantsOwnMessages(url: URL): boolean {
  return url.searchParams
    .getAll(OWN_MESSAGES_PARAM)
    .some((value) => value.split(',').includes(OWN_MESSAGES_VALUE))
}

export const SYNC_STEP_1 = 0
export const SYNC_STEP_2 = 1
export const SYNC_UPDATE = 2

/** Close codes the server uses, with the reason sent beside each. */
export const CLOSE = {
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
  /** 4400-4499: the stock provider does not reconnect (a retry cannot help). */
  badRoom: 4400,
  /** No usable invite token: missing, forged, expired, or not made by this server. */
  unauthenticated: 4401,
  /** A good token that does not allow this: another workspace's, or withdrawn. */
  forbidden: 4403,
} as const

/** A decoded client message: what the room needs to act on, without the framing. */
export type ClientMessage =
  | { type: 'sync-step-1'; stateVector: Uint8Array }
  | { type: 'update'; update: Uint8Array; forwardable: boolean }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }
  | { type: 'time-query'; id: number }

/**
 * Reads one client frame. Throws (a lib0 decoding error, or ours) on anything malformed or
 * unknown; the caller closes that connection and nothing else happens.
 * `forwardable` says the frame is already a sync-update message, so it can be relayed as is.
 */
export function readClientMessage(frame: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(frame)
  const type = decoding.readVarUint(decoder)
  let message: ClientMessage
  switch (type) {
    case MESSAGE_SYNC: {
      const sub = decoding.readVarUint(decoder)
      const payload = decoding.readVarUint8Array(decoder)
      if (sub === SYNC_STEP_1) message = { type: 'sync-step-1', stateVector: payload }
      else if (sub === SYNC_STEP_2 || sub === SYNC_UPDATE) {
        message = { type: 'update', update: payload, forwardable: sub === SYNC_UPDATE }
      } else throw new ProtocolError(`unknown sync message ${sub}`)
      break
    }
    case MESSAGE_AWARENESS:
      message = { type: 'awareness', update: decoding.readVarUint8Array(decoder) }
      break
    case MESSAGE_QUERY_AWARENESS:
      message = { type: 'query-awareness' }
      break
    case MESSAGE_TIME:
      message = { type: 'time-query', id: decoding.readVarUint(decoder) }
      break
    default:
      throw new ProtocolError(`unknown message type ${type}`)
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the message')
  return message
}

export class ProtocolError extends Error {}

/**
 * Thrown for an update, state vector or presence that does not decode, or that breaks a room's
 * limits: the sender is closed (1007), nothing else happens.
 */
export class InvalidUpdateError extends Error {}

/**
 * Is this frame a time query? Answered as soon as the connection is accepted, without waiting
 * for the room to load: a late answer would widen the round trip the client corrects for.
 * A message type below 128 is one byte as a varUint.
 */
export function isTimeQuery(frame: Uint8Array): boolean {
  return frame[0] === MESSAGE_TIME
}

/** Is this frame sync step 1 (a client's state vector)? Both types are one byte as varUints. */
export function isSyncStep1(frame: Uint8Array): boolean {
  return frame[0] === MESSAGE_SYNC && frame[1] === SYNC_STEP_1
}

/**
 * Is this frame sync step 1 from a client that has nothing (its state vector lists no client)?
 * That is the four bytes the stock provider sends for an empty document: such a client can be
 * sent a room's stored snapshot as it is (see early-state.ts).
 */
export function isEmptySyncStep1(frame: Uint8Array): boolean {
  return (
    frame.byteLength === 4 &&
    frame[0] === MESSAGE_SYNC &&
    frame[1] === SYNC_STEP_1 &&
    frame[2] === 1 &&
    frame[3] === 0
  )
}

/** Is this state vector empty (no client at all)? */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.byteLength === 1 && stateVector[0] === 0
}

/** A sync-update frame carrying `update`: what every peer receives for an edit. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, SYNC_UPDATE)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** A sync frame of the given sub-type (step 1 carries a state vector, step 2 an update). */
export function syncFrame(sub: typeof SYNC_STEP_1 | typeof SYNC_STEP_2, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, sub)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

/** An awareness frame carrying an already-encoded awareness update. */
export function awarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** One client's presence as the server keeps it: the state stays JSON text, parsed once to check it. */
export interface AwarenessEntry {
  readonly clientId: number
  readonly clock: number
  /** JSON text of the state; 'null' when the client left. */
  readonly state: string
}

/** Reads an awareness update into its entries, checking that every state is JSON. */
export function readAwarenessUpdate(update: Uint8Array, maxStateBytes: number): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  if (count > 1000) throw new ProtocolError('too many awareness states in one message')
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const state = decoding.readVarString(decoder)
    if (state.length > maxStateBytes) throw new ProtocolError('awareness state too large')
    const parsed: unknown = JSON.parse(state)
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new ProtocolError('an awareness state is an object or null')
    }
    entries.push({ clientId, clock, state })
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the awareness update')
  return entries
}

/** Encodes awareness entries as one awareness update. */
export function writeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, entry.state)
  }
  return encoding.toUint8Array(encoder)
}

/** A message a client is sent when one of its writes is dropped, with why. */
export function refusedFrame(refusal: {
  code: string
  reason: string
  params?: Readonly<Record<string, string | number>>
}): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_REFUSED)
  const { code, reason, params } = refusal
  encoding.writeVarString(encoder, JSON.stringify(params ? { code, reason, params } : { code, reason }))
  return encoding.toUint8Array(encoder)
}

/** What a connection may do, told once it is accepted. */
export interface AccessMessage {
  readonly role: 'facilitator' | 'participant' | 'viewer'
  readonly room: string
  /** True when the server runs in open access mode and this connection came without a token. */
  readonly open: boolean
  /** Epoch milliseconds when the connection's token expires; null without one. */
  readonly expiresAt: number | null
  /**
   * The server's clock (epoch milliseconds) as it sends this: the shared timer is stamped with
   * it, so a device whose own clock is off still counts down to the right moment.
   */
  readonly serverTime: number
}

/** The access message (type 10), for a client that asked for our own messages. */
export function accessFrame(access: AccessMessage): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_ACCESS)
  encoding.writeVarString(encoder, JSON.stringify(access))
  return encoding.toUint8Array(encoder)
}

/** The answer to a client's time query `id`: the server's clock as it answers. */
export function timeFrame(id: number, serverTime: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_TIME)
  encoding.writeVarString(encoder, JSON.stringify({ id, serverTime }))
  return encoding.toUint8Array(encoder)
}

/** The map preview message (type 12): a preview's bytes, for a client that asked for our own messages. */
export function previewFrame(preview: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_PREVIEW)
  encoding.writeVarUint8Array(encoder, preview)
  return encoding.toUint8Array(encoder)
}
