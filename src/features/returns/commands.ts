// The returns screens' use-cases: find a return by its RMA or original order number, resolve item
// and bin scans, and submit return-receive / restock through the outbox. They read and write
// IndexedDB only, so returns work offline.
import type { Return } from '../../domain/entities';
import type { ScanLookup } from '../../domain/workflows/pick';
import type { ReturnView, ReturnsSubmission } from '../../domain/workflows/returns';
import type { DockhandDb } from '../../storage/db';
import { rowsWhere } from '../../storage/rows';
import { submit } from '../../storage/submit-bridge';
import type { SubmitResult } from '../../storage/outbox';
import { lookupScan } from '../../storage/scan-lookup';
import { readSession } from '../../storage/session-repo';
import { readReturnView } from './queries';

export type SubmitOutcome = { ok: true } | { ok: false; message: string };
export type FindReturnOutcome = { ok: true; returnId: string; rma: string } | { ok: false; message: string };

/** What the returns screens need done; tests may pass their own. */
export interface ReturnsCommands {
  /** The open return an RMA or order-number scan names, for the signed-in user. */
  findReturn(text: string): Promise<FindReturnOutcome>;
  resolveScan(text: string): Promise<ScanLookup>;
  /** Resolves once the mutation and its local effects have committed, or with the refusal. */
  submit(submission: ReturnsSubmission): Promise<SubmitOutcome>;
  loadView(returnId: string): Promise<ReturnView | null>;
}

/** The forms an order number may be scanned or typed in: `#1001` printed, `1001` on a barcode. */
function orderNumberForms(value: string): string[] {
  const bare = value.replace(/^#/, '');
  return [...new Set([value, bare, `#${bare}`, value.toUpperCase()])];
}

export async function findReturn(db: DockhandDb, text: string): Promise<FindReturnOutcome> {
  const value = text.trim();
  if (value === '') return { ok: false, message: 'Scan the RMA or the order number' };
  const session = await readSession(db);
  const ownerIds = session ? session.user.ownerIds : [];
  const mine = (ret: Return) => ownerIds === null || ownerIds.includes(ret.ownerId);

  const byRma = (await rowsWhere(db, 'returns', 'rma', [...new Set([value, value.toUpperCase()])])).filter(mine);
  const orders = await rowsWhere(db, 'orders', 'number', orderNumberForms(value));
  const byOrder = orders.length > 0 ? (await rowsWhere(db, 'returns', 'orderId', orders.map((o) => o.id))).filter(mine) : [];
  const found = [...byRma, ...byOrder];
  const open = found.filter((ret) => ret.status === 'open');

  if (open.length === 1) return { ok: true, returnId: open[0]!.id, rma: open[0]!.rma };
  if (open.length > 1) return { ok: false, message: `${value} has ${open.length} open returns (${open.map((r) => r.rma).join(', ')}): scan the RMA` };
  if (found.length > 0) return { ok: false, message: `Return ${found[0]!.rma} is closed: scan another return` };
  if (orders.length > 0) return { ok: false, message: `Order ${orders[0]!.number} has no open return on this device: sync, or ask a supervisor` };
  return { ok: false, message: `No return or order ${value} on this device: scan the RMA label again, or sync` };
}

/** A scan resolved against the device's bins (by code) and products (by any of their barcodes). */
export async function resolveReturnScan(db: DockhandDb, text: string, now: Date = new Date()): Promise<ScanLookup> {
  const match = await lookupScan(db, text, { now });
  if (match.kind !== 'product') return match;
  return { kind: 'product', product: { id: match.product.id, sku: match.product.sku, name: match.product.name }, lot: match.gs1?.lot ?? null };
}

export async function submitReturnsMutation(db: DockhandDb, submission: ReturnsSubmission, now: Date = new Date()): Promise<SubmitOutcome> {
  let result: SubmitResult;
  try {
    result =
      submission.type === 'return-receive'
        ? await submit(db, { type: 'return-receive', args: submission.args, now })
        : await submit(db, { type: 'restock', args: submission.args, now });
  } catch (error) {
    console.error('Could not save the return scan', error);
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Could not save this on the device (${reason}). Try again; if it keeps failing, tell a supervisor.` };
  }
  return result.ok ? { ok: true } : { ok: false, message: result.rejection.message };
}

export function createReturnsCommands(db: DockhandDb, clock: () => Date = () => new Date()): ReturnsCommands {
  return {
    findReturn: (text) => findReturn(db, text),
    resolveScan: (text) => resolveReturnScan(db, text, clock()),
    submit: (submission) => submitReturnsMutation(db, submission, clock()),
    loadView: (returnId) => readReturnView(db, returnId),
  };
}
