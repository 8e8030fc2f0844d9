// The pack station as a pure state machine: scan an order (its number or packing slip) or a pick
// list, scan every item into a carton, close each carton with its box and weight, scan the
// carrier's label to ship. The reducer decides; the command layer resolves scans against the
// device's rows, carries out its intent (a `pack`, `repack`, `close-carton` or `ship` mutation)
// and reports back.
//
// The steps, what each shows and what a scan does there:
// - `scan-order`: "Scan an order or a pick list". An order opens it (→ pack-items); a pick list of
//   one order opens that order; a pick list of several orders sorts them (→ sort-items). An item
//   or a label is refused: there is no order to put it in.
// - `pack-items`: the order's lines, scanned against expected. An item of the order with units
//   left submits a pack into the open carton (1, or the count typed where the owner allows it; a
//   serial-tracked item needs its serial, once); an item the order does not have, or one whose
//   line is complete, is refused naming what is still expected. Once every line is complete the
//   open carton is closed (→ close-carton); "Close carton" does that earlier, and closing the
//   last carton of an incomplete order needs a supervisor's code and a reason (closed short, the
//   order waits for the supervisor). "Move units" moves units between open cartons (→ move-units).
//   Another order opens that one instead.
// - `close-carton`: the box (scanned by its code or chosen) and the weight (typed, or typed by a
//   wedge scale into the weight field). Once every carton is closed the order waits for its label.
// - `move-units`: what to move, how many, from which carton to which.
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
import { kilograms } from '../weight';
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
  /** Each unit is packed by its serial number. */
  serialTracked?: boolean;
}

/** Units of one product (lot, serial) in a carton. */
export interface PackCartonLine {
  productId: string;
  sku: string;
  lot: string | null;
  serial: string | null;
  qty: number;
}

export interface PackCarton {
  label: string;
  status: 'open' | 'closed';
  cartonTypeId: string | null;
  weightGrams: number | null;
  lines: readonly PackCartonLine[];
}

/** A box the owner ships in. */
export interface PackBox {
  id: string;
  code: string;
  name: string;
  /** Inner dimensions, "30 × 20 × 15 cm". */
  size: string;
  maxWeightGrams: number | null;
}

