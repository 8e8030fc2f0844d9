// The supervisors' live feed on this device: one stream of GET /api/supervisor/events per tab,
// opened while anything subscribes, resumed with Last-Event-ID after a drop (backoff 1 s → 15 s),
// so a supervisor screen reloads what changed within a second or two of a scan, without a poll.
//
// For a screen:
//   const live = useLiveFeed();           // { state: 'live' | 'reconnecting' | 'offline', lastEventAt, subscribe }
//   useEffect(() => live.subscribe(['mutation-applied', 'order-status'], (event) => void refresh()), [live, refresh]);
//   // or, the same throttled to one reload a second:
//   useLiveRefresh(['device-health', 'mutation-rejected'], refresh);
//   <LiveStatus />                        // "Live", or "Live updates paused — reconnecting" (./live-status.tsx)
//
// - `subscribe(kinds, handler)` answers its unsubscribe. Kinds and their fields are in
//   src/domain/floor-events.ts (ids, counts and codes: the handler refetches what it shows).
// - Every handler also gets `{ kind: 'reset' }`, whatever its kinds: the stream started afresh (the
//   first connection, or a gap longer than the server keeps), so what was loaded may be stale.
// - While `state` is not 'live' nothing arrives: show <LiveStatus /> (or keep a slow poll) so a
//   stale screen never looks current. Missed events arrive after a reconnect, before 'live'.
import { useEffect, useRef } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import { FloorEvent, type FloorEventKind } from '../../domain/floor-events';
import { db as appDb } from '../../storage/db';
import { readSession } from '../../storage/session-repo';
import { ApiError, createApiClient, type ApiClient } from '../../sync/api-client';
import { floorEventsEndpoint } from '../../sync/endpoints';
import { readEventStream } from '../../sync/event-stream';

export type LiveState = 'live' | 'reconnecting' | 'offline';

/** What a handler receives: a floor event with its stream id, or a reset (reload everything). */
export type LiveEvent = (FloorEvent & { id: string }) | { kind: 'reset'; id: string | undefined };
export type LiveHandler = (event: LiveEvent) => void;

export interface LiveFeed {
  readonly state: LiveState;
  /** When the last event (or the stream's start) arrived, epoch ms; null before any. */
  readonly lastEventAt: number | null;
  /** Calls `handler` for events of `kinds` (and every reset) until the answered function is called. */
  subscribe(kinds: readonly FloorEventKind[], handler: LiveHandler): () => void;
}

interface LiveFeedStatus {
  state: LiveState;
  lastEventAt: number | null;
}

/** The first wait before reconnecting; doubled after each failure up to RECONNECT_MAX_MS. */
export const RECONNECT_MIN_MS = 1000;
export const RECONNECT_MAX_MS = 15_000;
/** No byte for this long (the server writes a heartbeat every 15 s) and the stream is taken as dead. */
export const IDLE_TIMEOUT_MS = 40_000;

export interface LiveFeedDeps {
  api: ApiClient;
  /** The session's bearer token; null when signed out. */
  token(): Promise<string | null>;
  isOnline?(): boolean;
  /** Waits `ms`, or less when `signal` aborts. Injectable for tests. */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  now?(): number;
  /** 0 ≤ x < 1, for the reconnect jitter. */
  random?(): number;
}

const realSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

export interface LiveFeedConnection extends LiveFeed {
  /** The status as a zustand store, for `useStore`. */
  readonly status: StoreApi<LiveFeedStatus>;
}

