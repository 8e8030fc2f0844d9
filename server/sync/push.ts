// Push: applies a device's mutations exactly once, in its sequence order, one transaction each.
// Replays are answered with the stored result; a gap is refused; anything that is the mutation's
// own fault — a rule's rejection, content that cannot be read or stored, an id already used, a
// fault it triggers in a rule — is stored as its result and the sequence advances, so one bad scan
// never blocks the queue behind it. Only a transient fault (database down) stops the batch.
import {
  applyMutation, closedShort, MAX_TYPE_LENGTH, MAX_MUTATION_VERSION, parseMutation, rejection,
  type Actor, type ParsedMutation, type ParseResult, type PushedMutation, type Rejection,
} from '../../src/domain';
import { isStorableText, jsonProblem } from '../../src/domain/text';
import { classifyDbError, sqlState, transactionWithRetry, violatedConstraint, type Db, type Queryable } from '../db/index';
import { sqlReader } from './sql-reader';
import { NegativeBalanceError, persistEffects } from './persist';
import { enqueueFulfillment } from '../fulfillment/outbox';
import { redeemOverrideCode } from '../orders/override-codes';
import { mutationAppliedEvent, mutationRejectedEvent, recordFloorEvent } from '../floor/floor-events';
import type { MutationResult } from './results';
import { readResult } from './results';

/** The partial unique index that lets a mutation id be applied or rejected once (migration 005). */
export const MUTATION_ID_INDEX = 'mutation_results_mutation_id_once';

/** The unique index that gives a carrier's tracking number to one shipment (migration 013). */
const TRACKING_INDEX = 'shipments_tracking_once';

/** The unique index that packs a product's serial number once, whichever order (migration 015). */
const SERIAL_INDEX = 'carton_lines_serial_once';

/** Longest description of what is wrong with a mutation's content kept in its rejection. */
const MAX_PROBLEM_LENGTH = 300;

/** Transactions per mutation at most: apply it, record why it failed, record it as a duplicate id. */
const MAX_ATTEMPTS = 3;

/** Stored as the type of a mutation whose type is itself unreadable. */
const UNREADABLE_TYPE = '(unreadable)';

/** The device sent a sequence number past the one the server expects next. */
export class SequenceGapError extends Error {
  constructor(readonly expectedSeq: number) {
    super(`Expected sequence ${expectedSeq}.`);
  }
}

/** The device was handed over to another user while this push was under way: its session has ended. */
export class DeviceHandedOverError extends Error {
  constructor() {
    super('This device was handed over to another user.');
  }
}

/** The device sent a sequence number already used by a different mutation. */
export class SequenceReusedError extends Error {
  constructor(readonly seq: number, readonly expectedSeq: number) {
    super(`Sequence ${seq} was already used by another mutation from this device; the next is ${expectedSeq}.`);
  }
}

/**
 * Where a push reports (the request's logger, a child carrying the device and user): a fault in
 * the server's own code as an error; each rejection with its mutation id and code, never its args.
 */
export interface PushLog {
  error(details: Record<string, unknown>, message: string): void;
  info?(details: Record<string, unknown>, message: string): void;
}

export interface PushOptions {
  /** Today's date at the warehouse (YYYY-MM-DD), for expiry rules. */
  today: () => string;
  log?: PushLog;
  /** Told of each mutation this push decided, once its transaction committed; not of replays (server/metrics.ts). */
  onDecided?: (result: MutationResult) => void;
}

/** Results answered from storage (a replay), told apart from those decided now. */
const replayed = new WeakSet<MutationResult>();

/** A pushed mutation with its content checked, and that content as it can be stored. */
export interface BatchItem {
  mutation: PushedMutation;
  parsed: ParseResult;
  /** The type as stored with the result: storable text, cut to its longest length. */
  type: string;
  /** The version as stored, or null when it is not one a server can read. */
  version: number | null;
  /** The args as stored (JSON text), or null when they cannot be stored. */
  args: string | null;
}

/**
 * Checks a push before anything is applied. The batch as a whole must carry consecutive sequence
 * numbers (its ids and sequence numbers were checked by the route's schema); each mutation's
 * content is checked on its own, and a problem there becomes that mutation's stored rejection.
 */
export function parseBatch(mutations: readonly PushedMutation[]): { ok: true; items: BatchItem[] } | { ok: false; message: string } {
  const items: BatchItem[] = [];
  for (const [index, mutation] of mutations.entries()) {
    const expected = mutations[0]!.seq + index;
    if (mutation.seq !== expected) {
      return { ok: false, message: `/mutations/${index}/seq is ${mutation.seq}: sequence numbers in a push must be consecutive, expected ${expected}.` };
    }
    const parsed = parseMutation(mutation.type, mutation.version, mutation.args, mutation.clientTime);
    items.push({ mutation, parsed, ...storableContent(mutation, parsed) });
  }
  return { ok: true, items };
}

