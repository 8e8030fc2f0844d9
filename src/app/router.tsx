// The routes. Every screen is lazily loaded so the first paint needs only the shell; the guards
// send a signed-out user to /sign-in and a signed-in one away from it. Declarative routing
// (BrowserRouter + useRoutes): data lives in Dexie, so the data router's loaders would go unused
// and it costs ~16 kB gzip more at first paint.
import { Suspense, lazy } from 'react';
import { Navigate, Outlet, useLocation, useRoutes } from 'react-router';
import type { RouteObject } from 'react-router';
import { SyncBanners } from './banners';
import { SyncStatus } from '../ui/sync-status';
import { AppShell } from './app-shell';
import { InstallPrompt } from './install-prompt';
import { useSessionStore } from './session-store';
import { UpdatePrompt } from './update-prompt';
import { WORKFLOWS } from './workflows';

const SignInScreen = lazy(() => import('../features/sign-in/sign-in-screen'));
const Home = lazy(() => import('./home'));
const AttentionScreen = lazy(() => import('../features/attention/attention-screen'));
// Lazy: it reads IndexedDB, and the storage code loads after the first paint.
const AttentionLink = lazy(() => import('../features/attention/attention-link'));

async function signInAgain() {
  const { signInAgain } = await import('../features/sign-in/commands');
  await signInAgain();
}

const SYNC_HEADER = (
  <>
    <SyncStatus />
    <Suspense fallback={null}>
      <AttentionLink />
    </Suspense>
  </>
);
const URGENT_BANNER = <SyncBanners part="urgent" onSignInAgain={() => void signInAgain()} />;
const CALM_BANNER = <SyncBanners part="calm" />;

const LOADING = <p className="loading">Loading…</p>;

/** Where the guard sent the user from, to return there after sign-in. */
function returnPath(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('/sign-in') ? from : '/';
}

/** Outside the signed-in shell (whose one banner says these), the update and install prompts. */
function RootLayout() {
  const signedIn = useSessionStore((s) => s.status) === 'signed-in';
  return (
    <>
      {!signedIn && (
        <aside aria-label="Notices">
          <UpdatePrompt />
          <InstallPrompt />
        </aside>
      )}
      <Suspense fallback={LOADING}>
        <Outlet />
      </Suspense>
    </>
  );
}

export function RequireSession() {
  const status = useSessionStore((s) => s.status);
  const location = useLocation();
  if (status === 'loading') return LOADING;
  if (status === 'signed-out') {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  return <AppShell syncStatus={SYNC_HEADER} urgentBanner={URGENT_BANNER} banner={CALM_BANNER} />;
}

export function SignedOutOnly() {
  const status = useSessionStore((s) => s.status);
  const location = useLocation();
  if (status === 'loading') return LOADING;
  if (status === 'signed-in') return <Navigate to={returnPath(location.state)} replace />;
  return <SignInScreen />;
}

export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    children: [
      { path: '/sign-in', element: <SignedOutOnly /> },
      {
        path: '/',
        element: <RequireSession />,
        children: [
          { index: true, element: <Home /> },
          { path: '/attention', element: <AttentionScreen /> },
          // From the one registry (README.md): a workflow's screen at its path, its others beneath it.
          ...WORKFLOWS.map(({ path, label, screen: Screen, routes = [] }) => ({
            path,
            children: [
              { index: true, element: <Screen title={label} /> },
              ...routes.map(({ path, screen: Sub }) => ({ path, element: <Sub /> })),
            ],
          })),
        ],
      },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
];

/** The app's routes; render inside a BrowserRouter (MemoryRouter in tests). */
export function AppRoutes() {
  return useRoutes(routes);
}
