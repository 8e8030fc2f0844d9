// Pull: a device's first load as a walk over the current rows in (table, id) order, then the rows
// changed since its cursor in commit-safe order; both limited to the user's scope (owners, and
// pick lists assigned to someone else), plus the stored results of the device's own mutations.
// When the user's owners change, the next pull drops what left the scope and walks what entered
// it (docs/protocol.md "Scope changes", decisions 0001 and 0007).
import { createHash } from 'node:crypto';
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

/** Longest cursor accepted: a walk cursor carries a row key, and ids run to a few hundred characters. */
export const MAX_CURSOR_LENGTH = 2048;

const XID8_MAX = 2n ** 64n - 1n;
const BIGINT_MAX = 2n ** 63n - 1n;

/**
 * A scope key names the owner set a cursor was served under (`pull_scopes`): `all` for every
 * owner, 16 hex digits of a digest of the sorted set otherwise, and `0` for "nothing known" (a
 * first load, or a scope that changed while a walk was under way), which is never stored.
 */
const SCOPE_KEY = '(?:all|0|[0-9a-f]{16})';
const ALL_OWNERS = 'all';
const NOTHING_KNOWN = '0';

/** `<xid>.<seq>.<scope>`: the feed after row (xid, seq), for a device holding `scope`'s rows up to there. */
const FEED_CURSOR = new RegExp(`^(\\d{1,20})\\.(\\d{1,19})(?:\\.(${SCOPE_KEY}))?$`);
/**
 * `w<xid>.<seq>.<from>.<to>.<base64url of JSON [table, id] or nothing>`: a walk in (table, id)
 * order after that row, over rows at or below (xid, seq) in scope `to` but not in scope `from`.
 */
const WALK_CURSOR = new RegExp(`^w(\\d{1,20})\\.(\\d{1,19})\\.(${SCOPE_KEY})\\.(${SCOPE_KEY})\\.([A-Za-z0-9_-]*)$`);
/** `s<bound>.<base64url of JSON [table, id]>`: a first-load cursor of the release before walks. */
const LEGACY_SNAPSHOT_CURSOR = /^s(\d{1,20})\.([A-Za-z0-9_-]+)$/;

type RowKey = readonly [string, string];

type Cursor =
  | { kind: 'first' }
  /** `scope` is null for a cursor from before scope keys: served under the user's current owners. */
  | { kind: 'feed'; xid: string; seq: string; scope: string | null }
  /** `to` is null for a first-load cursor from before scope keys: served under the current owners. */
  | { kind: 'walk'; xid: string; seq: string; from: string; to: string | null; after: RowKey | null };

function decodeKey(encoded: string): RowKey | null | undefined {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(key) || key.length !== 2 || !key.every((part) => typeof part === 'string')) return undefined;
  return [key[0] as string, key[1] as string];
}

const inRange = (xid: string, seq: string) => BigInt(xid) <= XID8_MAX && BigInt(seq) <= BIGINT_MAX;

/** A cursor a previous pull handed out (or '' for a first load), or null for anything else. */
function parseCursor(value: string): Cursor | null {
  if (value === '') return { kind: 'first' };
  if (value.length > MAX_CURSOR_LENGTH) return null;
  const feed = FEED_CURSOR.exec(value);
  if (feed) {
    const [, xid = '', seq = '', scope] = feed;
    return inRange(xid, seq) ? { kind: 'feed', xid, seq, scope: scope ?? null } : null;
  }
  const walk = WALK_CURSOR.exec(value);
  if (walk) {
    const [, xid = '', seq = '', from = '', to = '', key = ''] = walk;
    const after = key === '' ? null : decodeKey(key);
    return inRange(xid, seq) && after !== undefined ? { kind: 'walk', xid, seq, from, to, after } : null;
  }
  const legacy = LEGACY_SNAPSHOT_CURSOR.exec(value);
  if (legacy) {
    // The snapshot below `bound` is the walk up to (bound, 0) from nothing known.
    const [, bound = '', key = ''] = legacy;
    const after = decodeKey(key);
    return inRange(bound, '0') && after ? { kind: 'walk', xid: bound, seq: '0', from: NOTHING_KNOWN, to: null, after } : null;
  }
  return null;
}

