// What the sync indicator and the banners show: ephemeral UI state the engine writes. Persistent
// facts (the outbox, problems) stay in IndexedDB; `pendingCount` mirrors a live query of it.
import { create, type StoreApi } from 'zustand';

export type PersistenceState = 'unknown' | 'granted' | 'refused' | 'unsupported';

/**
 * Why the oldest pending mutation has not gone out: `unreachable`, no answer from the server (dead
 * Wi-Fi, a guest network's portal: expected on a floor); `refused`, the server answered but did
 * not take it (an error status, or a push that failed while a pull went through).
 */
export type NotSentReason = 'unreachable' | 'refused';

export interface NotSent {
  /** Epoch ms of the first failed push since the last one that went through. */
  since: number;
  reason: NotSentReason;
  /** Failing for STUCK_AFTER_MS, or refused in a way that will repeat: a person must know. */
  stuck: boolean;
}

export interface SyncStatusState {
  online: boolean;
  /** Mutations in the outbox the server has not answered yet. */
  pendingCount: number;
  /** Rejected mutations the user has not dealt with yet ("Needs attention"). */
  openProblems: number;
  syncing: boolean;
  /** Epoch ms of the last sync that pushed everything and pulled to the end. */
  lastSyncAt: number | null;
  /** Why the last attempt failed, in words for the worker; null after a success. */
  lastError: string | null;
  /** Rows taken in so far by the first load; null when no first load is running. */
  initialLoad: { rows: number } | null;
  /** Pushes are failing with mutations pending; null while they go through. */
  notSent: NotSent | null;
  /** The server ended the session: nothing is sent until the user signs in again. */
  needsSignIn: boolean;
  /** Whether the browser promised not to evict offline data. */
  persistence: PersistenceState;
  /**
   * The service worker holds the app shell, so the app reopens with no network. True where there
   * is nothing to wait for (no service worker support, development builds, tests).
   */
  offlineReady: boolean;
}

export const initialSyncStatus: SyncStatusState = {
  online: true,
  pendingCount: 0,
  openProblems: 0,
  syncing: false,
  lastSyncAt: null,
  lastError: null,
  initialLoad: null,
  notSent: null,
  needsSignIn: false,
  persistence: 'unknown',
  offlineReady: true,
};

export type SyncStatusStore = StoreApi<SyncStatusState>;

/** The app's sync status; tests may give an engine a store of its own (`createSyncStatusStore`). */
export const useSyncStatus = create<SyncStatusState>()(() => initialSyncStatus);

export function createSyncStatusStore(): SyncStatusStore {
  return create<SyncStatusState>()(() => initialSyncStatus);
}

/** Back to a fresh session's status; whether the app can reopen offline is not the session's. */
export function resetSyncStatus(store: SyncStatusStore = useSyncStatus): void {
  store.setState({ ...initialSyncStatus, offlineReady: store.getState().offlineReady }, true);
}
