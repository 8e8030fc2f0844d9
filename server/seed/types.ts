// The shape every seed generator returns: sign-in users plus rows per synced table, ready for
// whoever loads them (the seed CLI, tests, benchmarks) to insert.
import type { Role, RowOf, TableName } from '../../src/domain/entities';

/** A user to create; the loader hashes the PIN. `ownerIds: null` means every owner. */
export interface SeedUser {
  username: string;
  displayName: string;
  pin: string;
  role: Role;
  ownerIds: string[] | null;
}

export interface WarehouseData {
  users: SeedUser[];
  rows: { [T in TableName]?: RowOf<T>[] };
}
