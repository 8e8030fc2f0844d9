// The server's settings, from the environment.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_WAREHOUSE_TIME_ZONE, isTimeZone } from '../src/domain/warehouse-clock';
import { SECRETS_KEY_BYTES } from './integrations/secret-box';
import { DEFAULT_ALLOCATION } from './orders/allocate';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  staticDir: string;
  /** The IANA zone whose calendar date is "today" for expiry rules, on the server and the devices. */
  warehouseTimeZone: string;
  trustProxy: TrustProxy;
  /** SECRETS_KEY: seals integration secrets; unset, a key kept in the database does (docs/security.md). */
  secretsKey: Buffer | undefined;
  /** ORDERS_PER_LIST and LINES_PER_LIST: how allocation batches orders into pick lists. */
  allocation: { ordersPerList: number; linesPerList: number };
  /** GS1_COMPANY_PREFIX: the 3PL's GS1 company prefix, which numbers its cartons' SSCCs. */
  gs1CompanyPrefix: string | undefined;
  /** METRICS_TOKEN: the bearer token a Prometheus scraper reads GET /metrics with; unset, only admins may. */
  metricsToken: string | undefined;
}

/** Shortest METRICS_TOKEN accepted: a guessable token would open the metrics to anyone. */
export const MIN_METRICS_TOKEN_LENGTH = 32;

/**
 * Reads METRICS_TOKEN: 32 to 200 visible ASCII characters (make one with `openssl rand -hex 32`),
 * which Prometheus sends as `Authorization: Bearer <token>`. Unset or empty, undefined.
 */
export function parseMetricsToken(value: string | undefined): string | undefined {
  const raw = value?.trim() ?? '';
  if (raw === '') return undefined;
  if (!/^[\x21-\x7e]+$/.test(raw) || raw.length < MIN_METRICS_TOKEN_LENGTH || raw.length > 200) {
    throw new Error(`METRICS_TOKEN must be ${MIN_METRICS_TOKEN_LENGTH} to 200 visible ASCII characters without spaces (make one with: openssl rand -hex 32).`);
  }
  return raw;
}

/** GS1_COMPANY_PREFIX: 7 to 10 digits as GS1 issued them; unset, GS1's example prefix numbers demo labels. */
export function parseCompanyPrefix(value: string | undefined): string | undefined {
  const raw = value?.trim() ?? '';
  if (raw === '') return undefined;
  if (!/^\d{7,10}$/.test(raw)) throw new Error(`GS1_COMPANY_PREFIX must be the 7 to 10 digits of your GS1 company prefix, not "${value}".`);
  return raw;
}

/** A whole number from `min` to `max` in the variable `name`, or `fallback` when it is unset. */
export function parseCount(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  const raw = value?.trim() ?? '';
  if (raw === '') return fallback;
  const number = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${value}".`);
  return number;
}

/**
 * Reads WAREHOUSE_TIME_ZONE, an IANA zone name such as `America/Chicago`. Unset, UTC: the same on
 * every API server whatever its host's zone, and the date servers used before the setting existed.
 */
export function parseWarehouseTimeZone(value: string | undefined): string {
  const zone = value?.trim() || DEFAULT_WAREHOUSE_TIME_ZONE;
  if (!isTimeZone(zone)) {
    throw new Error(`WAREHOUSE_TIME_ZONE must be an IANA time zone name such as Europe/Berlin or America/Chicago, not "${value}".`);
  }
  return zone;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}".`);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('DATABASE_URL must start with postgres:// or postgresql://.');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    dataDir: resolve(env.DOCKHAND_DATA ?? 'data'),
    staticDir: resolve(env.DOCKHAND_STATIC ?? 'dist'),
    warehouseTimeZone: parseWarehouseTimeZone(env.WAREHOUSE_TIME_ZONE),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    secretsKey: parseSecretsKey(env.SECRETS_KEY),
    gs1CompanyPrefix: parseCompanyPrefix(env.GS1_COMPANY_PREFIX),
    metricsToken: parseMetricsToken(env.METRICS_TOKEN),
    allocation: {
      ordersPerList: parseCount('ORDERS_PER_LIST', env.ORDERS_PER_LIST, DEFAULT_ALLOCATION.ordersPerList, 1, 100),
      linesPerList: parseCount('LINES_PER_LIST', env.LINES_PER_LIST, DEFAULT_ALLOCATION.linesPerList, 1, 1000),
    },
  };
}

/**
 * Reads SECRETS_KEY, the key that seals integration secrets the server must read back: 32 bytes
 * as 64 hex characters or as base64. Unset or empty, undefined: the database keeps a key of its own.
 */
export function parseSecretsKey(value: string | undefined): Buffer | undefined {
  const raw = value?.trim() ?? '';
  if (raw === '') return undefined;
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) {
    const key = Buffer.from(raw, /[-_]/.test(raw) ? 'base64url' : 'base64');
    if (key.length === SECRETS_KEY_BYTES) return key;
  }
  throw new Error(
    `SECRETS_KEY must be ${SECRETS_KEY_BYTES} random bytes written as 64 hex characters or as base64 ` +
      `(make one with: openssl rand -hex ${SECRETS_KEY_BYTES}); the value given is not.`,
  );
}

/**
 * Whose X-Forwarded-For the server believes, as Fastify's `trustProxy` takes it: nobody (false),
 * the nearest `n` proxies in front of it, or peers at these addresses and CIDR ranges.
 */
export type TrustProxy = false | number | string[];

/** proxy-addr's names for whole address ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry) || isIP(entry) !== 0) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || prefix === undefined || rest.length > 0 || !/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Reads TRUST_PROXY: unset or empty trusts nobody, so a client cannot choose the address its
 * sign-in attempts are counted under; a number trusts that many proxy hops; otherwise a
 * comma-separated list of proxy addresses or CIDR ranges.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const raw = value?.trim() ?? '';
  if (raw === '' || raw === '0') return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 16) throw new Error(`TRUST_PROXY hop count must be at most 16, not ${raw}.`);
    return hops;
  }
  const entries = raw.split(',').map((entry) => entry.trim());
  const invalid = entries.filter((entry) => !isAddressOrRange(entry));
  if (invalid.length > 0) {
    throw new Error(
      `TRUST_PROXY must be a hop count or a comma-separated list of proxy addresses or CIDR ranges (e.g. 10.0.0.5,10.1.0.0/16); ` +
        `not ${invalid.map((entry) => `"${entry}"`).join(', ')}. Trusting every client would let anyone choose the address it is limited by.`,
    );
  }
  return entries;
}

/** `value` as Fastify's `trustProxy` option, whose types lack the hop count its runtime accepts. */
export function fastifyTrustProxy(value: TrustProxy | undefined): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return value ?? false;
}
