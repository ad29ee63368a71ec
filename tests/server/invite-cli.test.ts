import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { redactUrl } from '../../sync-server/access-api.ts'
import { readConfig } from '../../sync-server/config.ts'
import { startTestServer, tempDataDir } from './helpers.ts'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '../..')
const data = tempDataDir()
afterAll(() => data.remove())

/** `npm run invite`, as a separate process on the given data directory. */
const invite = (...args: string[]) =>
  run(process.execPath, ['dist/server/invite-cli.js', '--data-dir', data.dir, ...args], {
    cwd: ROOT,
    env: { ...process.env, SECRET: '', PUBLIC_URL: '' },
  })

describe('npm run invite', () => {
  it('prints a link whose token a server on the same data directory accepts, and can withdraw it', async () => {
    const { stdout } = await invite(
      '--room',
      'first-workshop',
      '--role',
      'facilitator',
      '--expires',
      '2d',
      '--host',
      '127.0.0.1',
      '--port',
      '9999',
    )
    const link = /http:\/\/127\.0\.0\.1:9999\/w\/first-workshop#token=(\S+)/.exec(stdout)
    expect(link).not.toBeNull()
    const token = link?.[1] as string
    const server = await startTestServer({ openAccess: false, dataDir: data.dir })
    try {
      const verified = await server.auth.verify(token, 'first-workshop')
      expect(verified.ok && verified.claims.role).toBe('facilitator')
      expect(verified.ok && verified.claims.exp - verified.claims.iat).toBe(2 * 86_400)
      const jti = verified.ok ? verified.claims.jti : ''
      expect((await invite('--room', 'first-workshop', '--list')).stdout).toContain(jti)
      await invite('--room', 'first-workshop', '--revoke', jti)
      const after = await server.auth.verify(token, 'first-workshop')
      expect(after.ok || after.denial.problem).toBe('revoked')
    } finally {
      await server.close()
    }
  })

  it('says what is wrong with a bad request', async () => {
    await expect(invite('--room', 'a b', '--role', 'viewer')).rejects.toMatchObject({
      stderr: expect.stringMatching(/--room must be a workspace id/),
    })
    await expect(invite('--room', 'ok', '--role', 'owner')).rejects.toMatchObject({
      stderr: expect.stringMatching(/--role must be/),
    })
    await expect(invite('--room', 'ok', '--role', 'viewer', '--expires', 'forever')).rejects.toMatchObject({
      stderr: expect.stringMatching(/--expires/),
    })
  })
})

describe('settings', () => {
  it('open access is off by default, and a switch or a variable turns it on', () => {
    const read = (argv: string[], env: Record<string, string> = {}) => {
      const config = readConfig(argv, env)
      if (!config.ok) throw new Error(config.error)
      return config.value
    }
    expect(read([]).openAccess).toBe(false)
    expect(read(['--open-access']).openAccess).toBe(true)
    expect(read([], { OPEN_ACCESS: '1' }).openAccess).toBe(true)
    expect(read(['--https', '--port', '9000'])).toMatchObject({ https: true, port: 9000 })
    expect(read([], { SECRET: 's'.repeat(40) }).secret).toBe('s'.repeat(40))
    expect(readConfig([], { SECRET: 'short' }).ok).toBe(false)
    expect(readConfig(['--secret', 's'.repeat(40)], {}).ok).toBe(false)
    expect(read(['--max-connections-per-ip', '5']).maxConnectionsPerIp).toBe(5)
  })

  it('a token in a URL never reaches a log line', () => {
    expect(redactUrl('/api/rooms/r/export?format=json&token=eyJx.eyJy.sig')).toBe(
      '/api/rooms/r/export?format=json&token=[redacted]',
    )
    expect(redactUrl('/sync/r?token=abc&x=1')).toBe('/sync/r?token=[redacted]&x=1')
  })
})
