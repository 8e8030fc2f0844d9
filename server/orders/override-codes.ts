// Supervisors' override codes: one-time codes a packer types to close an order's last carton short.
// A supervisor gets a few online; the packer's device cannot check one offline, so the server
// redeems it when the close-carton mutation arrives (server/sync/push.ts). Kept only hashed.
import { createHash, randomInt } from 'node:crypto';
import { MAX_OVERRIDE_CODES } from '../../src/domain/api';
import type { Queryable } from '../db/index';

/** The characters of a code: none of 0/O or 1/I/L, which are misread off a note or a screen. */
export const OVERRIDE_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** Characters in a code, shown in two groups of four: 31^8, about 8.5 × 10^11 codes. */
const CODE_LENGTH = 8;
/** How long a code works unless the issuer says otherwise: one shift. */
export const OVERRIDE_CODE_VALID_HOURS = 12;
/** Refused codes one device may send within FAILURE_WINDOW_MINUTES before every code it sends is refused unread. */
export const MAX_OVERRIDE_FAILURES = 5;
/** The window refused codes are counted in. */
export const FAILURE_WINDOW_MINUTES = 15;

/**
 * The one answer to a code that is wrong, expired, used, or another owner's supervisor's: which it
 * was would tell a guesser how close they are.
 */
export const OVERRIDE_CODE_REFUSED = 'The override code was not accepted: ask a supervisor for a new one.';
export const TOO_MANY_OVERRIDE_FAILURES = `Too many wrong override codes from this device: wait ${FAILURE_WINDOW_MINUTES} minutes or ask the supervisor in person.`;

export interface OverrideIssuer {
  userId: string;
  /** The issuer's owners now; their codes work for these only. Null: every owner. */
  ownerIds: readonly string[] | null;
}

export interface OverrideRedemption {
  /** The code as the packer typed it: case, spaces and dashes do not matter. */
  code: string;
  /** The owner of the order being closed short. */
  ownerId: string;
  orderId: string;
  /** The close-carton mutation spending the code (a UUID). */
  mutationId: string;
  /** The device that sent it: refused codes are counted per device. */
  deviceId: string;
}

export type OverrideRedeemed = { ok: true; issuedBy: string } | { ok: false; message: string };

/** A code's normal form: trimmed, upper case, without the spaces and dashes people type or read. */
export function normaliseOverrideCode(code: string): string {
  return code.trim().toUpperCase().replace(/[\s-]+/g, '');
}

const hashOf = (normalised: string): string => createHash('sha256').update(normalised).digest('hex');

/** A new code from a cryptographic source, as shown: `K7QM-4XPT`. */
function drawCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => OVERRIDE_CODE_ALPHABET[randomInt(OVERRIDE_CODE_ALPHABET.length)]!);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/**
 * Issues `count` one-time codes for the issuer's owners, working for `validHours`. Answers the codes
 * as shown (this is the only time they exist in the clear) and when they stop working.
 */
export async function issueOverrideCodes(
  db: Queryable,
  issuer: OverrideIssuer,
  count: number,
  validHours = OVERRIDE_CODE_VALID_HOURS,
): Promise<{ codes: string[]; expiresAt: string }> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_OVERRIDE_CODES) throw new RangeError(`count must be 1 to ${MAX_OVERRIDE_CODES}, not ${count}`);
  if (!(validHours > 0)) throw new RangeError(`validHours must be positive, not ${validHours}`);
  // The database's clock decides expiry, here and when a code is redeemed.
  const { rows } = await db.query<{ expires_at: Date | string }>(`select now() + $1::double precision * interval '1 hour' as expires_at`, [validHours]);
  const expiresAt = new Date(rows[0]!.expires_at).toISOString();
  const codes: string[] = [];
  // A code whose hash is already a row (issued before, used or not) is drawn again.
  while (codes.length < count) {
    const drawn = new Map(Array.from({ length: count - codes.length }, drawCode).map((code) => [hashOf(normaliseOverrideCode(code)), code]));
    const stored = await db.query<{ code_hash: string }>(
      `insert into override_codes (code_hash, issued_by, owner_ids, expires_at)
       select h, $2, $3::text[], $4::timestamptz from unnest($1::text[]) as h
       on conflict (code_hash) do nothing returning code_hash`,
      [[...drawn.keys()], issuer.userId, issuer.ownerIds, expiresAt],
    );
    for (const { code_hash } of stored.rows) codes.push(drawn.get(code_hash)!);
  }
  return { codes, expiresAt };
}

/**
 * Spends a code on closing `orderId` short, inside the pushed mutation's transaction. It must be
 * unused, unexpired, issued by a user still active, for a scope that includes `ownerId`; whatever
 * else is wrong gets the same answer. One statement marks it used, so of two servers redeeming one
 * code at once exactly one succeeds. A refusal is counted for the device in `tx`: a rejected
 * mutation's result commits with it (server/sync/push.ts), and so does the count.
 */
export async function redeemOverrideCode(tx: Queryable, request: OverrideRedemption): Promise<OverrideRedeemed> {
  const recent = await tx.query<{ failures: number }>(
    `select count(*)::int as failures from override_failures where device_id = $1 and at > now() - $2::int * interval '1 minute'`,
    [request.deviceId, FAILURE_WINDOW_MINUTES],
  );
  // Past the limit the code is not even looked up, so guessing on from this device learns nothing.
  if (recent.rows[0]!.failures >= MAX_OVERRIDE_FAILURES) return { ok: false, message: TOO_MANY_OVERRIDE_FAILURES };

  const { rows } = await tx.query<{ issued_by: string }>(
    `update override_codes c set used_at = now(), used_by_mutation = $2::uuid, used_for_order = $3
     from users u
     where c.code_hash = $1 and c.used_at is null and c.expires_at > now()
       and (c.owner_ids is null or $4 = any(c.owner_ids))
       and u.id = c.issued_by and u.active
     returning c.issued_by`,
    [hashOf(normaliseOverrideCode(request.code)), request.mutationId, request.orderId, request.ownerId],
  );
  if (rows[0]) return { ok: true, issuedBy: rows[0].issued_by };

  // Failures older than the window count for nothing: they go as this device adds one.
  await tx.query(`delete from override_failures where device_id = $1 and at <= now() - $2::int * interval '1 minute'`, [request.deviceId, FAILURE_WINDOW_MINUTES]);
  await tx.query('insert into override_failures (device_id) values ($1)', [request.deviceId]);
  return { ok: false, message: OVERRIDE_CODE_REFUSED };
}
