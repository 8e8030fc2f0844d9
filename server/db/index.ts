// The one database interface the server talks to: embedded PGlite by default, PostgreSQL when a
// connection string is given. Both speak the same SQL, so migrations and queries are shared.
import { closeSync, fdatasyncSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * LISTENs on `channel` (a name as `pg_notify` takes it): `onNotify` hears each notification once
   * its transaction commits. PostgreSQL listens on a connection of its own, outside the pool, and
   * calls `onLost` once if that connection breaks (listen again). Resolves to a function that stops.
   * Absent on a Db that cannot (a test's wrapper): the live feed then polls.
   */
  listen?(channel: string, onNotify: (payload: string) => void, onLost: (error: unknown) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `postgres://…` for PostgreSQL; otherwise PGlite. */
  databaseUrl?: string;
  /** PGlite's data folder; omitted for an in-memory database. */
  dataDir?: string;
  /** PostgreSQL schema to work in (tests give each suite its own). */
  schema?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

export async function openDb(options: OpenOptions): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.schema, options.poolSize ?? 20);
  return openPglite(options.dataDir, options.schema);
}

async function openPglite(dataDir: string | undefined, schema: string | undefined): Promise<Db> {
  const lite = new PGlite(dataDir);
  await lite.waitReady;
  if (schema) await enterSchema(lite, schema);
  return pgliteDb(lite, () => lite.close(), dataDir ? () => flushWal(dataDir) : undefined);
}

/**
 * Forces the write-ahead log to disk. PGlite writes through Emscripten's file system, which never
 * calls fsync: without this a commit the server has answered could vanish in a power cut. The
 * WAL holds every commit record, so syncing its newest segment makes the commit durable.
 */
function flushWal(dataDir: string): void {
  const walDir = join(dataDir, 'pg_wal');
  const segments = readdirSync(walDir).filter((name) => /^[0-9A-F]{24}$/.test(name)).sort();
  // A commit can straddle a segment switch: sync the newest two.
  for (const name of segments.slice(-2)) {
    const fd = openSync(join(walDir, name), 'r+');
    try {
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** Makes `schema` the one an embedded database works in (tests give each case its own). */
export async function enterSchema(lite: PGlite, schema: string): Promise<void> {
  await lite.exec(`create schema if not exists "${schema}"; set search_path to "${schema}"`);
}

/** The Db interface over an open PGlite; `afterCommit` runs once each transaction has committed. */
export function pgliteDb(lite: PGlite, close: () => Promise<void> = () => lite.close(), afterCommit?: () => void): Db {
  return {
    kind: 'pglite',
    query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await lite.query<R>(sql, params)).rows }),
    // PGlite runs one transaction at a time and queues the rest, which is what a single embedded
    // connection can do; PostgreSQL below runs them concurrently.
    transaction: async (fn) => {
      const result = await lite.transaction((tx) =>
        fn({ query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await tx.query<R>(sql, params)).rows }) }),
      );
      afterCommit?.();
      return result;
    },
    exec: async (sql) => {
      await lite.exec(sql);
    },
    // One process, one connection: a notification reaches this process's listeners only.
    listen: async (channel, onNotify) => {
      await lite.listen(quoteIdentifier(channel), onNotify);
      // Not the function `listen` answers: it unlistens by the unquoted name, which is not SQL here.
      return () => lite.unlisten(quoteIdentifier(channel), onNotify);
    },
    close,
  };
}

// int8 (bigint) columns hold sequence numbers and counts well inside 2^53: read them as numbers.
pg.types.setTypeParser(20, (value) => Number(value));

async function openPostgres(url: string, schema: string | undefined, max: number): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    ...(schema ? { options: `-c search_path="${schema}"` } : {}),
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries in flight report their own errors.
  });
  if (schema) await pool.query(`create schema if not exists "${schema}"`);
  return {
    kind: 'postgres',
    query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await pool.query(sql, params)).rows as R[] }),
    transaction: async (fn) => {
      const client = await pool.connect();
      // A connection that breaks while checked out (the server restarts, an operator ends it)
      // emits 'error' on its client, and the pool listens only to idle ones: unheard, that error
      // would end the process. The query in flight fails on its own, and becomes a 503.
      let broken = false;
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await client.query('begin');
        const result = await fn({ query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as R[] }) });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        client.off('error', onError);
        // A connection that could not roll back is not handed to the next transaction.
        client.release(broken);
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    listen: (channel, onNotify, onLost) => listenPostgres(url, channel, onNotify, onLost),
    close: () => pool.end(),
  };
}