export interface PackOrder {
  orderId: string;
  number: string;
  status: string;
  lines: readonly PackLine[];
  cartons?: readonly PackCarton[];
  /** The owner's boxes. */
  boxes?: readonly PackBox[];
  /** The owner lets packers type a count instead of scanning each unit. */
  quantityTyped?: boolean;
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
  | { kind: 'product'; product: { id: string; sku: string; name: string }; lot?: string | null; serial?: string | null }
  /** A box's code, scanned from the shelf of flat boxes. */
  | { kind: 'box'; code: string }
  | { kind: 'tracking'; carrier: string; trackingNumber: string }
  | { kind: 'unknown'; text: string; error?: string };

export type PackStep = 'scan-order' | 'pack-items' | 'sort-items' | 'close-carton' | 'move-units' | 'scan-label' | 'choose-carrier' | 'shipped';

export type PackSubmission =
  | { type: 'pack'; args: ArgsOf<'pack'> }
  | { type: 'repack'; args: ArgsOf<'repack'> }
  | { type: 'close-carton'; args: ArgsOf<'close-carton'> }
  | { type: 'ship'; args: ArgsOf<'ship'> };

export interface PackState {
  step: PackStep;
  view: PackView | null;
  /** The order being packed or shipped (`pack-items`, `scan-label`, `choose-carrier`, `shipped`). */
  orderId: string | null;
  /** The carton units go into: `1`, `2`, … ("Add carton" opens the next), or a sort wall's slot. */
  carton: string;
  /** How many units the next item scan packs, where the owner allows typing it; back to 1 after. */
  count: number;
  /** The box chosen or scanned while closing a carton. */
  boxId: string | null;
  /** A scanned label no pattern matched, waiting for the carrier to be chosen. */
  unrecognised: string | null;
  pending: PackSubmission | null;
  message: WorkflowMessage | null;
}

export type PackEvent =
  | { type: 'scan'; lookup: PackLookup }
  | { type: 'new-carton' }
  | { type: 'set-count'; count: number }
  | { type: 'close-carton' }
  | { type: 'choose-box'; boxId: string }
  | { type: 'submit-close'; boxId: string; weightGrams: number; short: { reason: string; overrideCode: string } | null }
  | { type: 'move-units' }
  /** A form's input the station cannot use (an unreadable weight): said like any refusal. */
  | { type: 'form-problem'; message: string }
  | { type: 'submit-move'; productId: string; lot: string | null; serial: string | null; fromCarton: string; toCarton: string; qty: number }
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

export const initialPackState: PackState = {
  step: 'scan-order', view: null, orderId: null, carton: '1', count: 1, boxId: null, unrecognised: null, pending: null, message: null,
};

// ---- Reading the view ----

export const leftToPack = (line: PackLine): number => Math.max(0, line.picked - line.packed);

/** Every ordered unit packed. */
export function isComplete(order: PackOrder): boolean {
  return order.lines.length > 0 && order.lines.every((line) => line.packed >= line.ordered);
}

export function orderOf(state: PackState): PackOrder | undefined {
  return state.view?.orders.find((order) => order.orderId === state.orderId);
}

export const unitsInCarton = (carton: PackCarton): number => carton.lines.reduce((sum, line) => sum + line.qty, 0);

/** The order's open cartons that hold units: what must be closed before it ships. */
export function openCartons(order: PackOrder): PackCarton[] {
  return (order.cartons ?? []).filter((carton) => carton.status === 'open' && unitsInCarton(carton) > 0);
}

export function cartonOf(order: PackOrder, label: string): PackCarton | undefined {
  return order.cartons?.find((carton) => carton.label === label);
}

/** The label after the order's highest numbered carton: "Add carton". */
export function nextCartonLabel(order: PackOrder, current: string): string {
  const numbers = [...(order.cartons ?? []).map((carton) => carton.label), current].map(Number).filter(Number.isInteger);
  return String(Math.max(0, ...numbers) + 1);
}

/** Where units go when an order opens: its open carton with units, else an open one, else a new one. */
function currentCarton(order: PackOrder): string {
  const open = (order.cartons ?? []).filter((carton) => carton.status === 'open');
  return (open.find((carton) => unitsInCarton(carton) > 0) ?? open[0])?.label ?? nextCartonLabel(order, '0');
}

/** Closing `label` ends packing for an order that is not complete: only with a supervisor's code. */
export function closesShort(order: PackOrder, label: string): boolean {
  return !isComplete(order) && openCartons(order).every((carton) => carton.label === label);
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
    case 'close-carton':
      return `Close carton ${state.carton}: scan or choose its box, then weigh it`;
    case 'move-units':
      return `Choose what to move, and the carton it goes to`;
    case 'scan-label':
      return order ? `Order ${order.number} is packed: scan the carrier label` : 'Scan the carrier label';
    case 'choose-carrier':
      return 'Choose the carrier of this label';
    case 'shipped':
      return 'Shipped. Scan the next order';
  }
}

// ---- The reducer ----

const none = (state: PackState): PackResult => ({ state, intent: null, feedback: null });
const submitting = (state: PackState, submission: PackSubmission, message: PackState['message'] = null): PackResult => ({
  state: { ...state, pending: submission, message },
  intent: { submit: submission },
  feedback: null,
});

