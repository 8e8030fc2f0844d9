// The servers of a fault-model run: one database shared by every run (PGlite in memory, or
// PostgreSQL), reset to a template between runs, and one or two real Fastify apps over it that
// can be killed (-9, at any query of a request) and restarted as new instances.
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app';
import { enterSchema, openDb, pgliteDb, type Db, type Queryable } from '../../server/db/index';
import { migrate } from '../../server/db/migrate';
import { loadWarehouse } from '../../server/seed/load';
import type { WarehouseData } from '../../server/seed/types';
import { TODAY } from './warehouse';

/** The schema every run works in, and the one holding the state each run starts from. */
const SCHEMA = 'fault_model';
const TEMPLATE = 'fault_model_template';

/** A request as it crosses the simulated network. */
export interface SimRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path and query. */
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface SimResponse {
  status: number;
  contentType: string;
  body: string;
}

/** A killed server's database connection, as node-postgres reports it. */
export class ConnectionLostError extends Error {
  override name = 'ConnectionLostError';
  constructor() {
    super('Connection terminated unexpectedly');
  }
}

/**
 * The database as one server process sees it: it stops answering when the process dies, or after
 * `budget` more queries once a kill is armed (the process dies in the middle of a request, so
 * only the transactions that committed before that query stay).
 */
class ProcessDb implements Db {
  readonly kind: Db['kind'];
  alive = true;
  budget: number | null = null;

  constructor(private readonly shared: Db) {
    this.kind = shared.kind;
  }

  private check(): void {
    if (this.alive && this.budget !== null && this.budget-- <= 0) this.alive = false;
    if (!this.alive) throw new ConnectionLostError();
  }

  query = async <R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }> => {
    this.check();
    return this.shared.query<R>(sql, params);
  };

  transaction = async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
    this.check();
    return this.shared.transaction((tx) =>
      fn({
        query: async <R>(sql: string, params?: unknown[]) => {
          this.check();
          return tx.query<R>(sql, params);
        },
      }),
    );
  };

  exec = async (sql: string): Promise<void> => {
    this.check();
    await this.shared.exec(sql);
  };

  /** The shared database outlives every process over it. */
  close = async (): Promise<void> => undefined;
}

/** Allocation and store notices stay out of the model (it checks mutations): run in the background, they would race the requests the scheduler orders. */
async function startApp(db: Db): Promise<FastifyInstance> {
  const app = await buildApp({ db, today: () => TODAY, allocationInBackground: false, fulfillment: { background: false } });
  await app.ready();
  return app;
}

/** One API server process: its app and its view of the database. */
class ApiServer {
  private app: FastifyInstance | null = null;
  private process: ProcessDb | null = null;
  /** Processes started so far, for the trace. */
  generation = 0;

  constructor(private readonly shared: Db) {}

  get alive(): boolean {
    return this.process?.alive === true && this.app !== null;
  }

  async start(): Promise<void> {
    this.process = new ProcessDb(this.shared);
    this.app = await startApp(this.process);
    this.generation += 1;
  }

  /** kill -9: nothing more reaches the database; answers in flight are lost. */
  kill(): void {
    if (this.process) this.process.alive = false;
    const app = this.app;
    this.app = null;
    // Closing the dead instance only frees its memory here; it has nothing left to flush.
    void app?.close().catch(() => undefined);
  }

  /** The process dies at its `queries`-th database query from now (0: at the first). */
  armKill(queries: number): void {
    if (this.process) this.process.budget = queries;
  }

  /** Handles a request to the end; 'died' when the process died before it could answer. */
  async handle(request: SimRequest): Promise<SimResponse | 'died'> {
    const app = this.app;
    if (!app || !this.alive) return 'died';
    const response = await app.inject({ method: request.method, url: request.url, headers: request.headers, payload: request.body });
    if (!this.alive) {
      this.kill();
      return 'died';
    }
    return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), body: response.body };
  }
}

/** The API servers of one run over the shared database. */
export class ServerHost {
  readonly servers: ApiServer[];

  constructor(private readonly shared: Db, count: number) {
    this.servers = Array.from({ length: count }, () => new ApiServer(shared));
  }

  /** Results the database holds for `deviceId`'s sequences `first`..`last` (what a push committed). */
  async storedResults(deviceId: string, first: number, last: number): Promise<number> {
    const { rows } = await this.shared.query<{ n: number }>(
      'select count(*)::int as n from mutation_results where device_id = $1 and seq between $2 and $3',
      [deviceId, first, last],
    );
    return rows[0]!.n;
  }

  async start(): Promise<void> {
    for (const server of this.servers) await server.start();
  }

  liveServers(): number[] {
    return this.servers.flatMap((server, index) => (server.alive ? [index] : []));
  }

  deadServers(): number[] {
    return this.servers.flatMap((server, index) => (server.alive ? [] : [index]));
  }

