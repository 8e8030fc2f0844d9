// What a scan names on this device, as the storage layer's scan resolver answers it: a bin, an
// LPN, a product (with what a GS1 label carried) or nothing known. It is the superset of what the
// workflows need; each workflow maps it to its own lookup type.
import type { Product } from './entities';

/** An LPN a scan named. */
export interface LpnInfo {
  code: string;
  /** The LPN row on the device, if any: where it is and whose. */
  existing: { ownerId: string; locationId: string; locationCode: string; status: 'open' | 'closed' } | null;
}

/** What a GS1 label carried besides the GTIN; null fields for what it did not carry. */
export interface Gs1Extras {
  lot: string | null;
  /** `YYYY-MM-DD`. */
  expiry: string | null;
  count: number | null;
  /** The unit's serial number (AI 21). */
  serial?: string | null;
}

export type ScanMatch =
  | { kind: 'location'; location: { id: string; code: string } }
  | { kind: 'lpn'; lpn: LpnInfo }
  /** `gs1`: null for a plain barcode (a GTIN, an SKU label). */
  | { kind: 'product'; product: Product; gs1: Gs1Extras | null }
  /** `error`: what is wrong with a barcode that was recognised (a GS1 label, an LPN) but cannot be used. */
  | { kind: 'unknown'; text: string; error?: string };
