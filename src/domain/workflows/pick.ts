// The pick screen as a pure state machine: bin by bin in the device's order, scan the bin, scan
// the item (+1 a scan) or type a quantity, short-pick with a reason, skip, undo. The reducer
// decides; the command layer carries out its intent (a mutation, a saved order) and reports back.
//
// The steps, what each shows and what a scan does there:
// - `scan-bin`: the current line (bin, item, quantity left); "Scan bin A-01-03". The line's bin
//   confirms it (→ scan-item); another bin is refused naming the right one; an item is refused
//   ("Scan the bin first: go to …"); an unknown barcode says so. Short pick and skip are offered.
// - `scan-item`: the bin is confirmed; "Scan WID-1 Widget". The line's item submits a pick of 1;
//   another item is refused naming the right one; a lot other than the line's is refused. The
//   same bin again is harmless. Another bin withdraws the confirmation (→ scan-bin) and is refused
//   naming the right one: the picker has moved, and a pick would book units from a bin they are
//   not at. To pick elsewhere first, Skip. Quantity entry, short pick, skip are offered.
// - `enter-quantity`: a quantity form for the current line (1 to what is left). A scan is refused
//   until the form is sent or cancelled.
// - `short-reason`: the reasons (out of stock, damaged, wrong bin) for the units left on the line.
//   A scan is refused until a reason is chosen or the form is cancelled.
// - `list-done`: no open line is left; a summary. A scan is refused; undo is still offered.
//
// A submission is confirmed only when the command layer reports `submitted` (after the local
// transaction committed), with the view read after the commit; while one is pending, anything
// that would submit again is refused. Bin confirmation survives moving to a line at the same bin.
import type { PickLine, ShortReason } from '../entities';
import type { ArgsOf } from '../mutations';
import { nextOpenLine, skipToEnd } from '../pick-path';
import { abbreviate, refuse as error, type WorkflowMessage } from './message';

export interface ProductLabel {
  sku: string;
  name: string;
}

/** What the pick screen works on: one pick list, read from the device's view. */
export interface PickView {
  pickListId: string;
  /** The list number people read, e.g. `PL-1042`. */
  number: string;
  /** Every line of the list in the device's order: walk order, skipped lines moved to the end. */
  lines: readonly PickLine[];
  /** Bin code per location id the lines name. */
  binCodes: Readonly<Record<string, string>>;
  /** SKU and name per product id the lines name. */
  products: Readonly<Record<string, ProductLabel>>;
  /** Who holds the list (claim-pick-list): its last opener, by user id and name, and since when. */
  claim?: { by: string | null; name: string | null; at: string | null };
}

/** A scan as the command layer resolved it against the device's bins and products. */
export type ScanLookup =
  | { kind: 'location'; location: { id: string; code: string } }
  | { kind: 'product'; product: { id: string; sku: string; name: string }; lot?: string | null }
  /** `error`: what is wrong with a barcode that was recognised (a GS1 label) but cannot be used. */
  | { kind: 'unknown'; text: string; error?: string };

export type PickStep = 'scan-bin' | 'scan-item' | 'enter-quantity' | 'short-reason' | 'list-done';

export type PickSubmission =
  | { type: 'pick'; args: ArgsOf<'pick'> }
  | { type: 'unpick'; args: ArgsOf<'unpick'> }
  | { type: 'short-pick'; args: ArgsOf<'short-pick'> };

export type PickMessage = WorkflowMessage;

/** A pick this screen made, for "Undo last scan". */
export interface UndoEntry {
  lineId: string;
  qty: number;
}

export interface PickState {
  step: PickStep;
  view: PickView;
  /** The bin the picker last confirmed by scanning it; kept while the lines stay at that bin. */
  confirmedBinId: string | null;
  /** Picks made on this screen, newest last; each undo takes back the newest. */
  undo: readonly UndoEntry[];
  /** The mutation handed to the command layer and not yet answered. */
  pending: PickSubmission | null;
  message: PickMessage | null;
}

export type PickEvent =
  /** A scan from the Scan field, resolved to a bin, a product or nothing known. */
  | { type: 'scan'; lookup: ScanLookup }
  | { type: 'open-quantity' }
  /** The quantity typed in the quantity form. */
  | { type: 'quantity'; qty: number }
  | { type: 'open-short' }
  | { type: 'short-reason'; reason: ShortReason }
  /** Closes the quantity or short-reason form. */
  | { type: 'cancel' }
  | { type: 'skip' }
  | { type: 'undo' }
  /** The pending mutation committed locally; `view` was read after the commit. */
  | { type: 'submitted'; view: PickView }
  /** The pending mutation was refused by the local rule (or could not be written). */
  | { type: 'rejected'; message: string }
  /** The view changed under the screen (a sync pull, another tab, the screen's own commits). */
  | { type: 'view-updated'; view: PickView };

