// The receive workflow as a pure state machine: choose a receipt, optionally scan or create an
// LPN to receive onto, scan items (+1 a scan, or a GS1 label's count), give the lot and expiry a
// tracked product needs, type a quantity, record damaged units, close with a summary. The reducer
// decides; the command layer carries out its intent (a mutation, a new LPN number) and reports
// back. The domain rule (rules/receive.ts) is the judge of over-receipt and unexpected items: its
// refusal is shown as it stands, with its numbers.
//
// The steps, what each shows and what a scan does there:
// - choosing a receipt (`chooseReceipt`, the /receive list): the user's open receipts. A receipt
//   number barcode (ASN-…, PO-…) opens it; a closed receipt, an item or a bin is refused.
// - `scan-item`: the receipt's lines, the current item and LPN; "Scan an item". An item submits a
//   receive of 1 (or the count a GS1 label carries) at the receipt's dock, on the current LPN;
//   a tracked item whose lot or expiry is unknown asks for them first (→ lot-expiry). An LPN
//   label (Dockhand LPN or SSCC) becomes the current LPN, unless it is closed, elsewhere or
//   another owner's. A receipt number, a bin or an unknown barcode is refused saying what to do.
// - `lot-expiry`: a form for the lot and/or expiry of the current item. A GS1 scan of the same
//   item carrying them fills them in; other scans are refused. An unreadable or past date is
//   refused with the reason and the form stays.
// - `enter-quantity`: good units of the current item, typed. Scans are refused.
// - `damaged`: damaged units of the current item with a reason (and an optional photo, which the
//   command layer stores after the mutation commits). Scans are refused.
// - `confirm-close`: the short-receipt summary and "Close receipt". Scans are refused.
// - `closed`: the receipt is closed (here or elsewhere): the summary; scans are refused.
//
// A submission is confirmed only when the command layer reports `submitted` (after the local
// transaction committed), with the view read after the commit; while one is pending, anything
// that would submit again is refused.
import type { ReceiptLine } from '../entities';
import type { ArgsOf } from '../mutations';
import { parseExpiry } from '../rules/dates';
import type { LpnInfo } from '../scan-match';
import { abbreviate, refuse as error, type WorkflowMessage } from './message';

/** An item as the receive screen names and checks it. */
export interface ReceiveProduct {
  id: string;
  /** Whose item it is: another client's is refused before anything is asked about it. */
  ownerId?: string;
  sku: string;
  name: string;
  lotTracked: boolean;
  expiryTracked: boolean;
}

/** What the receive screen works on: one receipt, read from the device's view. */
export interface ReceiveView {
  receiptId: string;
  /** The number on the paperwork and its barcode, e.g. `ASN-1001`. */
  number: string;
  ownerId: string;
  supplier: string;
  status: 'open' | 'closed';
  dockLocationId: string;
  /** The dock's code, where received stock lands. */
  dockCode: string;
  /** The lines in the receipt's order (expected lines first, unexpected ones after). */
  lines: readonly ReceiptLine[];
  /** Every product the lines name. */
  products: Readonly<Record<string, ReceiveProduct>>;
  /** The client takes items that are not on the receipt (received as unexpected lines). */
  allowUnexpected?: boolean;
  /** The warehouse's time zone as the server last named it (absent before a first pull): whose "today" expiry is checked against. */
  timeZone?: string;
}

/** An LPN as the device knows it (null fields: a label the device has never seen). */
export type { LpnInfo } from '../scan-match';

/** A scan as the command layer resolved it against the device's receipts, bins, LPNs and products. */
export type ReceiveLookup =
  | { kind: 'receipt'; receipt: { id: string; number: string; status: 'open' | 'closed' } }
  | { kind: 'location'; location: { id: string; code: string } }
  | { kind: 'lpn'; lpn: LpnInfo }
  | {
      kind: 'product';
      product: ReceiveProduct;
      /** What a GS1 label carried; absent for a plain GTIN or SKU label. */
      lot?: string | null;
      expiry?: string | null;
      count?: number | null;
    }
  /** `error` says what is wrong with a barcode that looked like GS1 or an LPN. */
  | { kind: 'unknown'; text: string; error?: string };