/** `name` as a quoted SQL identifier: kept exactly as `pg_notify` was given it. */
const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Longest wait for the listening connection to open. */
const LISTEN_CONNECT_TIMEOUT_MS = 10_000;

async function listenPostgres(url: string, channel: string, onNotify: (payload: string) => void, onLost: (error: unknown) => void): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: LISTEN_CONNECT_TIMEOUT_MS });
  let stopped = false;
  const lost = (error: unknown) => {
    if (stopped) return;
    stopped = true;
    client.end().catch(() => undefined);
    onLost(error);
  };
  client.on('notification', (message) => {
    if (message.channel === channel) onNotify(message.payload ?? '');
  });
  // Unheard, a broken connection's 'error' would end the process.
  client.on('error', lost);
  client.on('end', () => lost(new Error('The listening connection ended.')));
  try {
    await client.connect();
    await client.query(`listen ${quoteIdentifier(channel)}`);
  } catch (error) {
    stopped = true;
    await client.end().catch(() => undefined);
    throw error;
  }
  return async () => {
    stopped = true;
    await client.end().catch(() => undefined);
  };
}

/** SQLSTATEs after which the same transaction may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']);

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The error's SQLSTATE, or undefined when it has none (a driver or network error, a JavaScript error). */
export function sqlState(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  // Node's own errors carry codes too (ECONNRESET, EPIPE): those are not SQLSTATEs.
  return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
}

/** The constraint a constraint violation names, when the driver reports it. */
export function violatedConstraint(error: unknown): string | undefined {
  const name = typeof error === 'object' && error !== null && 'constraint' in error ? error.constraint : undefined;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Whose fault a database error is, when a mutation's transaction meets it:
 * - `mutation`: the mutation's values or effects are what the database refuses; running it again
 *   gives the same error, so it is rejected (a stored result) and the device's sequence advances;
 * - `transient`: the database or the way to it failed; the same mutation may well succeed later,
 *   so the push answers 503 without advancing and the device tries again.
 */
export type DbFault = 'mutation' | 'transient';

/** By SQLSTATE class (the first two characters); docs/protocol.md has the same table. */
const FAULT_BY_CLASS: Readonly<Record<string, DbFault>> = {
  // Connection exception: the connection broke or was never made.
  '08': 'transient',
  // Data exception: a value the database cannot hold: NUL or bad encoding (22P05, 22021), a number
  // out of range (22003), a string too long (22001), an array subscript (2202E), bad JSON (22P02).
  '22': 'mutation',
  // Integrity constraint violation: a reused id (23505), a balance below zero (23514), effects
  // that break a foreign key. A parameter of the mutation decides it, not the database's health.
  '23': 'mutation',
  // Transaction rollback: serialization failure and deadlock, retried a few times before this.
  '40': 'transient',
  // Insufficient resources: disk full, out of memory, too many connections.
  '53': 'transient',
  // Program limit exceeded: the statement is too complex or nested too deep for this mutation's
  // values (54001), or a value too large to index (54000).
  '54': 'mutation',
  // Object not in prerequisite state: a lock not available (55P03), an object in use (55006).
  '55': 'transient',
  // Operator intervention: shutdown (57P01-57P03), a cancelled or timed-out statement (57014).
  '57': 'transient',
  // System error: I/O error, an undefined file: the database host's trouble.
  '58': 'transient',
};

/**
 * Classifies an error the database (or its driver) raised. Anything not in the table (no SQLSTATE
 * at all, e.g. ECONNRESET or "Connection terminated"; 42 syntax or undefined table; 25 transaction
 * state; XX internal error) is transient: those come from the server's own SQL, its schema or the
 * database itself — a mutation's values travel as parameters and cannot cause them — and they
 * would strike every mutation alike. Rejecting would turn a bad deploy or a sick database into a
 * permanent refusal of every scan; a 503 keeps the scans queued until the server is mended.
 */
export function classifyDbError(error: unknown): DbFault {
  const state = sqlState(error);
  return (state && FAULT_BY_CLASS[state.slice(0, 2)]) || 'transient';
}

/** Runs a transaction, retrying it when PostgreSQL reports a serialization failure or deadlock. */
export async function transactionWithRetry<T>(db: Db, fn: (tx: Queryable) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (error) {
      if (attempt >= attempts || !RETRYABLE.has(sqlState(error) ?? '')) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
