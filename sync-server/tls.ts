import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname, networkInterfaces } from 'node:os'
import { join } from 'node:path'

export interface Certificate {
  readonly key: string
  readonly cert: string
  /** SHA-256 fingerprint, printed so a careful facilitator can compare it with the browser's. */
  readonly fingerprint: string
}

/** The names and addresses this machine answers to on the venue network. */
export function localNames(): string[] {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((net) => net && net.family === 'IPv4')
    .map((net) => net?.address as string)
  return [...new Set(['localhost', hostname(), '127.0.0.1', ...addresses])].sort()
}

/**
 * A self-signed certificate for HTTPS on a venue network, kept in DATA_DIR/tls so browsers see
 * the same one (and its one-time warning) every time. It is made again when the machine's
 * addresses change (another venue), because browsers match the address against it.
 */
export async function loadOrCreateCertificate(dataDir: string, names = localNames()): Promise<Certificate> {
  const folder = join(dataDir, 'tls')
  const files = {
    key: join(folder, 'key.pem'),
    cert: join(folder, 'cert.pem'),
    about: join(folder, 'about.json'),
  }
  if (existsSync(files.key) && existsSync(files.cert) && existsSync(files.about)) {
    const about = JSON.parse(readFileSync(files.about, 'utf8')) as {
      names: string[]
      fingerprint: string
      expires: string
    }
    if (
      JSON.stringify(about.names) === JSON.stringify(names) &&
      new Date(about.expires) > new Date(Date.now() + 86_400_000)
    ) {
      return {
        key: readFileSync(files.key, 'utf8'),
        cert: readFileSync(files.cert, 'utf8'),
        fingerprint: about.fingerprint,
      }
    }
  }
  const expires = new Date(Date.now() + 365 * 86_400_000)
  // Loaded only here: making a certificate is rare, and the library costs memory all the time.
  const { generate } = await import('selfsigned')
  const pems = await generate(
    [{ name: 'commonName', value: names.find((name) => name !== 'localhost') ?? 'localhost' }],
    {
      keyType: 'ec',
      algorithm: 'sha256',
      notAfterDate: expires,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: names.map((name) =>
            /^\d+\.\d+\.\d+\.\d+$/.test(name) ? { type: 7, ip: name } : { type: 2, value: name },
          ),
        },
      ],
    },
  )
  mkdirSync(folder, { recursive: true, mode: 0o700 })
  writeFileSync(files.key, pems.private, { mode: 0o600 })
  chmodSync(files.key, 0o600)
  writeFileSync(files.cert, pems.cert)
  writeFileSync(
    files.about,
    JSON.stringify({ names, fingerprint: pems.fingerprint, expires: expires.toISOString() }, null, 2),
  )
  return { key: pems.private, cert: pems.cert, fingerprint: pems.fingerprint }
}
