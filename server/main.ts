// `npm start`: opens the database (PGlite in ./data, or PostgreSQL from DATABASE_URL), migrates
// it, seeds the demo warehouse into an empty one, and serves the API and the PWA.
import { mkdirSync } from 'node:fs';
import { buildApp } from './app';
import { readConfig } from './config';
import { openDb } from './db/index';
import { migrate } from './db/migrate';
import { demoWarehouse } from './seed/demo';
import { isEmpty, loadWarehouse } from './seed/load';
import { todayIn } from '../src/domain/warehouse-clock';

const config = readConfig();
if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await migrate(db);
const seeded = await isEmpty(db);
if (seeded) await loadWarehouse(db, demoWarehouse(todayIn(config.warehouseTimeZone, Date.now())));

const app = await buildApp({ db, staticDir: config.staticDir, trustProxy: config.trustProxy, secretsKey: config.secretsKey, allocation: config.allocation, gs1CompanyPrefix: config.gs1CompanyPrefix, warehouseTimeZone: config.warehouseTimeZone, metricsToken: config.metricsToken, processMetrics: true, logger: { level: process.env.LOG_LEVEL ?? 'info' } });
const shutdown = async () => {
  await app.close();
  await db.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
await app.listen({ port: config.port, host: config.host });

const where = db.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
console.log(`
Dockhand is running: http://localhost:${config.port}/
  database: ${where}${seeded ? ' — demo warehouse created' : ''}
  API docs: http://localhost:${config.port}/api/docs
  demo sign-ins (demo data only):  operator / PIN 1111   harbor / PIN 3333 (Harbor Outdoor only)   supervisor / PIN 2222   admin / PIN 9999
`);