export function packReducer(state: PackState, event: PackEvent): PackResult {
  if (state.pending && event.type !== 'submitted' && event.type !== 'rejected' && event.type !== 'view-updated') {
    return refuse(state, 'Wait: the last scan is still being saved.');
  }
  switch (event.type) {
    case 'scan':
      return onScan(state, event.lookup);
    case 'new-carton': {
      const order = orderOf(state);
      if (state.step !== 'pack-items' || !order) return refuse(state, 'Open an order before adding a carton.');
      const label = nextCartonLabel(order, state.carton);
      return none({ ...state, carton: label, message: { tone: 'info', text: `Carton ${label} is open: scan items into it.` } });
    }
    case 'set-count': {
      const order = orderOf(state);
      if (!order?.quantityTyped) return refuse(state, 'This merchant’s items are scanned one by one.');
      if (!Number.isInteger(event.count) || event.count < 1 || event.count > 10_000) return refuse(state, 'Type a count from 1 to 10,000.');
      return none({ ...state, count: event.count, message: { tone: 'info', text: `The next item scanned counts ${event.count}.` } });
    }
    case 'close-carton': {
      const order = orderOf(state);
      if (state.step !== 'pack-items' || !order) return refuse(state, 'Open an order before closing a carton.');
      const carton = cartonOf(order, state.carton);
      if (!carton || unitsInCarton(carton) === 0) return refuse(state, `Carton ${state.carton} is empty: scan items into it first.`);
      return none({ ...state, step: 'close-carton', boxId: null, message: null });
    }
    case 'choose-box': {
      const box = orderOf(state)?.boxes?.find((candidate) => candidate.id === event.boxId);
      if (state.step !== 'close-carton' || !box) return refuse(state, 'Choose one of the boxes listed.');
      return none({ ...state, boxId: box.id, message: { tone: 'info', text: `${box.code}: ${box.name}, ${box.size}. Weigh the carton.` } });
    }
    case 'submit-close':
      return submitClose(state, event);
    case 'move-units': {
      const order = orderOf(state);
      if ((state.step !== 'pack-items' && state.step !== 'close-carton') || !order || openCartons(order).length === 0) {
        return refuse(state, 'There are no units in an open carton to move.');
      }
      return none({ ...state, step: 'move-units', message: null });
    }
    case 'submit-move':
      return submitMove(state, event);
    case 'form-problem':
      return refuse(state, event.message);
    case 'choose-carrier': {
      if (state.step !== 'choose-carrier' || !state.unrecognised || !state.orderId) return refuse(state, 'Scan the carrier label first.');
      // The carrier's own check still applies to a number it has a pattern for.
      const accepted = acceptTracking(state.unrecognised, event.carrier);
      if (!accepted.ok) return refuse(state, accepted.message, { step: 'scan-label', unrecognised: null });
      return ship(state, state.orderId, accepted.carrier, accepted.trackingNumber);
    }
    case 'cancel':
      if (state.step === 'choose-carrier') return none({ ...state, step: 'scan-label', unrecognised: null, message: null });
      if (state.step === 'close-carton' || state.step === 'move-units') return none(settle({ ...state, step: 'pack-items', message: null }));
      return none(state);
    case 'submitted':
      return onSubmitted(state, event.view);
    case 'rejected':
      return refuse(state, event.message, { pending: null });
    case 'view-updated':
      return onViewUpdated(state, event.view);
  }
}

function onScan(state: PackState, lookup: PackLookup): PackResult {
  if (lookup.kind === 'order') return openView(state, lookup.view);
  if (lookup.kind === 'box') {
    const box = orderOf(state)?.boxes?.find((candidate) => candidate.code === lookup.code);
    if (state.step !== 'close-carton') return refuse(state, `${lookup.code} is a box: close a carton to use it. ${packPrompt(state)}.`);
    if (!box) return refuse(state, `${lookup.code} is not one of this merchant’s boxes. Choose one from the list.`);
    return packReducer(state, { type: 'choose-box', boxId: box.id });
  }
  if (lookup.kind === 'unknown') {
    if (state.step === 'scan-label' && !lookup.error) {
      return none({ ...state, step: 'choose-carrier', unrecognised: lookup.text, message: { tone: 'info', text: `${abbreviate(lookup.text)} is no carrier label we know: choose its carrier, or scan the label again.` } });
    }
    return refuse(state, lookup.error ?? `Unknown barcode ${abbreviate(lookup.text)}. ${packPrompt(state)}.`);
  }
  switch (state.step) {
    case 'scan-order':
    case 'shipped':
      return refuse(state, lookup.kind === 'product' ? `Scan the order first: ${lookup.product.sku} has no order open.` : 'Scan the order first, then pack it, then its label.');
    case 'pack-items':
      return lookup.kind === 'product' ? packItem(state, lookup) : refuse(state, `Order ${orderOf(state)?.number ?? ''} is not packed yet: still expected ${expectedText(orderOf(state)!)}.`);
    case 'sort-items':
      return lookup.kind === 'product' ? sortItem(state, lookup) : refuse(state, 'Scan the order whose label this is first.');
    case 'close-carton':
    case 'move-units':
      return refuse(state, `Close carton ${state.carton} first: choose its box and weigh it.`);
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
    if (order.status === 'on_hold') return refuse(state, `Order ${order.number} is on hold for a supervisor. Put it aside and scan the next order.`);
    if (order.lines.every((line) => line.picked === 0)) return refuse(state, `Nothing of order ${order.number} has been picked yet. Pick it first.`);
    const next = settle({ ...state, view, orderId: order.orderId, step: 'pack-items', carton: currentCarton(order), count: 1, unrecognised: null, message: null });
    const { unitsOrdered, unitsPacked } = packProgress(order);
    const text = next.step === 'scan-label'
      ? `Order ${order.number} is packed: scan the carrier label.`
      : next.step === 'close-carton'
        ? `Order ${order.number} is all in: close carton ${next.carton}.`
        : `Order ${order.number}: ${unitsOrdered - unitsPacked} units to pack.`;
    return { state: { ...next, message: { tone: 'success', text } }, intent: null, feedback: 'success' };
  }
  if (open.length === 0) return refuse(state, `Every order of pick list ${view.pickList?.number ?? ''} has shipped or was cancelled.`);
  const slots = open.map((order, i) => `slot ${i + 1}: ${order.number}`).join(', ');
  return {
    state: { ...state, view: { ...view, orders: open }, orderId: null, step: 'sort-items', carton: '1', count: 1, unrecognised: null, message: { tone: 'success', text: `Pick list ${view.pickList?.number ?? ''}: ${slots}.` } },
    intent: null,
    feedback: 'success',
  };
}

