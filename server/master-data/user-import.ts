// The users file: one row per person, created with a hashed PIN or, when the username exists,
// updated (name, role, owners; the PIN is then ignored). An admin of some owners grants only those.
import { z } from 'zod';
import { Role, type Actor } from '../../src/domain';
import { Username } from '../../src/domain/text';
import { createUser } from '../auth';
import { listCell, requiredCell } from '../csv/cells';
import type { CsvImport } from '../csv/import-csv';
import type { CsvColumns, CsvRowError } from '../csv/read-csv';
import { sameValue, type ImportCounts } from './import-counts';

export const USER_COLUMNS = {
  username: { names: ['username', 'user', 'login'], required: true },
  name: { names: ['name', 'display_name', 'full_name'], required: true },
  role: { names: ['role'], required: true },
  owners: { names: ['owners', 'owner', 'owner_codes'] },
  pin: { names: ['pin'] },
} satisfies CsvColumns<string>;
type UserColumn = keyof typeof USER_COLUMNS;

export const UserCsvRow = z.object({
  username: Username.min(2).regex(/^[a-z0-9._-]+$/, 'A username has letters, digits, dot, dash and underscore only'),
  name: requiredCell(100),
  role: z.string().transform((value, context) => {
    const parsed = Role.safeParse(value.trim().toLowerCase());
    if (parsed.success) return parsed.data;
    context.addIssue({ code: 'custom', message: `"${value}" is not a role: write ${Role.options.join(', ')}` });
    return z.NEVER;
  }),
  owners: listCell().transform((codes) => codes.map((code) => code.toUpperCase())),
  pin: z.string().trim().regex(/^(\d{4,8})?$/, 'A PIN is 4 to 8 digits').transform((pin) => pin || null),
});
export type UserCsvRow = z.infer<typeof UserCsvRow>;

/**
 * The import of a users file by `actor`; `owners` are the owners the actor works for (code → id).
 * `counts` is filled in as chunks are applied.
 */
export function userImport(actor: Actor, owners: ReadonlyMap<string, string>, counts: ImportCounts): Omit<CsvImport<UserColumn, UserCsvRow>, 'stream'> {
  return {
    columns: USER_COLUMNS,
    row: UserCsvRow,
    unique: (row) => [{ column: 'username', value: row.username }],
    apply: async (tx, lines) => {
      const errors: CsvRowError[] = [];
      const { rows: stored } = await tx.query<{ id: string; username: string; display_name: string; role: Role; owner_ids: string[] | null }>(
        'select id, username, display_name, role, owner_ids from users where username = any($1::text[])',
        [lines.map(({ row }) => row.username)],
      );
      const existing = new Map(stored.map((user) => [user.username, user]));
      for (const { line, row } of lines) {
        const rowErrors: CsvRowError[] = [];
        // Unknown and out-of-reach owners read alike: an admin learns nothing of other owners.
        const unknown = row.owners.filter((code) => !owners.has(code));
        if (unknown.length > 0) rowErrors.push({ line, column: 'owners', message: `Owner ${unknown.join(', ')} not found. Use owner codes separated by |.` });
        if (row.owners.length === 0 && actor.ownerIds !== null) {
          rowErrors.push({ line, column: 'owners', message: 'Only an admin of every owner can give a user every owner: list the owners (codes separated by |).' });
        }
        const before = existing.get(row.username);
        // A user who works for owners beyond the actor's is not the actor's to change (as in PUT /api/admin/users/:id/owners).
        const reachable = actor.ownerIds === null || (before?.owner_ids != null && before.owner_ids.every((id) => actor.ownerIds!.includes(id)));
        if (before && !reachable) rowErrors.push({ line, column: 'username', message: `The username ${row.username} is taken; choose another.` });
        if (!before && row.pin === null) rowErrors.push({ line, column: 'pin', message: 'A new user needs a PIN of 4 to 8 digits.' });
        if (rowErrors.length > 0) {
          errors.push(...rowErrors);
          continue;
        }
        const ownerIds = row.owners.length === 0 ? null : [...new Set(row.owners.map((code) => owners.get(code)!))].sort();
        counts.rows++;
        if (!before) {
          await createUser(tx, { username: row.username, displayName: row.name, pin: row.pin!, role: row.role, ownerIds });
          counts.created++;
        } else if (before.display_name === row.name && before.role === row.role && sameValue([...(before.owner_ids ?? [])].sort(), ownerIds ?? []) && (before.owner_ids === null) === (ownerIds === null)) {
          counts.unchanged++;
        } else {
          await tx.query('update users set display_name = $2, role = $3, owner_ids = $4 where id = $1', [before.id, row.name, row.role, ownerIds]);
          counts.updated++;
        }
      }
      return errors;
    },
  };
}
