// The returns screen as a pure state machine, for one open return: scan each returned unit (it is
// received), choose its disposition, and for restock scan the destination bin (the suggested one,
// or another with a reason). The reducer decides; the command layer submits the mutations.
//
// The steps, what each shows and what a scan does there:
// - `scan-item`: the return's lines (authorised / received / restocked / damaged / quarantined).
//   An item on the return submits a `return-receive` of 1 (more than authorised is refused by the
//   rule with the numbers); an item not on it is refused; a bin is refused. A line with received
//   units still undecided offers to choose their disposition.
// - `enter-lot`: a lot-tracked item was scanned without a lot (a plain barcode): the lot typed from
//   the item's label. Scans are refused until it is given or cancelled.
// - `disposition`: the unit just received (or an undecided one): Restock, Damaged, Quarantine.
//   Damaged and quarantine submit a `restock` with that disposition; Restock → scan-bin. Scans are
//   refused until one is chosen.
// - `scan-bin`: the suggested bin and why. The suggested bin (any sellable bin when none was
//   suggested, or after Other bin) submits the `restock`; another is refused naming it; a dock,
//   pack, returns, quarantine or damaged location is refused.
// - `override-reason`: why the suggested bin is not used; scans are refused.
// - `return-done`: every authorised unit arrived and has a disposition; the return is closed.
//
// A scan is confirmed only when the command layer reports `submitted` (after the local commit);
// while one is pending, anything that would submit again is refused.
import type { Disposition, Location, Product, Return, ReturnLine, StockRow } from '../entities';
import type { ArgsOf } from '../mutations';
import { NOT_PUTAWAY, suggestPutaway } from '../putaway-suggest';
import type { Suggestion } from '../putaway-suggest';
import { isReturnComplete } from '../rules/return-receive';
import type { ScanLookup } from './pick';
import { abbreviate, refuse as error, type WorkflowMessage } from './message';

export type ReturnsProduct = Pick<Product, 'id' | 'sku' | 'name' | 'zone' | 'pickFaceLocationId' | 'lotTracked'>;

/** One return as the returns screen works on it, read from the device's view. */
export interface ReturnView {
  ret: Return;
  /** The original order's number, when the return names one the device has. */
  orderNumber: string | null;
  lines: readonly ReturnLine[];
  products: Readonly<Record<string, ReturnsProduct>>;
  /** The bin map and what the bins hold, for the restock suggestion. */
  locations: readonly Location[];
  stock: readonly StockRow[];
}

export type ReturnsStep = 'scan-item' | 'enter-lot' | 'disposition' | 'damage-reason' | 'scan-bin' | 'override-reason' | 'return-done';

/** The returned unit being handled: received, awaiting (or getting) its disposition. */
export interface ReturnUnit {
  productId: string;
  /** The lot it carries (lot-tracked products); null takes any lot at the returns location. */
  lot: string | null;
}

export type ReturnsSubmission = { type: 'return-receive'; args: ArgsOf<'return-receive'> } | { type: 'restock'; args: ArgsOf<'restock'> };

export type ReturnsMessage = WorkflowMessage;

export interface ReturnsState {
  step: ReturnsStep;
  view: ReturnView;
  unit: ReturnUnit | null;
  /** The restock suggestion for `unit` (scan-bin). */
  suggestion: Suggestion | null;
  /** The reason given for Other bin; the next sellable bin is accepted with it. */
  overrideReason: string | null;
  pending: ReturnsSubmission | null;
  message: ReturnsMessage | null;
}

export type ReturnsEvent =
  | { type: 'scan'; lookup: ScanLookup }
  | { type: 'lot'; lot: string }
  /** Choose the disposition of an undecided received unit of a line's product. */
  | { type: 'decide'; productId: string }
  | { type: 'disposition'; disposition: Disposition }
  /** Why the unit in hand is damaged (Damaged asks, as receiving does). */
  | { type: 'damage-reason'; reason: string }
  | { type: 'open-other-bin' }
  | { type: 'override'; reason: string }
  | { type: 'cancel' }
  | { type: 'submitted'; view: ReturnView }
  | { type: 'rejected'; message: string }
  | { type: 'view-updated'; view: ReturnView };

export interface ReturnsResult {
  state: ReturnsState;
  intent: { submit: ReturnsSubmission } | null;
  feedback: 'success' | 'error' | null;
}

export const DISPOSITIONS: readonly { disposition: Disposition; label: string }[] = [
  { disposition: 'restock', label: 'Restock' },
  { disposition: 'damaged', label: 'Damaged' },
  { disposition: 'quarantine', label: 'Quarantine' },
];

/** Reasons offered for restocking into another bin than the suggested one; free text too. */
export const RESTOCK_OVERRIDE_REASONS: readonly string[] = ['Suggested bin is full', 'Suggested bin is blocked', 'Keeping it with the same item'];

