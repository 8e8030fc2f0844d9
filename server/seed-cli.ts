// `npm run seed`: fills the server's database (same DATABASE_URL / DOCKHAND_DATA settings as
// `npm start`) with the demo warehouse or a large synthetic one, for trials and benchmarks.
import { mkdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { readFlags, UsageError } from './cli-args';
import { readConfig, type Config } from './config';
import { openDb, type Db } from './db/index';
import { migrate } from './db/migrate';
import { TABLE_META } from './db/tables';
import { demoWarehouse } from './seed/demo';
import { largeWarehouse } from './seed/large';
import { loadWarehouse } from './seed/load';
import type { WarehouseData } from './seed/types';

const USAGE = `Usage: npm run seed -- [--demo | --products N --bins N --orders N] [--reset] [--today YYYY-MM-DD]

  --demo          the small demo warehouse (three merchants, receipts, orders, a return)
  --products N    large synthetic warehouse: N products (default 50000)
  --bins N        storage and pick-face bins, at least 2 (default 20000)
  --orders N      open orders, allocated into pick lists (default 5000)
  --reset         drop Dockhand's tables first; needed when the database already holds data
  --today DATE    the warehouse's today for expiry dates (default: today, UTC)

The database is the server's: DATABASE_URL (postgres://…) when set, else PGlite in
DOCKHAND_DATA (default ./data). Stop the server first when it uses the same PGlite folder.`;

/** Upper bounds that keep a typo (an extra zero or three) from exhausting memory. */
const LIMITS = { products: 2_000_000, bins: 1_000_000, orders: 1_000_000 } as const;
const DEFAULT_SIZE = { products: 50_000, bins: 20_000, orders: 5_000 } as const;

type Plan =
  | { kind: 'demo'; reset: boolean; today: string }
  | { kind: 'large'; reset: boolean; today: string; products: number; bins: number; orders: number };

function parsePlan(argv: string[]): Plan | 'help' {
  const values = readFlags(argv, {
    demo: { type: 'boolean' },
    products: { type: 'string' },
    bins: { type: 'string' },
    orders: { type: 'string' },
    reset: { type: 'boolean' },
    today: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';

  const today = values.today ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`)) || new Date(`${today}T00:00:00Z`).toISOString().slice(0, 10) !== today) {
    throw new UsageError(`--today must be a date as YYYY-MM-DD, not "${today}".`);
  }
  const reset = values.reset ?? false;
  const sized = (['products', 'bins', 'orders'] as const).filter((name) => values[name] !== undefined);
  if (values.demo) {
    if (sized.length > 0) throw new UsageError(`--demo has a fixed size; drop ${sized.map((s) => `--${s}`).join(', ')} or --demo.`);
    return { kind: 'demo', reset, today };
  }
  if (sized.length === 0) throw new UsageError('Say what to load: --demo, or a size with --products/--bins/--orders.');

  const size = (name: 'products' | 'bins' | 'orders', min: number): number => {
    const raw = values[name];
    if (raw === undefined) return DEFAULT_SIZE[name];
    // Whole decimal numbers only: "5e4", "1_000" or "12abc" are more likely typos than intent.
    if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, not "${raw}".`);
    const n = Number(raw);
    if (n < min || n > LIMITS[name]) throw new UsageError(`--${name} must be between ${min} and ${LIMITS[name]}, not ${n}.`);
    return n;
  };
  return { kind: 'large', reset, today, products: size('products', 1), bins: size('bins', 2), orders: size('orders', 0) };
}

/** The tables and sequences the migrations create, read from the migrations themselves so a new one is covered. */
async function schemaObjects(): Promise<{ tables: string[]; sequences: string[] }> {
  const dir = fileURLToPath(new URL('./db/migrations/', import.meta.url));
  const tables = new Set<string>(['schema_migrations']);
  const sequences = new Set<string>();
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()) {
    const sql = await readFile(dir + name, 'utf8');
    for (const m of sql.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?("?[\w]+"?)/gi)) tables.add(m[1]!);
    for (const m of sql.matchAll(/create\s+sequence\s+(?:if\s+not\s+exists\s+)?("?[\w]+"?)/gi)) sequences.add(m[1]!);
  }
  return { tables: [...tables], sequences: [...sequences] };
}

