// The sync indicator (role "status"): "Offline", "N pending" or "All synced" (offline with
// scans waiting: "Offline · N pending"), then "Last sync HH:MM". `SyncStatusView` is presentational; `SyncStatus` follows the store.
import { useSyncStatus, type SyncStatusState } from '../sync/status-store';
import './sync.css';

export type SyncStatusViewProps = Pick<SyncStatusState, 'online' | 'pendingCount' | 'syncing' | 'lastSyncAt' | 'lastError' | 'needsSignIn' | 'initialLoad' | 'offlineReady'>;

/** `HH:MM` in the device's local time, 24-hour: the same on every handheld whatever its locale. */
export function clockTime(epochMs: number): string {
  const date = new Date(epochMs);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/**
 * "All synced" is a promise that the device holds everything: it is only said once a sync has
 * completed, never during the first load or before the first sync of a session.
 */
export function syncHeadline(status: Pick<SyncStatusState, 'online' | 'pendingCount' | 'initialLoad' | 'lastSyncAt' | 'offlineReady'>): string {
  if (!status.online) return 'Offline';
  if (status.pendingCount > 0) return `${status.pendingCount} pending`;
  if (status.initialLoad) return 'Loading warehouse data';
  if (status.lastSyncAt === null) return 'Syncing…';
  // Synced, but the app itself could not reopen without the network yet.
  return status.offlineReady ? 'All synced' : 'Preparing offline use…';
}

export function SyncStatusView(props: SyncStatusViewProps) {
  const { online, pendingCount, syncing, lastSyncAt, lastError, needsSignIn } = props;
  const tone = !online || needsSignIn || lastError ? 'sync-warn' : pendingCount > 0 ? 'sync-busy' : 'sync-ok';
  return (
    <div role="status" className={`sync-status ${tone}`} aria-busy={syncing} title={lastError ?? undefined}>
      <span className="sync-headline">{syncHeadline(props)}</span>
      {/* Offline still says how much waits to be sent. */}
      {!online && pendingCount > 0 && <span className="sync-detail"> · {pendingCount} pending</span>}
      {needsSignIn && <span className="sync-detail"> · Sign in again</span>}
      {lastSyncAt !== null && <span className="sync-detail"> · Last sync {clockTime(lastSyncAt)}</span>}
    </div>
  );
}

export function SyncStatus() {
  const online = useSyncStatus((s) => s.online);
  const pendingCount = useSyncStatus((s) => s.pendingCount);
  const syncing = useSyncStatus((s) => s.syncing);
  const lastSyncAt = useSyncStatus((s) => s.lastSyncAt);
  const lastError = useSyncStatus((s) => s.lastError);
  const needsSignIn = useSyncStatus((s) => s.needsSignIn);
  const initialLoad = useSyncStatus((s) => s.initialLoad);
  const offlineReady = useSyncStatus((s) => s.offlineReady);
  return <SyncStatusView {...{ online, pendingCount, syncing, lastSyncAt, lastError, needsSignIn, initialLoad, offlineReady }} />;
}
