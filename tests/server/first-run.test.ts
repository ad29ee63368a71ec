import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { exited, tempDataDir } from './helpers.ts'

const ROOT = join(import.meta.dirname, '../..')
const data = tempDataDir()
afterAll(() => data.remove())

/**
 * `npm start`'s server (the compiled bundle) on the data directory, invite links on, until it
 * has printed its facilitator link; returns the link, the port, and a stop.
 */
async function start(): Promise<{ link: string; port: number; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['dist/server/main.js', '--host', '127.0.0.1', '--port', '0', '--data-dir', data.dir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', OPEN_ACCESS: '0', PUBLIC_URL: '', SECRET: '' },
    },
  )
  let output = ''
  const found = await new Promise<{ link: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`no facilitator link printed: ${output}`))
    }, 20_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const link = /(http:\/\/127\.0\.0\.1:(\d+)\/#token=[\w.-]+)\n/.exec(output)
      if (link) {
        clearTimeout(timer)
        resolve({ link: link[1] as string, port: Number(link[2]) })
      }
    })
  })
  return {
    ...found,
    stop: async () => {
      child.kill('SIGTERM')
      await exited(child)
    },
  }
}

const tokenOf = (link: string) => new URL(link).hash.replace('#token=', '')

const startWorkspace = (port: number, token: string) =>
  fetch(`http://127.0.0.1:${port}/api/workspaces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })

describe('npm start on a fresh data directory', () => {
  it('prints a facilitator link that can start a workspace, the same at every start until it is withdrawn', async () => {
    const first = await start()
    let link: string
    try {
      link = first.link
      // No token: the server refuses to start a workspace, so the link is what makes it work.
      expect((await fetch(`http://127.0.0.1:${first.port}/api/workspaces`, { method: 'POST' })).status).toBe(
        401,
      )
      const made = await startWorkspace(first.port, tokenOf(link))
      expect(made.status).toBe(201)
      const body = (await made.json()) as { room: string; token: string }
      expect(body.room).toMatch(/^[\w-]+$/)
      expect(body.token.split('.')).toHaveLength(3)
    } finally {
      await first.stop()
    }

    const second = await start()
    try {
      expect(tokenOf(second.link)).toBe(tokenOf(link))
      // Withdrawn like any invite: its holder can no longer start workspaces.
      const invites = await fetch(`http://127.0.0.1:${second.port}/api/rooms/_operator/invites`, {
        headers: { authorization: `Bearer ${tokenOf(link)}` },
      })
      expect(invites.status).toBe(200)
      const [invite] = ((await invites.json()) as { invites: { jti: string }[] }).invites
      const revoked = await fetch(
        `http://127.0.0.1:${second.port}/api/rooms/_operator/invites/${invite?.jti}`,
        {
          method: 'DELETE',
          headers: { authorization: `Bearer ${tokenOf(link)}` },
        },
      )
      expect(revoked.ok).toBe(true)
      expect((await startWorkspace(second.port, tokenOf(link))).status).toBe(403)
    } finally {
      await second.stop()
    }

    const third = await start()
    try {
      expect(tokenOf(third.link)).not.toBe(tokenOf(link))
      expect((await startWorkspace(third.port, tokenOf(third.link))).status).toBe(201)
    } finally {
      await third.stop()
    }
  })
})
