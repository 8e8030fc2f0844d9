// Submitting a mutation: the rule decides against the view, and its effects, the shadows of the
// rows they change and the outbox entry are written in one strict-durability transaction. Only
// after that commits may a screen show the scan as confirmed.
import { rejection, type Rejection } from '../domain/errors';
import { MUTATION_SCHEMAS, type ArgsInputOf, type MutationType } from '../domain/mutations';
import { applyMutation } from '../domain/rules/index';
import type { Actor } from '../domain/rules/types';
import type { DockhandDb, OutboxEntry, StoredSession } from './db';
import { dexieReader } from './dexie-reader';
import { getMeta, setMeta } from './meta';
import { viewScope, writeEffects } from './view';

export interface SubmitInput<T extends MutationType> {
  type: T;
  /** The intent, as the screen has it; checked against the type's schema before anything runs. */
  args: ArgsInputOf<T>;
  /** Who acts; omitted, the signed-in user on this device (read in the same transaction). */
  actor?: Actor;
  /** Today at the warehouse (`YYYY-MM-DD`); defaults to the device's local date. */
  today?: string;
  /** The time of the scan; defaults to the device's clock. Also the envelope's `clientTime`. */
  now?: Date;
  newId?: () => string;
}

export type SubmitResult = { ok: true; mutationId: string; seq: number } | { ok: false; rejection: Rejection };

/** Args a screen built wrongly: a bug, never a rejection to show (the server would refuse the batch). */
export class MalformedMutationError extends Error {
  override name = 'MalformedMutationError';
}

/** The device's local calendar date, `YYYY-MM-DD`. */
export function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The actor a stored session and this device's id stand for. */
export function actorOf(session: StoredSession, deviceId: string): Actor {
  return { userId: session.user.id, deviceId, role: session.user.role, ownerIds: session.user.ownerIds };
}

/**
 * Decides a mutation locally and, when the rules accept it, records it durably: effects on the
 * view, shadows, and the outbox entry with the device's next sequence number, all in one
 * transaction. A rejection writes nothing. A typed quantity out of range is a rejection
 * (INVALID_QUANTITY); other malformed args throw `MalformedMutationError`.
 */
export async function submitMutation<T extends MutationType>(db: DockhandDb, input: SubmitInput<T>): Promise<SubmitResult> {
  const schema = MUTATION_SCHEMAS[input.type][1];
  const parsed = schema.safeParse(input.args);
  if (!parsed.success) {
    if (parsed.error.issues.every((issue) => issue.path.some((part) => String(part).toLowerCase().endsWith('qty')))) {
      return { ok: false, rejection: rejection('INVALID_QUANTITY', 'Enter a whole number of units, 1 or more.') };
    }
    throw new MalformedMutationError(`${input.type}: ${parsed.error.message}`);
  }
  const now = input.now ?? new Date();
  const today = input.today ?? localDate(now);
  const id = (input.newId ?? (() => crypto.randomUUID()))();
  const mutation = { type: input.type, version: 1, args: parsed.data } as Parameters<typeof applyMutation>[0];

  return db.transaction('rw', viewScope(db), async (): Promise<SubmitResult> => {
    const actor = input.actor ?? (await storedActor(db));
    const outcome = await applyMutation(mutation, { actor, reader: dexieReader(db), today, now: now.toISOString() });
    if (!outcome.ok) return { ok: false, rejection: outcome.rejection };
    const touched = await writeEffects(db, outcome.effects);
    const seq = (await getMeta(db, 'nextSeq')) ?? 1;
    const entry: OutboxEntry = {
      id,
      seq,
      type: input.type,
      version: 1,
      args: parsed.data as Record<string, unknown>,
      clientTime: now.toISOString(),
      status: 'pending',
      touched,
      actor,
    };
    await db.outbox.add(entry);
    await setMeta(db, 'nextSeq', seq + 1);
    return { ok: true, mutationId: id, seq };
  });
}

async function storedActor(db: DockhandDb): Promise<Actor> {
  const session = await getMeta(db, 'session');
  const deviceId = await getMeta(db, 'deviceId');
  if (!session || !deviceId) throw new Error('Nobody is signed in on this device.');
  return actorOf(session, deviceId);
}

/** Mutations not yet answered by the server (what "N pending" counts and sign-out refuses on). */
export function countPending(db: DockhandDb): Promise<number> {
  return db.outbox.where('status').equals('pending').count();
}
