// Pull: a device's first load as a snapshot of the current rows in (table, id) order, then the
// rows changed since its cursor in commit-safe order; both limited to the user's owners, plus the
// stored results of the device's own mutations (docs/protocol.md, decisions 0001 and 0007).
import type { Actor } from '../../src/domain';
import { Change, PullResponse } from '../../src/domain/sync-protocol';
import type { Db } from '../db/index';
import { resultsAfter } from './results';

export { Change, PullResponse };

/** Results handed back per pull at most; the device asks again with a higher `resultsAfter`. */
const RESULTS_PER_PULL = 1000;

/**
 * Changes per text row a page query hands over: PGlite hands one multi-megabyte value to
 * JavaScript several times slower than the same bytes in a few dozen rows (decision 0007).
 */
const CHANGES_PER_CHUNK = 200;

/** Longest cursor accepted: a snapshot cursor carries a row key, and ids run to a few hundred characters. */
export const MAX_CURSOR_LENGTH = 2048;

const XID8_MAX = 2n ** 64n - 1n;
const BIGINT_MAX = 2n ** 63n - 1n;

/** `<xid>.<seq>`: the change feed after the row written by transaction `xid` with sequence `seq`. */
const FEED_CURSOR = /^(\d{1,20})\.(\d{1,19})$/;
/** `s<bound>.<base64url of JSON [table, id]>`: the snapshot below `bound`, after that row. */
const SNAPSHOT_CURSOR = /^s(\d{1,20})\.([A-Za-z0-9_-]+)$/;

type Cursor =
  | { kind: 'feed'; xid: string; seq: string }
  /** `bound` and `after` are null on a first load's first page (cursor ''). */
  | { kind: 'snapshot'; bound: string | null; after: readonly [string, string] | null };

