import type { ChildProcess } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { Workspace } from '../../model/index.ts'
import { exited, killMidStream, provider, spawnServer, synced, tempDataDir, waitFor } from './helpers.ts'

const children: ChildProcess[] = []
const providers: WebsocketProvider[] = []
const cleanups: (() => void)[] = []
afterEach(() => {
  for (const p of providers.splice(0)) p.destroy()
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const cleanup of cleanups.splice(0)) cleanup()
})

async function start(dataDir: string) {
  const server = await spawnServer(dataDir)
  children.push(server.child)
  return server
}
const open = (wsUrl: string, room: string) => {
  const p = provider(wsUrl, room)
  providers.push(p)
  return p
}
const actorNames = (p: WebsocketProvider) => new Set(new Workspace(p.doc).actors().map((actor) => actor.name))

describe('durability across process deaths', () => {
  it('kill -9 in the middle of a stream of edits loses nothing another client had received', async () => {
    const data = tempDataDir()
    cleanups.push(data.remove)
    const first = await start(data.dir)
    const seen = await killMidStream(first, 'riverside')
    expect(seen.size).toBeGreaterThanOrEqual(150)

    const second = await start(data.dir)
    const fresh = open(second.wsUrl, 'riverside')
    await synced(fresh)
    const recovered = actorNames(fresh)
    const lost = [...seen].filter((name) => !recovered.has(name))
    expect(lost).toEqual([])
  })

  it('SIGTERM commits, closes every connection with a reason, and exits cleanly', async () => {
    const data = tempDataDir()
    cleanups.push(data.remove)
    const first = await start(data.dir)
    const client = open(first.wsUrl, 'graceful')
    await synced(client)
    const closes: { code: number; reason: string }[] = []
    client.on('connection-close', (event: CloseEvent | null) => {
      if (event) closes.push({ code: event.code, reason: event.reason })
    })
    const ws = new Workspace(client.doc)
    for (let i = 0; i < 30; i++) ws.addActor({ kind: 'funder', name: `Funder ${i}` })
    await new Promise((resolve) => setTimeout(resolve, 50))
    first.child.kill('SIGTERM')
    expect(await exited(first.child)).toBe(0)
    await waitFor(() => closes.length > 0, 5000, 'the close frame')
    expect(closes[0]).toEqual({ code: 1001, reason: 'server shutting down' })
    client.destroy()

    const second = await start(data.dir)
    const fresh = open(second.wsUrl, 'graceful')
    await synced(fresh)
    expect(actorNames(fresh).size).toBe(30)
  })
})
