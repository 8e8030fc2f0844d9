// The device's LPN numbers: ranges the server reserved for it (POST /api/lpn-ranges), kept in
// db.lpnRanges and drawn from locally, so "New LPN" works offline and no two devices ever make
// the same LPN. The code format is in src/domain/workflows/receive-lpn.ts.
import { formatLpn } from '../../domain/workflows/receive-lpn';
import type { DockhandDb } from '../../storage/db';
import { readSession } from '../../storage/session-repo';
import { createApiClient } from '../../sync/api-client';
import { lpnRangeEndpoint } from '../../sync/endpoints';
import { readLpnNumbersLeft } from './queries';

/** Below this many numbers left, the device asks for another range when it is online. */
export const LPN_REFILL_BELOW = 20;

export type DrawResult = { ok: true; code: string; remaining: number } | { ok: false; message: string };

export interface LpnNetwork {
  fetch: typeof fetch;
  baseUrl?: string;
  isOnline: () => boolean;
}

/** Takes the next number of the oldest range with numbers left, in one transaction. */
export async function drawLpnNumber(db: DockhandDb): Promise<DrawResult> {
  return db.transaction('rw', db.lpnRanges, async (): Promise<DrawResult> => {
    const ranges = await db.lpnRanges.orderBy('start').toArray();
    const range = ranges.find((candidate) => candidate.next <= candidate.end);
    if (!range) {
      return {
        ok: false,
        message: 'No LPN numbers left on this device: connect to the network to get more, or scan a pre-printed LPN label',
      };
    }
    await db.lpnRanges.update(range.start, { next: range.next + 1 });
    const remaining = ranges.reduce((sum, r) => sum + Math.max(0, r.end - r.next + 1), 0) - 1;
    return { ok: true, code: formatLpn(range.next, range.prefix), remaining };
  });
}

const inFlight = new WeakMap<DockhandDb, Promise<boolean>>();

/**
 * Asks the server for another range when fewer than `LPN_REFILL_BELOW` numbers are left and the
 * device is online. Answers whether a range was added; never throws (a failure waits for the next
 * draw or visit).
 */
export function topUpLpnNumbers(db: DockhandDb, network: LpnNetwork): Promise<boolean> {
  const running = inFlight.get(db);
  if (running) return running;
  // Started on the next tick, so the promise is in the map before it can settle.
  const task = Promise.resolve().then(async () => {
    try {
      if (!network.isOnline() || (await readLpnNumbersLeft(db)) >= LPN_REFILL_BELOW) return false;
      const session = await readSession(db);
      if (!session) return false;
      const api = createApiClient({ fetch: network.fetch, baseUrl: network.baseUrl });
      const { prefix, start, end } = await api.request(lpnRangeEndpoint, { token: session.token });
      if (end < start) return false;
      // A range the device already holds (an answer replayed by a proxy) keeps its progress.
      await db.transaction('rw', db.lpnRanges, async () => {
        if (!(await db.lpnRanges.get(start))) await db.lpnRanges.add({ start, end, prefix, next: start });
      });
      return true;
    } catch (error) {
      console.warn('Could not reserve LPN numbers', error);
      return false;
    } finally {
      inFlight.delete(db);
    }
  });
  inFlight.set(db, task);
  return task;
}
