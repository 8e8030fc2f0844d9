// Resolves a scan against the device's bins (by code), LPNs and products (by any of their barcodes,
// a GS1 label by its GTIN with the lot, expiry and count it carried). Every workflow's commands
// call it and map the ScanMatch to their own lookup; how LPN labels are read is theirs to choose.
import type { Product } from '../domain/entities';
import { isGs1Candidate, parseGs1 } from '../domain/gs1';
import type { Gs1Result } from '../domain/gs1';
import { barcodeKeys, productBarcodeKey } from '../domain/gtin';
import type { LpnInfo, ScanMatch } from '../domain/scan-match';
import { readLpnCode } from '../domain/workflows/receive-lpn';
import type { DockhandDb } from './db';
import { getRow, rowsWhere } from './rows';

/**
 * Reads a scan as an LPN: the match to answer with, or null to go on to the product lookup.
 * `gs1` is the scan parsed as a GS1 label, null when it does not look like one.
 */
export type LpnReader = (db: DockhandDb, value: string, gs1: Gs1Result | null) => Promise<ScanMatch | null>;

export interface ScanLookupOptions {
  /** Anchors the century of GS1 dates. */
  now?: Date;
  /** How LPN labels are read; without one, no scan is an LPN. */
  lpns?: LpnReader;
  /** Which of the products sharing a barcode the scan means (two owners may sell the same GTIN); the first by default. */
  choose?: (products: Product[]) => Product | undefined | Promise<Product | undefined>;
}

/** What the device holds of LPN `code`. */
export async function describeLpn(db: DockhandDb, code: string): Promise<LpnInfo> {
  const row = await getRow(db, 'lpns', code);
  if (!row) return { code, existing: null };
  const location = await getRow(db, 'locations', row.locationId);
  return { code, existing: { ownerId: row.ownerId, locationId: row.locationId, locationCode: location?.code ?? row.locationId, status: row.status } };
}

/**
 * Receiving: any well-formed LPN label (a Dockhand LPN, an SSCC) is an LPN, known to the device
 * or new; a malformed one is refused with what is wrong.
 */
export const readLpnLabel: LpnReader = async (db, value, gs1) => {
  if (gs1 && !gs1.ok) return null;
  if (gs1?.sscc) {
    const lpn = readLpnCode(value, gs1.sscc);
    return lpn?.ok ? { kind: 'lpn', lpn: await describeLpn(db, lpn.code) } : { kind: 'unknown', text: value, error: lpn?.error };
  }
  if (gs1) return null;
  const lpn = readLpnCode(value);
  if (lpn?.ok) return { kind: 'lpn', lpn: await describeLpn(db, lpn.code) };
  return lpn ? { kind: 'unknown', text: value, error: lpn.error } : null;
};

/** The LPN a scan names when the device knows it (an LPN row, or stock on it), in either case. */
async function findLpn(db: DockhandDb, value: string): Promise<string | null> {
  for (const candidate of new Set([value, value.toUpperCase()])) {
    if (await getRow(db, 'lpns', candidate)) return candidate;
  }
  const upper = value.toUpperCase();
  const rows = await rowsWhere(db, 'stock', 'lpn', [value, upper]);
  const row = rows.find((s) => s.lpn !== null && s.qty > 0 && (s.lpn === value || s.lpn.toUpperCase() === upper));
  return row?.lpn ?? null;
}

/**
 * Moving stock: a scan is an LPN only when the device holds it. A GS1 label that does not parse
 * may be an LPN printed as digits; an SSCC nobody here has falls through to the label's GTIN.
 */
export const readLpnOnDevice: LpnReader = async (db, value, gs1) => {
  if (gs1?.ok && !gs1.sscc) return null;
  const code = (gs1?.ok && gs1.sscc ? await findLpn(db, gs1.sscc) : null) ?? (await findLpn(db, value));
  if (code) return { kind: 'lpn', lpn: await describeLpn(db, code) };
  if (gs1?.ok && gs1.sscc && !gs1.gtin) return { kind: 'unknown', text: value, error: `No LPN on this device has SSCC ${gs1.sscc}` };
  return null;
};

/** A scan resolved against the device's bins, LPNs (as `options.lpns` reads them) and products. */
export function lookupScan(db: DockhandDb, text: string, options?: ScanLookupOptions & { lpns?: undefined }): Promise<Exclude<ScanMatch, { kind: 'lpn' }>>;
export function lookupScan(db: DockhandDb, text: string, options: ScanLookupOptions): Promise<ScanMatch>;
export async function lookupScan(db: DockhandDb, text: string, options: ScanLookupOptions = {}): Promise<ScanMatch> {
  const value = text.trim();
  if (value === '') return { kind: 'unknown', text };

  // Bin labels are printed upper-case; a typed code may not be.
  // A GS1 label is found by its GTIN; anything else (a plain GTIN, an SKU label) as it stands.
  const gs1 = isGs1Candidate(value) ? parseGs1(value, { currentYear: (options.now ?? new Date()).getFullYear() }) : null;
  const keys = gs1 ? (gs1.ok && gs1.gtin ? [productBarcodeKey(gs1.gtin)] : []) : barcodeKeys(value);
  // The bin and the products are read at once, so a scan waits for one IndexedDB round trip, not
  // two; each key is its own exact index read, which IndexedDB answers far sooner than the cursor
  // walk `anyOf` makes over the barcode index of a whole warehouse. Bin labels are upper-case.
  const locationRead = rowsWhere(db, 'locations', 'code', [value.toUpperCase()]).then((found) => found[0]);
  const productsRead = rowsWhere(db, 'products', 'barcodes', [...keys].sort());
  // A bin scan never needs the products: their read may finish (or fail) unobserved.
  productsRead.catch(() => undefined);

  const location = await locationRead;
  if (location) return { kind: 'location', location: { id: location.id, code: location.code } };

  const lpn = options.lpns ? await options.lpns(db, value, gs1) : null;
  if (lpn) return lpn;
  if (gs1 && !gs1.ok) return { kind: 'unknown', text: value, error: gs1.error };
  if (gs1 && !gs1.gtin) return { kind: 'unknown', text: value, error: "This GS1 label carries no GTIN: scan the item's own barcode" };

  const products = await productsRead;
  const product = options.choose ? await options.choose(products) : products[0];
  if (!product) {
    return gs1?.gtin ? { kind: 'unknown', text: value, error: `No product on this device has GTIN ${gs1.gtin}` } : { kind: 'unknown', text: value };
  }
  return { kind: 'product', product, gs1: gs1 ? { lot: gs1.lot ?? null, expiry: gs1.expiry ?? null, count: gs1.count ?? null, serial: gs1.serial ?? null } : null };
}