export type ReceiveStep = 'scan-item' | 'lot-expiry' | 'enter-quantity' | 'damaged' | 'confirm-close' | 'closed';

export type ReceiveSubmission =
  | { type: 'receive'; args: ArgsOf<'receive'> }
  | { type: 'close-receipt'; args: ArgsOf<'close-receipt'> };

export type ReceiveMessage = WorkflowMessage;

/** The item being received now, with the lot and expiry its units get. */
export interface CurrentItem {
  product: ReceiveProduct;
  lot: string | null;
  expiry: string | null;
}

/** A scanned item waiting for its lot or expiry before its units are submitted. */
export interface AwaitingBatch {
  product: ReceiveProduct;
  lot: string | null;
  expiry: string | null;
  /** Units the scan stood for, submitted once the form is complete; 0 when opened by the button. */
  units: number;
}

export interface ReceiveState {
  step: ReceiveStep;
  view: ReceiveView;
  /** Today at the warehouse (`YYYY-MM-DD`), for expiry checks. */
  today: string;
  current: CurrentItem | null;
  /** The LPN received units go onto; null for loose at the dock. */
  lpn: string | null;
  /** Set while in `lot-expiry`. */
  awaiting: AwaitingBatch | null;
  /** The mutation handed to the command layer and not yet answered. */
  pending: ReceiveSubmission | null;
  /** True while the command layer draws a new LPN number. */
  drawingLpn: boolean;
  message: ReceiveMessage | null;
}

export type ReceiveEvent =
  | { type: 'scan'; lookup: ReceiveLookup }
  | { type: 'open-quantity' }
  | { type: 'quantity'; qty: number }
  | { type: 'open-damaged' }
  | { type: 'damaged'; qty: number; reason: string }
  | { type: 'open-lot-expiry' }
  /** The lot and expiry typed in the form; '' for a field left empty. */
  | { type: 'lot-expiry'; lot: string; expiry: string }
  | { type: 'new-lpn' }
  | { type: 'lpn-drawn'; code: string; remaining: number }
  | { type: 'lpn-unavailable'; message: string }
  | { type: 'clear-lpn' }
  | { type: 'open-close' }
  | { type: 'confirm-close' }
  /** Closes the open form. */
  | { type: 'cancel' }
  /** The pending mutation committed locally; `view` was read after the commit. */
  | { type: 'submitted'; view: ReceiveView }
  /** The pending mutation was refused by the local rule (or could not be written). */
  | { type: 'rejected'; message: string }
  /** The view changed under the screen (a sync pull, another tab, the screen's own commits). */
  | { type: 'view-updated'; view: ReceiveView };

export type ReceiveIntent = { submit: ReceiveSubmission } | { drawLpn: true };

export interface ReceiveResult {
  state: ReceiveState;
  intent: ReceiveIntent | null;
  /** The scan tone to play now; null when there is none yet (a submission decides it later). */
  feedback: 'success' | 'error' | null;
}

export { DAMAGE_REASONS } from '../damage';

/** Largest quantity one typed entry or GS1 count may carry (the mutation schema's limit). */
export const MAX_UNITS = 100_000;


// ---- Reading the view ----

export function productText(product: Pick<ReceiveProduct, 'sku' | 'name'>): string {
  return `${product.sku} ${product.name}`;
}

export function lineOf(view: ReceiveView, productId: string): ReceiptLine | undefined {
  return view.lines.find((line) => line.productId === productId);
}

export interface ReceiveProgress {
  /** Good units received on expected lines, counted up to what each line expects. */
  unitsDone: number;
  unitsExpected: number;
  linesComplete: number;
  lineCount: number;
}

