// UI state for who is signed in. IndexedDB holds the session; this store mirrors it (through a
// live query, so every tab follows a sign-in or sign-out) for the router guard and the header.
// It imports no Dexie code: main.tsx loads storage after the first paint and binds it here.
import { create } from 'zustand';
import type { Observable } from 'dexie';
import type { SessionUser, StoredSession } from '../storage/db';

export type SessionStatus = 'loading' | 'signed-out' | 'signed-in';

export interface SessionState {
  /** 'loading' until the stored session has been read once at boot. */
  status: SessionStatus;
  user: SessionUser | null;
}

const initialState: SessionState = { status: 'loading', user: null };

export const useSessionStore = create<SessionState>()(() => initialState);

/** Back to the boot state; tests call it between cases. */
export function resetSessionStore(): void {
  useSessionStore.setState(initialState, true);
}

/**
 * Keeps the store in step with the stored session (storage/session-repo `observeSession`) until
 * the returned function is called.
 */
export function bindSessionStore(session: Observable<StoredSession | null>): () => void {
  const subscription = session.subscribe({
    next: (session) =>
      useSessionStore.setState(
        session ? { status: 'signed-in', user: session.user } : { status: 'signed-out', user: null },
        true,
      ),
    error: (error: unknown) => {
      // IndexedDB unavailable (a locked-down or private browser): nobody can be signed in.
      console.error('Could not read the stored session', error);
      useSessionStore.setState({ status: 'signed-out', user: null }, true);
    },
  });
  return () => subscription.unsubscribe();
}
