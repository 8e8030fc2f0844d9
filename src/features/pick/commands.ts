// The pick screens' use-cases: resolve a scan against the device's bins and products, submit
// pick / unpick / short-pick through the outbox, and keep the device-local line order. They read
// and write IndexedDB only, so picking works offline.
import { Dexie } from 'dexie';
import type { PickLine } from '../../domain/entities';
import type { PickSubmission, ScanLookup } from '../../domain/workflows/pick';
import type { DockhandDb } from '../../storage/db';
import { anticipate, submit } from '../../storage/submit-bridge';
import { lookupScan } from '../../storage/scan-lookup';
import type { SubmitResult } from '../../storage/outbox';

/** A committed submission answers the pick lines it changed, as committed. */
export type SubmitOutcome = { ok: true; lines: PickLine[] } | { ok: false; message: string };

/** What the pick screen needs done; tests may pass their own. */
export interface PickCommands {
  /** A scan as a bin, a product (with the lot and expiry a GS1 barcode carried) or unknown. */
  resolveScan(text: string, options?: { preferProductId?: string }): Promise<ResolvedScan>;
  /** Resolves once the mutation and its local effects have committed, or with the refusal. */
  submit(submission: PickSubmission): Promise<SubmitOutcome>;
  saveOrder(pickListId: string, lineIds: string[]): Promise<void>;
  /** The submission the picker is expected to make next (the item of the line whose bin they scanned): read ahead for it. */
  anticipate?(submission: PickSubmission): void;
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
  // Two owners may sell the same GTIN: the product the line wants wins.
  const match = await lookupScan(db, text, { now: options.now, choose: (products) => products.find((p) => p.id === options.preferProductId) ?? products[0] });
  if (match.kind !== 'product') return match;
  const product = { id: match.product.id, sku: match.product.sku, name: match.product.name };
  return match.gs1 ? { kind: 'product', product, lot: match.gs1.lot, expiry: match.gs1.expiry } : { kind: 'product', product, lot: null };
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
        result = await submit(db, { type: 'pick', args: submission.args, now });
        break;
      case 'unpick':
        result = await submit(db, { type: 'unpick', args: submission.args, now });
        break;
      case 'short-pick':
        result = await submit(db, { type: 'short-pick', args: submission.args, now });
        break;
    }
  } catch (error) {
    return failure(error);
  }
  if (!result.ok) return { ok: false, message: result.rejection.message };
  const lines = result.changes.flatMap((change) => (change.table === 'pickLines' && change.row ? [change.row as PickLine] : []));
  return { ok: true, lines };
}

/** Stores the device-local order of a list's lines (after a skip). */
export async function savePickOrder(db: DockhandDb, pickListId: string, lineIds: string[]): Promise<void> {
  await db.pickOrder.put({ pickListId, lineIds });
}

/** Most scans a pick screen remembers (`createPickCommands`); past this it starts over. */
const REMEMBERED_SCANS = 500;

/**
 * `resolveScan` remembering its answers until a bin or product on this device changes (a pull,
 * another tab): a picker scans the same bin and item again and again, and each scan then starts
 * its transaction at once instead of after lookups in indexes of the whole warehouse.
 */
export function rememberingResolver(db: DockhandDb): (text: string, options: { preferProductId?: string; now: Date }) => Promise<ResolvedScan> {
  const answers = new Map<string, ResolvedScan>();
  /** Bumped on every change to bins or products: a lookup that ran across one is not kept. */
  let generation = 0;
  const prefix = `idb://${db.name}/`;
  Dexie.on('storagemutated', (parts) => {
    // Bins and products live in `base` blocks (storage/rows) and, when changed here, the overlay.
    const changed = Object.keys(parts).some(
      (key) => key === 'all' || key.startsWith(`${prefix}base/`) || key.startsWith(`${prefix}locations/`) || key.startsWith(`${prefix}products/`),
    );
    if (!changed) return;
    generation += 1;
    answers.clear();
  });
  return async (text, options) => {
    const key = `${options.now.getFullYear()}\u0000${options.preferProductId ?? ''}\u0000${text}`;
    const known = answers.get(key);
    if (known) return known;
    const started = generation;
    const answer = await resolveScan(db, text, options);
    if (generation === started) {
      if (answers.size >= REMEMBERED_SCANS) answers.clear();
      answers.set(key, answer);
    }
    return answer;
  };
}

export function createPickCommands(db: DockhandDb, clock: () => Date = () => new Date()): PickCommands {
  const resolve = rememberingResolver(db);
  return {
    resolveScan: (text, options) => resolve(text, { ...options, now: clock() }),
    submit: (submission) => submitPickMutation(db, submission, clock()),
    saveOrder: (pickListId, lineIds) => savePickOrder(db, pickListId, lineIds),
    anticipate: (submission) => anticipate(db, { ...submission, now: clock() }),
  };
}