/** A cursor a previous pull handed out (or '' for a first load), or null for anything else. */
function parseCursor(value: string): Cursor | null {
  if (value === '') return { kind: 'snapshot', bound: null, after: null };
  if (value.length > MAX_CURSOR_LENGTH) return null;
  const feed = FEED_CURSOR.exec(value);
  if (feed) {
    const [, xid = '', seq = ''] = feed;
    return BigInt(xid) <= XID8_MAX && BigInt(seq) <= BIGINT_MAX ? { kind: 'feed', xid, seq } : null;
  }
  const snapshot = SNAPSHOT_CURSOR.exec(value);
  if (!snapshot) return null;
  const [, bound = '', key = ''] = snapshot;
  if (BigInt(bound) > XID8_MAX) return null;
  let after: unknown;
  try {
    after = JSON.parse(Buffer.from(key, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(after) || after.length !== 2 || !after.every((part) => typeof part === 'string')) return null;
  return { kind: 'snapshot', bound, after: [after[0] as string, after[1] as string] };
}

export function isCursor(value: string): boolean {
  return parseCursor(value) !== null;
}

const snapshotCursor = (bound: string, lastKeyJson: string) => `s${bound}.${Buffer.from(lastKeyJson, 'utf8').toString('base64url')}`;

/** One change as the JSON text of a `Change`; the row as stored (`row::text`), never re-serialised here. */
const CHANGE_JSON = `'{"table":' || to_json(tbl)::text || ',"id":' || to_json(id)::text ||
  case when deleted or row is null then ',"op":"delete","row":null}' else ',"op":"put","row":' || row::text || '}' end`;

/**
 * The SQL of one page, in text rows of up to CHANGES_PER_CHUNK rows read each, in `order`: `n`,
 * how many `scanSql` read; `changes`, those that pass `filter` as comma-joined `Change` JSON (null
 * when none does); `last`, on the final row only, the text `key` of the last row read. `scanSql`
 * selects tbl, id, deleted, row and whatever `filter`, `order` and `key` name, in `order`.
 */
function pageSql(scanSql: string, filter: string, order: string, key: string): string {
  // A CASE rather than FILTER: string_agg skips nulls, and PostgreSQL 16+ then sorts the rows once
  // for the groups and the aggregate's order together.
  return `select count(*)::int as n, string_agg(case when ${filter} then ${CHANGE_JSON} end, ',' order by i) as changes,
      max(last) as last
    from (
      select s.*, row_number() over w as i, case when lead(true) over w is null then ${key} end as last
      from (${scanSql}) s window w as (order by ${order})
    ) page
    group by (i - 1) / ${CHANGES_PER_CHUNK} order by (i - 1) / ${CHANGES_PER_CHUNK}`;
}

interface Page {
  /** The changes as comma-joined JSON, in parts. */
  changes: string[];
  /** Rows read, whether handed out or not. */
  n: number;
  /** The `key` of `pageSql` for the last row read; null when none was. */
  last: string | null;
}

async function readPage(db: Db, sql: string, params: unknown[]): Promise<Page> {
  const { rows } = await db.query<{ n: number; changes: string | null; last: string | null }>(sql, params);
  let n = 0;
  const changes: string[] = [];
  for (const row of rows) {
    n += row.n;
    if (row.changes !== null) changes.push(row.changes);
  }
  return { changes, n, last: rows.at(-1)?.last ?? null };
}

/** The SQL condition limiting rows to the actor's owners (parameter `$n`), or '' for every owner. */
function ownerScope(actor: Actor, params: unknown[]): string {
  if (actor.ownerIds === null) return '';
  params.push(actor.ownerIds);
  return `and (owner_id is null or owner_id = any($${params.length}::text[]))`;
}

async function horizon(db: Db): Promise<string> {
  const { rows } = await db.query<{ bound: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as bound');
  return rows[0]!.bound;
}

/**
 * A first-load page: rows not deleted, written below `bound` (every transaction below it had
 * finished when the first page was asked for), in primary-key order after `after`. A row changed
 * or deleted while the snapshot is paged gets a transaction id at or above `bound`: the snapshot
 * skips it and the feed after `<bound>.0` hands out its latest version or its deletion.
 */
async function snapshotPage(db: Db, actor: Actor, bound: string, after: readonly [string, string] | null, limit: number): Promise<Page> {
  const params: unknown[] = [bound, limit, after?.[0] ?? '', after?.[1] ?? ''];
  const scope = ownerScope(actor, params);
  // The page walks `limit` keys of the primary key and hands out those that pass: a plan that
  // cannot depend on statistics (PGlite never analyzes, and without statistics PostgreSQL would
  // sort every remaining row on every page). A user limited to some owners gets thinner pages.
  const sql = pageSql(
    'select tbl, id, deleted, row, xid, owner_id from sync_rows where (tbl, id) > ($3, $4) order by tbl, id limit $2',
    `xid < $1::xid8 and not deleted ${scope}`,
    'tbl, id',
    'json_build_array(tbl, id)::text',
  );
  return readPage(db, sql, params);
}

/** A change-feed page: rows written after the cursor by transactions below `bound`, in (xid, seq) order. */
async function feedPage(db: Db, actor: Actor, cursor: { xid: string; seq: string }, bound: string, limit: number): Promise<Page> {
  const params: unknown[] = [cursor.xid, cursor.seq, bound, limit];
  const scope = ownerScope(actor, params);
  const sql = pageSql(
    `select tbl, id, deleted, row, xid, seq from sync_rows
     where (xid, seq) > ($1::xid8, $2::bigint) and xid < $3::xid8 ${scope}
     order by xid, seq limit $4`,
    'true',
    'xid, seq',
    `xid::text || '.' || seq::text`,
  );
  return readPage(db, sql, params);
}

/**
 * One pull page as the JSON text of a `PullResponse`, in parts to be sent in order: PostgreSQL
 * writes the changes as JSON text (rows as stored, never parsed and re-serialised here) in a few
 * dozen text rows per page, and they go out as they came, never joined into one string.
 *
 * A first load (cursor '') pages through a snapshot of the current rows in (table, id) order,
 * always with hasMore true; once the snapshot is exhausted the cursor becomes `<bound>.0`, and the
 * change feed from there brings everything written since the snapshot began, then the results.
 */
export async function pullPageParts(
  db: Db,
  actor: Actor,
  request: { cursor: string; limit: number; resultsAfter: number },
): Promise<string[]> {
  const cursor = parseCursor(request.cursor);
  if (!cursor) throw new Error(`Not a pull cursor: ${request.cursor}`);
  let page: Page;
  let next: string;
  let hasMore: boolean;
  let results: Promise<unknown[]> = Promise.resolve([]);
  if (cursor.kind === 'snapshot') {
    const bound = cursor.bound ?? (await horizon(db));
    page = await snapshotPage(db, actor, bound, cursor.after, request.limit);
    // A page that read `limit` keys may have more behind it; a shorter one ends the snapshot.
    next = page.n === request.limit && page.last !== null ? snapshotCursor(bound, page.last) : `${bound}.0`;
    hasMore = true;
  } else {
    const bound = await horizon(db);
    page = await feedPage(db, actor, cursor, bound, request.limit);
    next = page.last ?? request.cursor;
    hasMore = page.n === request.limit;
    // Results come with the last page only: by then the device holds every row they changed.
    if (!hasMore) results = resultsAfter(db, actor, request.resultsAfter, bound, RESULTS_PER_PULL);
  }
  const [handed, device] = await Promise.all([
    results,
    db.query<{ next_seq: number }>('select next_seq from devices where id = $1', [actor.deviceId]),
  ]);
  const nextSeq = Number(device.rows[0]?.next_seq ?? 1);
  const parts = ['{"changes":['];
  page.changes.forEach((chunk, index) => parts.push(...(index === 0 ? [chunk] : [',', chunk])));
  parts.push(`],"cursor":${JSON.stringify(next)},"hasMore":${hasMore},"results":${JSON.stringify(handed)},"nextSeq":${nextSeq}}`);
  return parts;
}
