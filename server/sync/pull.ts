// Pull: the rows changed since the device's cursor, in commit-safe order, limited to the user's
// owners, plus the stored results of the device's own mutations.
import { z } from 'zod';
import { TableName, type Actor } from '../../src/domain';
import type { Db } from '../db/index';
import { MutationResult, resultsAfter } from './results';

export const Change = z.object({
  table: TableName,
  id: z.string(),
  op: z.enum(['put', 'delete']),
  row: z.record(z.string(), z.unknown()).nullable(),
});
export type Change = z.infer<typeof Change>;

export const PullResponse = z.object({
  changes: z.array(Change),
  cursor: z.string(),
  hasMore: z.boolean(),
  results: z.array(MutationResult),
  /** The sequence number the server expects next from this device. */
  nextSeq: z.number().int(),
});
export type PullResponse = z.infer<typeof PullResponse>;

/** Results handed back per pull at most; the device asks again with a higher `resultsAfter`. */
const RESULTS_PER_PULL = 1000;

const CURSOR = /^(\d+)\.(\d+)$/;

export function isCursor(value: string): boolean {
  return value === '' || CURSOR.test(value);
}

export async function pullChanges(
  db: Db,
  actor: Actor,
  request: { cursor: string; limit: number; resultsAfter: number },
): Promise<PullResponse> {
  const [, xid = '0', seq = '0'] = CURSOR.exec(request.cursor) ?? [];
  const params: unknown[] = [xid, seq, request.limit];
  let scope = '';
  if (actor.ownerIds !== null) {
    params.push(actor.ownerIds);
    scope = 'and (owner_id is null or owner_id = any($4::text[]))';
  }
  // Rows from transactions at or above the oldest one still running are held back: a
  // transaction with a smaller id may yet commit, and the cursor must never pass it.
  const { rows } = await db.query<{ tbl: TableName; id: string; deleted: boolean; row: Record<string, unknown> | null; xid: string; seq: number }>(
    `select tbl, id, deleted, row, xid::text as xid, seq from sync_rows
     where (xid, seq) > ($1::xid8, $2::bigint) and xid < pg_snapshot_xmin(pg_current_snapshot()) ${scope}
     order by xid, seq limit $3`,
    params,
  );
  const last = rows.at(-1);
  const [results, device] = await Promise.all([
    resultsAfter(db, actor.deviceId, request.resultsAfter, RESULTS_PER_PULL),
    db.query<{ next_seq: number }>('select next_seq from devices where id = $1', [actor.deviceId]),
  ]);
  return {
    changes: rows.map((r) => ({ table: r.tbl, id: r.id, op: r.deleted ? 'delete' : 'put', row: r.deleted ? null : r.row })),
    cursor: last ? `${last.xid}.${last.seq}` : request.cursor,
    hasMore: rows.length === request.limit,
    results,
    nextSeq: Number(device.rows[0]?.next_seq ?? 1),
  };
}
