/*
 * Suyuan service worker (issue 16). Built by web/pwa.ts, which fills in the build's file list and version.
 * Same-origin only, no inline script. API calls are never cached here: field writes go through the app's offline
 * queue (IndexedDB) and reads show their own offline state.
 *  - install: the app shell and every page's code (hashed /assets/*) are cached, so every page opens offline
 *    after one visit;
 *  - navigations: the network first (4 s), else the cached shell (the client router shows the page);
 *  - /assets/*: cache first (file names change with their content).
 */
const VERSION = '__SW_VERSION__';
const PRECACHE = __SW_PRECACHE__;
const CACHE = `suyuan-${VERSION}`;
const SHELL = '/index.html';
const PASS_THROUGH = ['/api/', '/docs', '/t/', '/s/'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('suyuan-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function timeout(ms) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms));
}

async function shell(request) {
  const cache = await caches.open(CACHE);
  try {
    const res = await Promise.race([fetch(request), timeout(4000)]);
    if (res.ok && (res.headers.get('content-type') || '').includes('text/html')) await cache.put(SHELL, res.clone());
    return res;
  } catch {
    const cached = await cache.match(SHELL);
    if (cached) return cached;
    throw new Error('offline and no cached shell');
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (PASS_THROUGH.some((p) => url.pathname.startsWith(p))) return;
  if (request.mode === 'navigate') {
    event.respondWith(shell(request));
    return;
  }
  if (url.pathname.startsWith('/assets/') || PRECACHE.includes(url.pathname)) event.respondWith(cacheFirst(request));
});
