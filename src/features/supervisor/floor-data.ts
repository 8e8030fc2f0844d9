// How the supervisor's panels keep their figures current: each loads from the server, and loads
// again when the live feed says the floor changed (events of the kinds it shows, at most once a
// second). While the feed is not live it polls every POLL_MS instead, so figures never stop moving
// unnoticed; while live, a slow poll catches what makes no floor event (another supervisor's
// resolution, a notice the store finally took).
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { FloorEventKind } from '../../domain/floor-events';
import { useSyncStatus } from '../../sync/status-store';
import type { FloorResult } from './commands';
import { appLiveFeed, useLiveFeed, useLiveRefresh, type LiveFeedConnection } from './live-feed';

/** How often a panel asks again while the live feed is not streaming. */
export const POLL_MS = 10_000;
/** How often a panel asks again while the live feed streams: for changes that make no floor event. */
export const POLL_LIVE_MS = 60_000;

const FloorFeedContext = createContext<LiveFeedConnection | null>(null);
FloorFeedContext.displayName = 'FloorFeed';

/** Gives the panels below a feed of its own (tests); the app's feed otherwise. */
export const FloorFeedProvider = FloorFeedContext.Provider;

/** The live feed the supervisor's panels listen to. */
export function useFloorFeed(): LiveFeedConnection {
  return useContext(FloorFeedContext) ?? appLiveFeed();
}

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
 * Loads `load()` now, again whenever `key` changes, on `refresh()`, after live events of `kinds`
 * (and a reset of the feed), and on a poll while the device is online and the page is visible:
 * every POLL_MS while the feed is not live, POLL_LIVE_MS while it is (`poll: false`: never). A
 * slower answer never overwrites a newer one.
 */
export function useFloorData<T>(load: () => Promise<FloorResult<T>>, key: string, kinds: readonly FloorEventKind[], options: { poll?: boolean } = {}): FloorData<T> {
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

  const feed = useFloorFeed();
  const live = useLiveFeed(feed).state === 'live';
  useLiveRefresh(kinds, refresh, { feed });
  const poll = options.poll === false ? 0 : live ? POLL_LIVE_MS : POLL_MS;

  useEffect(() => {
    if (!online || poll <= 0) return;
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || document.visibilityState !== 'hidden') void refresh();
    }, poll);
    return () => clearInterval(timer);
  }, [refresh, online, poll, key]);

  return { data, failure, loading: data === null && failure === null, refresh };
}
