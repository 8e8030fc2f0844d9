// Taking in what the server says: pull pages (rows and, on the last page, this device's results)
// and push results. Rows a pending mutation changed update their shadow, not the view; once the
// outbox or the shadows change, the view is rebuilt from the server's rows plus what is still
// pending (storage/view `rebuildView`). Each call is one transaction, cursor included.
import { TABLES, type RowOf, type TableName } from '../domain/entities';
import { inOwnerScope } from '../domain/row-scope';
import { isTimeZone, todayIn } from '../domain/warehouse-clock';
import type { Rejection } from '../domain/errors';
import type { MutationResult, PullPage } from '../domain/sync-protocol';
import { rowKey, SYNCED_TABLES, type DockhandDb, type OutboxEntry, type ShadowRow } from '../storage/db';
import { getMeta, setMeta } from '../storage/meta';
import { allRows, byTable, writeServerRows, type ServerRow } from '../storage/rows';
import { rebuildView, viewScope } from '../storage/view';

/** A response that parsed as the protocol's shape but carries a row its table does not accept. */
export class BadRowError extends Error {
  override name = 'BadRowError';
}

/** The stored pull cursor is not the one a page was requested with (see `PullPageOptions.after`). */
export class CursorMovedError extends Error {
  override name = 'CursorMovedError';
}

/** The signed-in session changed (sign-out, another user) while a sync was running. */
export class SessionChangedError extends Error {
  override name = 'SessionChangedError';
}

export interface ApplyOptions {
  /**
   * Today at the warehouse and the current time, for re-applying pending mutations; once a pull
   * has brought the warehouse's time zone, today in that zone at `now` is used instead.
   */
  today: string;
  now: Date;
  /** Only apply while this token is still the stored session's (a sign-out wipes the view). */
  token?: string;
}

/** The page's rows, each checked against its table's schema; the last change to a row wins. */
export function pageWrites(page: PullPage): ServerRow[] {
  const writes = new Map<string, ServerRow>();
  for (const change of page.changes) {
    let row: RowOf<TableName> | null = null;
    if (change.op === 'put') {
      const parsed = TABLES[change.table].safeParse(change.row);
      if (!parsed.success || parsed.data.id !== change.id) {
        throw new BadRowError(`The server sent a malformed ${change.table} row ${change.id}.`);
      }
      row = parsed.data;
    }
    const key = rowKey(change.table, change.id);
    writes.delete(key);
    writes.set(key, { table: change.table, id: change.id, row });
  }
  return [...writes.values()];
}

/** A pull page with its rows already checked (`pageWrites`), ready to be written. */
export interface PreparedPage {
  page: PullPage;
  writes: ServerRow[];
}

/** Checks a page's rows as soon as it arrives, so its transaction only writes. */
export function preparePullPage(page: PullPage): PreparedPage {
  return { page, writes: pageWrites(page) };
}

export interface PullPageOptions extends ApplyOptions {
  /**
   * The cursor the page was requested with. The page is written only if it is still the stored
   * one: a page requested ahead is never written over a page before it that failed to commit.
   */
  after?: string;
}

/**
 * Applies one pull page in one transaction: rows, the cursor, and on the last page the results
 * (answered entries leave the outbox, rejections become problems) and a rebuilt view.
 * Answers the number of rows written.
 */
export async function applyPullPage(db: DockhandDb, pulled: PullPage | PreparedPage, options: PullPageOptions): Promise<number> {
  const { page, writes } = 'writes' in pulled ? pulled : preparePullPage(pulled);
  return db.transaction('rw', [...viewScope(db), db.problems], async () => {
    await checkSession(db, options.token);
    const stored = options.after === undefined ? undefined : await getMeta(db, 'cursor');
    // Shadows exist only for rows pending mutations changed: a few keys, usually none. Reading
    // them all beats looking up every row of a 10,000-row page.
    const shadowKeys = await db.shadow.toCollection().primaryKeys();
    if (options.after !== undefined && (stored ?? '') !== options.after) {
      throw new CursorMovedError('The pull cursor moved while this page was on its way.');
    }
    const shadowed = new Set(shadowKeys);
    const server: ServerRow[] = [];
    const shadowUpdates: ShadowRow[] = [];
    // The page's own rows are in scope: they go after the drops, so they win.
    const dropped = page.scope ? await rowsOutside(db, page.scope.ownerIds) : [];
    for (const write of [...dropped, ...writes]) {
      const key = shadowed.size === 0 ? '' : rowKey(write.table, write.id);
      if (shadowed.has(key)) shadowUpdates.push({ key, ...write });
      else server.push(write);
    }
    // A page holds each row once: the tables' writes go out together, not one table at a time.
    await Promise.all([
      ...[...byTable(server)].map(([table, rows]) => writeServerRows(db, table, rows)),
      shadowUpdates.length > 0 ? db.shadow.bulkPut(shadowUpdates) : undefined,
    ]);
    await setMeta(db, 'cursor', page.cursor);
    await keepTimeZone(db, page.timeZone);
    if (!page.hasMore) {
      await takeResults(db, page.results, options.now);
      const after = Math.max((await getMeta(db, 'resultsAfter')) ?? 0, ...page.results.map((result) => result.seq));
      await setMeta(db, 'resultsAfter', after);
      if ((await db.outbox.count()) > 0 || (await db.shadow.count()) > 0) {
        await rebuildView(db, { today: await todayFor(db, options), now: options.now.toISOString() });
      }
    }
    return writes.length;
  });
}

