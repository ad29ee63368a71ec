// Hocuspocus (@hocuspocus/server 3) for `npm run bench` (bench/workshop.ts), as a peer beside
// the reference y-websocket server: memory only (no extensions, so nothing is stored), no
// authentication, its defaults otherwise. Its clients are its own provider (@hocuspocus/provider
// 3), which speaks its multiplexed protocol; a stock y-websocket provider cannot. HOST and PORT
// say where it listens. Plain JavaScript, run by plain node, so no loader weighs on it.
import { Server } from '@hocuspocus/server'

const server = new Server({
  address: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT),
  quiet: true,
})
await server.listen()
