// An owner's integrations (a Shopify shop, an API client) and their secrets: creating, listing,
// rotating and revoking them, always within the owners the caller may act for. Used by the admin
// routes and the integration CLI.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  DEFAULT_GRACE_HOURS,
  Integration,
  IntegrationName,
  IntegrationType,
  MAX_GRACE_HOURS,
  NewIntegrationRequest,
  RotateRequest,
  ShopDomain,
  WebhookSecret,
} from '../../src/domain/admin';
import { sqlState, type Db, type Queryable } from '../db/index';
import { ApiError } from '../routes/errors';
import { issueApiKey } from './api-keys';
import { keyringFor, seal } from './secret-box';

// The wire shapes live in src/domain/admin.ts, shared with the admin console.
export { DEFAULT_GRACE_HOURS, Integration, IntegrationName, IntegrationType, MAX_GRACE_HOURS, NewIntegrationRequest, RotateRequest, ShopDomain, WebhookSecret };

/** `value` as a canonical shop domain, or null when it is not one. */
export function canonicalShopDomain(value: string): string | null {
  const parsed = ShopDomain.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** An integration with, for `api`, its new key: the only time the key is ever shown. */
export interface Issued {
  integration: Integration;
  apiKey?: string;
}

/** The owners a caller may act for; null: every owner. */
type OwnerScope = readonly string[] | null;

const notFound = () => new ApiError(404, { error: 'NOT_FOUND', message: 'Integration not found.' });

interface IntegrationRecord {
  id: string;
  owner_id: string;
  name: string;
  type: IntegrationType;
  shop_domain: string | null;
  created_at: Date | string;
  revoked_at: Date | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/** The integrations by id with the secrets that count now, in `ids` order. */
async function views(db: Queryable, records: IntegrationRecord[]): Promise<Integration[]> {
  const { rows } = await db.query<{ id: string; integration_id: string; created_at: Date | string; expires_at: Date | string | null }>(
    `select id, integration_id, created_at, expires_at from integration_secrets
     where integration_id = any($1::text[]) and (expires_at is null or expires_at > now()) order by created_at, id`,
    [records.map((record) => record.id)],
  );
  return records.map((record) => ({
    id: record.id,
    ownerId: record.owner_id,
    name: record.name,
    type: record.type,
    shopDomain: record.shop_domain,
    createdAt: iso(record.created_at),
    revokedAt: record.revoked_at === null ? null : iso(record.revoked_at),
    // A revoked integration's secrets are gone; none counts.
    credentials: rows
      .filter((row) => row.integration_id === record.id)
      .map((row) => ({ id: row.id, createdAt: iso(row.created_at), expiresAt: row.expires_at === null ? null : iso(row.expires_at) })),
  }));
}

/** The owner named by id or code (any case), if within `scope`; null otherwise, whether it exists or not. */
export async function resolveOwner(db: Queryable, ref: string, scope: OwnerScope): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `select id from owners where (id = $1 or upper(code) = upper($1)) and ($2::text[] is null or id = any($2::text[]))
     order by (id = $1) desc limit 1`,
    [ref, scope],
  );
  return rows[0]?.id ?? null;
}

/** Stores a new secret for `integrationId`: an api key (returned, once) or a sealed webhook secret. */
async function addSecret(db: Db, tx: Queryable, integrationId: string, type: IntegrationType, webhookSecret: string | undefined): Promise<string | undefined> {
  if (type === 'api') {
    const issued = issueApiKey();
    await tx.query('insert into integration_secrets (id, integration_id, key_hash) values ($1, $2, $3)', [issued.keyId, integrationId, issued.keyHash]);
    return issued.key;
  }
  const secretId = randomBytes(8).toString('hex');
  const sealed = seal(await keyringFor(db, tx), webhookSecret!, sealContext(integrationId, secretId));
  await tx.query('insert into integration_secrets (id, integration_id, sealed_secret) values ($1, $2, $3)', [secretId, integrationId, sealed]);
  return undefined;
}

/** What a sealed secret is bound to: its own row. */
export const sealContext = (integrationId: string, secretId: string) => `${integrationId}/${secretId}`;

export interface NewIntegration {
  ownerId: string;
  name: string;
  type: IntegrationType;
  /** shopify: canonical (`ShopDomain`). */
  shopDomain?: string | undefined;
  /** shopify. */
  webhookSecret?: string | undefined;
}

