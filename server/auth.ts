// Users, PINs, devices and sessions. A PIN is kept only as a salted scrypt hash; a session token
// and a device secret are random, stored only as their SHA-256; a session is bound to its device.
import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Actor, Role } from '../src/domain';
import { PublicUser } from '../src/domain/api';
import { Username } from '../src/domain/text';
import { transactionWithRetry, type Db, type Queryable } from './db/index';
import { admitSignIn, signInFailed, signInSucceeded, type SignInLimits } from './sign-in-guard';

const scryptAsync = promisify(scrypt) as (pin: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/** scrypt cost: 2^15 iterations of the memory-hard mix (about 50 ms and 32 MiB per check). */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;
/** A session lasts a month: an offline device must still be able to push its outbox on return. */
export const SESSION_DAYS = 30;

export { PublicUser };

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

/** Creates a user under the canonical form of `user.username`, so case variants are one account. */
export async function createUser(db: Queryable, user: NewUser): Promise<PublicUser> {
  const id = `usr-${randomUUID()}`;
  const { rows } = await db.query<UserRecord>(
    `insert into users (id, username, display_name, pin_hash, role, owner_ids) values ($1, $2, $3, $4, $5, $6) returning *`,
    [id, Username.parse(user.username), user.displayName, await hashPin(user.pin), user.role, user.ownerIds],
  );
  return toPublic(rows[0]!);
}

const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');
const hashToken = sha256Hex;

/** Whether `presented` is the device secret whose SHA-256 is `storedHash`, in constant time. */
function secretMatches(presented: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = createHash('sha256').update(presented).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export interface SignInRequest {
  /** Canonical (src/domain/text `Username`). */
  username: string;
  pin: string;
  deviceId: string;
  /** The secret this device was issued at its first sign-in; absent before it has one. */
  deviceSecret?: string | undefined;
  /** The sequence number the device's next mutation will carry: above the server's, it holds unsent ones. */
  nextSeq?: number | undefined;
}

export type SignInOutcome =
  | { ok: true; token: string; user: PublicUser; /** Issued once, at the device's first sign-in. */ deviceSecret?: string }
  | { ok: false; reason: 'invalid-credentials' | 'locked' | 'device-taken' | 'unsent-mutations' }
  | { ok: false; reason: 'limited'; retryAfterSeconds: number };

/**
 * Checks the PIN within the sign-in limits (server/sign-in-guard), then binds the device and
 * opens a session on it. An unknown username takes the same path and time as a wrong PIN.
 */
export async function signIn(db: Db, request: SignInRequest, context: { address: string; limits: SignInLimits }): Promise<SignInOutcome> {
  const admission = await admitSignIn(db, request.username, context.address, context.limits);
  if (!admission.ok) return admission;
  const { rows } = await db.query<UserRecord>('select * from users where username = $1 and active', [request.username]);
  const user = rows[0];
  decoyHash ??= hashPin('0000');
  const verified = await verifyPin(request.pin, user?.pin_hash ?? (await decoyHash));
  if (!user || !verified) {
    const { locked } = await signInFailed(db, admission.reservation, user?.id ?? null, context.limits);
    return { ok: false, reason: locked ? 'locked' : 'invalid-credentials' };
  }
  await signInSucceeded(db, admission.reservation);

  const token = randomBytes(32).toString('base64url');
  const issued = randomBytes(32).toString('base64url');
  return transactionWithRetry(db, async (tx): Promise<SignInOutcome> => {
    const bound = await bindDevice(tx, user.id, request, issued);
    if (!bound.ok) return bound;
    await tx.query(
      `insert into sessions (token_hash, user_id, device_id, expires_at) values ($1, $2, $3, now() + make_interval(days => $4))`,
      [hashToken(token), user.id, request.deviceId, SESSION_DAYS],
    );
    return { ok: true, token, user: toPublic(user), ...(bound.issued ? { deviceSecret: issued } : {}) };
  });
}

/**
 * Binds `request.deviceId` to the credential signing in, inside the caller's transaction:
 * - a revoked id is refused (DEVICE_TAKEN), whoever signs in;
 * - a new id is registered to this user with the secret `issued` (answered once, stored hashed);
 * - a known id needs its secret, so nobody else's sign-in can read its results or spend its
 *   sequence numbers (DEVICE_TAKEN, which says nothing about whose device it is);
 * - a row from before device secrets has none: only the user recorded on it, the last to sign in
 *   or push from it, may claim it (and is issued the secret); anyone else cannot prove it is the
 *   same handheld, so the device starts afresh under a new id instead;
 * - another user with the secret is a shift handover: refused while the device declares
 *   mutations the server has not seen, else it ends the other users' sessions on the device and
 *   the sequence continues.
 * A secret is issued only to a client that keeps one: today's app always sends `nextSeq`. A
 * release from before device secrets sends neither and would drop the secret, so its device
 * stays unbound and its recorded user can claim it once upgraded, unsent scans and all.
 */
async function bindDevice(
  tx: Queryable,
  userId: string,
  request: SignInRequest,
  issued: string,
): Promise<{ ok: true; issued: boolean } | { ok: false; reason: 'device-taken' | 'unsent-mutations' }> {
  const keepsSecret = request.nextSeq !== undefined || request.deviceSecret !== undefined;
  const registered = await tx.query(
    'insert into devices (id, user_id, secret_hash) values ($1, $2, $3) on conflict (id) do nothing returning id',
    [request.deviceId, userId, keepsSecret ? sha256Hex(issued) : null],
  );
  if (registered.rows.length > 0) return { ok: true, issued: keepsSecret };
  // The device row is the lock push takes too: a handover never interleaves with a push.
  const { rows } = await tx.query<{ user_id: string | null; secret_hash: string | null; next_seq: number; revoked_at: Date | null }>(
    'select user_id, secret_hash, next_seq, revoked_at from devices where id = $1 for update',
    [request.deviceId],
  );
  const device = rows[0]!;
  // An admin revoked it (a lost handheld): nobody signs in under its id again, secret or not.
  if (device.revoked_at !== null) return { ok: false, reason: 'device-taken' };
  if (device.secret_hash === null) {
    if (device.user_id !== userId) return { ok: false, reason: 'device-taken' };
    await tx.query('update devices set secret_hash = $2, last_seen_at = now() where id = $1', [request.deviceId, keepsSecret ? sha256Hex(issued) : null]);
    return { ok: true, issued: keepsSecret };
  }
  if (request.deviceSecret === undefined || !secretMatches(request.deviceSecret, device.secret_hash)) {
    return { ok: false, reason: 'device-taken' };
  }
  if (device.user_id !== userId) {
    // A device that does not say what it holds may hold anything: no handover.
    if ((request.nextSeq ?? Number.POSITIVE_INFINITY) > Number(device.next_seq)) return { ok: false, reason: 'unsent-mutations' };
    await tx.query('delete from sessions where device_id = $1 and user_id <> $2', [request.deviceId, userId]);
  }
  await tx.query('update devices set user_id = $2, last_seen_at = now() where id = $1', [request.deviceId, userId]);
  return { ok: true, issued: false };
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
  return { user, actor: { userId: user.id, deviceId: record.device_id, role: user.role, ownerIds: user.ownerIds, displayName: user.displayName } };
}
