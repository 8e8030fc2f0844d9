// The service worker: precaches the app shell (and later the decoder's .wasm) so the app starts
// with no network, and answers navigations with the cached index.html. /api is never touched.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import type { PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & {
  /** Replaced at build time by vite-plugin-pwa with the list of files to precache. */
  __WB_MANIFEST: Array<PrecacheEntry | string>;
};

/** Requests to the sync server. No route below matches them, so they always go to the network. */
const API_PATH = /^\/api(?:\/|$)/;

/** The message the update prompt sends when the user chooses to reload into the new version. */
interface SkipWaitingMessage {
  type: 'SKIP_WAITING';
}

function isSkipWaiting(data: unknown): data is SkipWaitingMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING';
}

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// Client-side routes (/pick, /sign-in, …) load the shell; the router takes it from there.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [API_PATH] }));

// A new version waits until the user accepts it: activating mid-shift would swap the code under a
// screen that is in the middle of a pick. Whatever it had confirmed is in IndexedDB either way.
self.addEventListener('message', (event) => {
  if (isSkipWaiting(event.data)) void self.skipWaiting();
});
