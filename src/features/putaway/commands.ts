// The putaway screen's use-cases: resolve a scan against the device's bins, LPNs and products,
// and submit `move` mutations through the outbox (an LPN's rows one after another). They read
// and write IndexedDB only, so putaway works offline.
import type { PutawayLookup, PutawaySubmission, PutawayView } from '../../domain/workflows/putaway';
import type { DockhandDb } from '../../storage/db';
import { submit } from '../../storage/submit-bridge';
import { lookupScan, readLpnOnDevice } from '../../storage/scan-lookup';
import { readPutawayView } from './queries';

export type MovesOutcome = { ok: true } | { ok: false; message: string; /** Moves that committed before the refusal. */ done: number };

/** What the putaway screen needs done; tests may pass their own. */
export interface PutawayCommands {
  resolveScan(text: string): Promise<PutawayLookup>;
  /** Resolves once every move committed locally, or with the first refusal and how many went before. */
  submit(submission: PutawaySubmission): Promise<MovesOutcome>;
  loadView(): Promise<PutawayView>;
}

/** A scan as a bin (by code), an LPN the device holds (its label, or a GS1 SSCC), a product (any of its barcodes, with the lot a GS1 label carried) or unknown. */
export async function resolvePutawayScan(db: DockhandDb, text: string, now: Date = new Date()): Promise<PutawayLookup> {
  const match = await lookupScan(db, text, { now, lpns: readLpnOnDevice });
  switch (match.kind) {
    case 'lpn':
      return { kind: 'lpn', lpn: match.lpn.code };
    case 'product':
      return { kind: 'product', product: { id: match.product.id, sku: match.product.sku, name: match.product.name }, lot: match.gs1?.lot ?? null };
    default:
      return match;
  }
}

/** Submits the moves in order through the outbox, stopping at the first refusal. */
export async function submitMoves(db: DockhandDb, submission: PutawaySubmission, now: Date = new Date()): Promise<MovesOutcome> {
  let done = 0;
  for (const args of submission.moves) {
    try {
      const result = await submit(db, { type: 'move', args, now });
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