/** Rows already in the warehouse (owners is the root every seed fills), or 0 without a schema. */
async function existingOwners(db: Db): Promise<number> {
  const { rows } = await db.query<{ present: boolean }>(`select to_regclass('owners') is not null as present`);
  if (!rows[0]?.present) return 0;
  const counted = await db.query<{ n: number }>('select count(*)::int as n from owners');
  return counted.rows[0]!.n;
}

async function dropSchema(db: Db): Promise<void> {
  const { tables, sequences } = await schemaObjects();
  // Only Dockhand's own objects: DATABASE_URL may point at a schema that holds other things too.
  await db.transaction(async (tx) => {
    await tx.query(`drop table if exists ${tables.join(', ')} cascade`);
    if (sequences.length) await tx.query(`drop sequence if exists ${sequences.join(', ')} cascade`);
  });
}

async function counts(db: Db): Promise<Record<string, number>> {
  const names = [...Object.values(TABLE_META).map((meta) => meta.sql), 'stock_movements', 'users', 'sync_rows'];
  const { rows } = await db.query<Record<string, number>>(
    `select ${names.map((name) => `(select count(*)::int from ${name}) as ${name}`).join(', ')}`,
  );
  return rows[0]!;
}

function where(config: Config): string {
  if (!config.databaseUrl) return `PGlite in ${config.dataDir}`;
  // The password, if any, stays out of the terminal.
  const url = new URL(config.databaseUrl);
  if (url.password) url.password = '***';
  return `PostgreSQL ${url.toString()}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  let plan: Plan | 'help';
  let config: Config;
  try {
    plan = parsePlan(process.argv.slice(2));
    config = readConfig();
  } catch (error) {
    // Bad flags or a bad DATABASE_URL/PORT: said before the database is touched.
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof UsageError ? `seed: ${message}\n\n${USAGE}` : `seed: ${message}`);
    return 2;
  }
  if (plan === 'help') {
    console.log(USAGE);
    return 0;
  }

  const started = performance.now();
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    console.log(`Database: ${where(config)}`);
    const owners = await existingOwners(db);
    if (owners > 0 && !plan.reset) {
      console.error(`seed: the database already holds a warehouse (${owners} owners). Nothing was changed.\n` +
        'Run again with --reset to drop Dockhand\'s tables and load a fresh warehouse (this deletes all its data).');
      return 1;
    }
    if (plan.reset) {
      await dropSchema(db);
      console.log('Dropped Dockhand\'s tables.');
    }
    const applied = await migrate(db);
    if (applied.length) console.log(`Migrated: ${applied.join(', ')}`);

    const generating = performance.now();
    const data: WarehouseData = plan.kind === 'demo'
      ? demoWarehouse(plan.today)
      : largeWarehouse({ products: plan.products, bins: plan.bins, orders: plan.orders, today: plan.today });
    const generated = performance.now();
    await loadWarehouse(db, data);
    const loaded = performance.now();

    const label = plan.kind === 'demo' ? 'demo warehouse' : `large warehouse (${plan.products} products, ${plan.bins} bins, ${plan.orders} orders)`;
    console.log(`Loaded the ${label} for ${plan.today}.`);
    console.table(await counts(db));
    console.log(`Generated in ${seconds(generated - generating)}, loaded in ${seconds(loaded - generated)}, ${seconds(performance.now() - started)} in all.`);
    return 0;
  } finally {
    await db.close();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error('seed failed:', error instanceof Error ? error.message : error);
  return 1;
});