/** A feed over `deps`; it connects on the first subscription and closes after the last one leaves. */
export function createLiveFeed(deps: LiveFeedDeps): LiveFeedConnection {
  const status = createStore<LiveFeedStatus>()(() => ({ state: 'reconnecting', lastEventAt: null }));
  const isOnline = deps.isOnline ?? (() => (globalThis.navigator as Navigator | undefined)?.onLine ?? true);
  const sleep = deps.sleep ?? realSleep;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const handlers = new Set<{ kinds: ReadonlySet<string>; handler: LiveHandler }>();
  let running: AbortController | null = null;
  /** The last id the stream carried: where a reconnect resumes. */
  let lastEventId: string | undefined;

  const dispatch = (event: LiveEvent) => {
    for (const entry of [...handlers]) {
      if (event.kind === 'reset' || entry.kinds.has(event.kind)) entry.handler(event);
    }
  };

  async function run(signal: AbortSignal): Promise<void> {
    let delay = RECONNECT_MIN_MS;
    // Browsers say when the network comes back: try at once then, not at the end of a backoff.
    let wake = new AbortController();
    const online = () => wake.abort();
    globalThis.addEventListener?.('online', online);
    try {
      while (!signal.aborted) {
        try {
          const token = await deps.token();
          if (token === null) throw new ApiError('unauthorized', 'Signed out.');
          const chunks = await deps.api.stream(floorEventsEndpoint, {
            token,
            signal,
            idleTimeoutMs: IDLE_TIMEOUT_MS,
            headers: lastEventId === undefined ? undefined : { 'last-event-id': lastEventId },
          });
          for await (const message of readEventStream(chunks)) {
            if (message.id !== undefined) lastEventId = message.id;
            if (message.event === 'ready' || message.event === 'reset') {
              delay = RECONNECT_MIN_MS;
              status.setState({ state: 'live', lastEventAt: now() });
              if (message.event === 'reset') dispatch({ kind: 'reset', id: message.id });
              continue;
            }
            const parsed = FloorEvent.safeParse({ ...parseData(message.data), kind: message.event });
            // An event kind this app does not know yet (a newer server): nothing to refresh for it.
            if (!parsed.success || message.id === undefined) continue;
            status.setState({ lastEventAt: now() });
            dispatch({ ...parsed.data, id: message.id });
          }
          // The server ended the stream (it is restarting): resume elsewhere at once.
          delay = RECONNECT_MIN_MS;
        } catch (error) {
          if (signal.aborted) return;
          if (!(error instanceof ApiError)) throw error;
          // Signed out or not a supervisor: nothing to gain by asking often.
          if (error.kind === 'unauthorized' || error.kind === 'forbidden') delay = RECONNECT_MAX_MS;
        }
        if (signal.aborted) return;
        status.setState({ state: isOnline() ? 'reconnecting' : 'offline' });
        wake = new AbortController();
        const both = AbortSignal.any([signal, wake.signal]);
        // Jitter: supervisors' tablets dropped by one server do not all come back in one instant.
        await sleep(delay / 2 + random() * (delay / 2), both);
        delay = Math.min(delay * 2, RECONNECT_MAX_MS);
      }
    } finally {
      globalThis.removeEventListener?.('online', online);
    }
  }

  const feed: LiveFeedConnection = {
    status,
    get state() {
      return status.getState().state;
    },
    get lastEventAt() {
      return status.getState().lastEventAt;
    },
    subscribe(kinds, handler) {
      const entry = { kinds: new Set<string>(kinds), handler };
      handlers.add(entry);
      if (!running) {
        const controller = new AbortController();
        running = controller;
        status.setState({ state: 'reconnecting' });
        void run(controller.signal);
      }
      return () => {
        handlers.delete(entry);
        if (handlers.size === 0 && running) {
          running.abort();
          running = null;
        }
      };
    },
  };
  return feed;
}

function parseData(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

let appFeed: LiveFeedConnection | null = null;

/** This tab's feed, over the signed-in session. */
export function appLiveFeed(): LiveFeedConnection {
  appFeed ??= createLiveFeed({ api: createApiClient(), token: async () => (await readSession(appDb))?.token ?? null });
  return appFeed;
}

/** The live feed's status and `subscribe`; `feed` for tests (the app's by default). */
export function useLiveFeed(feed: LiveFeedConnection = appLiveFeed()): LiveFeed {
  const { state, lastEventAt } = useStore(feed.status);
  return { state, lastEventAt, subscribe: feed.subscribe };
}

/** Most reloads per second `useLiveRefresh` asks for: a busy floor sends many events a second. */
export const REFRESH_MIN_INTERVAL_MS = 1000;

/**
 * Calls `refresh` after events of `kinds` (and after a reset), at most once per `minIntervalMs`:
 * the first at once, those within the interval as one at its end.
 */
export function useLiveRefresh(kinds: readonly FloorEventKind[], refresh: () => unknown, options: { feed?: LiveFeedConnection; minIntervalMs?: number } = {}): void {
  const feed = options.feed ?? appLiveFeed();
  const minIntervalMs = options.minIntervalMs ?? REFRESH_MIN_INTERVAL_MS;
  const latest = useRef(refresh);
  useEffect(() => {
    latest.current = refresh;
  });
  const key = kinds.join(',');
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const fire = () => {
      timer = null;
      last = Date.now();
      void latest.current();
    };
    const unsubscribe = feed.subscribe(key === '' ? [] : (key.split(',') as FloorEventKind[]), () => {
      if (timer) return;
      const wait = last + minIntervalMs - Date.now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [feed, key, minIntervalMs]);
}
