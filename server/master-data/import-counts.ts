// What an import did, row by row: the answer of every master-data import route.
import { z } from 'zod';

export const ImportCounts = z.object({
  rows: z.number().int().describe('Data rows in the file'),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int().describe('Rows equal to what was stored already: nothing written, nothing sent to devices'),
});
export type ImportCounts = z.infer<typeof ImportCounts>;

export const noCounts = (): ImportCounts => ({ rows: 0, created: 0, updated: 0, unchanged: 0 });

/** Whether two stored values are equal, arrays element by element (order counts). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i]);
  return a === b;
}
