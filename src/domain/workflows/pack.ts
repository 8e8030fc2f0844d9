// The pack station as a pure state machine: scan an order (its number or packing slip) or a pick
// list, scan every item into the carton, scan the carrier's label to ship. The reducer decides;
// the command layer resolves scans against the device's rows, carries out its intent (a `pack`
// or `ship` mutation) and reports back.
//
// The steps, what each shows and what a scan does there:
// - `scan-order`: "Scan an order or a pick list". An order opens it (→ pack-items); a pick list of
//   one order opens that order; a pick list of several orders sorts them (→ sort-items). An item
//   or a label is refused: there is no order to put it in.
// - `pack-items`: the order's lines, scanned against expected. An item of the order with units
//   left submits a pack of 1 into the open carton; an item the order does not have, or one whose
//   line is complete, is refused naming what is still expected. Once every line is complete the
//   order waits for its label (→ scan-label). Another order opens that one instead.
// - `sort-items`: a pick list's orders, each with its slot (1, 2, …). An item goes to the first
//   order with room for it: the screen names the slot. An item none of them needs is refused.
//   An order scanned here opens it alone (→ pack-items); so does a complete order.
// - `scan-label`: "Scan the carrier label". A tracking number the command layer recognised
//   submits the ship; one it did not asks for the carrier by hand (→ choose-carrier); an item is
//   refused (the order is complete).
// - `choose-carrier`: the carriers; choosing one ships with the number as scanned.
// - `shipped`: the order is gone; "Scan the next order".
//
// A submission is confirmed only when the command layer reports `submitted` with the view read
// after the local commit; while one is pending, anything that would submit again is refused.
import { acceptTracking } from '../carriers';
import type { ArgsOf } from '../mutations';
import { abbreviate, refuse, type WorkflowMessage } from './message';

/** One line of an order at the pack station. */
export interface PackLine {
  orderLineId: string;
  productId: string;
  sku: string;
  name: string;
  /** Units ordered. */
  ordered: number;
  /** Units picked for the order: what the station can pack. */
  picked: number;
  packed: number;
}

export interface PackOrder {
  orderId: string;
  number: string;
  status: string;
  lines: readonly PackLine[];
}

/** What the station works on: one order, or the orders of one pick list in slot order. */
export interface PackView {
  /** The pick list being sorted, if the station opened one. */
  pickList: { id: string; number: string } | null;
  orders: readonly PackOrder[];
}

/** A scan as the command layer resolved it. */
export type PackLookup =
  | { kind: 'order'; view: PackView }
  /** `lot`: the lot a GS1 label on the unit carried; the server checks it was picked for the order. */
  | { kind: 'product'; product: { id: string; sku: string; name: string }; lot?: string | null }
  | { kind: 'tracking'; carrier: string; trackingNumber: string }
  | { kind: 'unknown'; text: string; error?: string };

export type PackStep = 'scan-order' | 'pack-items' | 'sort-items' | 'scan-label' | 'choose-carrier' | 'shipped';

export type PackSubmission = { type: 'pack'; args: ArgsOf<'pack'> } | { type: 'ship'; args: ArgsOf<'ship'> };

export interface PackState {
  step: PackStep;
  view: PackView | null;
  /** The order being packed or shipped (`pack-items`, `scan-label`, `choose-carrier`, `shipped`). */
  orderId: string | null;
  /** The carton units go into: 1, 2, … ("Add carton" opens the next). */
  carton: number;
  /** A scanned label no pattern matched, waiting for the carrier to be chosen. */
  unrecognised: string | null;
  pending: PackSubmission | null;
  message: WorkflowMessage | null;
}

export type PackEvent =
  | { type: 'scan'; lookup: PackLookup }
  | { type: 'new-carton' }
  | { type: 'choose-carrier'; carrier: string }
  | { type: 'cancel' }
  | { type: 'submitted'; view: PackView }
  | { type: 'rejected'; message: string }
  | { type: 'view-updated'; view: PackView };

