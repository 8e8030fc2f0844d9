// An integration's fulfillment callback: where its store hears of shipments, and the secret the
// notices are signed with — a shopify integration's own webhook secret, or for an api integration
// a signing secret made when the callback is first set, shown that once and kept sealed.
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { CallbackAnswer, CallbackRequest, CallbackUrl } from '../../src/domain/admin';
import type { Db, Queryable } from '../db/index';
import { sealContext } from '../integrations/integration-store';
import { keyringFor, open, seal, type Keyring } from '../integrations/secret-box';
import { ApiError } from '../routes/errors';

// The wire shapes live in src/domain/admin.ts, shared with the admin console.
export { CallbackAnswer, CallbackRequest, CallbackUrl };

/** What an api integration's signing secret is bound to when sealed. */
const signingContext = (integrationId: string) => `${integrationId}/fulfillment-signing`;

/** `dhs_` (Dockhand signing secret) and 32 random bytes, base64url. */
const makeSigningSecret = () => `dhs_${randomBytes(32).toString('base64url')}`;

/** The owners a caller may act for; null: every owner. */
type OwnerScope = readonly string[] | null;

/**
 * Sets or clears the integration's callback. The first URL given to an api integration makes its
 * signing secret (answered once); a later URL keeps it unless a new one is asked for. A shopify
 * integration signs with its webhook secret, so it takes no other. Undelivered notices follow:
 * due at once at the new URL, or cancelled when the callback is cleared.
 */
export async function setFulfillmentCallback(
  db: Db,
  integrationId: string,
  { url, newSigningSecret }: z.infer<typeof CallbackRequest>,
  scope: OwnerScope,
): Promise<CallbackAnswer> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; type: 'shopify' | 'api'; revoked_at: Date | null; fulfillment_signing_secret: string | null }>(
      `select id, type, revoked_at, fulfillment_signing_secret from integrations
       where id = $1 and ($2::text[] is null or owner_id = any($2::text[])) for update`,
      [integrationId, scope],
    );
    const record = rows[0];
    // Another owner's integration is answered exactly like one that does not exist.
    if (!record) throw new ApiError(404, { error: 'NOT_FOUND', message: 'Integration not found.' });
    if (record.revoked_at !== null) {
      throw new ApiError(409, { error: 'INTEGRATION_REVOKED', message: 'This integration is revoked: it cannot be told of shipments. Create a new one.' });
    }
    if (url === null) {
      await tx.query('update integrations set fulfillment_callback_url = null, fulfillment_signing_secret = null where id = $1', [record.id]);
      await tx.query(
        `update fulfillment_notices set status = 'cancelled', last_error = 'The callback was cleared.' where integration_id = $1 and status = 'pending'`,
        [record.id],
      );
      return { integrationId: record.id, url: null, signedWith: null };
    }
    if (newSigningSecret && record.type !== 'api') {
      throw new ApiError(400, { error: 'BAD_REQUEST', message: 'newSigningSecret: a shopify integration’s notices are signed with its webhook secret; rotate that instead.' });
    }
    let signingSecret: string | undefined;
    if (record.type === 'api' && (record.fulfillment_signing_secret === null || newSigningSecret)) {
      signingSecret = makeSigningSecret();
      const sealed = seal(await keyringFor(db, tx), signingSecret, signingContext(record.id));
      await tx.query('update integrations set fulfillment_signing_secret = $2 where id = $1', [record.id, sealed]);
    }
    await tx.query('update integrations set fulfillment_callback_url = $2 where id = $1', [record.id, url]);
    // Notices that failed at the old URL go to the new one now, not after their backoff.
    await tx.query(`update fulfillment_notices set next_attempt_at = now() where integration_id = $1 and status = 'pending'`, [record.id]);
    return {
      integrationId: record.id,
      url,
      signedWith: record.type === 'api' ? 'signing-secret' : 'shopify-webhook-secret',
      ...(signingSecret !== undefined ? { signingSecret } : {}),
    };
  });
}

/** Where an integration's notices go and what signs them, as the delivery worker reads it. */
export interface CallbackTarget {
  url: string;
  /** The HMAC key, or null when no key of the server opens it (SECRETS_KEY changed) or none counts. */
  secret: string | null;
}

/**
 * The callback of a live integration, or null when nobody is to be told (no callback, revoked).
 * A shopify integration signs with its current webhook secret — the newest, so a rotation's new
 * secret signs from the moment it is given.
 */
export async function callbackTarget(db: Queryable, keyring: Keyring, integrationId: string): Promise<CallbackTarget | null> {
  const { rows } = await db.query<{ type: 'shopify' | 'api'; url: string | null; revoked_at: Date | null; signing: string | null; secret_id: string | null; sealed_secret: string | null }>(
    `select i.type, i.fulfillment_callback_url as url, i.revoked_at, i.fulfillment_signing_secret as signing, s.id as secret_id, s.sealed_secret
     from integrations i
     left join lateral (
       select id, sealed_secret from integration_secrets
       where integration_id = i.id and sealed_secret is not null and (expires_at is null or expires_at > now())
       order by created_at desc, id desc limit 1
     ) s on i.type = 'shopify'
     where i.id = $1`,
    [integrationId],
  );
  const row = rows[0];
  if (!row || row.url === null || row.revoked_at !== null) return null;
  const secret = row.type === 'api'
    ? (row.signing === null ? null : open(keyring, row.signing, signingContext(integrationId)))
    : (row.sealed_secret === null ? null : open(keyring, row.sealed_secret, sealContext(integrationId, row.secret_id!)));
  return { url: row.url, secret };
}
