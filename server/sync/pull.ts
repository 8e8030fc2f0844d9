// Pull: the rows changed since the device's cursor, in commit-safe order, limited to the user's
// owners, plus the stored results of the device's own mutations.
import type { Actor } from '../../src/domain';
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
 * One pull page as the JSON text of a `PullResponse`. The database writes the page's changes as
 * one JSON text (rows as their stored `row::text`, never parsed and re-serialised here), so a
 * 10,000-row page crosses from PostgreSQL as one value: decoding 10,000 result rows of five
 * columns each was most of a page's cost on PGlite.
 */
export async function pullPageJson(
  db: Db,
  actor: Actor,
  request: { cursor: string; limit: number; resultsAfter: number },
): Promise<string> {
  const [, xid = '0', seq = '0'] = CURSOR.exec(request.cursor) ?? [];
  const horizon = await db.query<{ bound: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as bound');
  const bound = horizon.rows[0]!.bound;
  const params: unknown[] = [xid, seq, bound, request.limit];
  let scope = '';
  if (actor.ownerIds !== null) {
    params.push(actor.ownerIds);
    scope = 'and (owner_id is null or owner_id = any($5::text[]))';
  }
  const { rows } = await db.query<{ n: number; changes: string; position: string | null }>(
    `with page as materialized (
       select tbl, id, deleted, row, xid, seq from sync_rows
       where (xid, seq) > ($1::xid8, $2::bigint) and xid < $3::xid8 ${scope}
       order by sync_rows.xid, sync_rows.seq limit $4
     )
     select
       (select count(*)::int from page) as n,
       coalesce((select string_agg(
         '{"table":' || to_json(tbl)::text || ',"id":' || to_json(id)::text ||
         case when deleted or row is null then ',"op":"delete","row":null}' else ',"op":"put","row":' || row::text || '}' end,
         ',' order by xid, seq) from page), '') as changes,
       (select xid::text || '.' || seq::text from page order by xid desc, seq desc limit 1) as position`,
    params,
  );
  const page = rows[0]!;
  const hasMore = page.n === request.limit;
  const [results, device] = await Promise.all([
    // Results come with the last page only: by then the device holds every row they changed.
    hasMore ? [] : resultsAfter(db, actor.deviceId, request.resultsAfter, bound, RESULTS_PER_PULL),
    db.query<{ next_seq: number }>('select next_seq from devices where id = $1', [actor.deviceId]),
  ]);
  const cursor = page.position ?? request.cursor;
  const nextSeq = Number(device.rows[0]?.next_seq ?? 1);
  return `{"changes":[${page.changes}],"cursor":${JSON.stringify(cursor)},"hasMore":${hasMore},"results":${JSON.stringify(results)},"nextSeq":${nextSeq}}`;
}