export interface PackResult {
  state: PackState;
  intent: { submit: PackSubmission } | null;
  feedback: 'success' | 'error' | null;
}

export const initialPackState: PackState = { step: 'scan-order', view: null, orderId: null, carton: 1, unrecognised: null, pending: null, message: null };

// ---- Reading the view ----

export const leftToPack = (line: PackLine): number => Math.max(0, line.picked - line.packed);

/** Every picked unit packed, every ordered unit picked. */
export function isComplete(order: PackOrder): boolean {
  return order.lines.length > 0 && order.lines.every((line) => line.packed >= line.ordered);
}

export function orderOf(state: PackState): PackOrder | undefined {
  return state.view?.orders.find((order) => order.orderId === state.orderId);
}

export function packProgress(order: PackOrder): { unitsPacked: number; unitsOrdered: number; linesDone: number; lineCount: number } {
  return {
    unitsPacked: order.lines.reduce((sum, line) => sum + Math.min(line.packed, line.ordered), 0),
    unitsOrdered: order.lines.reduce((sum, line) => sum + line.ordered, 0),
    linesDone: order.lines.filter((line) => line.packed >= line.ordered).length,
    lineCount: order.lines.length,
  };
}

/** What is still expected of an order, for refusals: "2 × MUG-1, 1 × TEE-M". */
export function expectedText(order: PackOrder): string {
  const left = order.lines.filter((line) => line.packed < line.ordered).map((line) => `${line.ordered - line.packed} × ${line.sku}`);
  return left.length > 0 ? left.join(', ') : 'nothing';
}

/** The line under the Scan field saying what to scan next. */
export function packPrompt(state: PackState): string {
  const order = orderOf(state);
  switch (state.step) {
    case 'scan-order':
      return 'Scan an order, packing slip or pick list';
    case 'pack-items':
      return order ? `Scan the items of order ${order.number} into carton ${state.carton}` : 'Scan an order';
    case 'sort-items':
      return `Scan an item of pick list ${state.view?.pickList?.number ?? ''}: the screen names its slot`;
    case 'scan-label':
      return order ? `Order ${order.number} is packed: scan the carrier label` : 'Scan the carrier label';
    case 'choose-carrier':
      return 'Choose the carrier of this label';
    case 'shipped':
      return 'Shipped. Scan the next order';
  }
}

// ---- The reducer ----

export function packReducer(state: PackState, event: PackEvent): PackResult {
  switch (event.type) {
    case 'scan':
      return onScan(state, event.lookup);
    case 'new-carton':
      if (state.step !== 'pack-items') return refuse(state, 'Open an order before adding a carton.');
      return { state: { ...state, carton: state.carton + 1, message: { tone: 'info', text: `Carton ${state.carton + 1} is open.` } }, intent: null, feedback: null };
    case 'choose-carrier': {
      if (state.step !== 'choose-carrier' || !state.unrecognised || !state.orderId) return refuse(state, 'Scan the carrier label first.');
      // The carrier's own check still applies to a number it has a pattern for.
      const accepted = acceptTracking(state.unrecognised, event.carrier);
      if (!accepted.ok) return refuse(state, accepted.message, { step: 'scan-label', unrecognised: null });
      return ship(state, state.orderId, accepted.carrier, accepted.trackingNumber);
    }
    case 'cancel':
      if (state.step !== 'choose-carrier') return { state, intent: null, feedback: null };
      return { state: { ...state, step: 'scan-label', unrecognised: null, message: null }, intent: null, feedback: null };
    case 'submitted':
      return onSubmitted(state, event.view);
    case 'rejected':
      return refuse(state, event.message, { pending: null });
    case 'view-updated':
      return { state: settle({ ...state, view: event.view }), intent: null, feedback: null };
  }
}

