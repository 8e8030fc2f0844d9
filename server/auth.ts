// Users, PINs and sessions. A PIN is kept only as a salted scrypt hash; a session token is
// random, stored only as its SHA-256, and bound to the device it was issued to.
import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { Role, type Actor } from '../src/domain';
import type { Queryable } from './db/index';

const scryptAsync = promisify(scrypt) as (pin: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/** scrypt cost: 2^15 iterations of the memory-hard mix (about 50 ms and 32 MiB per check). */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;
/** A session lasts a month: an offline device must still be able to push its outbox on return. */
export const SESSION_DAYS = 30;

export const PublicUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  ownerIds: z.array(z.string()).nullable(),
});
export type PublicUser = z.infer<typeof PublicUser>;

export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(pin, salt, KEY_LENGTH, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(pin, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return timingSafeEqual(key, expected);
}

/** A valid-looking hash to check against when the username is unknown, so timing tells nothing. */
let decoyHash: Promise<string> | undefined;

interface UserRecord {
  id: string;
  username: string;
  display_name: string;
  pin_hash: string;
  role: Role;
  owner_ids: string[] | null;
  active: boolean;
}

const toPublic = (u: UserRecord): PublicUser => ({
  id: u.id,
  username: u.username,
  displayName: u.display_name,
  role: u.role,
  ownerIds: u.owner_ids,
});

export interface NewUser {
  username: string;
  displayName: string;
  pin: string;
  role: Role;
  ownerIds: string[] | null;
}

export async function createUser(db: Queryable, user: NewUser): Promise<PublicUser> {
  const id = `usr-${randomUUID()}`;
  const { rows } = await db.query<UserRecord>(
    `insert into users (id, username, display_name, pin_hash, role, owner_ids) values ($1, $2, $3, $4, $5, $6) returning *`,
    [id, user.username, user.displayName, await hashPin(user.pin), user.role, user.ownerIds],
  );
  return toPublic(rows[0]!);
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Checks the PIN and opens a session for the device; null when the sign-in is refused. */
export async function signIn(
  db: Queryable,
  request: { username: string; pin: string; deviceId: string },
): Promise<{ token: string; user: PublicUser } | null> {
  const { rows } = await db.query<UserRecord>('select * from users where username = $1 and active', [request.username]);
  const user = rows[0];
  if (!user) {
    decoyHash ??= hashPin('0000');
    await verifyPin(request.pin, await decoyHash);
    return null;
  }
  if (!(await verifyPin(request.pin, user.pin_hash))) return null;
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `insert into devices (id, user_id) values ($1, $2) on conflict (id) do update set user_id = excluded.user_id, last_seen_at = now()`,
    [request.deviceId, user.id],
  );
  await db.query(
    `insert into sessions (token_hash, user_id, device_id, expires_at) values ($1, $2, $3, now() + make_interval(days => $4))`,
    [hashToken(token), user.id, request.deviceId, SESSION_DAYS],
  );
  return { token, user: toPublic(user) };
}

export async function signOut(db: Queryable, token: string): Promise<void> {
  await db.query('delete from sessions where token_hash = $1', [hashToken(token)]);
}

/** The actor behind a bearer token, or null when the token is unknown, expired or the user disabled. */
export async function authenticate(db: Queryable, token: string): Promise<{ actor: Actor; user: PublicUser } | null> {
  const { rows } = await db.query<UserRecord & { device_id: string }>(
    `select u.*, s.device_id from sessions s join users u on u.id = s.user_id
     where s.token_hash = $1 and s.expires_at > now() and u.active`,
    [hashToken(token)],
  );
  const record = rows[0];
  if (!record) return null;
  const user = toPublic(record);
  return { user, actor: { userId: user.id, deviceId: record.device_id, role: user.role, ownerIds: user.ownerIds } };
}
