/* Plenary check-in service worker: keeps the check-in pages and their assets
   so that a facilitator can reload them without network. Check-ins themselves
   are queued by the page (IndexedDB) and never pass through here. */
"use strict";
const CACHE = "{{ cache_name|escapejs }}";
const SCOPE = "{{ scope|escapejs }}";
const ASSETS = {{ assets|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("plenary-checkin-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // check-ins go straight to the server
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode === "navigate" && url.pathname.startsWith(SCOPE)) {
    // Network first (the list of who is checked in changes); the last copy offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request).then((hit) => hit || Response.error()))
    );
  }
});
