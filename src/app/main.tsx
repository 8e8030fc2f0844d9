// Bootstrap: the router renders at once (showing "Loading…" until the session is known), while
// the storage code loads in its own chunk and binds the stored session to the session store.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { AppRoutes } from './router';
import { bindSessionStore, useSessionStore } from './session-store';
import { applyStoredTheme } from './theme';
import { registerServiceWorker } from './update-prompt';
import './styles.css';
import '../ui/floor.css';

// Before anything renders, so the first paint is already in the device's theme.
applyStoredTheme();

Promise.all([
  import('../storage/db'),
  import('../storage/session-repo'),
  import('../sync/session-sync'),
  import('../sync/photo-uploader'),
  import('../storage/submit-bridge'),
  import('../printing/print-queue'),
])
  .then(([{ db }, { observeSession }, { bindSyncToSession }, { bindPhotoUploader }, { warmSubmissions }, { bindPrintQueue }]) => {
    bindSessionStore(observeSession(db));
    // Scans commit in their own worker (storage/submit-bridge): started now, not on the first scan.
    warmSubmissions();
    // One sync engine, one photo uploader and one print queue per signed-in session, started here
    // and never from a screen: a label queued offline prints once online, whatever screen is open.
    bindSyncToSession(db, observeSession(db));
    bindPhotoUploader(db, observeSession(db));
    bindPrintQueue(db, observeSession(db));
  })
  .catch((error: unknown) => {
    // Only a failed chunk load lands here; without storage nobody can be signed in.
    console.error('Could not load storage', error);
    useSessionStore.setState({ status: 'signed-out', user: null }, true);
  });
registerServiceWorker();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  </StrictMode>,
);
