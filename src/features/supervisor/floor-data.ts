// How the supervisor's panels keep their figures current: each loads from the server, and loads
// again when the floor changes. Until the live feed is there, "the floor changes" is a poll every
// POLL_MS; `refresh` is what a live-feed subscription calls instead.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSyncStatus } from '../../sync/status-store';
import type { FloorResult } from './commands';

/** How often a panel asks again while it has no live feed. */
export const POLL_MS = 10_000;

export interface FloorData<T> {
  /** The last answer and when it came; kept while a refresh fails, so the screen can say how old it is. */
  data: { value: T; at: number } | null;
  /** Why the last load failed; null after a success. */
  failure: { message: string; offline: boolean } | null;
  /** Nothing answered yet. */
  loading: boolean;
  /** Loads again now. */
  refresh: () => Promise<void>;
}

/**
 * Loads `load()` now, again whenever `key` changes, on `refresh()`, and every POLL_MS while the
 * device is online and the page is visible. A slower answer never overwrites a newer one.
 */
export function useFloorData<T>(load: () => Promise<FloorResult<T>>, key: string, poll = POLL_MS): FloorData<T> {
  const [data, setData] = useState<FloorData<T>['data']>(null);
  const [failure, setFailure] = useState<FloorData<T>['failure']>(null);
  const online = useSyncStatus((s) => s.online);
  const loadRef = useRef(load);
  const latest = useRef(0);
  useEffect(() => {
    loadRef.current = load;
  });

  const refresh = useCallback(async () => {
    const ticket = ++latest.current;
    const result = await loadRef.current();
    if (ticket !== latest.current) return;
    if (result.ok) {
      setData({ value: result.data, at: Date.now() });
      setFailure(null);
    } else {
      setFailure({ message: result.message, offline: result.offline });
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh, key, online]);

  useEffect(() => {
    if (!online || poll <= 0) return;
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || document.visibilityState !== 'hidden') void refresh();
    }, poll);
    return () => clearInterval(timer);
  }, [refresh, online, poll, key]);

  return { data, failure, loading: data === null && failure === null, refresh };
}