export function receiveProgress(lines: readonly ReceiptLine[]): ReceiveProgress {
  const expected = lines.filter((line) => !line.unexpected);
  return {
    unitsDone: expected.reduce((sum, line) => sum + Math.min(line.receivedQty, line.expectedQty), 0),
    unitsExpected: expected.reduce((sum, line) => sum + line.expectedQty, 0),
    linesComplete: expected.filter((line) => line.receivedQty >= line.expectedQty).length,
    lineCount: expected.length,
  };
}

export interface SummaryLine {
  lineId: string;
  productId: string;
  expected: number;
  received: number;
  damaged: number;
  /** Good units missing against the expectation (0 when complete or over). */
  short: number;
  /** Good units beyond the expectation. */
  over: number;
  unexpected: boolean;
}

export interface ReceiveSummary {
  lines: SummaryLine[];
  expected: number;
  received: number;
  damaged: number;
  short: number;
  /** Lines received short of what they expected. */
  shortLines: number;
}

/** The short-receipt summary: expected, received and damaged per line, and what is missing. */
export function receiveSummary(lines: readonly ReceiptLine[]): ReceiveSummary {
  const rows = lines.map((line) => ({
    lineId: line.id,
    productId: line.productId,
    expected: line.expectedQty,
    received: line.receivedQty,
    damaged: line.damagedQty,
    short: Math.max(0, line.expectedQty - line.receivedQty),
    over: Math.max(0, line.receivedQty - line.expectedQty),
    unexpected: line.unexpected,
  }));
  return {
    lines: rows,
    expected: rows.reduce((sum, row) => sum + row.expected, 0),
    received: rows.reduce((sum, row) => sum + row.received, 0),
    damaged: rows.reduce((sum, row) => sum + row.damaged, 0),
    short: rows.reduce((sum, row) => sum + row.short, 0),
    shortLines: rows.filter((row) => row.short > 0).length,
  };
}

/** The line under the Scan field saying what to scan next. */
export function scanPrompt(state: ReceiveState): string {
  switch (state.step) {
    case 'scan-item':
      return state.current ? `Scan the next item (now ${productText(state.current.product)})` : 'Scan an item or an LPN';
    case 'lot-expiry':
      return 'Enter the lot and expiry, or scan the GS1 label';
    case 'enter-quantity':
      return 'Enter the quantity received';
    case 'damaged':
      return 'Record the damaged units';
    case 'confirm-close':
      return 'Check the summary, then close the receipt';
    case 'closed':
      return 'Receipt closed';
  }
}

/** What the tracked product still needs, for the form's title: "lot", "expiry" or both. */
export function needsOf(product: ReceiveProduct): { lot: boolean; expiry: boolean } {
  return { lot: product.lotTracked, expiry: product.expiryTracked };
}

// ---- Choosing a receipt ----

export type ChooseResult = { open: string; feedback: 'success' } | { error: string; feedback: 'error' };

/** What a scan on the receipts list does: a receipt number opens it; anything else is refused. */
export function chooseReceipt(lookup: ReceiveLookup): ChooseResult {
  switch (lookup.kind) {
    case 'receipt':
      if (lookup.receipt.status !== 'open') {
        return { error: `Receipt ${lookup.receipt.number} is closed: scan another receipt`, feedback: 'error' };
      }
      return { open: lookup.receipt.id, feedback: 'success' };
    case 'product':
      return { error: `That is an item (${productText(lookup.product)}): scan the receipt's barcode first`, feedback: 'error' };
    case 'location':
      return { error: `That is bin ${lookup.location.code}: scan the receipt's barcode (ASN or PO number)`, feedback: 'error' };
    case 'lpn':
      return { error: `That is LPN ${lookup.lpn.code}: scan the receipt's barcode first`, feedback: 'error' };
    case 'unknown':
      return { error: lookup.error ?? `No open receipt ${abbreviate(lookup.text)} on this device: check the number, or sync and try again`, feedback: 'error' };
  }
}

// ---- The machine ----

