import { networkInterfaces } from 'node:os'
import { parseArgs } from 'node:util'
import { Id } from '../model/index.ts'
import { Auth, parseDuration } from './auth.ts'
import { readConfig } from './config.ts'
import { openConfiguredAccess } from './invite-store.ts'
import { isRole } from './write-rules.ts'

/**
 * `npm run invite -- --room <room> --role <facilitator|participant|viewer> [--expires 7d]
 * [--label TEXT]`: prints an invite link, and records the invite so it can be listed and
 * withdrawn (`--list`, `--revoke <id>`). For scripts, and for the first facilitator of a
 * server: a facilitator's link to any workspace lets that person start new ones in the app.
 * Reads the same settings as `npm start` (DATA_DIR, SECRET, PUBLIC_URL, PORT, HOST, HTTPS, and
 * DATABASE_URL with DATABASE_SCHEMA, where the invites then are), so it uses the same store and
 * key as the server. With REDIS_URL set, a withdrawal also closes live connections at once.
 */
const usage =
  'usage: npm run invite -- --room <room> --role <facilitator|participant|viewer> [--expires 7d] [--label TEXT]\n' +
  '       npm run invite -- --room <room> --list\n' +
  '       npm run invite -- --room <room> --revoke <invite id>\n' +
  'settings as for npm start: [--data-dir DIR] [--public-url URL] [--host HOST] [--port PORT] [--https]\n' +
  '  [--database-schema NAME] [--redis-prefix PREFIX] (DATABASE_URL, REDIS_URL and SECRET from the environment)'

function fail(message: string): never {
  console.error(`${message}\n${usage}`)
  process.exit(2)
}

let values: Record<string, string | boolean | undefined>
try {
  values = parseArgs({
    options: {
      room: { type: 'string' },
      role: { type: 'string' },
      expires: { type: 'string' },
      label: { type: 'string' },
      list: { type: 'boolean' },
      revoke: { type: 'string' },
      'data-dir': { type: 'string' },
      'public-url': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      https: { type: 'boolean' },
      'database-schema': { type: 'string' },
      'redis-prefix': { type: 'string' },
    },
    strict: true,
  }).values
} catch (error) {
  fail((error as Error).message)
}

const settingFlags = ['data-dir', 'public-url', 'host', 'port', 'database-schema', 'redis-prefix'] as const
const configArgs = settingFlags.flatMap((flag) =>
  typeof values[flag] === 'string' ? [`--${flag}`, values[flag] as string] : [],
)
if (values.https) configArgs.push('--https')
const config = readConfig(configArgs, process.env)
if (!config.ok) fail(`Bad configuration: ${config.error}`)

const room = String(values.room ?? '')
if (!Id.safeParse(room).success) fail('--room must be a workspace id: 1 to 64 letters, digits, "-" or "_"')

// The same store and key as the server's: PostgreSQL with DATABASE_URL, else DATA_DIR.
const access = await openConfiguredAccess(config.value).catch((error: Error) => {
  console.error(`Cannot open the invite store: ${error.message}`)
  process.exit(1)
})
const invites = access.invites
const auth = new Auth(access.key, invites)
const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16)
try {
  if (values.list) {
    const list = await invites.list(room)
    if (list.length === 0) console.log(`No invites for ${room}.`)
    for (const invite of list) {
      const state =
        invite.revokedAt !== null
          ? `withdrawn ${when(invite.revokedAt)}`
          : invite.expiresAt <= Date.now()
            ? `expired ${when(invite.expiresAt)}`
            : `until ${when(invite.expiresAt)}`
      console.log(`${invite.jti}  ${invite.role.padEnd(11)} ${state}  ${invite.label}`)
    }
  } else if (typeof values.revoke === 'string') {
    const revoked = await invites.revoke(room, values.revoke, Date.now())
    if (!revoked) fail(`${room} has no invite ${values.revoke}`)
    console.log(`Withdrew invite ${revoked.jti} (${revoked.role}). Running servers refuse it from now on.`)
    const { redisUrl, redisPrefix } = config.value
    if (redisUrl) {
      // Several instances: tell them, as a withdrawal in the app does, so open connections end now.
      const { announceRevocation } = await import('./cluster.ts')
      await announceRevocation(redisUrl, redisPrefix, room, revoked.jti).then(
        () => console.log('Connections open with it on every instance are closed now.'),
        (error: Error) =>
          console.log(
            `Could not tell the running instances (${error.message}): connections open with it end when they next reconnect.`,
          ),
      )
    } else {
      console.log(
        'A connection already open with it ends when it next reconnects (withdrawing in the app ends it at once).',
      )
    }
  } else {
    const role = values.role
    if (!isRole(role)) fail('--role must be facilitator, participant or viewer')
    const expiresIn =
      values.expires === undefined ? config.value.inviteSeconds : parseDuration(String(values.expires))
    if (expiresIn === null) fail('--expires is a duration such as 12h, 7d or 4w, at most 400 days')
    const { token, invite } = await auth.issue({
      room,
      role,
      expiresIn,
      label: typeof values.label === 'string' ? values.label : 'Made with npm run invite',
    })
    console.log(`Invite to workspace ${room} as ${role}, until ${when(invite.expiresAt)} UTC:`)
    for (const base of baseAddresses()) console.log(`  ${base}/w/${encodeURIComponent(room)}#token=${token}`)
    console.log(`Invite id ${invite.jti}: withdraw it in the app's Share dialog, or with --revoke.`)
  }
} finally {
  await invites.close()
}

/** Where the server can be reached: the public address, or this machine's, as npm start prints them. */
function baseAddresses(): string[] {
  if (!config.ok) return []
  const { publicUrl, host, port, https } = config.value
  if (publicUrl) return [publicUrl.replace(/\/+$/, '')]
  const scheme = https ? 'https' : 'http'
  if (host !== '0.0.0.0' && host !== '::') return [`${scheme}://${host}:${port}`]
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((net) => net && net.family === 'IPv4')
    .sort((a, b) => Number(a?.internal) - Number(b?.internal))
    .map((net) => `${scheme}://${net?.address}:${port}`)
  return addresses.length > 0 ? addresses : [`${scheme}://localhost:${port}`]
}
