// The bin map file: one row per bin (a `locations` row), upserted by its code. Bins are shared
// by every owner, so only an admin of every owner may load them (the route checks).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { LocationType, type Location } from '../../src/domain';
import { optionalCell, optionalIntegerCell, requiredCell } from '../csv/cells';
import type { CsvImport } from '../csv/import-csv';
import type { CsvColumns } from '../csv/read-csv';
import { bulkPut, fromSql } from '../db/tables';
import { sameValue, type ImportCounts } from './import-counts';

export const BIN_COLUMNS = {
  code: { names: ['code', 'bin', 'bin_code', 'location'], required: true },
  zone: { names: ['zone'], required: true },
  type: { names: ['type', 'bin_type', 'location_type'], required: true },
  aisle: { names: ['aisle'] },
  level: { names: ['level'] },
  walkOrder: { names: ['walk_order', 'walk_seq', 'pick_sequence'], required: true },
  capacity: { names: ['capacity'] },
} satisfies CsvColumns<string>;
type BinColumn = keyof typeof BIN_COLUMNS;

const typeCell = z.string().transform((value, context) => {
  const parsed = LocationType.safeParse(value.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  if (parsed.success) return parsed.data;
  context.addIssue({ code: 'custom', message: `"${value}" is not a bin type: write one of ${LocationType.options.join(', ')}` });
  return z.NEVER;
});

export const BinCsvRow = z.object({
  code: requiredCell(100),
  zone: requiredCell(50),
  type: typeCell,
  aisle: optionalCell(50),
  level: optionalCell(50),
  walkOrder: optionalIntegerCell(-1_000_000_000, 1_000_000_000).refine((value) => value !== null, 'This cell is empty: give the bin its place on the pick path (a whole number)'),
  capacity: optionalIntegerCell(1),
});
export type BinCsvRow = z.infer<typeof BinCsvRow>;

/** The import of a bins file; `counts` is filled in as chunks are applied. */
export function binImport(counts: ImportCounts): Omit<CsvImport<BinColumn, BinCsvRow>, 'stream'> {
  return {
    columns: BIN_COLUMNS,
    row: BinCsvRow,
    unique: (row) => [{ column: 'code', value: row.code }],
    apply: async (tx, lines) => {
      const { rows: stored } = await tx.query<Record<string, unknown>>('select * from locations where code = any($1::text[])', [lines.map(({ row }) => row.code)]);
      const existing = new Map(stored.map((record) => [record['code'] as string, fromSql('locations', record)]));
      const changed: Location[] = [];
      for (const { row } of lines) {
        const before = existing.get(row.code);
        const bin: Location = {
          id: before?.id ?? `loc-${randomUUID()}`,
          code: row.code,
          zone: row.zone,
          type: row.type,
          aisle: row.aisle,
          level: row.level,
          walkSeq: row.walkOrder!,
          capacity: row.capacity,
        };
        counts.rows++;
        if (!before) counts.created++;
        else if ((Object.keys(bin) as (keyof Location)[]).every((field) => sameValue(before[field], bin[field]))) {
          counts.unchanged++;
          continue;
        } else counts.updated++;
        changed.push(bin);
      }
      if (changed.length > 0) await bulkPut(tx, 'locations', changed);
      return [];
    },
  };
}