export function startReceive(view: ReceiveView, today: string): ReceiveState {
  return {
    step: view.status === 'open' ? 'scan-item' : 'closed',
    view,
    today,
    current: null,
    lpn: null,
    awaiting: null,
    pending: null,
    drawingLpn: false,
    message: view.status === 'open' ? null : { tone: 'info', text: `Receipt ${view.number} is closed` },
  };
}

const info = (state: ReceiveState, text: string, changes: Partial<ReceiveState>, feedback: 'success' | null = null): ReceiveResult => ({
  state: { ...state, ...changes, message: { tone: feedback ? 'success' : 'info', text } },
  intent: null,
  feedback,
});

const unchanged = (state: ReceiveState): ReceiveResult => ({ state, intent: null, feedback: null });

const WAIT = 'Wait: the last scan is still being saved';
const CLOSED = (state: ReceiveState) => `Receipt ${state.view.number} is closed: go back to receipts`;

const FORM_STEPS: ReadonlySet<ReceiveStep> = new Set(['lot-expiry', 'enter-quantity', 'damaged', 'confirm-close']);

const FORM_HINT: Record<string, string> = {
  'lot-expiry': 'Enter the lot and expiry or press Cancel, then scan',
  'enter-quantity': 'Enter the quantity or press Cancel, then scan',
  damaged: 'Record the damage or press Cancel, then scan',
  'confirm-close': 'Close the receipt or press Cancel, then scan',
};

export function receiveReducer(state: ReceiveState, event: ReceiveEvent): ReceiveResult {
  switch (event.type) {
    case 'scan':
      return onScan(state, event.lookup);
    case 'open-quantity':
      return openForm(state, 'enter-quantity');
    case 'open-damaged':
      return openForm(state, 'damaged');
    case 'open-lot-expiry':
      return openLotExpiry(state);
    case 'open-close':
      return openForm(state, 'confirm-close');
    case 'quantity':
      return onQuantity(state, event.qty);
    case 'damaged':
      return onDamaged(state, event.qty, event.reason);
    case 'lot-expiry':
      return onLotExpiry(state, event.lot, event.expiry);
    case 'confirm-close':
      if (state.step !== 'confirm-close') return unchanged(state);
      if (state.pending) return error(state, WAIT);
      return submit(state, { type: 'close-receipt', args: { receiptId: state.view.receiptId } }, {});
    case 'cancel':
      if (!FORM_STEPS.has(state.step)) return unchanged(state);
      return { state: { ...state, step: 'scan-item', awaiting: null, message: null }, intent: null, feedback: null };
    case 'new-lpn':
      if (state.step === 'closed') return error(state, CLOSED(state));
      if (state.pending || state.drawingLpn) return error(state, WAIT);
      return { state: { ...state, drawingLpn: true, message: null }, intent: { drawLpn: true }, feedback: null };
    case 'lpn-drawn':
      return info(
        state,
        `New LPN ${event.code}: write it on the pallet or label it, then scan items onto it`,
        { lpn: event.code, drawingLpn: false },
        'success',
      );
    case 'lpn-unavailable':
      return error(state, event.message, { drawingLpn: false });
    case 'clear-lpn':
      if (!state.lpn) return unchanged(state);
      return info(state, `Receiving loose at ${state.view.dockCode}, not on an LPN`, { lpn: null });
    case 'submitted':
      return onSubmitted(state, event.view);
    case 'rejected':
      if (!state.pending) return unchanged(state);
      return error(state, event.message, { pending: null });
    case 'view-updated':
      return onViewUpdated(state, event.view);
  }
}

function submit(state: ReceiveState, submission: ReceiveSubmission, changes: Partial<ReceiveState>): ReceiveResult {
  return { state: { ...state, ...changes, pending: submission, message: null }, intent: { submit: submission }, feedback: null };
}

