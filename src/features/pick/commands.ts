// The pick screens' use-cases: resolve a scan against the device's bins and products, submit
// pick / unpick / short-pick through the outbox, and keep the device-local line order. They read
// and write IndexedDB only, so picking works offline.
import { barcodeKeys } from '../../domain/gtin';
import type { PickSubmission, PickView, ScanLookup } from '../../domain/workflows/pick';
import type { DockhandDb } from '../../storage/db';
import { submitMutation } from '../../storage/outbox';
import type { SubmitResult } from '../../storage/outbox';
import { readPickView } from './queries';

export type SubmitOutcome = { ok: true } | { ok: false; message: string };

/** What the pick screen needs done; tests may pass their own. */
export interface PickCommands {
  /** A scan as a bin, a product (with the lot a GS1 barcode carried) or unknown. */
  resolveScan(text: string, options?: { preferProductId?: string }): Promise<ScanLookup>;
  /** Resolves once the mutation and its local effects have committed, or with the refusal. */
  submit(submission: PickSubmission): Promise<SubmitOutcome>;
  saveOrder(pickListId: string, lineIds: string[]): Promise<void>;
  loadView(pickListId: string): Promise<PickView | null>;
}

const GROUP_SEPARATOR = '\x1d';

/** Lengths of the fixed-length GS1 AIs a product label carries; the others run to a separator. */
const FIXED_AI_LENGTH: Record<string, number> = { '00': 18, '01': 14, '02': 14, '11': 6, '13': 6, '15': 6, '17': 6 };

/**
 * The GTIN and lot of a GS1 element string ("01…10…", FNC1 as \x1d), its bracketed form
 * ("(01)…(10)…") or a GS1 Digital Link URL; null for anything else. Only what a pick needs.
 * TODO(lead): use the domain's GS1 parser once receiving adds one.
 */
export function gs1ProductCode(text: string): { gtin: string; lot: string | null } | null {
  const link = /\/01\/(\d{14})(?:\/10\/([^/?#]+))?/.exec(text);
  if (link?.[1]) return { gtin: link[1], lot: link[2] ? decodeURIComponent(link[2]) : null };

  const fields = new Map<string, string>();
  if (text.startsWith('(')) {
    for (const match of text.matchAll(/\((\d{2,4})\)([^(]*)/g)) fields.set(match[1]!, match[2]!);
  } else if (/^01\d{14}/.test(text)) {
    let rest = text;
    while (rest.length >= 2) {
      const ai = rest.slice(0, 2);
      const fixed = FIXED_AI_LENGTH[ai];
      if (fixed !== undefined) {
        fields.set(ai, rest.slice(2, 2 + fixed));
        rest = rest.slice(2 + fixed);
        if (rest.startsWith(GROUP_SEPARATOR)) rest = rest.slice(1);
      } else if (ai === '10' || ai === '21') {
        const end = rest.indexOf(GROUP_SEPARATOR);
        fields.set(ai, end === -1 ? rest.slice(2) : rest.slice(2, end));
        rest = end === -1 ? '' : rest.slice(end + 1);
      } else {
        break; // an AI this parser does not know: what it read so far stands
      }
    }
  }
  const gtin = fields.get('01');
  if (!gtin || !/^\d{14}$/.test(gtin)) return null;
  return { gtin, lot: fields.get('10') || null };
}

/** A scan resolved against the device's bins (by code) and products (by any of their barcodes). */
export async function resolveScan(
  db: DockhandDb,
  text: string,
  options: { preferProductId?: string } = {},
): Promise<ScanLookup> {
  const value = text.trim();
  if (value === '') return { kind: 'unknown', text };

  // Bin labels are printed upper-case; a typed code may not be.
  const location = await db.locations.where('code').equals(value.toUpperCase()).first();
  if (location) return { kind: 'location', location: { id: location.id, code: location.code } };

  const gs1 = gs1ProductCode(value);
  const keys = barcodeKeys(gs1?.gtin ?? value);
  // Two owners may sell the same GTIN: the product the line wants wins.
  const products = await db.products.where('barcodes').anyOf(keys).toArray();
  const product = products.find((p) => p.id === options.preferProductId) ?? products[0];
  if (!product) return { kind: 'unknown', text: value };
  return { kind: 'product', product: { id: product.id, sku: product.sku, name: product.name }, lot: gs1?.lot ?? null };
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
    resolveScan: (text, options) => resolveScan(db, text, options),
    submit: (submission) => submitPickMutation(db, submission, clock()),
    saveOrder: (pickListId, lineIds) => savePickOrder(db, pickListId, lineIds),
    loadView: (pickListId) => readPickView(db, pickListId),
  };
}
