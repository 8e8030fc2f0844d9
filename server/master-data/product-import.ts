// The products file of an owner: one row per SKU, upserted by (owner, SKU), with its barcodes
// stored as the keys scans look up (src/domain/gtin `productBarcodeKey`) and its pick-face bin.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Product } from '../../src/domain';
import { gs1CheckDigit, productBarcodeKey, toGtin14, upcEToUpcA } from '../../src/domain/gtin';
import { booleanCell, listCell, optionalCell, optionalMeasureCell, requiredCell } from '../csv/cells';
import type { CsvImport } from '../csv/import-csv';
import type { CsvColumns, CsvRowError } from '../csv/read-csv';
import type { Queryable } from '../db/index';
import { bulkPut } from '../db/tables';
import { sameValue, type ImportCounts } from './import-counts';

/** The import's barcodes, for the final check (a temporary table, dropped at commit). */
const BARCODES_TABLE = 'product_import_barcodes';
const CREATE_BARCODES_TABLE = `create temporary table if not exists ${BARCODES_TABLE} (key text not null, sku text not null, line integer not null) on commit drop`;

/** Most barcodes one product row may list. */
const MAX_BARCODES = 50;

export const PRODUCT_COLUMNS = {
  sku: { names: ['sku', 'item', 'item_code', 'product_code'], required: true },
  name: { names: ['name', 'product_name', 'description', 'title'], required: true },
  barcodes: { names: ['barcodes', 'barcode', 'gtin', 'ean', 'upc'] },
  lotTracked: { names: ['lot_tracked', 'lot_controlled', 'batch_tracked'] },
  expiryTracked: { names: ['expiry_tracked', 'best_before_tracked'] },
  serialTracked: { names: ['serial_tracked', 'serialised', 'serialized'] },
  zone: { names: ['zone'] },
  pickFace: { names: ['pick_face', 'pick_face_bin', 'pick_bin'] },
  unitWeightG: { names: ['unit_weight_g', 'weight_g'] },
  lengthMm: { names: ['length_mm'] },
  widthMm: { names: ['width_mm'] },
  heightMm: { names: ['height_mm'] },
} satisfies CsvColumns<string>;
type ProductColumn = keyof typeof PRODUCT_COLUMNS;

/**
 * The key a barcode from the file is stored under, or why it cannot be one: a code of GTIN length
 * (8, 12, 13, 14 digits) must carry a right check digit (an 8-digit one may be a UPC-E instead);
 * anything else is an SKU label, upper-cased.
 */
export function importedBarcodeKey(code: string): { key: string } | { problem: string } {
  if (!/^\d{8}$|^\d{12,14}$/.test(code)) return { key: productBarcodeKey(code) };
  const gtin = toGtin14(code);
  if (gtin) return { key: gtin };
  const upcA = code.length === 8 ? upcEToUpcA(code) : null;
  const expanded = upcA ? toGtin14(upcA) : null;
  if (expanded) return { key: expanded };
  return { problem: `${code} is not a valid GTIN: its check digit should be ${gs1CheckDigit(code.slice(0, -1))}, not ${code.at(-1)}. Check the number on the label` };
}

const barcodesCell = listCell({ spaces: true }).transform((codes, context) => {
  const keys: string[] = [];
  for (const code of codes) {
    if (code.length > 100) {
      context.addIssue({ code: 'custom', message: `A barcode is at most 100 characters; ${code.slice(0, 20)}… is longer` });
      continue;
    }
    const result = importedBarcodeKey(code);
    if ('problem' in result) context.addIssue({ code: 'custom', message: result.problem });
    else if (!keys.includes(result.key)) keys.push(result.key);
  }
  if (keys.length > MAX_BARCODES) context.addIssue({ code: 'custom', message: `A product may have at most ${MAX_BARCODES} barcodes` });
  return keys;
});

export const ProductCsvRow = z.object({
  sku: requiredCell(100),
  name: requiredCell(300),
  barcodes: barcodesCell,
  lotTracked: booleanCell,
  expiryTracked: booleanCell,
  serialTracked: booleanCell,
  zone: optionalCell(50),
  pickFace: optionalCell(100),
  unitWeightG: optionalMeasureCell,
  lengthMm: optionalMeasureCell,
  widthMm: optionalMeasureCell,
  heightMm: optionalMeasureCell,
});
export type ProductCsvRow = z.infer<typeof ProductCsvRow>;

/** A product's barcode keys: the file's, then its SKU label's, so a product always scans by its SKU. */
const barcodeKeysOf = (row: ProductCsvRow) => [...new Set([...row.barcodes, productBarcodeKey(row.sku)])];

/** Server-only product columns (migration 011), beside the synced Product row. */
const MEASURES = ['unit_weight_g', 'length_mm', 'width_mm', 'height_mm'] as const;
type Measures = Record<(typeof MEASURES)[number], number | null>;

interface StoredProduct extends Measures {
  id: string;
  sku: string;
  name: string;
  barcodes: string[];
  lot_tracked: boolean;
  expiry_tracked: boolean;
  serial_tracked: boolean;
  zone: string | null;
  pick_face_location_id: string | null;
}