// ---- Reading the view ----

export function skuOf(view: ReturnView, productId: string): string {
  return view.products[productId]?.sku ?? productId;
}

export function productText(view: ReturnView, productId: string): string {
  const product = view.products[productId];
  return product ? `${product.sku} ${product.name}` : productId;
}

export function binCode(view: ReturnView, locationId: string): string {
  return view.locations.find((l) => l.id === locationId)?.code ?? locationId;
}

/** Received units of a line still waiting for a disposition. */
export function undecided(line: ReturnLine): number {
  return Math.max(0, line.receivedQty - line.restockedQty - line.damagedQty - line.quarantinedQty);
}

export function returnDone(view: ReturnView): boolean {
  return view.ret.status === 'closed' || (view.lines.length > 0 && isReturnComplete(view.lines));
}

export function scanPrompt(state: ReturnsState): string {
  const unit = state.unit;
  switch (state.step) {
    case 'scan-item':
      return `Scan an item of return ${state.view.ret.rma}`;
    case 'enter-lot':
      return 'Type the lot on the returned item';
    case 'disposition':
      return `Choose Restock, Damaged or Quarantine for ${unit ? skuOf(state.view, unit.productId) : 'the unit'}`;
    case 'scan-bin': {
      const target = state.suggestion?.location;
      return target && state.overrideReason === null ? `Scan bin ${target.code}` : 'Scan the bin you are restocking into';
    }
    case 'override-reason':
      return 'Choose why you are using another bin';
    case 'damage-reason':
      return `Choose what is wrong with the ${unit ? skuOf(state.view, unit.productId) : 'unit'}`;
    case 'return-done':
      return 'Return done';
  }
}

// ---- The machine ----

export function startReturn(view: ReturnView): ReturnsState {
  return { step: returnDone(view) ? 'return-done' : 'scan-item', view, unit: null, suggestion: null, overrideReason: null, pending: null, message: null };
}

const WAIT = 'Wait: the last scan is still being saved';

const quiet = (state: ReturnsState, changes: Partial<ReturnsState> = {}, feedback: ReturnsResult['feedback'] = null): ReturnsResult => ({
  state: { ...state, ...changes },
  intent: null,
  feedback,
});

const submit = (state: ReturnsState, submission: ReturnsSubmission, changes: Partial<ReturnsState> = {}): ReturnsResult => ({
  state: { ...state, ...changes, pending: submission, message: null },
  intent: { submit: submission },
  feedback: null,
});

function unchanged(state: ReturnsState): ReturnsResult {
  return { state, intent: null, feedback: null };
}

export function returnsReducer(state: ReturnsState, event: ReturnsEvent): ReturnsResult {
  switch (event.type) {
    case 'scan':
      return onScan(state, event.lookup);
    case 'lot':
      return onLot(state, event.lot);
    case 'decide':
      return onDecide(state, event.productId);
    case 'disposition':
      return onDisposition(state, event.disposition);
    case 'damage-reason': {
      const { view, unit } = state;
      if (state.pending) return error(state, WAIT);
      if (state.step !== 'damage-reason' || !unit) return unchanged(state);
      const reason = event.reason.trim();
      if (reason === '') return error(state, 'Choose what is wrong with it, or type it');
      return submit(state, { type: 'restock', args: { returnId: view.ret.id, productId: unit.productId, lot: unit.lot, qty: 1, disposition: 'damaged', toLocationId: null, overrideReason: null, damageReason: reason } });
    }
    case 'open-other-bin':
      if (state.pending) return error(state, WAIT);
      if (state.step !== 'scan-bin') return unchanged(state);
      if (!state.suggestion?.location) return quiet(state, { message: { tone: 'info', text: 'No bin was suggested: scan any storage or pick-face bin' } });
      return quiet(state, { step: 'override-reason', message: null });
    case 'override': {
      if (state.step !== 'override-reason') return unchanged(state);
      const reason = event.reason.trim();
      if (reason === '') return error(state, 'Choose a reason or type one');
      return quiet(state, { step: 'scan-bin', overrideReason: reason, message: { tone: 'info', text: `Other bin (${reason}): scan the bin you are using` } });
    }
    case 'cancel':
      return onCancel(state);
    case 'submitted':
      return onSubmitted(state, event.view);
    case 'rejected':
      if (!state.pending) return unchanged(state);
      // A refused receive leaves nothing in hand; a refused restock keeps the unit and its step.
      return error(state, event.message, state.pending.type === 'return-receive' ? { pending: null, unit: null } : { pending: null });
    case 'view-updated':
      return onViewUpdated(state, event.view);
  }
}

