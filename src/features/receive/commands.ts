// The receive screens' use-cases: resolve a scan against the device's receipts, bins, LPNs and
// products; submit receive / close-receipt through the outbox; keep a damage photo for upload;
// draw a new LPN number from the device's ranges. They read and write IndexedDB only (the LPN
// top-up is a best-effort request when online), so receiving works offline.
import type { Product } from '../../domain/entities';
import type { ReceiveLookup, ReceiveSubmission, ReceiveView } from '../../domain/workflows/receive';
import type { DockhandDb } from '../../storage/db';
import { getRow, rowsWhere } from '../../storage/rows';
import { submit } from '../../storage/submit-bridge';
import { warehouseDate, type SubmitResult } from '../../storage/outbox';
import { lookupScan, readLpnLabel } from '../../storage/scan-lookup';
import { drawLpnNumber, topUpLpnNumbers, type DrawResult, type LpnNetwork } from './lpn-numbers';
import { readReceiveView } from './queries';

export type SubmitOutcome = { ok: true; mutationId: string } | { ok: false; message: string };

/** What the receive screens need done; tests may pass their own. */
export interface ReceiveCommands {
  /** A scan as a receipt, bin, LPN, product (with what a GS1 label carried) or unknown. */
  resolveScan(text: string, context?: { receiptId?: string }): Promise<ReceiveLookup>;
  /** Resolves once the mutation and its local effects have committed, or with the refusal. */
  submit(submission: ReceiveSubmission): Promise<SubmitOutcome>;
  /** Keeps a damage photo for upload, keyed by the mutation that recorded the damage. */
  savePhoto(input: { mutationId: string; receiptId: string; photo: Blob }): Promise<{ ok: true } | { ok: false; message: string }>;
  /** The next LPN from this device's ranges (fetching a range first when none is left and online). */
  drawLpn(): Promise<DrawResult>;
  /** Reserves more LPN numbers when few are left and the device is online. */
  topUpLpns(): Promise<boolean>;
  loadView(receiptId: string): Promise<ReceiveView | null>;
  /** Today at the warehouse (`YYYY-MM-DD`) in its time zone (the receipt view's), for expiry checks. */
  today(timeZone: string | undefined): string;
}

/** Image types the server takes; anything else is refused before it is stored. */
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
/** The server's limit on one photo. */
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** Two owners may sell the same GTIN: the receipt's lines win, then the receipt's owner. */
async function pickProduct(db: DockhandDb, products: Product[], receiptId: string | undefined): Promise<Product | undefined> {
  if (products.length < 2 || !receiptId) return products[0];
  const [receipt, lines] = await Promise.all([getRow(db, 'receipts', receiptId), rowsWhere(db, 'receiptLines', 'receiptId', [receiptId])]);
  return (
    products.find((p) => lines.some((line) => line.productId === p.id)) ??
    products.find((p) => p.ownerId === receipt?.ownerId) ??
    products[0]
  );
}

const asProduct = (product: Product) => ({
  id: product.id,
  ownerId: product.ownerId,
  sku: product.sku,
  name: product.name,
  lotTracked: product.lotTracked,
  expiryTracked: product.expiryTracked,
});

/** A scan resolved against the device's receipts (by number), bins (by code), LPN labels and products. */
export async function resolveReceiveScan(
  db: DockhandDb,
  text: string,
  options: { receiptId?: string; now?: Date } = {},
): Promise<ReceiveLookup> {
  const value = text.trim();
  if (value !== '') {
    const found = await rowsWhere(db, 'receipts', 'number', [value, value.toUpperCase()]);
    const receipt = found.find((r) => r.number === value) ?? found[0];
    if (receipt) return { kind: 'receipt', receipt: { id: receipt.id, number: receipt.number, status: receipt.status } };
  }
  const match = await lookupScan(db, text, { now: options.now, lpns: readLpnLabel, choose: (products) => pickProduct(db, products, options.receiptId) });
  if (match.kind !== 'product') return match;
  const { gs1 } = match;
  if (!gs1) return { kind: 'product', product: asProduct(match.product) };
  return { kind: 'product', product: asProduct(match.product), lot: gs1.lot, expiry: gs1.expiry, count: gs1.count };
}

