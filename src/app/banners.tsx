// The one banner above the work, under the header: of what the device has to say — a session the
// server ended (unsent scans are kept), a new version, the first load's progress, a browser that
// may evict offline data, the offer to install — only the most pressing shows, so a scanning
// screen never loses half its height to notices. A closed notice stays closed on this device
// until its situation changes.
import { useEffect, useState } from 'react';
import { InstallBanner, useInstallOffer } from './install-prompt';
import { UpdateBanner, useUpdateState } from './update-prompt';
import { useSyncStatus } from '../sync/status-store';

export interface SyncBannersProps {
  /** Forgets the ended session so the user can sign in again; the outbox stays. */
  onSignInAgain?: () => void;
  /**
   * `urgent`: only what must stay in view with the header (a session ended, a new version);
   * `calm`: only the rest (first load, storage, install), in the page, and only when nothing urgent shows.
   */
  part?: 'urgent' | 'calm';
}

/** Where a dismissed storage warning is remembered, with the situation it was dismissed in. */
const STORAGE_NOTE_KEY = 'dockhand.storageNoteDismissed';

function readDismissed(): string | null {
  try {
    return localStorage.getItem(STORAGE_NOTE_KEY);
  } catch {
    return null;
  }
}

function writeDismissed(value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(STORAGE_NOTE_KEY);
    else localStorage.setItem(STORAGE_NOTE_KEY, value);
  } catch {
    // Private mode: remembered for this page only.
  }
}

export function SyncBanners({ onSignInAgain, part }: SyncBannersProps) {
  const initialLoad = useSyncStatus((s) => s.initialLoad);
  const needsSignIn = useSyncStatus((s) => s.needsSignIn);
  const pendingCount = useSyncStatus((s) => s.pendingCount);
  const persistence = useSyncStatus((s) => s.persistence);
  const update = useUpdateState();
  const install = useInstallOffer();
  const [storageDismissed, setStorageDismissed] = useState(readDismissed);

  // Storage granted (installed, or the browser changed its mind) forgets the dismissal on this
  // device, so a refusal on a later day is said again.
  useEffect(() => {
    if (persistence === 'granted') writeDismissed(null);
  }, [persistence]);

  const urgent = needsSignIn || update !== 'none';
  if (part === 'calm' && urgent) return null;
  if (part === 'urgent' && !urgent) return null;
  if (needsSignIn) {
    return (
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
    );
  }
  if (update !== 'none') return <UpdateBanner current={update} />;
  if (initialLoad) {
    return (
      <div className="banner banner-info">
        <label>
          Loading warehouse data: {initialLoad.rows.toLocaleString()} rows
          {/* The total is unknown until the last page: an indeterminate bar with a running count. */}
          <progress className="load-progress" aria-label="Loading warehouse data" />
        </label>
      </div>
    );
  }
  if (persistence === 'refused' && storageDismissed !== 'refused') {
    return (
      <div className="banner banner-warn">
        <span>Offline data may be cleared if storage runs low: install Dockhand and sync before closing it.</span>
        <button
          type="button"
          className="button button-quiet"
          onClick={() => {
            writeDismissed('refused');
            setStorageDismissed('refused');
          }}
        >
          Dismiss
        </button>
      </div>
    );
  }
  if (install) return <InstallBanner offer={install} />;
  return null;
}
