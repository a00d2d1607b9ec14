// The app shell for a bad network: the page, its modules and styles are kept at install, and answered from
// here when the network fails (a reload while offline still opens the app, whose queue then waits to send).
// The network comes first, so that a phone online always runs the server's current version.
// web/pages.py fills in SHELL (the URLs) and VERSION (a digest of their bytes).
const SHELL = [];
const VERSION = "dev";
const CACHE = `warga-shell-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  const shell = url.pathname === "/" || url.pathname.startsWith("/static/") || url.pathname.startsWith("/vendor/");
  if (event.request.method !== "GET" || url.origin !== location.origin || !shell) return; // the API: always live
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(event.request, copy));
    }
    return response;
  }).catch(async () => (await caches.match(event.request, { ignoreSearch: url.pathname === "/" }))
    ?? Response.error()));
});