/** The content kept beside a mutation's result, leaving out whatever is itself the problem. */
function storableContent({ type, version, args }: PushedMutation, parsed: ParseResult): Pick<BatchItem, 'type' | 'version' | 'args'> {
  // Cut by code points, so a surrogate pair is never split into a lone half.
  const storedType = typeof type === 'string' && isStorableText(type) && type.length > 0
    ? Array.from(type).slice(0, MAX_TYPE_LENGTH).join('')
    : UNREADABLE_TYPE;
  const storedVersion = typeof version === 'number' && Number.isInteger(version) && version >= 1 && version <= MAX_MUTATION_VERSION ? version : null;
  // Content that parsed, or failed only its type's schema, has passed `jsonProblem` already.
  const argsChecked = parsed.ok || parsed.unsupported || (parsed.field === 'args' && parsed.issues.length > 0);
  const argsStorable = argsChecked || (typeof args === 'object' && args !== null && !Array.isArray(args) && jsonProblem(args) === null);
  return { type: storedType, version: storedVersion, args: argsStorable ? JSON.stringify(args) : null };
}

export async function pushMutations(db: Db, actor: Actor, items: readonly BatchItem[], options: PushOptions): Promise<MutationResult[]> {
  const results: MutationResult[] = [];
  for (const item of items) {
    let refusal: Rejection | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await transactionWithRetry(db, (tx) => pushOne(tx, actor, item, options, refusal));
        results.push(result);
        if (!replayed.has(result)) decided(result, options);
        break;
      } catch (error) {
        // The failed transaction was rolled back whole, effects included; a fresh one records the
        // rejection (or answers a replay if another push of this device got there first).
        // Recording can itself meet the id's unique index — an id reused by a mutation that failed
        // for another reason too — and the third attempt records the duplicate it then is.
        if (attempt === MAX_ATTEMPTS) throw error;
        refusal = rejectionForFailure(error, item, options);
      }
    }
  }
  return results;
}

/** Logs a rejection with what identifies it (the logger carries the device and user) and counts the result. */
function decided(result: MutationResult, options: PushOptions): void {
  if (result.status === 'rejected') {
    options.log?.info?.({ mutationId: result.mutationId, seq: result.seq, type: result.type, code: result.code }, 'mutation rejected');
  }
  options.onDecided?.(result);
}

/** Persisting a rule's effects would have driven a balance below zero: the mutation is rejected. */
class BalanceViolation extends Error {
  readonly rejection = rejection('INSUFFICIENT_STOCK', 'Not enough stock for this. Count the bin and tell a supervisor.');
}

/** A rule (or the writing of its effects) threw: a fault in the server's code this mutation triggers. */
class RuleFault extends Error {
  constructor(override readonly cause: unknown) {
    super('A rule failed while applying a mutation.');
  }
}

/** An error the database raised under a rule, kept apart from the rule's own exceptions. */
class DatabaseFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('A query failed.');
  }
}

/** `tx`, with every error of its queries wrapped as a DatabaseFailure. */
function tracked(tx: Queryable): Queryable {
  return {
    async query<R>(sql: string, params?: unknown[]) {
      try {
        return await tx.query<R>(sql, params);
      } catch (error) {
        throw new DatabaseFailure(error);
      }
    },
  };
}

/** What a failure under a rule really is: the database's error as it was raised, or the rule's fault. */
const unwrapped = (error: unknown): unknown => (error instanceof DatabaseFailure ? error.cause : new RuleFault(error));

/**
 * The rejection to store for a mutation whose transaction failed, when the failure is the
 * mutation's own (classifyDbError); rethrows anything else: a sequence refusal (409) or a
 * transient fault (503, nothing advanced, the device tries again).
 */
