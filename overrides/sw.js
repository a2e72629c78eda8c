/* Offline support. Pages come from the network first and a copy is kept; without a network
   the kept copy is shown, or else the offline page in the visitor's language. Styles and
   scripts have versioned names and are kept until a new version replaces them. */
"use strict";
const ASSETS = "assets-{{ portal.assets_version }}";
const PAGES = {{ portal.pages_cache | tojson }};  // listed by the offline page
const MAX_PAGES = 200;
const CORE = {{ portal.offline_core | tojson }};
const OFFLINE = {{ portal.offline_pages | tojson }};  // [language prefix, offline page]

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(ASSETS).then((cache) => cache.addAll(CORE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key.startsWith("assets-") && key !== ASSETS)
      .map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin) { return; }
  // The web editor talks to git and must never see a cached answer.
  const inScope = url.pathname.slice(new URL(registration.scope).pathname.length);
  if (inScope.startsWith({{ portal.editor_folder | tojson }}) || url.pathname.startsWith("/.netlify/")) { return; }
  if (request.mode === "navigate") { event.respondWith(page(request)); return; }
  if (inScope.startsWith({{ portal.search_folder | tojson }})) { return; }  // search needs the network
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(ASSETS).then((cache) => cache.put(request, copy));
    }
    return response;
  })));
});

async function page(request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(PAGES);
      await cache.put(request, response.clone());
      const keys = await cache.keys();
      await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map((key) => cache.delete(key)));
    }
    return response;
  } catch (error) {
    const kept = await caches.match(request, { ignoreSearch: true });
    if (kept) { return kept; }
    const path = new URL(request.url).pathname.slice(new URL(registration.scope).pathname.length);
    const match = OFFLINE.find(([prefix]) => path.startsWith(prefix));
    return (await caches.match(new URL(match[1], registration.scope))) || Response.error();
  }
}