  kill(index: number): void {
    this.servers[index]!.kill();
  }

  armKill(index: number, queries: number): void {
    this.servers[index]!.armKill(queries);
  }

  async restart(index: number): Promise<void> {
    await this.servers[index]!.start();
  }

  handle(index: number, request: SimRequest): Promise<SimResponse | 'died'> {
    return this.servers[index]!.handle(request);
  }

  stop(): void {
    for (const server of this.servers) server.kill();
  }
}

/** Runs between two vacuums of the shared database. */
const VACUUM_EVERY = 50;

interface SequenceState {
  name: string;
  value: number;
  called: boolean;
}

/**
 * The database every run of a process shares (booting PGlite takes seconds): migrated once, with
 * the users and signed-in devices of the template, and reset to exactly that before each run.
 */
export class SharedDatabase {
  private tables: { name: string; columns: string }[] = [];
  private sequences: SequenceState[] = [];
  private resets = 0;

  private constructor(readonly db: Db, private readonly closeAll: () => Promise<void>) {}

  /** PostgreSQL when `databaseUrl` is given, otherwise PGlite in memory. */
  static async open(databaseUrl?: string): Promise<SharedDatabase> {
    if (databaseUrl) {
      const admin = await openDb({ databaseUrl, poolSize: 1 });
      await admin.exec(`drop schema if exists "${SCHEMA}" cascade; drop schema if exists "${TEMPLATE}" cascade`);
      await admin.close();
      const db = await openDb({ databaseUrl, schema: SCHEMA, poolSize: 10 });
      await migrate(db);
      return new SharedDatabase(db, () => db.close());
    }
    const lite = new PGlite();
    await lite.waitReady;
    await enterSchema(lite, SCHEMA);
    const db = pgliteDb(lite);
    await migrate(db);
    return new SharedDatabase(db, () => lite.close());
  }

  /** Creates the template's users (hashing their PINs once for every run). */
  async createUsers(users: WarehouseData['users']): Promise<void> {
    await loadWarehouse(this.db, { users, rows: {} });
  }

  /** Keeps every table and sequence as they are now: what `reset` returns to. */
  async saveTemplate(): Promise<void> {
    const { rows: tables } = await this.db.query<{ name: string }>(
      `select tablename as name from pg_tables where schemaname = $1 and tablename <> 'schema_migrations' order by tablename`,
      [SCHEMA],
    );
    this.tables = [];
    await this.db.exec(`drop schema if exists "${TEMPLATE}" cascade; create schema "${TEMPLATE}"`);
    for (const { name } of tables) {
      const { rows } = await this.db.query<{ column_name: string }>(
        `select column_name from information_schema.columns
         where table_schema = $1 and table_name = $2 and is_generated = 'NEVER' order by ordinal_position`,
        [SCHEMA, name],
      );
      const columns = rows.map((row) => `"${row.column_name}"`).join(', ');
      await this.db.exec(`create table "${TEMPLATE}"."${name}" as select ${columns} from "${SCHEMA}"."${name}"`);
      this.tables.push({ name, columns });
    }
    const { rows: sequences } = await this.db.query<{ name: string }>(
      `select sequence_name as name from information_schema.sequences where sequence_schema = $1 order by sequence_name`,
      [SCHEMA],
    );
    this.sequences = [];
    for (const { name } of sequences) {
      const { rows } = await this.db.query<{ last_value: number | string; is_called: boolean }>(`select last_value, is_called from "${SCHEMA}"."${name}"`);
      this.sequences.push({ name, value: Number(rows[0]!.last_value), called: rows[0]!.is_called });
    }
  }

  /** Every table back to the template, then `warehouse`'s rows (its users must be the template's). */
  async reset(warehouse: WarehouseData): Promise<void> {
    // One script, one round trip: per statement, PGlite's overhead is most of the cost.
    await this.db.exec(
      [
        'begin',
        // Foreign keys are not checked while emptying and refilling the tables in whatever order.
        'set local session_replication_role = replica',
        // DELETE, not TRUNCATE: a truncate makes new files for every table and index, which costs
        // PGlite more than the run itself; the dead rows runs leave are vacuumed now and then.
        ...this.tables.map(({ name }) => `delete from "${SCHEMA}"."${name}"`),
        ...this.tables.map(({ name, columns }) => `insert into "${SCHEMA}"."${name}" (${columns}) select ${columns} from "${TEMPLATE}"."${name}"`),
        ...this.sequences.map(({ name, value, called }) => `select setval('"${SCHEMA}"."${name}"', ${value}, ${called})`),
        'commit',
      ].join(';\n'),
    );
    await loadWarehouse(this.db, { users: [], rows: warehouse.rows });
    if (++this.resets % VACUUM_EVERY === 0) await this.db.exec('vacuum');
  }

  close(): Promise<void> {
    return this.closeAll();
  }
}
