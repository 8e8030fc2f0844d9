// Whether the supervisor's screen is live: "Live" while the feed streams, and a plain pause notice
// while it reconnects, so figures that stopped moving never pass for current ones. Mounting it
// keeps the feed connected (./live-feed.ts).
import { useEffect } from 'react';
import { appLiveFeed, useLiveFeed, type LiveFeedConnection } from './live-feed';

const keepOpen = () => undefined;

export function LiveStatus({ feed = appLiveFeed() }: { feed?: LiveFeedConnection }) {
  const { state, subscribe } = useLiveFeed(feed);
  useEffect(() => subscribe([], keepOpen), [subscribe]);
  return (
    <p className={`live-status ${state === 'live' ? 'live-on' : 'live-paused'}`} role="status" aria-live="polite">
      {state === 'live' ? 'Live' : 'Live updates paused — reconnecting'}
    </p>
  );
}
