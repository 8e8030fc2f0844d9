// The pick screens' use-cases: resolve a scan against the device's bins and products, submit
// pick / unpick / short-pick through the outbox, and keep the device-local line order. They read
// and write IndexedDB only, so picking works offline.
import { isGs1Candidate, parseGs1 } from '../../domain/gs1';
import { barcodeKeys, productBarcodeKey } from '../../domain/gtin';
import type { PickSubmission, PickView, ScanLookup } from '../../domain/workflows/pick';
import type { DockhandDb } from '../../storage/db';
import { submitMutation } from '../../storage/outbox';
import type { SubmitResult } from '../../storage/outbox';
import { readPickView } from './queries';

export type SubmitOutcome = { ok: true } | { ok: false; message: string };

/** What the pick screen needs done; tests may pass their own. */
export interface PickCommands {
  /** A scan as a bin, a product (with the lot and expiry a GS1 barcode carried) or unknown. */
  resolveScan(text: string, options?: { preferProductId?: string }): Promise<ResolvedScan>;
  /** Resolves once the mutation and its local effects have committed, or with the refusal. */
  submit(submission: PickSubmission): Promise<SubmitOutcome>;
  saveOrder(pickListId: string, lineIds: string[]): Promise<void>;
  loadView(pickListId: string): Promise<PickView | null>;
}

/**
 * A scan as `resolveScan` answers it: the workflow's lookup, plus the expiry a GS1 label carried
 * and, for a GS1 barcode that could not be read or matched, what is wrong with it.
 */
export type ResolvedScan =
  | Extract<ScanLookup, { kind: 'location' }>
  | (Extract<ScanLookup, { kind: 'product' }> & { expiry?: string | null })
  | Extract<ScanLookup, { kind: 'unknown' }>;

/** A scan resolved against the device's bins (by code) and products (by any of their barcodes). */
export async function resolveScan(
  db: DockhandDb,
  text: string,
  options: { preferProductId?: string; now?: Date } = {},
): Promise<ResolvedScan> {
  const value = text.trim();
  if (value === '') return { kind: 'unknown', text };

  // Bin labels are printed upper-case; a typed code may not be.
  const location = await db.locations.where('code').equals(value.toUpperCase()).first();
  if (location) return { kind: 'location', location: { id: location.id, code: location.code } };

  // A GS1 label is found by its GTIN; anything else (a plain GTIN, an SKU label) as it stands.
  const gs1 = isGs1Candidate(value) ? parseGs1(value, { currentYear: (options.now ?? new Date()).getFullYear() }) : null;
  if (gs1 && !gs1.ok) return { kind: 'unknown', text: value, error: gs1.error };
  if (gs1 && !gs1.gtin) return { kind: 'unknown', text: value, error: "This GS1 label carries no GTIN: scan the item's own barcode" };

  const keys = gs1?.gtin ? [productBarcodeKey(gs1.gtin)] : barcodeKeys(value);
  // Two owners may sell the same GTIN: the product the line wants wins.
  const products = await db.products.where('barcodes').anyOf(keys).toArray();
  const product = products.find((p) => p.id === options.preferProductId) ?? products[0];
  if (!product) {
    return gs1?.gtin ? { kind: 'unknown', text: value, error: `No product on this device has GTIN ${gs1.gtin}` } : { kind: 'unknown', text: value };
  }
  const found = { kind: 'product' as const, product: { id: product.id, sku: product.sku, name: product.name } };
  return gs1 ? { ...found, lot: gs1.lot ?? null, expiry: gs1.expiry ?? null } : { ...found, lot: null };
}

function failure(error: unknown): SubmitOutcome {
  console.error('Could not save the pick', error);
  const reason = error instanceof Error ? error.message : String(error);
  return { ok: false, message: `Could not save this on the device (${reason}). Try again; if it keeps failing, tell a supervisor.` };
}

/** Submits one pick-screen mutation through the outbox; resolves after the local commit. */
export async function submitPickMutation(db: DockhandDb, submission: PickSubmission, now: Date = new Date()): Promise<SubmitOutcome> {
  let result: SubmitResult;
  try {
    switch (submission.type) {
      case 'pick':
        result = await submitMutation(db, { type: 'pick', args: submission.args, now });
        break;
      case 'unpick':
        result = await submitMutation(db, { type: 'unpick', args: submission.args, now });
        break;
      case 'short-pick':
        result = await submitMutation(db, { type: 'short-pick', args: submission.args, now });
        break;
    }
  } catch (error) {
    return failure(error);
  }
  return result.ok ? { ok: true } : { ok: false, message: result.rejection.message };
}

/** Stores the device-local order of a list's lines (after a skip). */
export async function savePickOrder(db: DockhandDb, pickListId: string, lineIds: string[]): Promise<void> {
  await db.pickOrder.put({ pickListId, lineIds });
}

export function createPickCommands(db: DockhandDb, clock: () => Date = () => new Date()): PickCommands {
  return {
    resolveScan: (text, options) => resolveScan(db, text, { ...options, now: clock() }),
    submit: (submission) => submitPickMutation(db, submission, clock()),
    saveOrder: (pickListId, lineIds) => savePickOrder(db, pickListId, lineIds),
    loadView: (pickListId) => readPickView(db, pickListId),
  };
}
