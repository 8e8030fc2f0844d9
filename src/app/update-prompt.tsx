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
  const check = () => {
    wb.update().catch(() => {
      // Offline: the next check (back online, back in front, or the hour) tries again.
    });
  };
  setInterval(check, UPDATE_CHECK_INTERVAL_MS);
  // A handheld spends its shift coming back from dead spots and the lock screen: check then too.
  window.addEventListener('online', check);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
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

/** Whether a new version waits (or runs in another tab). */
export const useUpdateState = (): UpdateState => useSyncExternalStore(subscribe, () => state, () => 'none' as const);

export function UpdatePrompt() {
  const current = useUpdateState();
  if (current === 'none') return null;
  return <UpdateBanner current={current} />;
}

/** "A new version is ready — Reload". */
export function UpdateBanner({ current }: { current: Exclude<UpdateState, 'none'> }) {
  return (
    <div className="banner banner-info banner-update">
      <span>{current === 'waiting' ? 'A new version is ready —' : 'A new version is running in another tab —'}</span>
      <button type="button" className="button button-primary" onClick={reload}>
        Reload
      </button>
    </div>
  );
}