export type PickIntent =
  | { submit: PickSubmission }
  /** Store the device-local line order of a list (after a skip). */
  | { saveOrder: { pickListId: string; lineIds: string[] } };

export interface PickResult {
  state: PickState;
  /** What the command layer should do now, if anything. */
  intent: PickIntent | null;
  /** The scan tone to play now; null when there is none yet (a submission decides it later). */
  feedback: 'success' | 'error' | null;
}

export const SHORT_REASONS: readonly { reason: ShortReason; label: string }[] = [
  { reason: 'out_of_stock', label: 'Out of stock' },
  { reason: 'damaged', label: 'Damaged' },
  { reason: 'wrong_bin', label: 'Wrong bin' },
];


// ---- Reading the view ----

export function currentLine(view: PickView): PickLine | undefined {
  return nextOpenLine(view.lines);
}

export function remaining(line: PickLine): number {
  return Math.max(0, line.qty - line.pickedQty - line.shortQty);
}

export function binCode(view: PickView, locationId: string): string {
  return view.binCodes[locationId] ?? locationId;
}

export function productText(view: PickView, productId: string): string {
  const product = view.products[productId];
  return product ? `${product.sku} ${product.name}` : productId;
}

function skuOf(view: PickView, productId: string): string {
  return view.products[productId]?.sku ?? productId;
}

export interface PickProgress {
  lineCount: number;
  linesDone: number;
  /** 1-based number of the line being worked ("Line 3 of 9"): the lines done so far, plus one. */
  position: number;
  /** Units handled: picked plus reported short, so a list with shorts still reaches its total. */
  unitsDone: number;
  unitsTotal: number;
}

export function pickProgress(lines: readonly PickLine[]): PickProgress {
  const linesDone = lines.filter((line) => line.status === 'done').length;
  return {
    lineCount: lines.length,
    linesDone,
    position: Math.min(linesDone + 1, lines.length),
    unitsDone: lines.reduce((sum, line) => sum + Math.min(line.qty, line.pickedQty + line.shortQty), 0),
    unitsTotal: lines.reduce((sum, line) => sum + line.qty, 0),
  };
}

export interface PickSummary {
  lineCount: number;
  /** Lines picked in full. */
  linesPicked: number;
  unitsPicked: number;
  unitsTotal: number;
  /** Lines with units reported short, in the list's order. */
  shortLines: { lineId: string; productId: string; locationId: string; shortQty: number; reason: ShortReason | null }[];
}

export function pickSummary(lines: readonly PickLine[]): PickSummary {
  return {
    lineCount: lines.length,
    linesPicked: lines.filter((line) => line.pickedQty >= line.qty).length,
    unitsPicked: lines.reduce((sum, line) => sum + line.pickedQty, 0),
    unitsTotal: lines.reduce((sum, line) => sum + line.qty, 0),
    shortLines: lines
      .filter((line) => line.shortQty > 0)
      .map((line) => ({
        lineId: line.id,
        productId: line.productId,
        locationId: line.locationId,
        shortQty: line.shortQty,
        reason: line.shortReason,
      })),
  };
}

/** The line under the Scan field saying what to scan next. */
export function scanPrompt(state: PickState): string {
  const line = currentLine(state.view);
  if (!line) return 'Pick list done';
  switch (state.step) {
    case 'scan-bin':
      return `Scan bin ${binCode(state.view, line.locationId)}`;
    case 'scan-item':
      return `Scan ${productText(state.view, line.productId)}`;
    case 'enter-quantity':
      return 'Enter the quantity picked';
    case 'short-reason':
      return 'Choose why the units are short';
    case 'list-done':
      return 'Pick list done';
  }
}

// ---- The machine ----

/** The step a view puts the picker on, given the bin they confirmed last. */
function restingStep(view: PickView, confirmedBinId: string | null): PickStep {
  const line = currentLine(view);
  if (!line) return 'list-done';
  return line.locationId === confirmedBinId ? 'scan-item' : 'scan-bin';
}

/** What to do after the current line: the next bin, the next item at this bin, or nothing. */
function nextHint(view: PickView, confirmedBinId: string | null): string {
  const line = currentLine(view);
  if (!line) return 'Pick list complete';
  return line.locationId === confirmedBinId
    ? `Next: scan ${productText(view, line.productId)}`
    : `Next: go to ${binCode(view, line.locationId)}`;
}

export function startPick(view: PickView): PickState {
  return { step: restingStep(view, null), view, confirmedBinId: null, undo: [], pending: null, message: null };
}

// The last message stays up while the submission commits (a few ms): clearing it would only
// make the screen jump on every scan, and the outcome replaces it.
const submit = (state: PickState, submission: PickSubmission, changes: Partial<PickState>): PickResult => ({
  state: { ...state, ...changes, pending: submission },
  intent: { submit: submission },
  feedback: null,
});

