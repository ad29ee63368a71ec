// The floor for `npm run bench` (bench/workshop.ts): a WebSocket relay that holds no document
// and stores nothing, so what any real server costs beyond it is what it does with an update.
// It does only what a stock y-websocket provider needs to take part: a sync step 1 is answered
// with an empty step 2 (so the provider says it is synced; the relay has no state to send),
// every other sync message is sent as it came to every other connection in the room, and
// presence only when it is news (a client id's clock moved on), as the servers measured do:
// the stock provider sends back every presence change it hears, so relaying those echoes would
// measure the echoes. Plain JavaScript, run by plain node, so no loader weighs on it.
// HOST and PORT say where it listens.
import { createServer } from 'node:http'
import * as decoding from 'lib0/decoding'
import { WebSocketServer } from 'ws'

const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
const SYNC_STEP_1 = 0
/** A sync step 2 carrying an empty update (no structs, no deletions). */
const EMPTY_STEP_2 = new Uint8Array([MESSAGE_SYNC, 1, 2, 0, 0])

/** Connections by room (the URL's path). */
const rooms = new Map()
/** The last presence clock seen per client id, by room. */
const clocks = new Map()

/** Does this awareness frame carry a client id whose clock is newer than seen? Notes the new clocks. */
function isNews(seen, frame) {
  const decoder = decoding.createDecoder(frame)
  decoding.readVarUint(decoder)
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder))
  let news = false
  for (let count = decoding.readVarUint(update); count > 0; count--) {
    const clientId = decoding.readVarUint(update)
    const clock = decoding.readVarUint(update)
    // The state is skipped, not parsed: a relay has no use for it.
    decoding.readVarUint8Array(update)
    if ((seen.get(clientId) ?? -1) < clock) {
      seen.set(clientId, clock)
      news = true
    }
  }
  return news
}

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
wss.on('connection', (socket, request) => {
  const room = new URL(request.url ?? '/', 'http://localhost').pathname
  if (!rooms.has(room)) {
    rooms.set(room, new Set())
    clocks.set(room, new Map())
  }
  const peers = rooms.get(room)
  const seen = clocks.get(room)
  peers.add(socket)
  socket.on('message', (data, isBinary) => {
    if (!isBinary) return
    const frame = data
    if (frame[0] === MESSAGE_SYNC && frame[1] === SYNC_STEP_1) {
      socket.send(EMPTY_STEP_2)
      return
    }
    if (frame[0] === MESSAGE_AWARENESS && !isNews(seen, frame)) return
    for (const peer of peers) if (peer !== socket) peer.send(frame, { binary: true })
  })
  socket.on('close', () => {
    peers.delete(socket)
    if (peers.size > 0) return
    rooms.delete(room)
    clocks.delete(room)
  })
})

const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' })
  response.end('okay')
})
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
})
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1')
