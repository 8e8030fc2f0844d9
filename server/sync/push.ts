// Push: applies a device's mutations exactly once, in its sequence order, one transaction each.
// Replays are answered with the stored result; a gap is refused; a rule's rejection is stored and
// the sequence advances, so one bad scan never blocks the queue behind it.
import { applyMutation, parseMutation, rejection, type Actor, type MutationEnvelope, type ParseResult, type Rejection } from '../../src/domain';
import { sqlState, transactionWithRetry, type Db, type Queryable } from '../db/index';
import { sqlReader } from './sql-reader';
import { NegativeBalanceError, persistEffects } from './persist';
import type { MutationResult } from './results';
import { readResult } from './results';

/** The device sent a sequence number past the one the server expects next. */
export class SequenceGapError extends Error {
  constructor(readonly expectedSeq: number) {
    super(`Expected sequence ${expectedSeq}.`);
  }
}

/** The device sent a sequence number already used by a different mutation. */
export class SequenceReusedError extends Error {
  constructor(readonly seq: number, readonly expectedSeq: number) {
    super(`Sequence ${seq} was already used by another mutation from this device; the next is ${expectedSeq}.`);
  }
}

export interface PushOptions {
  /** Today's date at the warehouse (YYYY-MM-DD), for expiry rules. */
  today: () => string;
}

/** A pushed mutation with its args already checked against its type and version. */
export interface BatchItem {
  mutation: MutationEnvelope;
  parsed: ParseResult;
}

/**
 * Checks a push before anything is applied: consecutive sequence numbers, and well-formed args
 * for every type and version this server knows (an unknown one is stored as UNSUPPORTED_VERSION).
 */
export function parseBatch(mutations: readonly MutationEnvelope[]): { ok: true; items: BatchItem[] } | { ok: false; message: string } {
  const items: BatchItem[] = [];
  for (const [index, mutation] of mutations.entries()) {
    const expected = mutations[0]!.seq + index;
    if (mutation.seq !== expected) {
      return { ok: false, message: `Mutations must carry consecutive sequence numbers: #${index} has ${mutation.seq}, expected ${expected}.` };
    }
    const parsed = parseMutation(mutation.type, mutation.version, mutation.args);
    if (!parsed.ok && !parsed.unsupported) {
      return { ok: false, message: `Mutation #${index} (${mutation.type} seq ${mutation.seq}) is malformed: ${parsed.message}` };
    }
    items.push({ mutation, parsed });
  }
  return { ok: true, items };
}

export async function pushMutations(
  db: Db,
  actor: Actor,
  items: readonly BatchItem[],
  options: PushOptions,
): Promise<MutationResult[]> {
  const results: MutationResult[] = [];
  for (const item of items) {
    try {
      results.push(await transactionWithRetry(db, (tx) => pushOne(tx, actor, item, options)));
    } catch (error) {
      if (!(error instanceof BalanceViolation)) throw error;
      // The effects were rolled back with their transaction; a fresh one records the rejection.
      results.push(await transactionWithRetry(db, (tx) => pushOne(tx, actor, item, options, error.rejection)));
    }
  }
  return results;
}

/** Persisting a rule's effects would have driven a balance below zero: the mutation is rejected. */
class BalanceViolation extends Error {
  readonly rejection = rejection('INSUFFICIENT_STOCK', 'Not enough stock for this. Count the bin and tell a supervisor.');
}

async function pushOne(
  tx: Queryable,
  actor: Actor,
  { mutation, parsed }: BatchItem,
  options: PushOptions,
  knownRejection?: Rejection,
): Promise<MutationResult> {
  // The device row is the lock that puts one device's mutations in a single line.
  const { rows } = await tx.query<{ next_seq: number }>('select next_seq from devices where id = $1 for update', [actor.deviceId]);
  const expectedSeq = Number(rows[0]?.next_seq ?? 1);
  if (mutation.seq < expectedSeq) {
    const stored = await readResult(tx, actor.deviceId, mutation.seq);
    if (!stored || stored.mutationId !== mutation.id) throw new SequenceReusedError(mutation.seq, expectedSeq);
    return stored;
  }
  if (mutation.seq > expectedSeq) throw new SequenceGapError(expectedSeq);

  const outcome = knownRejection ?? (await decide(tx, actor, mutation, parsed, options));
  const result: MutationResult = {
    mutationId: mutation.id,
    seq: mutation.seq,
    type: mutation.type,
    status: outcome ? 'rejected' : 'applied',
    code: outcome?.code ?? null,
    message: outcome?.message ?? null,
    details: outcome?.details ?? null,
  };
  // The result and the device's next sequence, in one statement.
  // A push that gets this far went through: it ends the device's push failure (sync/device-health).
  await tx.query(
    `with stored as (
       insert into mutation_results (device_id, seq, mutation_id, type, user_id, status, code, message, details, version, args)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11::jsonb)
     )
     insert into devices (id, next_seq, user_id) values ($1, $2 + 1, $5)
     on conflict (id) do update set next_seq = excluded.next_seq, user_id = excluded.user_id, last_seen_at = now(),
       push_failing_since = null, push_failures = 0, push_last_status = null, push_last_error = null`,
    [actor.deviceId, mutation.seq, mutation.id, mutation.type, actor.userId, result.status, result.code, result.message,
      result.details === null ? null : JSON.stringify(result.details), mutation.version, JSON.stringify(mutation.args)],
  );
  return result;
}

/**
 * Applies the mutation; answers its rejection, or null when it was applied. A rule decides before
 * anything is written, so a rejection leaves nothing to undo.
 */
async function decide(tx: Queryable, actor: Actor, mutation: MutationEnvelope, parsed: ParseResult, options: PushOptions): Promise<Rejection | null> {
  if (!parsed.ok) {
    // Malformed args were refused by parseBatch (400); what is left is a type or version this
    // server does not know (a newer app): stored, so the device shows it and moves on.
    return rejection('UNSUPPORTED_VERSION', parsed.message, { type: mutation.type, version: mutation.version });
  }
  const outcome = await applyMutation(parsed.mutation, { actor, reader: sqlReader(tx), today: options.today(), now: new Date().toISOString() });
  if (!outcome.ok) return outcome.rejection;
  try {
    await persistEffects(tx, outcome.effects, { mutationId: mutation.id, userId: actor.userId, deviceId: actor.deviceId, reason: mutation.type });
  } catch (error) {
    // The balance check is the last line of defence: a rule that missed a shortage still cannot
    // drive stock below zero, and the device hears why.
    if (error instanceof NegativeBalanceError || sqlState(error) === '23514') throw new BalanceViolation();
    throw error;
  }
  return null;
}
