// Service worker registration and the "new version" banner. A new version waits until the user
// chooses Reload (it never replaces the running code mid-pick); then it activates and we reload.
import { useSyncExternalStore } from 'react';
import { Workbox } from 'workbox-window';
import { useSyncStatus } from '../sync/status-store';

/** How often a long-running session asks the server whether a new version was deployed. */
export const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

type UpdateState = 'none' | 'waiting' | 'activated-elsewhere';

let workbox: Workbox | null = null;
let state: UpdateState = 'none';
let reloading = false;
const listeners = new Set<() => void>();

function setState(next: UpdateState): void {
  state = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Registers /sw.js in production builds; the dev server has no service worker. */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // Until a service worker holds the shell, "All synced" would promise an offline reopen it cannot keep.
  if (!navigator.serviceWorker.controller) {
    useSyncStatus.setState({ offlineReady: false });
    void navigator.serviceWorker.ready.then(() => useSyncStatus.setState({ offlineReady: true }));
  }
  const wb = new Workbox('/sw.js');
  workbox = wb;
  wb.addEventListener('waiting', () => setState('waiting'));
  wb.addEventListener('controlling', (event) => {
    if (reloading) window.location.reload();
    // Another tab accepted the update: this tab runs old code under the new worker until reloaded.
    else if (event.isUpdate) setState('activated-elsewhere');
  });
  wb.register().catch((error: unknown) => console.error('Service worker registration failed', error));
  setInterval(() => {
    wb.update().catch(() => {
      // Offline: try again at the next interval.
    });
  }, UPDATE_CHECK_INTERVAL_MS);
}

function reload(): void {
  if (state === 'activated-elsewhere' || !workbox) {
    window.location.reload();
    return;
  }
  reloading = true;
  // Posts {type: 'SKIP_WAITING'} to the waiting worker; 'controlling' then reloads the page.
  workbox.messageSkipWaiting();
}

export function UpdatePrompt() {
  const current = useSyncExternalStore(subscribe, () => state, () => 'none' as const);
  if (current === 'none') return null;
  return (
    <div className="banner banner-info" role="status">
      <span>{current === 'waiting' ? 'A new version is ready —' : 'A new version is running in another tab —'}</span>
      <button type="button" className="button button-primary" onClick={reload}>
        Reload
      </button>
    </div>
  );
}
