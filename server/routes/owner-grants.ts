// Which owners an admin may give a user: the one check behind creating a user and changing a
// user's owners, so an admin of some owners can never widen anyone's reach beyond their own.
import type { Actor } from '../../src/domain';
import type { Queryable } from '../db/index';
import { ApiError } from './errors';

/**
 * `wanted` owners (null: every owner), de-duplicated and sorted, once checked against what
 * `actor` may grant: every owner only from an admin of every owner (403); otherwise each id must
 * be an owner the actor works for, and any other is answered as unknown (400 naming `ownerIds`),
 * whether it exists or not.
 */
export async function grantableOwners(db: Queryable, actor: Actor, wanted: readonly string[] | null): Promise<string[] | null> {
  if (wanted === null) {
    if (actor.ownerIds !== null) {
      throw new ApiError(403, { error: 'FORBIDDEN', message: 'Only an admin of every owner can give a user every owner.' });
    }
    return null;
  }
  const ids = [...new Set(wanted)].sort();
  const { rows } = await db.query<{ id: string }>(
    'select id from owners where id = any($1::text[]) and ($2::text[] is null or id = any($2::text[]))',
    [ids, actor.ownerIds],
  );
  const known = new Set(rows.map((row) => row.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new ApiError(400, { error: 'BAD_REQUEST', message: `ownerIds: unknown owners ${unknown.join(', ')}.` });
  return ids;
}