function onScan(state: ReturnsState, lookup: ScanLookup): ReturnsResult {
  const { view } = state;
  if (state.pending) return error(state, WAIT);
  switch (state.step) {
    case 'return-done':
      return error(state, `Return ${view.ret.rma} is done: go back to returns`);
    case 'enter-lot':
      return error(state, 'Type the lot or press Cancel, then scan');
    case 'override-reason':
    case 'damage-reason':
      return error(state, 'Choose a reason or press Cancel, then scan');
    case 'disposition': {
      const sku = state.unit ? skuOf(view, state.unit.productId) : 'the unit';
      return error(state, `Choose Restock, Damaged or Quarantine for the ${sku} first`);
    }
    case 'scan-bin':
      return scanBin(state, lookup);
    case 'scan-item':
      return scanItem(state, lookup);
  }
}

function scanItem(state: ReturnsState, lookup: ScanLookup): ReturnsResult {
  const { view } = state;
  switch (lookup.kind) {
    case 'location':
      return error(state, 'Scan the returned item first; its bin comes after you choose Restock');
    case 'unknown':
      return error(state, lookup.error ? `${lookup.error}: scan the item's label again` : `Unknown barcode ${abbreviate(lookup.text)}: scan the item's label again or type its SKU`);
    case 'product': {
      const { product } = lookup;
      const line = view.lines.find((candidate) => candidate.productId === product.id);
      if (!line) return error(state, `${product.sku} ${product.name} is not on return ${view.ret.rma}: set it aside and tell a supervisor`);
      const lotTracked = view.products[product.id]?.lotTracked ?? false;
      const lot = lookup.lot ?? null;
      if (lotTracked && lot === null) {
        return quiet(state, { step: 'enter-lot', unit: { productId: product.id, lot: null }, message: { tone: 'info', text: `${product.sku} is lot-tracked: type the lot on the item` } }, 'success');
      }
      return receive(state, product.id, lotTracked ? lot : null);
    }
  }
}

function receive(state: ReturnsState, productId: string, lot: string | null): ReturnsResult {
  return submit(state, { type: 'return-receive', args: { returnId: state.view.ret.id, productId, lot, qty: 1 } }, { unit: { productId, lot } });
}

function onLot(state: ReturnsState, lot: string): ReturnsResult {
  const unit = state.unit;
  if (state.step !== 'enter-lot' || !unit) return unchanged(state);
  if (state.pending) return error(state, WAIT);
  const text = lot.trim();
  if (text === '') return error(state, 'Type the lot printed on the item');
  return receive({ ...state, step: 'scan-item' }, unit.productId, text);
}

function onDecide(state: ReturnsState, productId: string): ReturnsResult {
  if (state.pending) return error(state, WAIT);
  if (state.step !== 'scan-item') return error(state, 'Finish the unit in hand first');
  const line = state.view.lines.find((candidate) => candidate.productId === productId);
  if (!line || undecided(line) === 0) return error(state, `No received ${skuOf(state.view, productId)} is waiting for a disposition`);
  return quiet(state, {
    step: 'disposition',
    unit: { productId, lot: null },
    message: { tone: 'info', text: `Choose Restock, Damaged or Quarantine for ${productText(state.view, productId)}` },
  });
}

function onDisposition(state: ReturnsState, disposition: Disposition): ReturnsResult {
  const { view, unit } = state;
  if (state.pending) return error(state, WAIT);
  if (state.step !== 'disposition' || !unit) return unchanged(state);
  if (disposition === 'damaged') {
    return quiet(state, { step: 'damage-reason', message: { tone: 'info', text: `What is wrong with the ${skuOf(view, unit.productId)}?` } });
  }
  if (disposition !== 'restock') {
    return submit(state, { type: 'restock', args: { returnId: view.ret.id, productId: unit.productId, lot: unit.lot, qty: 1, disposition, toLocationId: null, overrideReason: null, damageReason: null } });
  }
  const product = view.products[unit.productId] ?? null;
  const suggestion = suggestPutaway({ product, ownerId: view.ret.ownerId, qty: 1, locations: view.locations, stock: view.stock, exclude: [view.ret.returnsLocationId] });
  const text = suggestion.location
    ? `Restock ${skuOf(view, unit.productId)}: go to ${suggestion.location.code} (${suggestion.reason})`
    : `Restock ${skuOf(view, unit.productId)}: ${suggestion.reason}, then scan it`;
  return quiet(state, { step: 'scan-bin', suggestion, overrideReason: null, message: { tone: 'info', text } });
}