type ProductScan = Extract<PackLookup, { kind: 'product' }>;

/** Why a unit of `line`'s product may not go in as scanned (serials), or null. */
function serialProblem(order: PackOrder, line: PackLine, scan: ProductScan, count: number): string | null {
  if (!line.serialTracked) return null;
  if (!scan.serial) return `${line.sku} is serial-tracked: scan the barcode with its serial number (S/N), one unit at a time.`;
  if (count > 1) return `Scan each ${line.sku} by its serial number, one unit at a time.`;
  const carton = order.cartons?.find((candidate) => candidate.lines.some((unit) => unit.productId === line.productId && unit.serial === scan.serial && unit.qty > 0));
  return carton ? `Serial ${scan.serial} of ${line.sku} is already packed in carton ${carton.label}. Scan another unit.` : null;
}

function packItem(state: PackState, scan: ProductScan): PackResult {
  const { product } = scan;
  const order = orderOf(state)!;
  const lines = order.lines.filter((line) => line.productId === product.id);
  if (lines.length === 0) {
    return refuse(state, `${product.sku} is not on order ${order.number}. Take it out; still expected ${expectedText(order)}.`);
  }
  const left = lines.reduce((sum, line) => sum + leftToPack(line), 0);
  if (left === 0) {
    const ordered = lines.reduce((sum, line) => sum + line.ordered, 0);
    const packed = lines.reduce((sum, line) => sum + line.packed, 0);
    const text = packed >= ordered
      ? `All ${ordered} × ${product.sku} are packed. Take this one out; still expected ${expectedText(order)}.`
      : `No more picked ${product.sku} to pack for order ${order.number} (${packed} of ${ordered}). Find the rest from picking, or tell a supervisor.`;
    return refuse(state, text);
  }
  const problem = serialProblem(order, lines[0]!, scan, state.count);
  if (problem) return refuse(state, problem);
  if (state.count > left) return refuse(state, `Only ${left} × ${product.sku} are left to pack, not ${state.count}. Type the count again.`, { count: 1 });
  const args: ArgsOf<'pack'> = { orderId: order.orderId, productId: product.id, qty: state.count, cartonId: state.carton, lot: scan.lot ?? null, serial: lines[0]!.serialTracked ? scan.serial ?? null : null };
  return submitting({ ...state, count: 1 }, { type: 'pack', args });
}