const WAIT = 'Wait: the last scan is still being saved';

export function pickReducer(state: PickState, event: PickEvent): PickResult {
  switch (event.type) {
    case 'scan':
      return onScan(state, event.lookup);
    case 'open-quantity':
      return openForm(state, 'enter-quantity');
    case 'open-short':
      return openForm(state, 'short-reason');
    case 'quantity':
      return onQuantity(state, event.qty);
    case 'short-reason':
      return onShortReason(state, event.reason);
    case 'cancel':
      if (state.step !== 'enter-quantity' && state.step !== 'short-reason') return unchanged(state);
      return { state: { ...state, step: restingStep(state.view, state.confirmedBinId), message: null }, intent: null, feedback: null };
    case 'skip':
      return onSkip(state);
    case 'undo':
      return onUndo(state);
    case 'submitted':
      return onSubmitted(state, event.view);
    case 'rejected':
      if (!state.pending) return unchanged(state);
      return error(state, event.message, { pending: null });
    case 'view-updated':
      return onViewUpdated(state, event.view);
  }
}

function unchanged(state: PickState): PickResult {
  return { state, intent: null, feedback: null };
}

function onScan(state: PickState, lookup: ScanLookup): PickResult {
  const { view } = state;
  const line = currentLine(view);
  if (state.pending) return error(state, WAIT);
  if (!line || state.step === 'list-done') return error(state, 'This pick list is done: go back to pick lists');
  if (state.step === 'enter-quantity') return error(state, 'Enter the quantity or press Cancel, then scan');
  if (state.step === 'short-reason') return error(state, 'Choose a reason or press Cancel, then scan');

  const bin = binCode(view, line.locationId);
  const wanted = productText(view, line.productId);

  if (state.step === 'scan-bin') {
    switch (lookup.kind) {
      case 'location':
        if (lookup.location.id !== line.locationId) return error(state, `Wrong bin: go to ${bin}`);
        return {
          state: {
            ...state,
            step: 'scan-item',
            confirmedBinId: line.locationId,
            message: { tone: 'success', text: `Bin ${bin} confirmed: scan ${wanted}` },
          },
          intent: null,
          feedback: 'success',
        };
      case 'product':
        return error(state, `Scan the bin first: go to ${bin}`);
      case 'unknown':
        return error(state, lookup.error ? `${lookup.error}: scan the bin label` : `Unknown barcode ${abbreviate(lookup.text)}: scan the bin label again or type its code`);
    }
  }

  // scan-item
  switch (lookup.kind) {
    case 'location':
      if (lookup.location.id === line.locationId) {
        return {
          state: { ...state, message: { tone: 'info', text: `Bin ${bin} already confirmed: scan ${wanted}` } },
          intent: null,
          feedback: 'success',
        };
      }
      return error(state, `Wrong bin: go to ${bin}`, { step: 'scan-bin', confirmedBinId: null });
    case 'product': {
      const { product } = lookup;
      if (product.id !== line.productId) {
        return error(state, `Wrong item: that is ${product.sku} ${product.name}. This line wants ${wanted}`);
      }
      const lot = lookup.lot ?? null;
      if (line.lot !== null && lot !== null && lot !== line.lot) {
        return error(state, `Wrong lot ${lot}: this line wants lot ${line.lot}`);
      }
      return submit(
        state,
        {
          type: 'pick',
          args: { pickLineId: line.id, locationId: line.locationId, productId: line.productId, lot: line.lot ?? lot, qty: 1 },
        },
        {},
      );
    }
    case 'unknown':
      return error(state, lookup.error ? `${lookup.error}: scan the item's label again` : `Unknown barcode ${abbreviate(lookup.text)}: scan the item's label again or type its SKU`);
  }
}

function openForm(state: PickState, step: 'enter-quantity' | 'short-reason'): PickResult {
  const line = currentLine(state.view);
  if (state.pending) return error(state, WAIT);
  if (!line || state.step === 'list-done') return error(state, 'This pick list is done: go back to pick lists');
  if (state.step === step) return unchanged(state);
  // A typed quantity stands for scans of the item, so the picker must be at the bin.
  if (step === 'enter-quantity' && state.step !== 'scan-item') {
    return error(state, `Scan the bin first: go to ${binCode(state.view, line.locationId)}`);
  }
  return { state: { ...state, step, message: null }, intent: null, feedback: null };
}

function onQuantity(state: PickState, qty: number): PickResult {
  const line = currentLine(state.view);
  if (state.step !== 'enter-quantity' || !line) return unchanged(state);
  if (state.pending) return error(state, WAIT);
  const left = remaining(line);
  if (!Number.isInteger(qty) || qty < 1) return error(state, `Enter a whole number from 1 to ${left}`);
  if (qty > left) return error(state, `Only ${left} left on this line: enter at most ${left}`);
  return submit(
    state,
    { type: 'pick', args: { pickLineId: line.id, locationId: line.locationId, productId: line.productId, lot: line.lot, qty } },
    { step: 'scan-item' },
  );
}

