// Sign-in limits kept in the database, so every API server on one database enforces the same
// budget: failed PIN checks per account and per address in fixed windows, and a lock after
// consecutive failures that only a supervisor or admin lifts (audited in server/audit.ts).
import type { Db, Queryable } from './db/index';
import { writeAudit } from './audit';

export interface SignInLimits {
  /** Failed sign-ins for one username per account window before it must wait. */
  accountFailures: number;
  accountWindowSeconds: number;
  /**
   * Failed sign-ins from one address per address window. Generous: a shift signs in from behind
   * one NAT, and what this stops is guessing across many accounts from one place.
   */
  addressFailures: number;
  addressWindowSeconds: number;
  /** Consecutive failures (with no success between) after which the account is locked. */
  lockAfter: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  accountFailures: 5,
  accountWindowSeconds: 5 * 60,
  addressFailures: 100,
  addressWindowSeconds: 15 * 60,
  lockAfter: 10,
};

/** Failure windows older than this are deleted when a new failure is counted. */
const KEEP_WINDOWS = '1 day';

/** A PIN check the limits allowed, holding the failures it counted in advance. */
export interface Reservation {
  username: string;
  address: string;
  held: { key: string; windowStart: Date }[];
}

export type Admission =
  | { ok: true; reservation: Reservation }
  | { ok: false; reason: 'locked' }
  | { ok: false; reason: 'limited'; retryAfterSeconds: number };

const accountKey = (username: string) => `account:${username}`;
const addressKey = (address: string) => `address:${address}`;

/**
 * Counts one failure for `key` in the current window ahead of the PIN check, so concurrent
 * attempts on any server each see their own count and no more than the limit get through.
 */
async function hold(db: Queryable, key: string, windowSeconds: number): Promise<{ failures: number; windowStart: Date; waitSeconds: number }> {
  const { rows } = await db.query<{ failures: number; window_start: Date; wait: number }>(
    `insert into sign_in_failures (key, window_start, failures)
     values ($1, to_timestamp(floor(extract(epoch from now()) / $2::int) * $2::int), 1)
     on conflict (key, window_start) do update set failures = sign_in_failures.failures + 1
     returning failures, window_start, ceil(extract(epoch from (window_start + make_interval(secs => $2::int) - now())))::int as wait`,
    [key, windowSeconds],
  );
  const row = rows[0]!;
  return { failures: row.failures, windowStart: new Date(row.window_start), waitSeconds: Math.max(1, row.wait) };
}

async function release(db: Queryable, held: Reservation['held']): Promise<void> {
  for (const { key, windowStart } of held) {
    await db.query('update sign_in_failures set failures = failures - 1 where key = $1 and window_start = $2 and failures > 0', [key, windowStart]);
  }
}

/**
 * Whether a PIN may be checked for `username` from `address` now. Refusals count nothing: an
 * attempt refused before its PIN is checked teaches a guesser nothing, and a locked account or
 * one guessed too often must not use up the budget of everyone else behind the same address.
 */
export async function admitSignIn(db: Db, username: string, address: string, limits: SignInLimits): Promise<Admission> {
  const lock = await db.query('select 1 from sign_in_accounts where username = $1 and locked_at is not null', [username]);
  if (lock.rows.length > 0) return { ok: false, reason: 'locked' };
  const account = await hold(db, accountKey(username), limits.accountWindowSeconds);
  const accountHeld = { key: accountKey(username), windowStart: account.windowStart };
  if (account.failures > limits.accountFailures) {
    await release(db, [accountHeld]);
    return { ok: false, reason: 'limited', retryAfterSeconds: account.waitSeconds };
  }
  const from = await hold(db, addressKey(address), limits.addressWindowSeconds);
  const addressHeld = { key: addressKey(address), windowStart: from.windowStart };
  if (from.failures > limits.addressFailures) {
    await release(db, [accountHeld, addressHeld]);
    return { ok: false, reason: 'limited', retryAfterSeconds: from.waitSeconds };
  }
  return { ok: true, reservation: { username, address, held: [accountHeld, addressHeld] } };
}

/** The PIN was right: the failures held for it are given back and the consecutive count ends. */
export async function signInSucceeded(db: Db, reservation: Reservation): Promise<void> {
  await release(db, reservation.held);
  await db.query('delete from sign_in_accounts where username = $1 and locked_at is null', [reservation.username]);
}

/**
 * The PIN was wrong: the held failures stay counted, and the consecutive count grows; reaching
 * `lockAfter` locks the account (once, however many servers see it at the same moment).
 * Answers whether the account is now locked.
 */
export async function signInFailed(db: Db, reservation: Reservation, userId: string | null, limits: SignInLimits): Promise<{ locked: boolean }> {
  return db.transaction(async (tx) => {
    await tx.query(`delete from sign_in_failures where window_start < now() - interval '${KEEP_WINDOWS}'`);
    const { rows } = await tx.query<{ consecutive_failures: number }>(
      `insert into sign_in_accounts (username, consecutive_failures, last_failure_at) values ($1, 1, now())
       on conflict (username) do update set consecutive_failures = sign_in_accounts.consecutive_failures + 1, last_failure_at = now()
       returning consecutive_failures`,
      [reservation.username],
    );
    if (rows[0]!.consecutive_failures < limits.lockAfter) return { locked: false };
    const locked = await tx.query(
      'update sign_in_accounts set locked_at = now() where username = $1 and locked_at is null returning username',
      [reservation.username],
    );
    if (locked.rows.length > 0) {
      await writeAudit(tx, {
        event: 'account_locked',
        username: reservation.username,
        userId,
        actorUserId: null,
        address: reservation.address,
        details: { consecutiveFailures: rows[0]!.consecutive_failures },
      });
    }
    return { locked: true };
  });
}

/**
 * Lifts the lock on `username` and clears its failures, audited as done by `actor`; answers
 * whether it was locked. The caller has checked that `actor` may act on this user.
 */
export async function unlockAccount(
  db: Db,
  target: { username: string; userId: string },
  actor: { userId: string; address: string },
): Promise<{ wasLocked: boolean }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ locked_at: Date | null; consecutive_failures: number }>(
      'delete from sign_in_accounts where username = $1 returning locked_at, consecutive_failures',
      [target.username],
    );
    await tx.query('delete from sign_in_failures where key = $1', [accountKey(target.username)]);
    const wasLocked = rows[0]?.locked_at != null;
    if (wasLocked) {
      await writeAudit(tx, {
        event: 'account_unlocked',
        username: target.username,
        userId: target.userId,
        actorUserId: actor.userId,
        address: actor.address,
        details: { consecutiveFailures: rows[0]!.consecutive_failures },
      });
    }
    return { wasLocked };
  });
}
