// The `owner` query parameter of import and export routes: an owner's code (`ACME`) or id
// (`own-a`), resolved within the caller's owners. Any other owner is answered "not found".
import type { Actor } from '../../src/domain';
import { text } from '../../src/domain/text';
import type { Queryable } from '../db/index';
import { ApiError } from './errors';

export const OwnerParam = text().trim().min(1).max(100).describe('The owner’s code (e.g. ACME) or id');

export interface OwnerRef {
  id: string;
  code: string;
}

export async function ownerInScope(db: Queryable, actor: Actor, codeOrId: string): Promise<OwnerRef> {
  const { rows } = await db.query<OwnerRef>(
    `select id, code from owners where (id = $1 or upper(code) = upper($1))
       and ($2::text[] is null or id = any($2::text[])) order by id = $1 desc limit 1`,
    [codeOrId, actor.ownerIds],
  );
  if (!rows[0]) throw new ApiError(404, { error: 'NOT_FOUND', message: `Owner ${codeOrId} not found. Use one of your owners’ codes.` });
  return rows[0];
}

/** The owners `actor` works for, by upper-cased code. */
export async function ownersByCode(db: Queryable, actor: Actor): Promise<Map<string, string>> {
  const { rows } = await db.query<OwnerRef>('select id, code from owners where $1::text[] is null or id = any($1::text[])', [actor.ownerIds]);
  return new Map(rows.map((owner) => [owner.code.toUpperCase(), owner.id]));
}

