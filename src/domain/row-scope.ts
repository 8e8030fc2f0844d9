// Which owner a synced row belongs to, the one rule the server's feed and the device share for
// deciding whether a row is inside a user's owners.
import type { AnyRow, TableName } from './entities';

/** The owner a row belongs to, or null for warehouse-wide rows (locations) every user sees. */
export function rowOwner(table: TableName, row: AnyRow): string | null {
  if (table === 'owners') return row.id;
  return 'ownerId' in row ? row.ownerId : null;
}

/** True when a user limited to `ownerIds` (null: every owner) may hold `row`. */
export function inOwnerScope(ownerIds: readonly string[] | null, table: TableName, row: AnyRow): boolean {
  const owner = rowOwner(table, row);
  return ownerIds === null || owner === null || ownerIds.includes(owner);
}
