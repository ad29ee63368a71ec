import { createReadStream, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * Serves the built client. Paths that are not files (a workspace at /w/<room>) get index.html,
 * so links into the app work on first load. Hashed assets are cached for a year; the shell and
 * the service worker are revalidated every time so a new release reaches people.
 */
export function serveClient(clientDir: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost')
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad path')
    return
  }
  const file = normalize(join(clientDir, path))
  if (file !== clientDir && !file.startsWith(clientDir + sep)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    return
  }
  const found = isFile(file) ? file : extname(path) === '' ? join(clientDir, 'index.html') : null
  if (found === null || !isFile(found)) {
    const missingClient = !isFile(join(clientDir, 'index.html'))
    res
      .writeHead(missingClient ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8' })
      .end(missingClient ? 'The client has not been built: run `npm run build`.' : 'not found')
    return
  }
  const immutable = found.includes(`${sep}assets${sep}`)
  res.writeHead(200, {
    'content-type': TYPES[extname(found)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  createReadStream(found).pipe(res)
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
