// Shared checks every rule makes before it decides anything.
import { rejection } from '../errors';
import type { Outcome, Actor } from './types';

export function canSeeOwner(actor: Actor, ownerId: string): boolean {
  return actor.ownerIds === null || actor.ownerIds.includes(ownerId);
}

export function reject(...args: Parameters<typeof rejection>): Outcome {
  return { ok: false, rejection: rejection(...args) };
}

/**
 * The one answer for an id the actor cannot use: unknown here, or another owner's (the rule's
 * reader hides those, see owner-scope.ts). It carries only the id the caller sent.
 */
export function notFound(what: string, id: string): Outcome {
  return reject('NOT_FOUND', `${what} ${id} is not known here. Sync, then scan it again.`, { id });
}
