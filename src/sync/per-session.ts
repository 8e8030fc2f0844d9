// One background worker (the sync engine, the photo uploader) per signed-in session: started when
// a session appears (boot, sign-in, or a sign-in in another tab), stopped when its token changes or
// the session ends.
import type { Observable } from 'dexie';
import type { StoredSession } from '../storage/db';

export interface SessionWorker {
  start(): void;
  stop(): void;
}

/**
 * Follows `session`, running the worker `create` makes for each token; `onCurrent` hears the
 * running worker (null between sessions). Returns the function that stops following.
 */
export function runPerSession<W extends SessionWorker>(
  session: Observable<StoredSession | null>,
  what: string,
  create: (token: string) => W,
  onCurrent: (worker: W | null) => void,
): () => void {
  let token: string | null = null;
  let current: W | null = null;
  const replace = (next: W | null) => {
    current?.stop();
    current = next;
    onCurrent(current);
    current?.start();
  };
  const subscription = session.subscribe({
    next: (stored) => {
      if ((stored?.token ?? null) === token) return;
      token = stored?.token ?? null;
      replace(stored ? create(stored.token) : null);
    },
    error: (error: unknown) => console.error(`Could not read the stored session for ${what}`, error),
  });
  return () => {
    subscription.unsubscribe();
    replace(null);
  };
}