function failure(error: unknown): SubmitOutcome {
  console.error('Could not save the receipt scan', error);
  const reason = error instanceof Error ? error.message : String(error);
  return { ok: false, message: `Could not save this on the device (${reason}). Try again; if it keeps failing, tell a supervisor.` };
}

/** Submits one receive-screen mutation through the outbox; resolves after the local commit. */
export async function submitReceiveMutation(db: DockhandDb, submission: ReceiveSubmission, now: Date = new Date()): Promise<SubmitOutcome> {
  let result: SubmitResult;
  try {
    result =
      submission.type === 'receive'
        ? await submit(db, { type: 'receive', args: submission.args, now })
        : await submit(db, { type: 'close-receipt', args: submission.args, now });
  } catch (error) {
    return failure(error);
  }
  return result.ok ? { ok: true, mutationId: result.mutationId } : { ok: false, message: result.rejection.message };
}

/**
 * Stores a damage photo for the uploader. Runs after the mutation committed: the damage is
 * recorded whether or not the photo can be kept.
 */
export async function saveDamagePhoto(
  db: DockhandDb,
  input: { mutationId: string; receiptId: string; photo: Blob },
  now: Date = new Date(),
): Promise<{ ok: true } | { ok: false; message: string }> {
  const type = input.photo.type || 'image/jpeg';
  if (!PHOTO_TYPES.has(type)) return { ok: false, message: 'The photo was not kept: take it as JPEG, PNG or WebP.' };
  if (input.photo.size > MAX_PHOTO_BYTES) return { ok: false, message: 'The photo was not kept: it is over 5 MB. Take it at a lower resolution.' };
  try {
    await db.photos.put({
      mutationId: input.mutationId,
      receiptId: input.receiptId,
      blob: input.photo,
      type,
      size: input.photo.size,
      uploaded: 0,
      takenAt: now.getTime(),
      attempts: 0,
    });
    return { ok: true };
  } catch (error) {
    console.error('Could not keep the photo', error);
    return { ok: false, message: 'The photo could not be kept on the device; the damage is recorded.' };
  }
}

/** Draws the next LPN; with none left, tries for a range first when online. Tops up afterwards. */
export async function drawLpn(db: DockhandDb, network: LpnNetwork): Promise<DrawResult> {
  let drawn = await drawLpnNumber(db);
  if (!drawn.ok && (await topUpLpnNumbers(db, network))) drawn = await drawLpnNumber(db);
  if (drawn.ok) void topUpLpnNumbers(db, network);
  return drawn;
}

const browserNetwork: LpnNetwork = {
  fetch: (...args) => globalThis.fetch(...args),
  isOnline: () => (globalThis.navigator as Navigator | undefined)?.onLine ?? true,
};

export function createReceiveCommands(
  db: DockhandDb,
  options: { clock?: () => Date; network?: LpnNetwork } = {},
): ReceiveCommands {
  const clock = options.clock ?? (() => new Date());
  const network = options.network ?? browserNetwork;
  return {
    resolveScan: (text, context) => resolveReceiveScan(db, text, { ...context, now: clock() }),
    submit: (submission) => submitReceiveMutation(db, submission, clock()),
    savePhoto: (input) => saveDamagePhoto(db, input, clock()),
    drawLpn: () => drawLpn(db, network),
    topUpLpns: () => topUpLpnNumbers(db, network),
    loadView: (receiptId) => readReceiveView(db, receiptId),
    // The commands' clock, so a test that sets the time sets today with it.
    today: (timeZone) => warehouseDate(timeZone, clock()),
  };
}
