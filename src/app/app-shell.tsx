// The signed-in frame: a header with the app name, the sync indicator's slot and sign-out, and
// the current screen below it.
import { Suspense, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Link, Outlet } from 'react-router';
import { useSyncStatus } from '../sync/status-store';
import { useSessionStore } from './session-store';

export interface AppShellProps {
  /** The sync status indicator (role "status"); the sync engine's component goes here. */
  syncStatus?: ReactNode;
  /** A notice kept in view with the header (a session ended, a new version). */
  urgentBanner?: ReactNode;
  /** A notice in the page under the header (first load, storage, install), when nothing urgent shows. */
  banner?: ReactNode;
}

export function AppShell({ syncStatus, urgentBanner, banner }: AppShellProps) {
  const user = useSessionStore((s) => s.user);
  /** Why sign-out was refused, and whether it was for scans still unsent (true until they are sent). */
  const [signOutError, setSignOutError] = useState<{ message: string; unsent: boolean } | null>(null);
  const [signingOut, setSigningOut] = useState(false);
  const headerRef = useRef<HTMLDivElement>(null);
  const pendingCount = useSyncStatus((s) => s.pendingCount);

  // "N scans are not sent yet" answered a sign-out: once they are sent it is no longer said.
  const refusal = signOutError && (!signOutError.unsent || pendingCount > 0) ? signOutError.message : null;

  // The sticky top's height (the header and the banner under it), for the page's scroll padding:
  // what the browser scrolls into view (a focused Scan field) lands below it, never under it.
  useEffect(() => {
    const header = headerRef.current;
    if (!header || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => document.documentElement.style.setProperty('--header-height', `${header.offsetHeight}px`));
    observer.observe(header);
    return () => observer.disconnect();
  }, []);

  async function onSignOut() {
    setSigningOut(true);
    setSignOutError(null);
    // Loaded on demand: the commands module carries the sign-in schema, not needed for first paint.
    const { signOut } = await import('../features/sign-in/commands');
    const result = await signOut();
    // On success the session store turns 'signed-out' and the guard shows the sign-in screen.
    setSigningOut(false);
    if (!result.ok) setSignOutError({ message: result.message, unsent: useSyncStatus.getState().pendingCount > 0 });
  }

  return (
    <div className="shell">
      <div className="shell-top" ref={headerRef}>
        <header className="app-header">
          <Link to="/" className="app-name">
            Dockhand
          </Link>
          <div className="header-sync" data-slot="sync-status">
            {syncStatus}
          </div>
          {user && (
            <span className="header-user" title={user.username}>
              {user.displayName}
            </span>
          )}
          <button type="button" className="button button-quiet" onClick={onSignOut} disabled={signingOut}>
            Sign out
          </button>
        </header>
        {/* A refusal to sign out or an urgent notice stays in view with the header. */}
        <aside className="shell-notice" aria-label="Urgent notices">
          {refusal ? (
            <p className="banner banner-error" role="alert">
              {refusal}
            </p>
          ) : (
            urgentBanner
          )}
        </aside>
      </div>
      {/* The others scroll with the page: a handheld's screen is for the work. */}
      {!refusal && <aside aria-label="Notices">{banner}</aside>}
      <main className="shell-main">
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
