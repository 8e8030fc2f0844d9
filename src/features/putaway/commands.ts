// The putaway screen's use-cases: resolve a scan against the device's bins, LPNs and products,
// and submit `move` mutations through the outbox (an LPN's rows one after another). They read
// and write IndexedDB only, so putaway works offline.
import { isGs1Candidate, parseGs1 } from '../../domain/gs1';
import { barcodeKeys, productBarcodeKey } from '../../domain/gtin';
import type { PutawayLookup, PutawaySubmission, PutawayView } from '../../domain/workflows/putaway';
import type { DockhandDb } from '../../storage/db';
import { submitMutation } from '../../storage/outbox';
import { readPutawayView } from './queries';

export type MovesOutcome = { ok: true } | { ok: false; message: string; /** Moves that committed before the refusal. */ done: number };

/** What the putaway screen needs done; tests may pass their own. */
export interface PutawayCommands {
  resolveScan(text: string): Promise<PutawayLookup>;
  /** Resolves once every move committed locally, or with the first refusal and how many went before. */
  submit(submission: PutawaySubmission): Promise<MovesOutcome>;
  loadView(): Promise<PutawayView>;
}

/** The LPN a scan names, when the device knows it (an LPN row, or stock on it). */
async function findLpn(db: DockhandDb, value: string): Promise<string | null> {
  for (const candidate of new Set([value, value.toUpperCase()])) {
    if (await db.lpns.get(candidate)) return candidate;
  }
  const upper = value.toUpperCase();
  const row = await db.stock.filter((s) => s.lpn !== null && s.qty > 0 && (s.lpn === value || s.lpn.toUpperCase() === upper)).first();
  return row?.lpn ?? null;
}

/**
 * A scan as a bin (by code), an LPN (its label, or a GS1 SSCC), a product (any of its barcodes,
 * with the lot a GS1 label carried) or unknown.
 */
export async function resolvePutawayScan(db: DockhandDb, text: string, now: Date = new Date()): Promise<PutawayLookup> {
  const value = text.trim();
  if (value === '') return { kind: 'unknown', text };

  const location = await db.locations.where('code').equals(value.toUpperCase()).first();
  if (location) return { kind: 'location', location: { id: location.id, code: location.code } };

  const gs1 = isGs1Candidate(value) ? parseGs1(value, { currentYear: now.getFullYear() }) : null;
  if (gs1 && !gs1.ok) {
    // Not a GS1 label after all, perhaps: an LPN printed as digits.
    const lpn = await findLpn(db, value);
    return lpn ? { kind: 'lpn', lpn } : { kind: 'unknown', text: value, error: gs1.error };
  }
  if (gs1?.sscc) {
    const lpn = (await findLpn(db, gs1.sscc)) ?? (await findLpn(db, value));
    if (lpn) return { kind: 'lpn', lpn };
    if (!gs1.gtin) return { kind: 'unknown', text: value, error: `No LPN on this device has SSCC ${gs1.sscc}` };
  }
  if (!gs1) {
    const lpn = await findLpn(db, value);
    if (lpn) return { kind: 'lpn', lpn };
  }
  if (gs1 && !gs1.gtin) return { kind: 'unknown', text: value, error: "This GS1 label carries no GTIN: scan the item's own barcode" };

  const keys = gs1?.gtin ? [productBarcodeKey(gs1.gtin)] : barcodeKeys(value);
  const product = await db.products.where('barcodes').anyOf(keys).first();
  if (!product) {
    return gs1?.gtin ? { kind: 'unknown', text: value, error: `No product on this device has GTIN ${gs1.gtin}` } : { kind: 'unknown', text: value };
  }
  return { kind: 'product', product: { id: product.id, sku: product.sku, name: product.name }, lot: gs1?.lot ?? null };
}

/** Submits the moves in order through the outbox, stopping at the first refusal. */
export async function submitMoves(db: DockhandDb, submission: PutawaySubmission, now: Date = new Date()): Promise<MovesOutcome> {
  let done = 0;
  for (const args of submission.moves) {
    try {
      const result = await submitMutation(db, { type: 'move', args, now });
      if (!result.ok) return { ok: false, message: result.rejection.message, done };
    } catch (error) {
      console.error('Could not save the move', error);
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, message: `Could not save this on the device (${reason}). Try again; if it keeps failing, tell a supervisor.`, done };
    }
    done += 1;
  }
  return { ok: true };
}

export function createPutawayCommands(db: DockhandDb, clock: () => Date = () => new Date()): PutawayCommands {
  return {
    resolveScan: (text) => resolvePutawayScan(db, text, clock()),
    submit: (submission) => submitMoves(db, submission, clock()),
    loadView: () => readPutawayView(db),
  };
}
