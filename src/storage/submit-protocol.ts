// The messages between the page and the submission worker (workers/submit-worker.ts): what to
// submit or anticipate, and the outcome. Plain data only: dates travel as epoch ms, the id is
// made on the page so an outcome lost with a dying worker can still be looked up.
import type { ArgsInputOf, MutationType } from '../domain/mutations';
import type { Actor } from '../domain/rules/types';
import type { SubmitInput, SubmitResult } from './outbox';

/** A `SubmitInput` as it crosses to the worker. */
export interface WireInput {
  type: MutationType;
  args: ArgsInputOf<MutationType>;
  actor?: Actor;
  today?: string;
  /** Epoch ms of the scan. */
  now: number;
  /** The mutation's id. */
  mutationId: string;
}

/** `input` as it crosses to the worker; the mutation's id is made here. */
export function toWire<T extends MutationType>(input: SubmitInput<T>): WireInput {
  return {
    type: input.type,
    args: input.args,
    actor: input.actor,
    today: input.today,
    now: (input.now ?? new Date()).getTime(),
    mutationId: (input.newId ?? (() => crypto.randomUUID()))(),
  };
}

/** The `SubmitInput` a wire input stands for, with its id fixed. */
export function fromWire(wire: WireInput): SubmitInput<MutationType> {
  return { type: wire.type, args: wire.args, actor: wire.actor, today: wire.today, now: new Date(wire.now), newId: () => wire.mutationId };
}

export type SubmitRequest =
  | { kind: 'submit'; requestId: number; db: string; input: WireInput }
  | { kind: 'anticipate'; requestId: number; db: string; input: WireInput };

export type SubmitReply =
  | { requestId: number; result: SubmitResult }
  /** `submitMutation` threw: nothing was written. */
  | { requestId: number; error: { name: string; message: string } }
  /** An anticipation has run (it never fails). */
  | { requestId: number; done: true };
