// Pull: the rows changed since the device's cursor, in commit-safe order, limited to the user's
// owners, plus the stored results of the device's own mutations.
import type { Actor, TableName } from '../../src/domain';
import { Change, PullResponse } from '../../src/domain/sync-protocol';
import type { Db } from '../db/index';
import { resultsAfter } from './results';

export { Change, PullResponse };

/** Results handed back per pull at most; the device asks again with a higher `resultsAfter`. */
const RESULTS_PER_PULL = 1000;

const CURSOR = /^(\d+)\.(\d+)$/;

export function isCursor(value: string): boolean {
  return value === '' || CURSOR.test(value);
}

/**
 * One pull page as the JSON text of a `PullResponse`. Rows leave the feed as their stored JSON
 * text (`row::text`) and are spliced into the body as they are: parsing 5,000 jsonb rows into
 * objects only to validate and stringify them again was most of a page's cost.
 */
export async function pullPageJson(
  db: Db,
  actor: Actor,
  request: { cursor: string; limit: number; resultsAfter: number },
): Promise<string> {
  const [, xid = '0', seq = '0'] = CURSOR.exec(request.cursor) ?? [];
  // The horizon: the oldest transaction still running. Rows and results of transactions below it
  // are final; anything at or above it is held back, because a transaction with a smaller id may
  // yet commit and the cursor must never pass it.
  const horizon = await db.query<{ bound: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as bound');
  const bound = horizon.rows[0]!.bound;
  const params: unknown[] = [xid, seq, bound, request.limit];
  let scope = '';
  if (actor.ownerIds !== null) {
    params.push(actor.ownerIds);
    scope = 'and (owner_id is null or owner_id = any($5::text[]))';
  }
  const { rows } = await db.query<{ tbl: TableName; id: string; deleted: boolean; json: string | null; position: string }>(
    // Output names differ from the columns: "order by" must sort on xid8 and bigint, not on text.
    `select tbl, id, deleted, row::text as json, xid::text || '.' || seq::text as position from sync_rows
     where (xid, seq) > ($1::xid8, $2::bigint) and xid < $3::xid8 ${scope}
     order by sync_rows.xid, sync_rows.seq limit $4`,
    params,
  );
  const last = rows.at(-1);
  const hasMore = rows.length === request.limit;
  const [results, device] = await Promise.all([
    // Results come with the last page only: by then the device holds every row they changed.
    hasMore ? [] : resultsAfter(db, actor.deviceId, request.resultsAfter, bound, RESULTS_PER_PULL),
    db.query<{ next_seq: number }>('select next_seq from devices where id = $1', [actor.deviceId]),
  ]);
  const changes = rows.map((r) =>
    r.deleted || r.json === null
      ? `{"table":${JSON.stringify(r.tbl)},"id":${JSON.stringify(r.id)},"op":"delete","row":null}`
      : `{"table":${JSON.stringify(r.tbl)},"id":${JSON.stringify(r.id)},"op":"put","row":${r.json}}`,
  );
  const cursor = last ? last.position : request.cursor;
  const nextSeq = Number(device.rows[0]?.next_seq ?? 1);
  return `{"changes":[${changes.join(',')}],"cursor":${JSON.stringify(cursor)},"hasMore":${hasMore},"results":${JSON.stringify(results)},"nextSeq":${nextSeq}}`;
}
