// Banners under the header about the device's data: the first load's progress, a session the
// server ended (unsent scans are kept), and a browser that may evict offline data.
import { useState } from 'react';
import { useSyncStatus } from '../sync/status-store';

export interface SyncBannersProps {
  /** Forgets the ended session so the user can sign in again; the outbox stays. */
  onSignInAgain?: () => void;
}

export function SyncBanners({ onSignInAgain }: SyncBannersProps) {
  const initialLoad = useSyncStatus((s) => s.initialLoad);
  const needsSignIn = useSyncStatus((s) => s.needsSignIn);
  const pendingCount = useSyncStatus((s) => s.pendingCount);
  const persistence = useSyncStatus((s) => s.persistence);
  const [storageNoteDismissed, setStorageNoteDismissed] = useState(false);
  return (
    <>
      {initialLoad && (
        <div className="banner banner-info">
          <label>
            Loading warehouse data: {initialLoad.rows.toLocaleString()} rows
            {/* The total is unknown until the last page: an indeterminate bar with a running count. */}
            <progress className="load-progress" aria-label="Loading warehouse data" />
          </label>
        </div>
      )}
      {needsSignIn && (
        <div className="banner banner-error" role="alert">
          <span>
            Your session has ended.{' '}
            {pendingCount > 0 ? `Sign in again to send ${pendingCount === 1 ? '1 scan' : `${pendingCount} scans`}; they are kept.` : 'Sign in again.'}
          </span>
          {onSignInAgain && (
            <button type="button" className="button button-primary" onClick={onSignInAgain}>
              Sign in again
            </button>
          )}
        </div>
      )}
      {persistence === 'refused' && !storageNoteDismissed && (
        <div className="banner banner-warn">
          <span>Offline data may be cleared if storage runs low: install Dockhand and sync before closing it.</span>
          <button type="button" className="button button-quiet" onClick={() => setStorageNoteDismissed(true)}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}