function onScan(state: PackState, lookup: PackLookup): PackResult {
  if (state.pending) return refuse(state, 'Wait: the last scan is still being saved.');
  if (lookup.kind === 'order') return openView(state, lookup.view);
  if (lookup.kind === 'unknown') {
    if (state.step === 'scan-label' && !lookup.error) {
      return {
        state: { ...state, step: 'choose-carrier', unrecognised: lookup.text, message: { tone: 'info', text: `${abbreviate(lookup.text)} is no carrier label we know: choose its carrier, or scan the label again.` } },
        intent: null,
        feedback: null,
      };
    }
    return refuse(state, lookup.error ?? `Unknown barcode ${abbreviate(lookup.text)}. ${packPrompt(state)}.`);
  }
  switch (state.step) {
    case 'scan-order':
    case 'shipped':
      return refuse(state, lookup.kind === 'product' ? `Scan the order first: ${lookup.product.sku} has no order open.` : 'Scan the order first, then pack it, then its label.');
    case 'pack-items':
      return lookup.kind === 'product' ? packItem(state, lookup.product, lookup.lot ?? null) : refuse(state, `Order ${orderOf(state)?.number ?? ''} is not packed yet: still expected ${expectedText(orderOf(state)!)}.`);
    case 'sort-items':
      return lookup.kind === 'product' ? sortItem(state, lookup.product, lookup.lot ?? null) : refuse(state, 'Scan the order whose label this is first.');
    case 'scan-label':
    case 'choose-carrier': {
      const order = orderOf(state)!;
      if (lookup.kind === 'tracking') return ship(state, order.orderId, lookup.carrier, lookup.trackingNumber);
      return refuse(state, `Order ${order.number} is complete: ${lookup.product.sku} does not belong in it. Scan the carrier label.`);
    }
  }
}

/** Opens a scanned order or pick list. */
function openView(state: PackState, view: PackView): PackResult {
  const open = view.orders.filter((order) => order.status !== 'shipped' && order.status !== 'cancelled');
  if (view.orders.length === 1) {
    const order = view.orders[0]!;
    if (order.status === 'shipped') return refuse(state, `Order ${order.number} has already shipped. Scan the next order.`);
    if (order.status === 'cancelled') return refuse(state, `Order ${order.number} was cancelled. Put its units aside for a supervisor.`);
    if (order.lines.every((line) => line.picked === 0)) return refuse(state, `Nothing of order ${order.number} has been picked yet. Pick it first.`);
    const next = settle({ ...state, view, orderId: order.orderId, step: 'pack-items', carton: 1, unrecognised: null, message: null });
    const { unitsOrdered, unitsPacked } = packProgress(order);
    const text = next.step === 'scan-label' ? `Order ${order.number} is packed: scan the carrier label.` : `Order ${order.number}: ${unitsOrdered - unitsPacked} units to pack.`;
    return { state: { ...next, message: { tone: 'success', text } }, intent: null, feedback: 'success' };
  }
  if (open.length === 0) return refuse(state, `Every order of pick list ${view.pickList?.number ?? ''} has shipped or was cancelled.`);
  const slots = open.map((order, i) => `slot ${i + 1}: ${order.number}`).join(', ');
  return {
    state: { ...state, view: { ...view, orders: open }, orderId: null, step: 'sort-items', carton: 1, unrecognised: null, message: { tone: 'success', text: `Pick list ${view.pickList?.number ?? ''}: ${slots}.` } },
    intent: null,
    feedback: 'success',
  };
}