function sortItem(state: PackState, scan: ProductScan): PackResult {
  const { product } = scan;
  const orders = state.view!.orders;
  const slot = orders.findIndex((order) => order.lines.some((line) => line.productId === product.id && leftToPack(line) > 0));
  if (slot < 0) return refuse(state, `No order of pick list ${state.view!.pickList?.number ?? ''} needs ${product.sku} any more. Take it out and tell a supervisor.`);
  const order = orders[slot]!;
  const line = order.lines.find((candidate) => candidate.productId === product.id)!;
  const problem = serialProblem(order, line, scan, 1);
  if (problem) return refuse(state, problem);
  const args: ArgsOf<'pack'> = { orderId: order.orderId, productId: product.id, qty: 1, cartonId: `slot-${slot + 1}`, lot: scan.lot ?? null, serial: line.serialTracked ? scan.serial ?? null : null };
  return submitting(state, { type: 'pack', args }, { tone: 'info', text: `Slot ${slot + 1}: order ${order.number}.` });
}

function submitClose(state: PackState, event: Extract<PackEvent, { type: 'submit-close' }>): PackResult {
  const order = orderOf(state);
  if (state.step !== 'close-carton' || !order) return refuse(state, 'Open an order and its carton first.');
  const box = order.boxes?.find((candidate) => candidate.id === event.boxId);
  if (!box) return refuse(state, 'Choose the box first: scan its code or pick it from the list.');
  if (!Number.isInteger(event.weightGrams) || event.weightGrams <= 0) return refuse(state, 'Weigh the carton: put it on the scale, or type its weight.');
  if (box.maxWeightGrams !== null && event.weightGrams > box.maxWeightGrams) {
    return refuse(state, `${box.name} holds up to ${kilograms(box.maxWeightGrams)}; this carton weighs ${kilograms(event.weightGrams)}. Use a stronger box or move units to another carton.`);
  }
  const short = closesShort(order, state.carton);
  if (short && !event.short) {
    return refuse(state, `Order ${order.number} is not complete: still missing ${expectedText(order)}. Pack them, or close short with a supervisor's code and a reason.`);
  }
  const args: ArgsOf<'close-carton'> = { orderId: order.orderId, carton: state.carton, cartonTypeId: box.id, weightGrams: event.weightGrams, short: short ? event.short : null };
  return submitting({ ...state, boxId: box.id }, { type: 'close-carton', args });
}

function submitMove(state: PackState, event: Extract<PackEvent, { type: 'submit-move' }>): PackResult {
  const order = orderOf(state);
  if (state.step !== 'move-units' || !order) return refuse(state, 'Open an order first.');
  if (event.fromCarton === event.toCarton) return refuse(state, `The units are already in carton ${event.toCarton}. Choose another carton.`);
  const from = cartonOf(order, event.fromCarton);
  const to = cartonOf(order, event.toCarton);
  if (!from || from.status === 'closed' || to?.status === 'closed') return refuse(state, 'Units move only between open cartons.');
  const held = from.lines.filter((line) => line.productId === event.productId && line.lot === event.lot && line.serial === event.serial).reduce((sum, line) => sum + line.qty, 0);
  if (!Number.isInteger(event.qty) || event.qty < 1 || event.qty > held) return refuse(state, `Carton ${event.fromCarton} holds ${held} of these: move 1 to ${held}.`);
  const args: ArgsOf<'repack'> = { orderId: order.orderId, fromCarton: event.fromCarton, toCarton: event.toCarton, productId: event.productId, lot: event.lot, serial: event.serial, qty: event.qty };
  return submitting(state, { type: 'repack', args });
}

function ship(state: PackState, orderId: string, carrier: string, trackingNumber: string): PackResult {
  const args: ArgsOf<'ship'> = { orderId, carrier, trackingNumber };
  return submitting({ ...state, unrecognised: null }, { type: 'ship', args });
}

