import { execFile, execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { type AddressInfo, createServer } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { Workspace } from '../../model/index.ts'
import { waitFor } from './helpers.ts'

/**
 * The Docker packaging, for real: builds the image from the Dockerfile, starts compose.yaml
 * (PostgreSQL, Redis, three instances, Caddy in front) under a project name of its own, checks
 * /healthz through the proxy, makes an invite with `npm run invite`'s command line inside one
 * instance, and syncs a workspace between two stock providers through the proxy. Where Docker
 * is not usable (no daemon), it is skipped and says why.
 */
const ROOT = join(import.meta.dirname, '../..')
const run = promisify(execFile)

/** Why Docker cannot be used here, or null when `docker info` and `docker compose` answer. */
function dockerUnusable(): string | null {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT'
      ? 'there is no docker command'
      : '`docker info` failed (no Docker daemon reachable from here)'
  }
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 20_000 })
  } catch {
    return '`docker compose` is not available'
  }
  return null
}

const unusable = dockerUnusable()
if (unusable) {
  console.warn(
    `Skipping the Docker tests: ${unusable}. They build the image and start compose.yaml where Docker runs.`,
  )
}

/** A port free on this machine now, for the proxy to publish. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe.skipIf(unusable !== null)('Docker: the image and compose.yaml', { timeout: 30 * 60_000 }, () => {
  it('builds, runs three instances behind the proxy, answers /healthz and syncs a workspace', async () => {
    const port = await freePort()
    const project = `nmtest${randomBytes(3).toString('hex')}`
    // Nothing of this machine's own settings: the compose file's defaults, and a port of our own.
    const env = { ...process.env, NM_PORT: String(port), SECRET: '', PUBLIC_URL: '', POSTGRES_PASSWORD: '' }
    const compose = (...args: string[]) =>
      run('docker', ['compose', '-p', project, '-f', 'compose.yaml', ...args], {
        cwd: ROOT,
        env,
        maxBuffer: 64 * 1024 * 1024,
        timeout: 25 * 60_000,
      })
    const providers: WebsocketProvider[] = []
    try {
      // --wait: until every service with a health check (the image's HEALTHCHECK included) is healthy.
      await compose('up', '-d', '--build', '--wait')
      const base = `http://127.0.0.1:${port}`
      const instances = new Set<string>()
      await waitFor(
        async () => {
          const answer = await fetch(`${base}/healthz`).catch(() => null)
          if (answer?.status !== 200) return false
          const health = (await answer.json()) as { status: string; redis: string; instance: string }
          if (health.status !== 'ok' || health.redis !== 'ok') return false
          instances.add(health.instance)
          return instances.size === 3
        },
        60_000,
        'all three instances to answer /healthz through the proxy',
      )

      const { stdout } = await compose(
        'exec',
        '-T',
        'app1',
        'node',
        'dist/server/invite-cli.js',
        '--room',
        'docker-check',
        '--role',
        'participant',
      )
      const token = /#token=(\S+)/.exec(stdout)?.[1]
      expect(token, stdout).toBeTruthy()
      const open = () => {
        const p = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, 'docker-check', new Y.Doc(), {
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
          disableBc: true,
          params: { token: token as string },
        })
        providers.push(p)
        return p
      }
      // Round robin: the two land on different instances, so the edit crosses Redis too.
      const [writer, reader] = [open(), open()] as [WebsocketProvider, WebsocketProvider]
      await waitFor(() => writer.synced && reader.synced, 30_000, 'both providers to sync through the proxy')
      new Workspace(writer.doc).addActor({ kind: 'organisation', name: 'Tenants’ association' })
      await waitFor(
        () => new Workspace(reader.doc).actors().some((actor) => actor.name === 'Tenants’ association'),
        20_000,
        'the edit to reach the other provider',
      )
    } finally {
      for (const p of providers) p.destroy()
      await compose('down', '-v', '--remove-orphans').catch((error: Error) => {
        console.warn(`docker compose down failed: ${error.message}`)
      })
    }
  })
})