/**
 * Takes in a push response: rejected mutations leave the outbox for "Needs attention" at once
 * and the view is rebuilt without them; applied ones are marked and stay in the view until the
 * pull that brings their rows (and their results) removes them.
 */
export async function applyPushResults(db: DockhandDb, results: readonly MutationResult[], options: ApplyOptions): Promise<void> {
  await db.transaction('rw', [...viewScope(db), db.problems], async () => {
    await checkSession(db, options.token);
    let rejected = false;
    for (const result of results) {
      const entry = await matchingEntry(db, result);
      if (!entry) continue;
      if (result.status === 'rejected') {
        await recordProblem(db, entry, result, options.now);
        await db.outbox.delete(entry.seq);
        rejected = true;
      } else if (entry.status !== 'applied') {
        await db.outbox.update(entry.seq, { status: 'applied' });
      }
    }
    if (rejected) await rebuildView(db, { today: await todayFor(db, options), now: options.now.toISOString() });
  });
}

/**
 * Deletions for every row the device holds (the server's or a local change's) of an owner outside
 * `ownerIds`: the user lost that owner. A pending mutation that changed such a row keeps its entry;
 * its shadow becomes "no such row", so the rebuild leaves it without effect until its result comes.
 */
async function rowsOutside(db: DockhandDb, ownerIds: readonly string[] | null): Promise<ServerRow[]> {
  if (ownerIds === null) return [];
  const drops: ServerRow[] = [];
  for (const table of SYNCED_TABLES) {
    for (const row of await allRows(db, table)) {
      if (!inOwnerScope(ownerIds, table, row)) drops.push({ table, id: row.id, row: null });
    }
  }
  return drops;
}

/** Stores the warehouse's time zone when the page names one this device's clock knows. */
async function keepTimeZone(db: DockhandDb, zone: string | undefined): Promise<void> {
  if (zone === undefined || (await getMeta(db, 'timeZone')) === zone) return;
  if (!isTimeZone(zone)) {
    console.error(`The server's warehouse time zone ${zone} is unknown to this device; keeping the previous one.`);
    return;
  }
  await setMeta(db, 'timeZone', zone);
}

/** Today for re-applying pending mutations: in the warehouse's zone once a pull has brought it. */
async function todayFor(db: DockhandDb, options: ApplyOptions): Promise<string> {
  const zone = await getMeta(db, 'timeZone');
  return zone ? todayIn(zone, options.now) : options.today;
}

async function takeResults(db: DockhandDb, results: readonly MutationResult[], now: Date): Promise<void> {
  for (const result of results) {
    const entry = await matchingEntry(db, result);
    // No entry: its push response already took it in (a rejection is a problem by now).
    if (!entry) continue;
    if (result.status === 'rejected') await recordProblem(db, entry, result, now);
    await db.outbox.delete(entry.seq);
  }
}

async function matchingEntry(db: DockhandDb, result: MutationResult): Promise<OutboxEntry | undefined> {
  const entry = await db.outbox.get(result.seq);
  if (entry && entry.id !== result.mutationId) {
    // The server's SEQUENCE_REUSED check makes this unreachable; never act on someone else's result.
    console.error(`Result for seq ${result.seq} names mutation ${result.mutationId}, the outbox holds ${entry.id}`);
    return undefined;
  }
  return entry;
}

async function recordProblem(db: DockhandDb, entry: OutboxEntry, result: MutationResult, now: Date): Promise<void> {
  if (await db.problems.get(entry.id)) return;
  await db.problems.add({
    mutationId: entry.id,
    seq: entry.seq,
    type: entry.type,
    args: entry.args,
    rejection: {
      // The server may know codes this app does not; the message is what the worker reads.
      code: (result.code ?? 'FORBIDDEN') as Rejection['code'],
      message: result.message ?? 'The server refused this.',
      details: result.details ?? {},
    },
    clientTime: entry.clientTime,
    at: now.getTime(),
    status: 'open',
  });
}

async function checkSession(db: DockhandDb, token: string | undefined): Promise<void> {
  if (token === undefined) return;
  const session = await getMeta(db, 'session');
  if (session?.token !== token) throw new SessionChangedError('The session changed while syncing.');
}