function onSubmitted(state: PackState, view: PackView): PackResult {
  const done = state.pending;
  if (!done) return none(settle({ ...state, view }));
  const order = view.orders.find((candidate) => candidate.orderId === done.args.orderId);
  const success = (next: PackState, text: string): PackResult => ({ state: { ...next, message: { tone: 'success', text } }, intent: null, feedback: 'success' });
  switch (done.type) {
    case 'ship':
      return success({ ...state, view, pending: null, step: 'shipped' }, `Order ${order?.number ?? ''} shipped with ${done.args.carrier} ${done.args.trackingNumber}. Scan the next order.`);
    case 'close-carton': {
      const box = order?.boxes?.find((candidate) => candidate.id === done.args.cartonTypeId);
      const closed = `Carton ${done.args.carton} closed (${box?.code ?? 'box'}, ${kilograms(done.args.weightGrams)})`;
      if (order?.status === 'on_hold') {
        return {
          state: { ...state, view: null, orderId: null, pending: null, step: 'scan-order', carton: '1', boxId: null, message: { tone: 'warning', text: `${closed} short. Order ${order.number} waits for a supervisor; the code is checked when this syncs. Scan the next order.` } },
          intent: null,
          feedback: 'success',
        };
      }
      const next = settle({ ...state, view, pending: null, step: 'pack-items', carton: order ? currentCarton(order) : '1' });
      if (next.step === 'scan-label') return success({ ...next, carton: done.args.carton }, `${closed}. Order ${order?.number ?? ''} is packed: scan the carrier label.`);
      return success(next, `${closed}. Carton ${next.carton} is open.`);
    }
    case 'repack': {
      const { qty, productId, fromCarton, toCarton } = done.args;
      const sku = order?.lines.find((line) => line.productId === productId)?.sku ?? productId;
      return success(settle({ ...state, view, pending: null, step: 'pack-items', carton: toCarton }), `Moved ${qty} × ${sku} from carton ${fromCarton} to carton ${toCarton}.`);
    }
    case 'pack': {
      const next = settle({ ...state, view, pending: null });
      const { orderId, productId, cartonId } = done.args;
      const line = order?.lines.find((candidate) => candidate.productId === productId);
      const count = line ? `${line.sku}: ${line.packed} of ${line.ordered}` : 'Packed';
      let text: string;
      if (state.step === 'sort-items') {
        const slot = `Slot ${view.orders.findIndex((candidate) => candidate.orderId === orderId) + 1}, order ${order?.number ?? ''}`;
        text = order && isComplete(order) ? `${slot}: complete.` : `${slot}: ${count}.`;
      } else {
        text = next.step === 'close-carton' ? `${count}. Order ${order?.number ?? ''} is all in: close carton ${next.carton}.` : `${count} in carton ${cartonId ?? state.carton}.`;
      }
      return success(next, text);
    }
  }
}

/** What a pull or another device changed of the open orders: said when it ends the packing. */
function onViewUpdated(state: PackState, view: PackView): PackResult {
  // A read started for the orders open before the last scan opened others is of no use now.
  const ids = (v: PackView | null) => v?.orders.map((order) => order.orderId).sort().join('\u0000');
  if (ids(view) !== ids(state.view)) return none(state);
  const before = orderOf(state);
  const after = view.orders.find((candidate) => candidate.orderId === state.orderId);
  if (before && after && before.status !== after.status && (after.status === 'cancelled' || after.status === 'on_hold')) {
    const why = after.status === 'cancelled' ? 'was cancelled' : 'was put on hold';
    return refuse(state, `Order ${after.number} ${why} while you packed it. Put its units aside for a supervisor and scan the next order.`, { view: null, orderId: null, step: 'scan-order', carton: '1' });
  }
  return none(settle({ ...state, view }));
}

/** The step the view puts the station in: an order packed whole closes its cartons, then waits for its label. */
function settle(state: PackState): PackState {
  if (!['pack-items', 'close-carton', 'move-units', 'scan-label'].includes(state.step)) return state;
  const order = orderOf(state);
  if (!order) return { ...state, step: 'scan-order', orderId: null };
  if (order.status === 'shipped') return { ...state, step: 'shipped' };
  if (order.status === 'packed') return { ...state, step: 'scan-label' };
  if (isComplete(order)) {
    const open = openCartons(order);
    if (open.length === 0) return { ...state, step: 'scan-label' };
    if (state.step === 'move-units') return state;
    const carton = open.some((candidate) => candidate.label === state.carton) ? state.carton : open[0]!.label;
    // Each carton's box is chosen for it: the last one's is no guess for this one.
    return { ...state, step: 'close-carton', carton, boxId: state.step === 'close-carton' ? state.boxId : null };
  }
  return state.step === 'scan-label' ? { ...state, step: 'pack-items' } : state;
}
