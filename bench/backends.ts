// The databases a bench runs on: a fresh PGlite folder or a fresh PostgreSQL schema per open,
// dropped after, so every section measures from the same empty start.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDb, type Db } from '../server/db/index';

/** Where PostgreSQL is looked for unless BENCH_DATABASE_URL says otherwise. */
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface Opened {
  db: Db;
  /** Shown in notes: where the data lived. */
  where: string;
  cleanup(): Promise<void>;
}

export interface Backend {
  /** The name BENCH_BACKENDS uses. */
  id: 'pglite' | 'postgres';
  name: string;
  open(): Promise<Opened | { skipped: string }>;
}

/** BENCH_BACKENDS (pglite and/or postgres) and BENCH_DATABASE_URL. */
export function benchBackends(env: NodeJS.ProcessEnv = process.env): { backends: Backend['id'][]; pgUrl: string } {
  const backends = (env.BENCH_BACKENDS ?? 'pglite,postgres').split(',').map((b) => b.trim().toLowerCase());
  if (backends.some((b) => b !== 'pglite' && b !== 'postgres')) throw new Error(`BENCH_BACKENDS lists pglite and/or postgres, not "${env.BENCH_BACKENDS}".`);
  return { backends: backends as Backend['id'][], pgUrl: env.BENCH_DATABASE_URL?.trim() || DEFAULT_PG_URL };
}

export const pglite: Backend = {
  id: 'pglite',
  name: 'PGlite',
  async open() {
    // On disk, as the server runs it: an in-memory database would flatter every figure.
    const dir = await mkdtemp(join(tmpdir(), 'dockhand-bench-'));
    try {
      const db = await openDb({ dataDir: dir });
      return { db, where: `temp folder ${dir}`, cleanup: async () => {
        await db.close();
        await rm(dir, { recursive: true, force: true });
      } };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  },
};

export function postgres(url: string): Backend {
  return {
    id: 'postgres',
    name: 'PostgreSQL',
    async open() {
      const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      try {
        await probe.connect();
      } catch (error) {
        return { skipped: `PostgreSQL at ${redact(url)} is unreachable (${error instanceof Error ? error.message : String(error)}): skipped.` };
      } finally {
        await probe.end().catch(() => undefined);
      }
      const schema = `bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      const drop = async () => {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        try {
          await admin.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await admin.end();
        }
      };
      try {
        // The server's own pool size (openDb's default), so the figures are what `npm start` gives.
        const db = await openDb({ databaseUrl: url, schema });
        return { db, where: `schema ${schema} of ${redact(url)}`, cleanup: async () => {
          await db.close();
          await drop();
        } };
      } catch (error) {
        await drop().catch(() => undefined);
        throw error;
      }
    },
  };
}

export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
