// Runs one sync engine per signed-in session: started when a session appears (boot, sign-in, or
// a sign-in in another tab), stopped when it ends. The app binds it once at boot.
import type { Observable } from 'dexie';
import type { DockhandDb, StoredSession } from '../storage/db';
import { SyncEngine, type SyncEngineOptions } from './engine';
import { runPerSession } from './per-session';
import { resetSyncStatus, useSyncStatus } from './status-store';

let current: SyncEngine | null = null;

/** The running engine, for a manual "Sync now". */
export function currentSyncEngine(): SyncEngine | null {
  return current;
}

/**
 * Keeps an engine running for the stored session until the returned function is called.
 * `options` is passed to every engine (tests inject fetch, clock and the rest).
 */
export function bindSyncToSession(
  db: DockhandDb,
  session: Observable<StoredSession | null>,
  options: Omit<SyncEngineOptions, 'db' | 'token'> = {},
): () => void {
  const status = options.status ?? useSyncStatus;
  return runPerSession(session, 'sync', (token) => new SyncEngine({ ...options, db, token }), (engine) => {
    current = engine;
    resetSyncStatus(status);
  });
}