function scanBin(state: ReturnsState, lookup: ScanLookup): ReturnsResult {
  const { view, unit } = state;
  if (!unit) return unchanged(state);
  const target = state.suggestion?.location ?? null;
  const hint = target && state.overrideReason === null ? `scan bin ${target.code}` : 'scan the bin you are restocking into';
  switch (lookup.kind) {
    case 'unknown':
      return error(state, lookup.error ? `${lookup.error}: ${hint}` : `Unknown barcode ${abbreviate(lookup.text)}: ${hint}`);
    case 'product':
      if (lookup.product.id === unit.productId) return quiet(state, { message: { tone: 'info', text: `${lookup.product.sku} in hand: ${hint}` } }, 'success');
      return error(state, `Finish the ${skuOf(view, unit.productId)} in hand first: ${hint}`);
    case 'location': {
      const location = view.locations.find((l) => l.id === lookup.location.id);
      if (location && NOT_PUTAWAY.has(location.type)) {
        return error(state, `${location.code} is a ${location.type} location: ${target && state.overrideReason === null ? `go to ${target.code}` : 'restock into a storage or pick-face bin'}`);
      }
      if (target && state.overrideReason === null && lookup.location.id !== target.id) return error(state, `Wrong bin: go to ${target.code}`);
      return submit(state, {
        type: 'restock',
        args: {
          returnId: view.ret.id, productId: unit.productId, lot: unit.lot, qty: 1, disposition: 'restock', toLocationId: lookup.location.id,
          // The reason given for leaving the suggested bin goes to the server with the units.
          overrideReason: target && lookup.location.id !== target.id ? state.overrideReason : null,
          damageReason: null,
        },
      });
    }
  }
}

function onCancel(state: ReturnsState): ReturnsResult {
  if (state.pending) return error(state, WAIT);
  switch (state.step) {
    case 'enter-lot':
      return quiet(state, { step: 'scan-item', unit: null, message: null });
    case 'disposition': {
      // The unit stays received at the returns location; its line offers the choice again.
      const sku = state.unit ? skuOf(state.view, state.unit.productId) : 'The unit';
      const where = binCode(state.view, state.view.ret.returnsLocationId);
      return quiet(state, { step: 'scan-item', unit: null, message: { tone: 'info', text: `${sku} waits at ${where} for a disposition` } });
    }
    case 'scan-bin':
      return quiet(state, { step: 'disposition', suggestion: null, overrideReason: null, message: null });
    case 'override-reason':
      return quiet(state, { step: 'scan-bin', message: null });
    case 'damage-reason':
      return quiet(state, { step: 'disposition', message: null });
    case 'scan-item':
    case 'return-done':
      return unchanged(state);
  }
}

function onSubmitted(state: ReturnsState, view: ReturnView): ReturnsResult {
  const pending = state.pending;
  if (!pending) return onViewUpdated(state, view);
  const sku = skuOf(view, pending.args.productId);
  const line = view.lines.find((candidate) => candidate.productId === pending.args.productId);
  const base = { ...state, view, pending: null };

  if (pending.type === 'return-receive') {
    const count = line ? ` (${line.receivedQty} of ${line.authorisedQty})` : '';
    const text = `Received 1 × ${sku}${count}: choose Restock, Damaged or Quarantine`;
    return { state: { ...base, step: 'disposition', message: { tone: 'success', text } }, intent: null, feedback: 'success' };
  }

  const { disposition, toLocationId } = pending.args;
  let text: string;
  if (disposition === 'restock') text = `Restocked 1 × ${sku} into ${binCode(view, toLocationId ?? '')}`;
  else {
    const place = view.locations.filter((l) => l.type === disposition).sort((a, b) => a.walkSeq - b.walkSeq)[0];
    text = `1 × ${sku} to ${disposition}${place ? ` (${place.code})` : ''}`;
  }
  const done = returnDone(view);
  text += done ? `. Return ${view.ret.rma} is done` : '. Scan the next item';
  return {
    state: { ...base, step: done ? 'return-done' : 'scan-item', unit: null, suggestion: null, overrideReason: null, message: { tone: 'success', text } },
    intent: null,
    feedback: 'success',
  };
}

function onViewUpdated(state: ReturnsState, view: ReturnView): ReturnsResult {
  if (state.pending) return quiet(state, { view });
  const unit = state.unit;
  const deciding = state.step === 'disposition' || state.step === 'scan-bin' || state.step === 'override-reason';
  if (deciding && unit) {
    const line = view.lines.find((candidate) => candidate.productId === unit.productId);
    if (!line || undecided(line) === 0) {
      // Another device decided the unit meanwhile.
      const text = `${skuOf(view, unit.productId)} was handled elsewhere. Scan the next item`;
      return quiet(state, { view, step: returnDone(view) ? 'return-done' : 'scan-item', unit: null, suggestion: null, overrideReason: null, message: { tone: 'info', text } });
    }
  }
  if (state.step === 'scan-item' && returnDone(view)) return quiet(state, { view, step: 'return-done' });
  return quiet(state, { view });
}
