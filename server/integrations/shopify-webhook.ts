// Verifying a Shopify webhook: which live shopify integration signed these exact bytes. The
// webhook route calls this before it parses the body; this module knows nothing of HTTP.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/index';
import { canonicalShopDomain, sealContext } from './integration-store';
import { keyringFor, open } from './secret-box';

/** Shopify's X-Shopify-Hmac-Sha256: standard base64 of the 32-byte HMAC-SHA256. */
const HMAC_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

export interface ShopifyWebhook {
  /** X-Shopify-Shop-Domain, as sent (canonicalised here). */
  shopDomain: string;
  /** The body exactly as received: re-serialised JSON would not match the signature. */
  rawBody: Buffer;
  /** X-Shopify-Hmac-Sha256. */
  hmacBase64: string;
  /** When to judge rotation windows; the database's clock by default. */
  now?: Date;
}

/**
 * The integration whose webhook secret signed `webhook.rawBody`, or null. Any secret that counts
 * may match: the current one, or one replaced by a rotation whose window has not ended. A revoked
 * integration, an unknown shop, a malformed or wrong HMAC: null, and nothing says which.
 * The secrets are opened with the key the database was opened with (server/integrations/secret-box).
 */
export async function verifyShopifyWebhook(db: Db, webhook: ShopifyWebhook): Promise<{ integrationId: string; ownerId: string } | null> {
  const shop = canonicalShopDomain(webhook.shopDomain);
  if (shop === null || !HMAC_BASE64.test(webhook.hmacBase64)) return null;
  const { rows } = await db.query<{ integration_id: string; owner_id: string; secret_id: string; sealed_secret: string }>(
    `select i.id as integration_id, i.owner_id, s.id as secret_id, s.sealed_secret
     from integrations i join integration_secrets s on s.integration_id = i.id
     where i.shop_domain = $1 and i.type = 'shopify' and i.revoked_at is null and s.sealed_secret is not null
       and (s.expires_at is null or s.expires_at > coalesce($2::timestamptz, now()))`,
    [shop, webhook.now?.toISOString() ?? null],
  );
  if (rows.length === 0) return null;
  const presented = Buffer.from(webhook.hmacBase64, 'base64');
  const keyring = await keyringFor(db);
  for (const row of rows) {
    const secret = open(keyring, row.sealed_secret, sealContext(row.integration_id, row.secret_id));
    if (secret === null) continue;
    const expected = createHmac('sha256', secret).update(webhook.rawBody).digest();
    if (expected.length === presented.length && timingSafeEqual(expected, presented)) {
      return { integrationId: row.integration_id, ownerId: row.owner_id };
    }
  }
  return null;
}