export function isCursor(value: string): boolean {
  return parseCursor(value) !== null;
}

const walkCursor = (at: { xid: string; seq: string }, from: string, to: string, lastKeyJson: string | null) =>
  `w${at.xid}.${at.seq}.${from}.${to}.${lastKeyJson === null ? '' : Buffer.from(lastKeyJson, 'utf8').toString('base64url')}`;

/** The key of an owner set (null: every owner); equal sets have equal keys whatever their order. */
export function scopeKey(ownerIds: readonly string[] | null): string {
  if (ownerIds === null) return ALL_OWNERS;
  const sorted = [...new Set(ownerIds)].sort();
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/** Records `key`'s owner set, so a later pull whose cursor names it can tell what changed. */
async function rememberScope(db: Db, key: string, ownerIds: readonly string[] | null): Promise<void> {
  await db.query('insert into pull_scopes (key, owner_ids) values ($1, $2) on conflict (key) do nothing', [key, ownerIds]);
}

/** What a device holding scope `key` holds: every owner's rows, some owners', or nothing known. */
type Held = { kind: 'nothing' } | { kind: 'owners'; ownerIds: readonly string[] | null };

async function heldUnder(db: Db, key: string): Promise<Held> {
  if (key === NOTHING_KNOWN) return { kind: 'nothing' };
  if (key === ALL_OWNERS) return { kind: 'owners', ownerIds: null };
  const { rows } = await db.query<{ owner_ids: string[] | null }>('select owner_ids from pull_scopes where key = $1', [key]);
  // A key this database never handed out (a cursor from elsewhere): assume nothing is held.
  return rows[0] ? { kind: 'owners', ownerIds: rows[0].owner_ids } : { kind: 'nothing' };
}

/**
 * One change as the JSON text of a `Change`; the row as stored (`row::text`), never re-serialised
 * here. A row `hidden` from this user (a pick list assigned to someone else) goes out as a deletion.
 */
const changeJson = (hidden: string) => `'{"table":' || to_json(tbl)::text || ',"id":' || to_json(id)::text ||
  case when deleted or row is null or ${hidden} then ',"op":"delete","row":null}' else ',"op":"put","row":' || row::text || '}' end`;

/**
 * The SQL of one page, in text rows of up to CHANGES_PER_CHUNK rows read each, in `order`: `n`,
 * how many `scanSql` read; `changes`, those that pass `filter` as comma-joined `Change` JSON (null
 * when none does); `last`, on the final row only, the text `key` of the last row read. `scanSql`
 * selects tbl, id, deleted, row and whatever `filter`, `hidden`, `order` and `key` name, in `order`.
 */
function pageSql(scanSql: string, filter: string, hidden: string, order: string, key: string): string {
  // A CASE rather than FILTER: string_agg skips nulls, and PostgreSQL 16+ then sorts the rows once
  // for the groups and the aggregate's order together.
  return `select count(*)::int as n, string_agg(case when ${filter} then ${changeJson(hidden)} end, ',' order by i) as changes,
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

/** The SQL condition true for a row assigned to someone other than the actor (parameter `$n`). */
function assignedElsewhere(actor: Actor, params: unknown[]): string {
  params.push(actor.userId);
  return `(user_id is not null and user_id <> $${params.length})`;
}

/** The SQL condition leaving out rows a device holding `held` has already (parameter `$n`). */
function notHeld(held: Held, params: unknown[]): string {
  if (held.kind === 'nothing') return '';
  if (held.ownerIds === null) return 'and false';
  params.push(held.ownerIds);
  return `and owner_id is not null and not (owner_id = any($${params.length}::text[]))`;
}

/** The SQL condition leaving out tables the app does not know (parameter `$n`), or ''. */
function knownTables(unknown: readonly string[], params: unknown[]): string {
  if (unknown.length === 0) return '';
  params.push(unknown);
  return `and not (tbl = any($${params.length}::text[]))`;
}

/** Every current row of `tables` in the actor's scope, as `Change` JSON in parts. */
async function backfillChanges(db: Db, actor: Actor, tables: readonly string[]): Promise<string[]> {
  const params: unknown[] = [tables];
  const scope = ownerScope(actor, params);
  const elsewhere = assignedElsewhere(actor, params);
  const { rows } = await db.query<{ changes: string | null }>(
    `select string_agg(${changeJson('false')}, ',' order by tbl, id) as changes
     from sync_rows where tbl = any($1::text[]) and not deleted and not ${elsewhere} ${scope}`,
    params,
  );
  return rows[0]?.changes ? [rows[0].changes] : [];
}

async function horizon(db: Db): Promise<string> {
  const { rows } = await db.query<{ bound: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as bound');
  return rows[0]!.bound;
}

/**
 * A walk page: rows in the actor's scope, not in `held`, not deleted, at or below feed position
 * `at`, in primary-key order after `after`. Everything at or below `at` was committed when `at`
 * was handed out, and a row changed or deleted since moves above it: the walk skips it and the
 * feed after `at` hands out its latest version or its deletion. A first load walks from nothing
 * held up to `<bound>.0`, everything written by transactions below the horizon.
 */
async function walkPage(db: Db, actor: Actor, at: { xid: string; seq: string }, held: Held, after: RowKey | null, limit: number, unknown: readonly string[]): Promise<Page> {
  const params: unknown[] = [at.xid, at.seq, limit, after?.[0] ?? '', after?.[1] ?? ''];
  const scope = ownerScope(actor, params);
  const known = knownTables(unknown, params);
  const elsewhere = assignedElsewhere(actor, params);
  const fresh = notHeld(held, params);
  // The page walks `limit` keys of the primary key and hands out those that pass: a plan that
  // cannot depend on statistics (PGlite never analyzes, and without statistics PostgreSQL would
  // sort every remaining row on every page). A user limited to some owners gets thinner pages.
  const sql = pageSql(
    'select tbl, id, deleted, row, xid, seq, owner_id, user_id from sync_rows where (tbl, id) > ($4, $5) order by tbl, id limit $3',
    `(xid, seq) <= ($1::xid8, $2::bigint) and not deleted and not ${elsewhere} ${scope} ${fresh} ${known}`,
    'false',
    'tbl, id',
    'json_build_array(tbl, id)::text',
  );
  return readPage(db, sql, params);
}

/**
 * A change-feed page: rows of the actor's owners written after the cursor by transactions below
 * `bound`, in (xid, seq) order; a row assigned to someone else goes out as a deletion, so a list
 * reassigned away leaves the device it was on (and a deletion of a row never held is a no-op).
 */
async function feedPage(db: Db, actor: Actor, cursor: { xid: string; seq: string }, bound: string, limit: number, unknown: readonly string[]): Promise<Page> {
  const params: unknown[] = [cursor.xid, cursor.seq, bound, limit];
  const scope = ownerScope(actor, params);
  const elsewhere = assignedElsewhere(actor, params);
  // Rows of tables the app does not know are read (the cursor passes them) but not handed out.
  const known = knownTables(unknown, params);
  const sql = pageSql(
    `select tbl, id, deleted, row, xid, seq, user_id from sync_rows
     where (xid, seq) > ($1::xid8, $2::bigint) and xid < $3::xid8 ${scope}
     order by xid, seq limit $4`,
    known === '' ? 'true' : `true ${known}`,
    elsewhere,
    'xid, seq',
    `xid::text || '.' || seq::text`,
  );
  return readPage(db, sql, params);
}

/** One step of a walk: its page and the cursor after it (back to the feed once it is done). */
async function walkStep(
  db: Db,
  actor: Actor,
  walk: { xid: string; seq: string; from: string; to: string; after: RowKey | null },
  limit: number,
  unknown: readonly string[],
): Promise<{ page: Page; next: string }> {
  const page = await walkPage(db, actor, walk, await heldUnder(db, walk.from), walk.after, limit, unknown);
  // A page that read `limit` keys may have more behind it; a shorter one ends the walk.
  const next = page.n === limit && page.last !== null ? walkCursor(walk, walk.from, walk.to, page.last) : `${walk.xid}.${walk.seq}.${walk.to}`;
  return { page, next };
}

/**
 * One pull page as the JSON text of a `PullResponse`, in parts to be sent in order: PostgreSQL
 * writes the changes as JSON text (rows as stored, never parsed and re-serialised here) in a few
 * dozen text rows per page, and they go out as they came, never joined into one string.
 *
 * A first load (cursor '') walks the current rows in (table, id) order, always with hasMore true;
 * once the walk is done the cursor becomes `<bound>.0.<scope>`, and the change feed from there
 * brings everything written since the walk began, then the results.
 *
 * A cursor served under other owners than the user's now (an admin changed them) turns the page
 * into the first of a walk: it carries `scope`, so the device drops every row of an owner it may no
 * longer see, and the walk hands out the rows of owners it gained, up to the cursor's position;
 * then the feed goes on from that position under the new owners. A change during a walk restarts
 * it from nothing known, so the device always ends holding exactly its current scope.
 */
export async function pullPageParts(
  db: Db,
  actor: Actor,
  request: { cursor: string; limit: number; resultsAfter: number },
  options: { timeZone: string; unknownTables?: readonly string[]; backfill?: readonly string[] },
): Promise<string[]> {
  const unknown = options.unknownTables ?? [];
  const cursor = parseCursor(request.cursor);
  if (!cursor) throw new Error(`Not a pull cursor: ${request.cursor}`);
  const current = scopeKey(actor.ownerIds);
  let page: Page;
  let next: string;
  let hasMore = true;
  /** Set when the device must drop rows outside the actor's owners with this page. */
  let dropOutside = false;
  let results: Promise<unknown[]> = Promise.resolve([]);
  if (cursor.kind === 'first') {
    await rememberScope(db, current, actor.ownerIds);
    ({ page, next } = await walkStep(db, actor, { xid: await horizon(db), seq: '0', from: NOTHING_KNOWN, to: current, after: null }, request.limit, unknown));
  } else if (cursor.kind === 'walk' && cursor.to !== null && cursor.to !== current) {
    // The owners changed while the walk was under way: what the device holds is no longer known.
    await rememberScope(db, current, actor.ownerIds);
    dropOutside = true;
    ({ page, next } = await walkStep(db, actor, { ...cursor, from: NOTHING_KNOWN, to: current, after: null }, request.limit, unknown));
  } else if (cursor.kind === 'walk') {
    if (cursor.to === null) await rememberScope(db, current, actor.ownerIds);
    ({ page, next } = await walkStep(db, actor, { ...cursor, to: current }, request.limit, unknown));
  } else if (cursor.scope !== null && cursor.scope !== current) {
    await rememberScope(db, current, actor.ownerIds);
    dropOutside = true;
    ({ page, next } = await walkStep(db, actor, { ...cursor, from: cursor.scope, to: current, after: null }, request.limit, unknown));
  } else {
    // A cursor without a scope key is from the release before them, when no route could change
    // a user's owners: it was served under the current ones.
    if (cursor.scope === null) await rememberScope(db, current, actor.ownerIds);
    const bound = await horizon(db);
    page = await feedPage(db, actor, cursor, bound, request.limit, unknown);
    // Tables an upgraded app just learnt: their rows in full, before the changes that may follow them.
    const backfill = (options.backfill ?? []).filter((table) => !unknown.includes(table));
    if (backfill.length > 0) page = { ...page, changes: [...(await backfillChanges(db, actor, backfill)), ...page.changes] };
    const last = page.last ?? `${cursor.xid}.${cursor.seq}`;
    next = `${last}.${current}`;
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
  const scope = dropOutside ? `,"scope":${JSON.stringify({ ownerIds: actor.ownerIds })}` : '';
  parts.push(
    `],"cursor":${JSON.stringify(next)},"hasMore":${hasMore},"results":${JSON.stringify(handed)},"nextSeq":${nextSeq}${scope},` +
      `"timeZone":${JSON.stringify(options.timeZone)}}`,
  );
  return parts;
}
