// API keys of `api` integrations: their format, issuing one, and finding the integration a
// presented key belongs to. The server keeps only each key's SHA-256.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/index';

/** An integration calling with its API key: what the guard puts on `request.integration`. */
export interface IntegrationCaller {
  id: string;
  ownerId: string;
  name: string;
}

/**
 * `dhk_<key id>_<secret>`: "dhk" (Dockhand key) tells people and secret scanners what a leaked
 * string is; the key id (16 hex) finds its row; the secret is 32 random bytes in base64url (43).
 * A session token is 43 characters, so it can never take this form.
 */
const API_KEY = /^dhk_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

/** Whether `value` has an API key's form (it may still be unknown, expired or revoked). */
export function isApiKeyFormat(value: string): boolean {
  return API_KEY.test(value);
}

/**
 * SHA-256, not scrypt as for PINs: a key is 256 random bits, so nobody holding the hash can guess
 * the key whatever the hash's speed, and a slow hash would cost every API call tens of ms for nothing.
 */
const sha256 = (key: string) => createHash('sha256').update(key, 'utf8').digest();

export interface IssuedKey {
  /** The key's row id, also inside the key. */
  keyId: string;
  /** The key itself: shown to the admin once, never stored. */
  key: string;
  /** What is stored: SHA-256 of the key, hex. */
  keyHash: string;
}

export function issueApiKey(): IssuedKey {
  const keyId = randomBytes(8).toString('hex');
  const key = `dhk_${keyId}_${randomBytes(32).toString('base64url')}`;
  return { keyId, key, keyHash: sha256(key).toString('hex') };
}

/**
 * The integration `key` belongs to, or null when it is malformed, unknown, past its rotation
 * window, or its integration is revoked. The database's clock decides the window, so every API
 * server agrees on it.
 */
export async function authenticateApiKey(db: Queryable, key: string): Promise<IntegrationCaller | null> {
  const keyId = API_KEY.exec(key)?.[1];
  if (keyId === undefined) return null;
  const { rows } = await db.query<{ id: string; owner_id: string; name: string; key_hash: string }>(
    `select i.id, i.owner_id, i.name, s.key_hash from integration_secrets s join integrations i on i.id = s.integration_id
     where s.id = $1 and s.key_hash is not null and i.type = 'api' and i.revoked_at is null
       and (s.expires_at is null or s.expires_at > now())`,
    [keyId],
  );
  const row = rows[0];
  if (!row) return null;
  const expected = Buffer.from(row.key_hash, 'hex');
  const actual = sha256(key);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return { id: row.id, ownerId: row.owner_id, name: row.name };
}
