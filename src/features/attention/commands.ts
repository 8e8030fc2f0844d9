// "Needs attention" use-cases: a rejected mutation is discarded once the user has seen it, or,
// for a pick, retried as a new mutation with the same intent (the local rules decide at once).
import type { RejectionCode } from '../../domain/errors';
import { MUTATION_TYPES, type MutationType } from '../../domain/mutations';
import { db as appDb, viewScope, type DockhandDb } from '../../storage/db';
import { submit } from '../../storage/submit-bridge';
import { getProblem, resolveProblem } from '../../storage/problems-repo';

/** Rejections worth sending again as they were: the stock or the line may have changed since. */
const RETRYABLE: ReadonlySet<string> = new Set<MutationType>(['pick']);

/** Refusals of the content itself: sent again as it was, it can only be refused again. */
const CONTENT_REFUSED: ReadonlySet<string> = new Set<RejectionCode>(['MALFORMED_MUTATION']);

/** Whether "Retry" fits a problem: its type may succeed later, and its content was not the problem. */
export function canRetry(type: string, code: string): boolean {
  return RETRYABLE.has(type) && !CONTENT_REFUSED.has(code);
}

export interface AttentionDeps {
  db?: DockhandDb;
  now?: () => Date;
}

export type RetryResult = { ok: true; seq: number } | { ok: false; message: string };

/** The user has seen the rejection: it leaves the list (the record stays, resolved). */
export async function discardProblem(mutationId: string, deps: AttentionDeps = {}): Promise<void> {
  await resolveProblem(deps.db ?? appDb, mutationId);
}

/**
 * Submits the rejected mutation's intent again as a new mutation. When the local rules accept it
 * the problem is resolved in the same transaction; when they refuse, it stays with their reason.
 */
export async function retryProblem(mutationId: string, deps: AttentionDeps = {}): Promise<RetryResult> {
  const db = deps.db ?? appDb;
  return db.transaction('rw', [...viewScope(db), db.problems], async (): Promise<RetryResult> => {
    const problem = await getProblem(db, mutationId);
    if (!problem || problem.status !== 'open') return { ok: false, message: 'This problem is already resolved.' };
    if (!canRetry(problem.type, problem.rejection.code) || !(MUTATION_TYPES as string[]).includes(problem.type)) {
      return { ok: false, message: `A ${problem.type} cannot be retried from here.` };
    }
    const result = await submit(db, {
      type: problem.type as MutationType,
      args: problem.args as never,
      now: deps.now?.(),
    });
    if (!result.ok) return { ok: false, message: result.rejection.message };
    await resolveProblem(db, mutationId);
    return { ok: true, seq: result.seq };
  });
}