function packItem(state: PackState, product: { id: string; sku: string; name: string }, lot: string | null): PackResult {
  const order = orderOf(state)!;
  const lines = order.lines.filter((line) => line.productId === product.id);
  if (lines.length === 0) {
    return refuse(state, `${product.sku} is not on order ${order.number}. Take it out; still expected ${expectedText(order)}.`);
  }
  if (!lines.some((line) => leftToPack(line) > 0)) {
    const ordered = lines.reduce((sum, line) => sum + line.ordered, 0);
    const packed = lines.reduce((sum, line) => sum + line.packed, 0);
    const text = packed >= ordered
      ? `All ${ordered} × ${product.sku} are packed. Take this one out; still expected ${expectedText(order)}.`
      : `No more picked ${product.sku} to pack for order ${order.number} (${packed} of ${ordered}). Find the rest from picking, or tell a supervisor.`;
    return refuse(state, text);
  }
  const args: ArgsOf<'pack'> = { orderId: order.orderId, productId: product.id, qty: 1, cartonId: String(state.carton), lot };
  return { state: { ...state, pending: { type: 'pack', args }, message: null }, intent: { submit: { type: 'pack', args } }, feedback: null };
}

function sortItem(state: PackState, product: { id: string; sku: string; name: string }, lot: string | null): PackResult {
  const orders = state.view!.orders;
  const slot = orders.findIndex((order) => order.lines.some((line) => line.productId === product.id && leftToPack(line) > 0));
  if (slot < 0) return refuse(state, `No order of pick list ${state.view!.pickList?.number ?? ''} needs ${product.sku} any more. Take it out and tell a supervisor.`);
  const order = orders[slot]!;
  const args: ArgsOf<'pack'> = { orderId: order.orderId, productId: product.id, qty: 1, cartonId: `slot-${slot + 1}`, lot };
  return {
    state: { ...state, pending: { type: 'pack', args }, message: { tone: 'info', text: `Slot ${slot + 1}: order ${order.number}.` } },
    intent: { submit: { type: 'pack', args } },
    feedback: null,
  };
}

function ship(state: PackState, orderId: string, carrier: string, trackingNumber: string): PackResult {
  const args: ArgsOf<'ship'> = { orderId, carrier, trackingNumber };
  return { state: { ...state, pending: { type: 'ship', args }, unrecognised: null, message: null }, intent: { submit: { type: 'ship', args } }, feedback: null };
}

function onSubmitted(state: PackState, view: PackView): PackResult {
  const done = state.pending;
  const next = settle({ ...state, view, pending: null });
  if (!done) return { state: next, intent: null, feedback: null };
  if (done.type === 'ship') {
    const order = view.orders.find((candidate) => candidate.orderId === done.args.orderId);
    return {
      state: { ...next, step: 'shipped', message: { tone: 'success', text: `Order ${order?.number ?? ''} shipped with ${done.args.carrier} ${done.args.trackingNumber}. Scan the next order.` } },
      intent: null,
      feedback: 'success',
    };
  }
  const { orderId, productId, cartonId } = done.args;
  const order = view.orders.find((candidate) => candidate.orderId === orderId);
  const line = order?.lines.find((candidate) => candidate.productId === productId);
  const count = line ? `${line.sku}: ${line.packed} of ${line.ordered}` : 'Packed';
  let text: string;
  if (state.step === 'sort-items') {
    const slot = `Slot ${view.orders.findIndex((candidate) => candidate.orderId === orderId) + 1}, order ${order?.number ?? ''}`;
    text = order && isComplete(order) ? `${slot}: complete.` : `${slot}: ${count}.`;
  } else {
    text = order && isComplete(order) ? `Order ${order.number} is packed: scan the carrier label.` : `${count} in carton ${cartonId ?? state.carton}.`;
  }
  return { state: { ...next, message: { tone: 'success', text } }, intent: null, feedback: 'success' };
}

/** The step the view puts the station in: an order packed whole waits for its label. */
function settle(state: PackState): PackState {
  if (state.step !== 'pack-items' && state.step !== 'scan-label') return state;
  const order = orderOf(state);
  if (!order) return { ...state, step: 'scan-order', orderId: null };
  if (order.status === 'shipped') return { ...state, step: 'shipped' };
  return { ...state, step: isComplete(order) ? 'scan-label' : 'pack-items' };
}