/** Creates an integration with its first secret; a shop that already has a live integration is 409. */
export async function createIntegration(db: Db, input: NewIntegration): Promise<Issued> {
  const id = `int-${randomUUID()}`;
  try {
    return await db.transaction(async (tx) => {
      const { rows } = await tx.query<IntegrationRecord>(
        'insert into integrations (id, owner_id, name, type, shop_domain) values ($1, $2, $3, $4, $5) returning *',
        [id, input.ownerId, input.name, input.type, input.type === 'shopify' ? input.shopDomain : null],
      );
      const apiKey = await addSecret(db, tx, id, input.type, input.webhookSecret);
      const [integration] = await views(tx, rows);
      return { integration: integration!, ...(apiKey !== undefined ? { apiKey } : {}) };
    });
  } catch (error) {
    if (sqlState(error) === '23505') {
      throw new ApiError(409, { error: 'CONFLICT', message: `The shop ${input.shopDomain} already has an integration. Rotate its secret, or revoke it before connecting the shop again.` });
    }
    throw error;
  }
}

/** The integrations of the owners in `scope`, or of one of them; no secrets. */
export async function listIntegrations(db: Queryable, scope: OwnerScope, ownerId?: string): Promise<Integration[]> {
  const { rows } = await db.query<IntegrationRecord>(
    `select * from integrations where ($1::text[] is null or owner_id = any($1::text[])) and ($2::text is null or owner_id = $2)
     order by created_at, id`,
    [scope, ownerId ?? null],
  );
  return views(db, rows);
}

async function lockedIntegration(tx: Queryable, id: string, scope: OwnerScope): Promise<IntegrationRecord> {
  const { rows } = await tx.query<IntegrationRecord>(
    'select * from integrations where id = $1 and ($2::text[] is null or owner_id = any($2::text[])) for update',
    [id, scope],
  );
  // Another owner's integration is answered exactly like one that does not exist.
  if (!rows[0]) throw notFound();
  return rows[0];
}

export interface Rotation {
  id: string;
  /** How long the secrets before this one keep counting (0–168). */
  graceHours: number;
  /** shopify: the new webhook secret. */
  webhookSecret?: string | undefined;
}

/**
 * Gives the integration a new secret: a new key for `api` (returned once), the given webhook
 * secret for `shopify`. Every earlier secret keeps counting until the window's end and no later,
 * so a rotation with no window ends them all at once (a leaked key).
 */
export async function rotateIntegration(db: Db, rotation: Rotation, scope: OwnerScope): Promise<Issued> {
  return db.transaction(async (tx) => {
    const record = await lockedIntegration(tx, rotation.id, scope);
    if (record.revoked_at !== null) {
      throw new ApiError(409, { error: 'INTEGRATION_REVOKED', message: 'This integration is revoked and cannot be rotated. Create a new one.' });
    }
    if (record.type === 'api' && rotation.webhookSecret !== undefined) {
      throw new ApiError(400, { error: 'BAD_REQUEST', message: 'webhookSecret: only a shopify integration takes one; an api integration is issued a new key.' });
    }
    if (record.type === 'shopify' && rotation.webhookSecret === undefined) {
      throw new ApiError(400, { error: 'BAD_REQUEST', message: 'webhookSecret: rotating a shopify integration takes the new webhook signing secret from the shop’s admin.' });
    }
    await tx.query(
      `update integration_secrets set expires_at = now() + make_interval(hours => $2::int)
       where integration_id = $1 and (expires_at is null or expires_at > now() + make_interval(hours => $2::int))`,
      [record.id, rotation.graceHours],
    );
    // Secrets past their window are of no further use: they leave the database.
    await tx.query('delete from integration_secrets where integration_id = $1 and expires_at <= now()', [record.id]);
    const apiKey = await addSecret(db, tx, record.id, record.type, rotation.webhookSecret);
    const [integration] = await views(tx, [record]);
    return { integration: integration!, ...(apiKey !== undefined ? { apiKey } : {}) };
  });
}

/** Revokes the integration: every secret stops counting at once, and leaves the database. Repeating it changes nothing. */
export async function revokeIntegration(db: Db, id: string, scope: OwnerScope): Promise<Integration> {
  return db.transaction(async (tx) => {
    const record = await lockedIntegration(tx, id, scope);
    let current = record;
    if (record.revoked_at === null) {
      const { rows } = await tx.query<IntegrationRecord>('update integrations set revoked_at = now() where id = $1 returning *', [id]);
      current = rows[0]!;
    }
    await tx.query('delete from integration_secrets where integration_id = $1', [id]);
    const [integration] = await views(tx, [current]);
    return integration!;
  });
}