function receiveArgs(state: ReceiveState, item: CurrentItem, qty: number, damagedQty = 0, damageReason: string | null = null): ArgsOf<'receive'> {
  return {
    receiptId: state.view.receiptId,
    productId: item.product.id,
    qty,
    damagedQty,
    damageReason,
    lot: item.product.lotTracked ? item.lot : null,
    expiry: item.expiry,
    lpn: qty > 0 ? state.lpn : null,
  };
}

/** The lot/expiry a tracked product still lacks, or null when it has what it needs. */
function missing(product: ReceiveProduct, lot: string | null, expiry: string | null): string | null {
  const lotMissing = product.lotTracked && !lot;
  const expiryMissing = product.expiryTracked && !expiry;
  if (lotMissing && expiryMissing) return 'lot and expiry';
  if (lotMissing) return 'lot';
  if (expiryMissing) return 'expiry';
  return null;
}

/** A date as the rule will judge it: the refusal text, or null when it is fine. */
function expiryProblem(expiry: string, today: string): string | null {
  const parsed = parseExpiry(expiry, today);
  if (parsed === null) return `"${expiry}" is not a date. Type the expiry as YYYY-MM-DD.`;
  if (parsed < today) return `These units expired on ${parsed}. Do not receive them: set them aside for a supervisor.`;
  return null;
}

function onScan(state: ReceiveState, lookup: ReceiveLookup): ReceiveResult {
  if (state.pending) return error(state, WAIT);
  if (state.step === 'closed') return error(state, CLOSED(state));
  if (state.step === 'lot-expiry') return onScanInLotExpiry(state, lookup);
  if (state.step !== 'scan-item') return error(state, FORM_HINT[state.step] ?? 'Finish the form first');

  switch (lookup.kind) {
    case 'receipt':
      if (lookup.receipt.id === state.view.receiptId) {
        return info(state, `This is receipt ${state.view.number}: scan an item`, {}, 'success');
      }
      return error(state, `That is receipt ${lookup.receipt.number}: go back to receipts to switch, or scan an item of ${state.view.number}`);
    case 'location':
      return error(state, `That is bin ${lookup.location.code}: received units go to ${state.view.dockCode}. Scan an item or an LPN`);
    case 'lpn':
      return onLpn(state, lookup.lpn);
    case 'unknown':
      return error(state, lookup.error ?? `Unknown barcode ${abbreviate(lookup.text)}: scan the item's label again or type its SKU`);
    case 'product':
      return onProduct(state, lookup);
  }
}

function onLpn(state: ReceiveState, lpn: LpnInfo): ReceiveResult {
  const existing = lpn.existing;
  if (existing) {
    if (existing.status !== 'open') return error(state, `LPN ${lpn.code} is closed: use another LPN or press New LPN`);
    if (existing.ownerId !== state.view.ownerId) return error(state, `LPN ${lpn.code} holds another client's goods: use another LPN or press New LPN`);
    if (existing.locationId !== state.view.dockLocationId) {
      return error(state, `LPN ${lpn.code} is at ${existing.locationCode}, not at ${state.view.dockCode}: use another LPN or press New LPN`);
    }
  }
  if (state.lpn === lpn.code) return info(state, `Already receiving onto LPN ${lpn.code}: scan items`, {}, 'success');
  return info(state, `Receiving onto LPN ${lpn.code}: scan items`, { lpn: lpn.code }, 'success');
}

