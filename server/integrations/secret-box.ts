// Sealing the integration secrets the server must read back (a Shopify webhook secret: checking an
// HMAC needs the secret itself): AES-256-GCM under the server key, SECRETS_KEY or else a key kept
// in the database.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../db/index';

/** The server key's length: AES-256. */
export const SECRETS_KEY_BYTES = 32;
/** GCM's standard nonce length; a fresh random one per sealing. */
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The row of `server_keys` holding the key made when SECRETS_KEY is not set. */
const KEPT_KEY_NAME = 'integration-secrets';
const FORMAT = 'v1';

/**
 * The SECRETS_KEY each open database is used with, set once by whoever opened it (buildApp, the
 * CLI). Kept beside the handle rather than passed to every call, so nothing that holds the
 * database (a route, the webhook check) can seal or open with the wrong key by forgetting it.
 */
const configuredKeys = new WeakMap<Db, Buffer>();

/** Makes `key` (SECRETS_KEY) the one `db`'s secrets are sealed with; undefined keeps the database's own. */
export function setSecretsKey(db: Db, key: Buffer | undefined): void {
  if (key === undefined) {
    configuredKeys.delete(db);
    return;
  }
  if (key.length !== SECRETS_KEY_BYTES) throw new Error(`The secrets key must be ${SECRETS_KEY_BYTES} bytes, not ${key.length}.`);
  configuredKeys.set(db, key);
}

export interface Keyring {
  /** Seals new secrets. */
  active: Buffer;
  /** Every key that may open a stored secret, by fingerprint: the active one and the database's own. */
  keys: ReadonlyMap<string, Buffer>;
}

/** Names a key inside what it sealed, so a secret sealed before SECRETS_KEY was set still opens. */
const fingerprint = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 16);

/** The database's own key; made first (insert-if-absent, so servers starting together agree) when `create`. */
async function keptKey(db: Queryable, create: boolean): Promise<Buffer | null> {
  if (create) {
    await db.query('insert into server_keys (name, key) values ($1, $2) on conflict (name) do nothing', [KEPT_KEY_NAME, randomBytes(SECRETS_KEY_BYTES).toString('base64')]);
  }
  const { rows } = await db.query<{ key: string }>('select key from server_keys where name = $1', [KEPT_KEY_NAME]);
  return rows[0] ? Buffer.from(rows[0].key, 'base64') : null;
}

/**
 * The keys for `db`: SECRETS_KEY when set, else the database's own (made on first use). With
 * SECRETS_KEY set, a key the database kept from before still opens what it sealed, until those
 * secrets are rotated (docs/security.md). Inside a transaction, pass it as `via`: on PGlite a
 * query beside an open transaction waits for it to end.
 */
export async function keyringFor(db: Db, via: Queryable = db): Promise<Keyring> {
  const configured = configuredKeys.get(db);
  const kept = await keptKey(via, configured === undefined);
  const active = configured ?? kept!;
  const keys = new Map<string, Buffer>([[fingerprint(active), active]]);
  if (kept) keys.set(fingerprint(kept), kept);
  return { active, keys };
}

/**
 * `secret` sealed as `v1.<key fingerprint>.<iv>.<tag>.<ciphertext>` (base64url). `context` (the
 * secret's row) is authenticated with it, so a sealed value copied onto another row does not open.
 */
export function seal(keyring: Keyring, secret: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyring.active, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [FORMAT, fingerprint(keyring.active), iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
}

/** The secret `sealed` holds, or null when no key of `keyring` opens it (another key, or altered). */
export function open(keyring: Keyring, sealed: string, context: string): string | null {
  const [format, keyId, iv, tag, body] = sealed.split('.');
  const key = keyId === undefined ? undefined : keyring.keys.get(keyId);
  if (format !== FORMAT || !key || iv === undefined || tag === undefined || body === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
