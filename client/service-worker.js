/* The app shell, cached for offline use. PRECACHE and VERSION are prepended at build time. */
/* global PRECACHE, VERSION */
const CACHE = `network-map-${VERSION}`

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  )
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  // Only our own GETs; the sync socket and the API always go to the network.
  if (request.method !== 'GET' || url.origin !== self.location.origin) return
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/sync/') || url.pathname === '/healthz')
    return
  if (request.mode === 'navigate') {
    // Pages: the network first (a new release), the cached shell when offline.
    event.respondWith(
      fetch(request).catch(() =>
        caches.match('/index.html', { ignoreSearch: true }).then((hit) => hit ?? Response.error()),
      ),
    )
    return
  }
  event.respondWith(
    caches.match(request, { ignoreSearch: true }).then(
      (hit) =>
        hit ??
        fetch(request).then((response) => {
          if (response.ok) {
            const copy = response.clone()
            void caches.open(CACHE).then((cache) => cache.put(request, copy))
          }
          return response
        }),
    ),
  )
})