function onProduct(state: ReceiveState, lookup: Extract<ReceiveLookup, { kind: 'product' }>): ReceiveResult {
  const { product } = lookup;
  // What does not belong on this receipt is refused at once, before any lot or expiry is asked for.
  if (product.ownerId !== undefined && product.ownerId !== state.view.ownerId) {
    return error(state, `${product.sku} is another client's item, not on receipt ${state.view.number}. Set it aside and tell a supervisor.`);
  }
  if (state.view.allowUnexpected === false && !state.view.lines.some((line) => line.productId === product.id)) {
    return error(state, `${product.sku} is not on receipt ${state.view.number}. Set it aside and tell a supervisor.`);
  }
  const units = lookup.count ?? 1;
  if (!Number.isInteger(units) || units < 1 || units > MAX_UNITS) {
    return error(state, `The label's count (${units}) cannot be received: type the quantity instead`);
  }
  // A label's own lot and expiry win; otherwise the item keeps the batch it is being received in.
  const same = state.current?.product.id === product.id ? state.current : null;
  const lot = lookup.lot ?? same?.lot ?? null;
  const expiry = lookup.expiry ?? same?.expiry ?? null;
  const need = missing(product, lot, expiry);
  if (need) {
    return info(
      state,
      `${productText(product)} is tracked: enter the ${need} (or scan its GS1 label)`,
      { step: 'lot-expiry', awaiting: { product, lot, expiry, units } },
    );
  }
  if (lookup.expiry) {
    const problem = expiryProblem(lookup.expiry, state.today);
    if (problem) return error(state, problem);
  }
  return submit(state, { type: 'receive', args: receiveArgs(state, { product, lot, expiry }, units) }, {});
}

function onScanInLotExpiry(state: ReceiveState, lookup: ReceiveLookup): ReceiveResult {
  const awaiting = state.awaiting;
  if (!awaiting || lookup.kind !== 'product' || lookup.product.id !== awaiting.product.id || (!lookup.lot && !lookup.expiry)) {
    return error(state, FORM_HINT['lot-expiry']!);
  }
  // The item's GS1 label: take what it carries, then go on as if typed.
  const lot = lookup.lot ?? awaiting.lot;
  const expiry = lookup.expiry ?? awaiting.expiry;
  return completeBatch(state, { ...awaiting, lot, expiry, units: awaiting.units || 0 });
}

function completeBatch(state: ReceiveState, batch: AwaitingBatch): ReceiveResult {
  const need = missing(batch.product, batch.lot, batch.expiry);
  if (need) return error(state, `Enter the ${need} of ${batch.product.sku}`, { awaiting: batch });
  if (batch.expiry) {
    const problem = expiryProblem(batch.expiry, state.today);
    if (problem) return error(state, problem, { awaiting: batch });
  }
  const item: CurrentItem = { product: batch.product, lot: batch.lot, expiry: batch.expiry ? parseExpiry(batch.expiry, state.today) : null };
  if (batch.units === 0) {
    const what = [item.lot && `lot ${item.lot}`, item.expiry && `expiry ${item.expiry}`].filter(Boolean).join(', ');
    return info(state, `${batch.product.sku}: ${what}. Scan the items`, { step: 'scan-item', awaiting: null, current: item }, 'success');
  }
  return submit(state, { type: 'receive', args: receiveArgs(state, item, batch.units) }, { step: 'scan-item', awaiting: null });
}

function onLotExpiry(state: ReceiveState, lot: string, expiry: string): ReceiveResult {
  const awaiting = state.awaiting;
  if (state.step !== 'lot-expiry' || !awaiting) return unchanged(state);
  if (state.pending) return error(state, WAIT);
  return completeBatch(state, {
    ...awaiting,
    lot: awaiting.product.lotTracked ? lot.trim() || null : null,
    expiry: expiry.trim() || null,
  });
}

function openLotExpiry(state: ReceiveState): ReceiveResult {
  if (state.pending) return error(state, WAIT);
  if (state.step === 'closed') return error(state, CLOSED(state));
  const current = state.current;
  if (!current) return error(state, 'Scan the item first, then enter its lot and expiry');
  if (!current.product.lotTracked && !current.product.expiryTracked) {
    return error(state, `${current.product.sku} needs no lot or expiry`);
  }
  return {
    state: { ...state, step: 'lot-expiry', awaiting: { product: current.product, lot: null, expiry: null, units: 0 }, message: null },
    intent: null,
    feedback: null,
  };
}

