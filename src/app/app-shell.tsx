// The signed-in frame: a header with the app name, the sync indicator's slot and sign-out, and
// the current screen below it.
import { Suspense, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Link, Outlet } from 'react-router';
import { useSessionStore } from './session-store';

export interface AppShellProps {
  /** The sync status indicator (role "status"); the sync engine's component goes here. */
  syncStatus?: ReactNode;
  /** Banners under the header about the device's data (first load, session ended, storage). */
  banners?: ReactNode;
}

export function AppShell({ syncStatus, banners }: AppShellProps) {
  const user = useSessionStore((s) => s.user);
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const [signingOut, setSigningOut] = useState(false);
  const headerRef = useRef<HTMLElement>(null);

  // The sticky header's height, for the page's scroll padding: what the browser scrolls into view
  // (a focused Scan field) lands below the header, never under it. It wraps on narrow screens.
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
    if (!result.ok) setSignOutError(result.message);
  }

  return (
    <div className="shell">
      <header className="app-header" ref={headerRef}>
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
      {banners}
      {signOutError && (
        <p className="banner banner-error" role="alert">
          {signOutError}
        </p>
      )}
      <main className="shell-main">
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
