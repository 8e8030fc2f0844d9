// Above each panel: how current its figures are, and a plain warning when they are not (offline,
// or the last refresh failed), so a stale screen never looks current.
import { clockTime } from '../../ui/sync-status';
import type { FloorData } from './floor-data';

export function FloorStatus({ state, what }: { state: FloorData<unknown>; what: string }) {
  const { data, failure, loading, refresh } = state;
  return (
    <div className="floor-status">
      {failure && (
        <p className={`floor-warning ${failure.offline ? 'floor-offline' : ''}`} role="alert">
          {failure.message}
          {data && ` Showing ${what} as of ${clockTime(data.at)}: not current.`}
        </p>
      )}
      {!data && !failure && loading && <p className="loading">Loading…</p>}
      <p className="floor-updated">
        {data && !failure && `Updated ${clockTime(data.at)} `}
        <button type="button" className="button" onClick={() => void refresh()}>
          Refresh
        </button>
      </p>
    </div>
  );
}