function onShortReason(state: PickState, reason: ShortReason): PickResult {
  const line = currentLine(state.view);
  if (state.step !== 'short-reason' || !line) return unchanged(state);
  if (state.pending) return error(state, WAIT);
  return submit(
    state,
    { type: 'short-pick', args: { pickLineId: line.id, qty: remaining(line), reason } },
    { step: restingStep(state.view, state.confirmedBinId) },
  );
}

function onSkip(state: PickState): PickResult {
  const { view } = state;
  const line = currentLine(view);
  if (state.pending) return error(state, WAIT);
  if (!line) return error(state, 'This pick list is done: go back to pick lists');
  const open = view.lines.filter((candidate) => candidate.status === 'open');
  if (open.length < 2) return error(state, 'This is the last open line: pick it or short-pick it');

  const lines = skipToEnd(view.lines, line.id);
  const next: PickView = { ...view, lines };
  const skipped = `Skipped ${skuOf(view, line.productId)} at ${binCode(view, line.locationId)}: it is now last`;
  return {
    state: {
      ...state,
      view: next,
      step: restingStep(next, state.confirmedBinId),
      message: { tone: 'info', text: `${skipped}. ${nextHint(next, state.confirmedBinId)}` },
    },
    intent: { saveOrder: { pickListId: view.pickListId, lineIds: lines.map((l) => l.id) } },
    feedback: null,
  };
}

function onUndo(state: PickState): PickResult {
  if (state.pending) return error(state, WAIT);
  const last = state.undo.at(-1);
  if (!last) return error(state, 'Nothing to undo');
  // An open form belongs to the current line; the undo may be about another one.
  return submit(state, { type: 'unpick', args: { pickLineId: last.lineId, qty: last.qty } }, {
    step: restingStep(state.view, state.confirmedBinId),
  });
}

function onSubmitted(state: PickState, view: PickView): PickResult {
  const pending = state.pending;
  if (!pending) return onViewUpdated(state, view);
  const line = view.lines.find((candidate) => candidate.id === pending.args.pickLineId);
  const sku = line ? skuOf(view, line.productId) : pending.args.pickLineId;
  const base = { ...state, view, pending: null };
  let text: string;
  let undo = state.undo;

  switch (pending.type) {
    case 'pick': {
      undo = [...undo, { lineId: pending.args.pickLineId, qty: pending.args.qty }];
      text = `Picked ${pending.args.qty} × ${sku}`;
      if (line) text += `: ${line.pickedQty} of ${line.qty}`;
      if (line?.status === 'done') text += `. Line done. ${nextHint(view, state.confirmedBinId)}`;
      break;
    }
    case 'short-pick': {
      const reason = SHORT_REASONS.find((r) => r.reason === pending.args.reason)?.label ?? pending.args.reason;
      text = `Reported ${pending.args.qty} × ${sku} short: ${reason}. ${nextHint(view, state.confirmedBinId)}`;
      break;
    }
    case 'unpick': {
      undo = undo.slice(0, -1);
      const bin = line ? binCode(view, line.locationId) : 'its bin';
      text = `Undone: put ${pending.args.qty} × ${sku} back in ${bin}`;
      break;
    }
  }

  // No form can have opened meanwhile (a pending submission refuses them): back to scanning.
  const step = restingStep(view, state.confirmedBinId);
  return { state: { ...base, step, undo, message: { tone: 'success', text } }, intent: null, feedback: 'success' };
}

function onViewUpdated(state: PickState, view: PickView): PickResult {
  const before = currentLine(state.view);
  const after = currentLine(view);
  const sameLine = before?.id === after?.id;
  // Undo entries for lines that left the list can no longer be taken back from here.
  const undo = state.undo.filter((entry) => view.lines.some((line) => line.id === entry.lineId));
  const inForm = state.step === 'enter-quantity' || state.step === 'short-reason';
  const step = sameLine && inForm && after ? state.step : restingStep(view, state.confirmedBinId);

  let message = state.message;
  if (!sameLine && before && !state.pending) {
    const changed = view.lines.find((line) => line.id === before.id);
    // Something other than this screen (a sync pull, another device) finished or removed the line.
    if (!changed || changed.status === 'done') {
      const what = `${skuOf(state.view, before.productId)} at ${binCode(state.view, before.locationId)}`;
      message = { tone: 'info', text: `${what} was updated elsewhere. ${nextHint(view, state.confirmedBinId)}` };
    }
  }
  return { state: { ...state, view, step, undo, message }, intent: null, feedback: null };
}
