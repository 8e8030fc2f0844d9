// The sync indicator (role "status"): "Offline", "N pending" or "All synced" (offline with
// scans waiting: "Offline · N pending"), what keeps scans from going out once that has lasted,
// then "Last sync HH:MM". `SyncStatusView` is presentational; `SyncStatus` follows the store.
import { useEffect, useState } from 'react';
import { useSyncStatus, type NotSent, type SyncStatusState } from '../sync/status-store';
import './sync.css';

export type SyncStatusViewProps = Pick<SyncStatusState, 'online' | 'pendingCount' | 'syncing' | 'lastSyncAt' | 'lastError' | 'needsSignIn' | 'initialLoad' | 'offlineReady' | 'notSent'> & {
  /** Rejections waiting under Needs attention; absent counts as none. */
  openProblems?: number;
  /** Epoch ms to measure `notSent` against. */
  now: number;
};

/** How often a stuck queue's "Not sent for N min" is brought up to date. */
const NOT_SENT_REFRESH_MS = 30_000;

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

/** A span of whole minutes: "6 min", "2 h", "2 h 5 min". */
function minutesText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}

/**
 * What keeps scans from going out, and what to do: the server refusing is a supervisor's matter;
 * no connection is the floor's usual weather and only says so.
 */
export function notSentText(notSent: NotSent, now: number): string {
  const lasted = now - notSent.since >= 60_000 ? `Not sent for ${minutesText(now - notSent.since)}` : 'Not sent';
  if (notSent.reason === 'unreachable') return `${lasted}: no connection to the server.`;
  return lasted === 'Not sent' ? `${lasted}: the server refused them. Tell a supervisor.` : `${lasted}: the server keeps refusing. Tell a supervisor.`;
}

export function SyncStatusView(props: SyncStatusViewProps) {
  const { online, pendingCount, syncing, lastSyncAt, lastError, needsSignIn, notSent, now, openProblems = 0 } = props;
  // Offline explains a queue that cannot reach the server; a refusing server still needs saying.
  const stuck = notSent?.stuck && pendingCount > 0 && (online || notSent.reason === 'refused') ? notSent : null;
  const tone = stuck?.reason === 'refused' ? 'sync-alarm' : !online || needsSignIn || lastError ? 'sync-warn' : pendingCount > 0 ? 'sync-busy' : 'sync-ok';
  return (
    <div role="status" className={`sync-status ${tone}`} aria-busy={syncing} title={lastError ?? undefined}>
      <span className="sync-headline">{syncHeadline(props)}</span>
      {/* Offline still says how much waits to be sent. */}
      {!online && pendingCount > 0 && <span className="sync-detail"> · {pendingCount} pending</span>}
      {stuck && <span className="sync-detail sync-not-sent"> · {notSentText(stuck, now)}</span>}
      {needsSignIn && <span className="sync-detail"> · Sign in again</span>}
      {openProblems > 0 && <span className="sync-detail sync-problems"> · {openProblems} {openProblems === 1 ? 'needs' : 'need'} attention</span>}
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
  const notSent = useSyncStatus((s) => s.notSent);
  const openProblems = useSyncStatus((s) => s.openProblems);
  const now = useNow(notSent?.stuck === true);
  return <SyncStatusView {...{ online, pendingCount, syncing, lastSyncAt, lastError, needsSignIn, initialLoad, offlineReady, notSent, now, openProblems }} />;
}

/** The time, brought up to date at once and every NOT_SENT_REFRESH_MS while `ticking`. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!ticking) return;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const every = setInterval(tick, NOT_SENT_REFRESH_MS);
    return () => {
      clearTimeout(first);
      clearInterval(every);
    };
  }, [ticking]);
  return now;
}