function rejectionForFailure(error: unknown, item: BatchItem, options: PushOptions): Rejection {
  const about = { mutationId: item.mutation.id, seq: item.mutation.seq, type: item.type };
  if (error instanceof SequenceGapError || error instanceof SequenceReusedError || error instanceof DeviceHandedOverError) throw error;
  if (error instanceof BalanceViolation) return error.rejection;
  if (error instanceof RuleFault) {
    // Deterministic: the same mutation on the same state throws again, so a 503 would hold the
    // device's queue forever. Stored, the scan stays on the device under "Needs attention", and
    // the fault is here in the log for whoever mends the rule.
    options.log?.error({ err: error.cause, ...about }, 'a rule failed on a pushed mutation; stored as INTERNAL_ERROR');
    return internalError();
  }
  if (classifyDbError(error) === 'transient') throw error;
  const state = sqlState(error)!;
  if (state === '23505' && violatedConstraint(error) === MUTATION_ID_INDEX) {
    // Never says which device or user holds the id: that may be another owner's.
    return rejection('DUPLICATE_MUTATION_ID', 'This scan carries the id of another scan already received, so nothing of it was applied. Discard it and scan again.');
  }
  if (state === '23505' && violatedConstraint(error) === TRACKING_INDEX) {
    // Devices see only their owners' shipments: the server's index is what knows every label.
    return rejection('ALREADY_SHIPPED', 'This tracking number is already on another shipment. Scan this parcel’s own carrier label.');
  }
  if (state === '23505' && violatedConstraint(error) === SERIAL_INDEX) {
    // Like a label, a serial may be in another owner's order: the message names no order.
    return rejection('SERIAL_ALREADY_PACKED', 'This serial number is already packed in another order. Scan another unit and tell a supervisor.');
  }
  if (state.startsWith('23')) {
    // A rule let through effects that break the database's own integrity: the rule's fault.
    options.log?.error({ err: error, ...about }, 'a pushed mutation broke an integrity constraint; stored as INTERNAL_ERROR');
    return internalError({ sqlState: state });
  }
  return rejection(
    'MALFORMED_MUTATION',
    'The server cannot store a value in this scan. Discard it and scan again.',
    { sqlState: state },
  );
}

const internalError = (details: Record<string, unknown> = {}) =>
  rejection('INTERNAL_ERROR', 'The server failed on this scan and has logged it. Discard it and do it again, or tell a supervisor.', details);

async function pushOne(
  tx: Queryable,
  actor: Actor,
  item: BatchItem,
  options: PushOptions,
  knownRejection?: Rejection,
): Promise<MutationResult> {
  const { mutation } = item;
  // The device row is the lock that puts one device's mutations in a single line.
  const { rows } = await tx.query<{ next_seq: number; user_id: string | null }>('select next_seq, user_id from devices where id = $1 for update', [actor.deviceId]);
  // A shift handover (server/auth.ts) moved the device to another user after this push signed
  // in: the rest of the previous user's batch must not spend the new user's sequence.
  if (rows[0]?.user_id != null && rows[0].user_id !== actor.userId) throw new DeviceHandedOverError();
  const expectedSeq = Number(rows[0]?.next_seq ?? 1);
  if (mutation.seq < expectedSeq) {
    const stored = await readResult(tx, actor.deviceId, mutation.seq);
    // Both ids are canonical (lower case): the schema's and the uuid column's.
    if (!stored || stored.mutationId !== mutation.id) throw new SequenceReusedError(mutation.seq, expectedSeq);
    replayed.add(stored);
    return stored;
  }
  if (mutation.seq > expectedSeq) throw new SequenceGapError(expectedSeq);

  const outcome = knownRejection ?? (await decide(tx, actor, item, options));
  const result: MutationResult = {
    mutationId: mutation.id,
    seq: mutation.seq,
    type: item.type,
    status: outcome ? 'rejected' : 'applied',
    code: outcome?.code ?? null,
    message: outcome?.message ?? null,
    details: outcome?.details ?? null,
  };
  // The result and the device's next sequence, in one statement. A second result for a mutation id
  // already applied or rejected breaks MUTATION_ID_INDEX (23505): it becomes DUPLICATE_MUTATION_ID.
  // A push that gets this far went through: it ends the device's push failure (sync/device-health).
  await tx.query(
    `with stored as (
       insert into mutation_results (device_id, seq, mutation_id, type, user_id, status, code, message, details, version, args)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11::jsonb)
     )
     insert into devices (id, next_seq, user_id) values ($1, $2 + 1, $5)
     on conflict (id) do update set next_seq = excluded.next_seq, user_id = excluded.user_id, last_seen_at = now(),
       push_failing_since = null, push_failures = 0, push_last_status = null, push_last_error = null`,
    [actor.deviceId, mutation.seq, mutation.id, item.type, actor.userId, result.status, result.code, result.message,
      result.details === null ? null : JSON.stringify(result.details), item.version, item.args],
  );
  if (result.status === 'rejected') await recordFloorEvent(tx, mutationRejectedEvent(actor, result));
  return result;
}