function openForm(state: ReceiveState, step: 'enter-quantity' | 'damaged' | 'confirm-close'): ReceiveResult {
  if (state.pending) return error(state, WAIT);
  if (state.step === 'closed') return error(state, CLOSED(state));
  if (state.step === step) return unchanged(state);
  if (step !== 'confirm-close' && !state.current) {
    return error(state, step === 'damaged' ? 'Scan the damaged item first, then record the damage' : 'Scan the item first, then enter the quantity');
  }
  return { state: { ...state, step, awaiting: null, message: null }, intent: null, feedback: null };
}

function checkUnits(qty: number): string | null {
  if (!Number.isInteger(qty) || qty < 1 || qty > MAX_UNITS) return `Enter a whole number from 1 to ${MAX_UNITS}`;
  return null;
}

function onQuantity(state: ReceiveState, qty: number): ReceiveResult {
  if (state.step !== 'enter-quantity' || !state.current) return unchanged(state);
  if (state.pending) return error(state, WAIT);
  const problem = checkUnits(qty);
  if (problem) return error(state, problem);
  return submit(state, { type: 'receive', args: receiveArgs(state, state.current, qty) }, { step: 'scan-item' });
}

function onDamaged(state: ReceiveState, qty: number, reason: string): ReceiveResult {
  if (state.step !== 'damaged' || !state.current) return unchanged(state);
  if (state.pending) return error(state, WAIT);
  const problem = checkUnits(qty);
  if (problem) return error(state, problem);
  const why = reason.trim();
  if (!why) return error(state, 'Choose what is wrong with the units');
  return submit(state, { type: 'receive', args: receiveArgs(state, state.current, 0, qty, why.slice(0, 200)) }, { step: 'scan-item' });
}

function onSubmitted(state: ReceiveState, view: ReceiveView): ReceiveResult {
  const pending = state.pending;
  if (!pending) return onViewUpdated(state, view);
  const base: ReceiveState = { ...state, view, pending: null };

  if (pending.type === 'close-receipt') {
    const summary = receiveSummary(view.lines);
    const text = summary.short > 0
      ? `Receipt ${view.number} closed: ${summary.short} units short on ${summary.shortLines} ${summary.shortLines === 1 ? 'line' : 'lines'}`
      : `Receipt ${view.number} closed: everything expected arrived`;
    // Closed short went through, but is not a success to cheer: amber, its own tone.
    return { state: { ...base, step: 'closed', message: { tone: summary.short > 0 ? 'warning' : 'success', text } }, intent: null, feedback: 'success' };
  }

  const { args } = pending;
  const product = view.products[args.productId] ?? state.awaiting?.product ?? state.current?.product;
  const line = lineOf(view, args.productId);
  const sku = product?.sku ?? args.productId;
  const current: CurrentItem | null = product
    ? { product, lot: args.lot, expiry: args.expiry === null ? null : parseExpiry(args.expiry, state.today) }
    : state.current;
  let text: string;
  if (args.damagedQty > 0) {
    text = `Recorded ${args.damagedQty} × ${sku} damaged (${args.damageReason ?? 'no reason'}): sent to the damaged area`;
  } else {
    text = `Received ${args.qty} × ${sku}`;
    if (line?.unexpected) text += ' as unexpected (not on the receipt)';
    else if (line) text += `: ${line.receivedQty} of ${line.expectedQty}`;
    if (args.lpn) text += ` on LPN ${args.lpn}`;
    if (line && !line.unexpected && line.receivedQty === line.expectedQty) text += '. Line complete';
  }
  return { state: { ...base, step: 'scan-item', current, message: { tone: 'success', text } }, intent: null, feedback: 'success' };
}

function onViewUpdated(state: ReceiveState, view: ReceiveView): ReceiveResult {
  if (view.status === 'closed' && state.step !== 'closed' && !state.pending) {
    return {
      state: { ...state, view, step: 'closed', awaiting: null, message: { tone: 'info', text: `Receipt ${view.number} was closed` } },
      intent: null,
      feedback: null,
    };
  }
  return { state: { ...state, view }, intent: null, feedback: null };
}