/** The import of one owner's products file; `counts` is filled in as chunks are applied. */
export function productImport(ownerId: string, counts: ImportCounts): Omit<CsvImport<ProductColumn, ProductCsvRow>, 'stream'> {
  return {
    columns: PRODUCT_COLUMNS,
    row: ProductCsvRow,
    unique: (row) => [{ column: 'sku', value: row.sku }, ...barcodeKeysOf(row).map((value) => ({ column: 'barcodes' as const, value }))],
    apply: async (tx, lines) => {
      const errors: CsvRowError[] = [];
      const skus = lines.map(({ row }) => row.sku);
      const binCodes = [...new Set(lines.flatMap(({ row }) => (row.pickFace ? [row.pickFace] : [])))];
      const bins = await idsByCode(tx, binCodes);
      const { rows: stored } = await tx.query<StoredProduct>(
        `select id, sku, name, barcodes, lot_tracked, expiry_tracked, serial_tracked, zone, pick_face_location_id, ${MEASURES.join(', ')}
         from products where owner_id = $1 and sku = any($2::text[])`,
        [ownerId, skus],
      );
      const existing = new Map(stored.map((product) => [product.sku, product]));
      const changed: { product: Product; measures: Measures }[] = [];
      const accepted: { key: string; sku: string; line: number }[] = [];
      for (const { line, row } of lines) {
        const rowErrors: CsvRowError[] = [];
        const pickFaceLocationId = row.pickFace ? bins.get(row.pickFace) ?? null : null;
        if (row.pickFace && !pickFaceLocationId) {
          rowErrors.push({ line, column: 'pick_face', message: `No bin ${row.pickFace}. Import the bins first, or correct the code.` });
        }
        const barcodes = barcodeKeysOf(row);
        if (rowErrors.length > 0) {
          errors.push(...rowErrors);
          continue;
        }
        accepted.push(...barcodes.map((key) => ({ key, sku: row.sku, line })));
        const before = existing.get(row.sku);
        const product: Product = {
          id: before?.id ?? `prd-${randomUUID()}`,
          ownerId,
          sku: row.sku,
          name: row.name,
          barcodes,
          lotTracked: row.lotTracked,
          expiryTracked: row.expiryTracked,
          serialTracked: row.serialTracked,
          zone: row.zone,
          pickFaceLocationId,
        };
        const measures: Measures = { unit_weight_g: row.unitWeightG, length_mm: row.lengthMm, width_mm: row.widthMm, height_mm: row.heightMm };
        counts.rows++;
        if (!before) counts.created++;
        else if (sameProduct(before, product, measures)) {
          counts.unchanged++;
          continue;
        } else counts.updated++;
        changed.push({ product, measures });
      }
      // Every imported row's barcodes, for `finish` to check against the owner's other products.
      await tx.query(CREATE_BARCODES_TABLE);
      await tx.query(
        `insert into ${BARCODES_TABLE} (key, sku, line) select r.key, r.sku, r.line from jsonb_to_recordset($1::jsonb) as r(key text, sku text, line int)`,
        [JSON.stringify(accepted)],
      );
      if (changed.length > 0) {
        await bulkPut(tx, 'products', changed.map(({ product }) => product));
        await tx.query(
          `update products p set ${MEASURES.map((m) => `${m} = r.${m}`).join(', ')}
           from jsonb_to_recordset($1::jsonb) as r(id text, ${MEASURES.map((m) => `${m} double precision`).join(', ')})
           where p.id = r.id`,
          [JSON.stringify(changed.map(({ product, measures }) => ({ id: product.id, ...measures })))],
        );
      }
      return errors;
    },
    // One join over the owner's products once the file is in: a lookup a chunk cannot use the
    // barcode index while the import's own inserts sit in its pending list, and scans instead.
    // Rows of the file already had their barcodes checked against each other (`unique`).
    finish: async (tx) => {
      await tx.query(CREATE_BARCODES_TABLE);
      const { rows } = await tx.query<{ line: number; key: string; holder: string }>(
        `select b.line, b.key, p.sku as holder from ${BARCODES_TABLE} b
         join (select sku, unnest(barcodes) as key from products where owner_id = $1) p on p.key = b.key and p.sku <> b.sku
         order by b.line`,
        [ownerId],
      );
      return rows.map(({ line, key, holder }) => ({ line, column: 'barcodes', message: `Barcode ${key} already belongs to product ${holder}; a barcode scans as one product only.` }));
    },
  };
}

function sameProduct(before: StoredProduct, after: Product, measures: Measures): boolean {
  const pairs: [unknown, unknown][] = [
    [before.name, after.name], [before.barcodes, after.barcodes], [before.lot_tracked, after.lotTracked],
    [before.expiry_tracked, after.expiryTracked], [before.serial_tracked, after.serialTracked], [before.zone, after.zone], [before.pick_face_location_id, after.pickFaceLocationId],
    ...MEASURES.map((m) => [before[m], measures[m]] as [unknown, unknown]),
  ];
  return pairs.every(([a, b]) => sameValue(a, b));
}

/** Bin ids by code, for the codes that exist. */
async function idsByCode(tx: Queryable, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const { rows } = await tx.query<{ id: string; code: string }>('select id, code from locations where code = any($1::text[])', [codes]);
  return new Map(rows.map((bin) => [bin.code, bin.id]));
}
