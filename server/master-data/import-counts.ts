// What an import did, row by row: the answer of every master-data import route.
import { ImportCounts } from '../../src/domain/admin';

// The wire shape lives in src/domain/admin.ts, shared with the admin console.
export { ImportCounts };

export const noCounts = (): ImportCounts => ({ rows: 0, created: 0, updated: 0, unchanged: 0 });

/** Whether two stored values are equal, arrays element by element (order counts). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i]);
  return a === b;
}