/**
 * Applies the mutation; answers its rejection, or null when it was applied. A rule decides before
 * anything is written, so a rejection leaves nothing to undo.
 */
async function decide(tx: Queryable, actor: Actor, { mutation, parsed }: BatchItem, options: PushOptions): Promise<Rejection | null> {
  if (!parsed.ok) {
    if (parsed.unsupported) {
      // A type or version this server does not know (a newer app): stored, so the device shows it and moves on.
      return rejection('UNSUPPORTED_VERSION', parsed.message, { type: mutation.type, version: mutation.version });
    }
    const problem = Array.from(parsed.message).slice(0, MAX_PROBLEM_LENGTH).join('').replace(/\.?\s*$/, '');
    // Most problems already start with the field they are about ("args /lot contains…").
    const detail = problem.startsWith(parsed.field) ? problem : `${parsed.field}: ${problem}`;
    return rejection(
      'MALFORMED_MUTATION',
      `This scan cannot be processed: ${detail}. Discard it and scan again.`,
      { field: parsed.field },
    );
  }
  const reads = tracked(tx);
  let outcome: Awaited<ReturnType<typeof applyMutation>>;
  try {
    outcome = await applyMutation(parsed.mutation, { actor, reader: sqlReader(reads), today: options.today(), now: new Date().toISOString() });
  } catch (error) {
    throw unwrapped(error);
  }
  if (!outcome.ok) return outcome.rejection;
  // A carton closed short needs a supervisor's code, which only the server can check: spent here,
  // in the transaction that applies it, so a refused mutation spends nothing.
  const short = closedShort(outcome) ? await shortClose(reads, actor, mutation.id, parsed.mutation) : null;
  if (short && !short.ok) return rejection('OVERRIDE_REFUSED', short.message, { orderId: short.orderId });
  try {
    await persistEffects(reads, outcome.effects, { mutationId: mutation.id, userId: actor.userId, deviceId: actor.deviceId, reason: parsed.mutation.type });
    // The store is told of a shipment through an outbox row committed with it, or not at all.
    if (parsed.mutation.type === 'ship') await enqueueFulfillment(reads, parsed.mutation.args.orderId);
    if (short?.ok) await holdShortOrder(reads, actor, parsed.mutation, short.issuedBy);
    // The supervisors' live feed hears of it when this transaction commits (server/floor).
    await recordFloorEvent(reads, mutationAppliedEvent(actor, mutation.seq, parsed.mutation, outcome.effects));
  } catch (error) {
    // The balance check is the last line of defence: a rule that missed a shortage still cannot
    // drive stock below zero, and the device hears why.
    if (error instanceof NegativeBalanceError) throw new BalanceViolation();
    if (error instanceof DatabaseFailure && sqlState(error.cause) === '23514') throw new BalanceViolation();
    throw unwrapped(error);
  }
  return null;
}

type ShortClose = { ok: true; issuedBy: string } | { ok: false; message: string; orderId: string };

/** Redeems the override code a short close carries, for the order's owner. */
async function shortClose(tx: Queryable, actor: Actor, mutationId: string, mutation: ParsedMutation): Promise<ShortClose> {
  if (mutation.type !== 'close-carton' || !mutation.args.short) throw new Error('A short close without its override');
  const { orderId, short } = mutation.args;
  const { rows } = await tx.query<{ owner_id: string }>('select owner_id from orders where id = $1', [orderId]);
  const redeemed = await redeemOverrideCode(tx, { code: short.overrideCode, ownerId: rows[0]!.owner_id, orderId, mutationId, deviceId: actor.deviceId });
  return redeemed.ok ? redeemed : { ...redeemed, orderId };
}

/**
 * A short-closed order waits for its supervisor: held with its reason, and an exception naming
 * the carton, why it is short, who packed it and whose code allowed it.
 */
async function holdShortOrder(tx: Queryable, actor: Actor, mutation: ParsedMutation, issuedBy: string): Promise<void> {
  if (mutation.type !== 'close-carton' || !mutation.args.short) return;
  const { orderId, carton, short } = mutation.args;
  const details = { carton, reason: short.reason, packedBy: actor.userId, overrideBy: issuedBy };
  await tx.query(`update orders set hold_reason = 'SHORT_PACKED', hold_details = $2::jsonb where id = $1`, [orderId, JSON.stringify(details)]);
  await tx.query(
    `insert into order_exceptions (owner_id, order_id, kind, details) select owner_id, id, 'short_packed', $2::jsonb from orders where id = $1`,
    [orderId, JSON.stringify(details)],
  );
}
