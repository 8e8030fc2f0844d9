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
      try {
        await client.query('begin');
        const result = await fn({ query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as R[] }) });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/** SQLSTATEs after which the same transaction may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']);

export function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
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
