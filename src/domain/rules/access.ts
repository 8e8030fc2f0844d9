// Shared checks every rule makes before it decides anything.
import { rejection } from '../errors';
import type { Outcome, Actor } from './types';

export function canSeeOwner(actor: Actor, ownerId: string): boolean {
  return actor.ownerIds === null || actor.ownerIds.includes(ownerId);
}

export function reject(...args: Parameters<typeof rejection>): Outcome {
  return { ok: false, rejection: rejection(...args) };
}

export function notFound(what: string, id: string): Outcome {
  return reject('NOT_FOUND', `${what} ${id} is not known here. Sync, then scan it again.`, { id });
}

export function forbidden(what: string): Outcome {
  return reject('FORBIDDEN', `You are not allowed to work on ${what}. Ask a supervisor.`);
}
