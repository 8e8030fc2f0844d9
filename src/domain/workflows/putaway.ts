// The putaway screen as a pure state machine: take an LPN or loose item waiting at a dock, follow
// the suggested bin (or give a reason for another), and the same screen moves stock between any
// two bins. The reducer decides; the command layer submits its `move` mutations and reports back.
//
// The steps, what each shows and what a scan does there:
// - `choose`: the stock waiting at docks, as LPNs and loose items. An LPN label or an item at a
//   dock selects it (→ scan-dest, with the suggested bin); an item only on an LPN asks for the LPN
//   label; a bin is refused (to empty a bin, press Move stock). Move stock → move-from.
// - `move-from`: "Scan the bin to move stock from". A bin holding stock the user may touch
//   → move-item; anything else is refused.
// - `move-item`: the stock in that bin. Its LPN or item selects it (→ scan-dest, no suggestion);
//   another bin with stock becomes the source instead.
// - `scan-dest`: the selected units, the suggested bin and why. The suggested bin (any bin when
//   nothing was suggested, or after Other bin) submits the move; another bin is refused naming the
//   suggested one; the units' own bin is refused. The same loose item again counts units (from
//   "all of the row" to one per scan); typed quantity and Other bin are offered.
// - `enter-quantity`: units to move of a loose row (1 to what the row holds); scans are refused.
// - `override-reason`: why the suggested bin is not used (a short list or free text); scans are
//   refused until a reason is given or the form is cancelled.
//
// An LPN moves whole: one `move` per stock row on it (product and lot), submitted in order; a
// refusal part way is reported with what did move. A move is confirmed only after the command
// layer reports `submitted` (the local transaction committed); while one is pending, anything
// that would submit again is refused.
import type { Location, StockRow } from '../entities';
import type { ArgsOf } from '../mutations';
import { NOT_PUTAWAY, suggestPutaway } from '../putaway-suggest';
import type { SuggestProduct, Suggestion } from '../putaway-suggest';
import { sortFefo, totalQty } from '../rules/stock';
import type { ScanLookup } from './pick';
import { abbreviate, refuse as error, type WorkflowMessage } from './message';

export interface PutawayProduct extends SuggestProduct {
  id: string;
  name: string;
}

/** What the putaway screen works on, read from the device's view. */
export interface PutawayView {
  /** The owners the user works for; null for all. Only their stock is offered. */
  ownerIds: readonly string[] | null;
  /** Every location on the device: bin codes, dock and bin types, the bin map for suggestions. */
  locations: readonly Location[];
  /** Every stock row with units on the device, any owner (what a bin holds counts for room). */
  stock: readonly StockRow[];
  /** The products the stock rows name. */
  products: Readonly<Record<string, PutawayProduct>>;
}

/** A scan resolved against the device: a bin, a product, an LPN on stock here, or nothing known. */
export type PutawayLookup = ScanLookup | { kind: 'lpn'; lpn: string };

/** Units that move together: a whole LPN at one location, or one loose stock row. */
export type PutawaySource =
  | { kind: 'lpn'; lpn: string; locationId: string; rows: readonly StockRow[] }
  | { kind: 'loose'; row: StockRow };

export interface PutawayTask {
  /** `putaway` from a dock follows a suggestion; `move` goes bin to bin to any bin. */
  mode: 'putaway' | 'move';
  source: PutawaySource;
  /** Units counted by scans or typed for a loose row; null moves all of the row. */
  count: number | null;
  /** True when the item was selected by scanning it: that scan is the first unit counted. */
  scannedOnSelect: boolean;
  /** Null for a bin-to-bin move. */
  suggestion: Suggestion | null;
  /** The reason given for Other bin; the next bin scanned is accepted with it. */
  overrideReason: string | null;
}

export type PutawayStep = 'choose' | 'move-from' | 'move-item' | 'scan-dest' | 'enter-quantity' | 'override-reason';

export interface PutawaySubmission {
  moves: ArgsOf<'move'>[];
  toLocationId: string;
}

export type PutawayMessage = WorkflowMessage;

export interface PutawayState {
  step: PutawayStep;
  view: PutawayView;
  /** The bin a move takes stock from (move-item and a move's scan-dest). */
  fromLocationId: string | null;
  task: PutawayTask | null;
  pending: PutawaySubmission | null;
  message: PutawayMessage | null;
}

export type PutawayEvent =
  | { type: 'scan'; lookup: PutawayLookup }
  /** A source chosen from the list instead of scanned. */
  | { type: 'choose'; source: PutawaySource }
  | { type: 'start-move' }
  | { type: 'open-quantity' }
  | { type: 'quantity'; qty: number }
  | { type: 'open-other-bin' }
  | { type: 'override'; reason: string }
  /** Closes a form, or steps back from the selected units or the move. */
  | { type: 'cancel' }
  | { type: 'submitted'; view: PutawayView }
  /** A move was refused; `done` moves of the submission (an LPN's rows) had committed before it. */
  | { type: 'rejected'; message: string; done: number }
  | { type: 'view-updated'; view: PutawayView };

export interface PutawayResult {
  state: PutawayState;
  intent: { submit: PutawaySubmission } | null;
  feedback: 'success' | 'error' | null;
}

/** Reasons offered for not using the suggested bin; free text is accepted too. */
export const OVERRIDE_REASONS: readonly string[] = ['Suggested bin is full', 'Suggested bin is blocked', 'Keeping it with the same item', 'Supervisor said so'];

// ---- Reading the view ----

export function binCode(view: PutawayView, locationId: string): string {
  return view.locations.find((l) => l.id === locationId)?.code ?? locationId;
}

function locationOf(view: PutawayView, locationId: string): Location | undefined {
  return view.locations.find((l) => l.id === locationId);
}

export function skuOf(view: PutawayView, productId: string): string {
  return view.products[productId]?.sku ?? productId;
}

export function productText(view: PutawayView, productId: string): string {
  const product = view.products[productId];
  return product ? `${product.sku} ${product.name}` : productId;
}

function visible(view: PutawayView, row: StockRow): boolean {
  return row.qty > 0 && (view.ownerIds === null || view.ownerIds.includes(row.ownerId));
}

/** The user's stock at one location, as LPNs (first, by LPN) and loose rows (by SKU, FEFO). */
export function groupsAt(view: PutawayView, locationIds: ReadonlySet<string>): PutawaySource[] {
  const rows = sortFefo(view.stock.filter((row) => locationIds.has(row.locationId) && visible(view, row)));
  const lpns = new Map<string, StockRow[]>();
  const loose: StockRow[] = [];
  for (const row of rows) {
    if (row.lpn === null) loose.push(row);
    else {
      const key = `${row.locationId}|${row.lpn}`;
      const group = lpns.get(key);
      if (group) group.push(row);
      else lpns.set(key, [row]);
    }
  }
  const codeOf = (id: string) => binCode(view, id);
  const byPlace = (a: StockRow, b: StockRow) => codeOf(a.locationId).localeCompare(codeOf(b.locationId));
  return [
    ...[...lpns.values()]
      .sort((a, b) => byPlace(a[0]!, b[0]!) || a[0]!.lpn!.localeCompare(b[0]!.lpn!))
      .map((group): PutawaySource => ({ kind: 'lpn', lpn: group[0]!.lpn!, locationId: group[0]!.locationId, rows: group })),
    ...loose
      .sort((a, b) => byPlace(a, b) || skuOf(view, a.productId).localeCompare(skuOf(view, b.productId)))
      .map((row): PutawaySource => ({ kind: 'loose', row })),
  ];
}

function dockIds(view: PutawayView): Set<string> {
  return new Set(view.locations.filter((l) => l.type === 'dock').map((l) => l.id));
}

/** The stock waiting at dock locations for the user's owners. */
export function dockGroups(view: PutawayView): PutawaySource[] {
  return groupsAt(view, dockIds(view));
}

export function sourceLocationId(source: PutawaySource): string {
  return source.kind === 'lpn' ? source.locationId : source.row.locationId;
}

export function sourceUnits(source: PutawaySource): number {
  return source.kind === 'lpn' ? totalQty(source.rows) : source.row.qty;
}

/** Units the task will move. */
export function taskQty(task: PutawayTask): number {
  return task.source.kind === 'lpn' ? sourceUnits(task.source) : (task.count ?? task.source.row.qty);
}

/** "LPN-7 (WID-1 ×8, GIZ-1 ×4)" or "WID-1 Widget, lot L1": what the user is moving. */
export function sourceText(view: PutawayView, source: PutawaySource): string {
  if (source.kind === 'lpn') {
    return `LPN ${source.lpn} (${source.rows.map((row) => `${skuOf(view, row.productId)} ×${row.qty}`).join(', ')})`;
  }
  const { row } = source;
  return `${productText(view, row.productId)}${row.lot !== null ? `, lot ${row.lot}` : ''}`;
}

function sameSource(a: PutawaySource, b: PutawaySource): boolean {
  if (a.kind === 'lpn' && b.kind === 'lpn') return a.lpn === b.lpn && a.locationId === b.locationId;
  if (a.kind === 'loose' && b.kind === 'loose') return a.row.id === b.row.id;
  return false;
}

/** The source as it stands in `view` now, or null when its units are gone. */
function refreshSource(view: PutawayView, source: PutawaySource): PutawaySource | null {
  if (source.kind === 'lpn') {
    const rows = sortFefo(view.stock.filter((row) => row.lpn === source.lpn && row.locationId === source.locationId && visible(view, row)));
    return rows.length > 0 ? { ...source, rows } : null;
  }
  const row = view.stock.find((candidate) => candidate.id === source.row.id);
  return row && visible(view, row) ? { kind: 'loose', row } : null;
}

/** The line under the Scan field saying what to scan next. */
export function scanPrompt(state: PutawayState): string {
  const { task, view } = state;
  switch (state.step) {
    case 'choose':
      return 'Scan an LPN or item at the dock';
    case 'move-from':
      return 'Scan the bin to move stock from';
    case 'move-item':
      return `Scan the item or LPN to move from ${binCode(view, state.fromLocationId ?? '')}`;
    case 'enter-quantity':
      return 'Enter the quantity to move';
    case 'override-reason':
      return 'Choose why you are using another bin';
    case 'scan-dest': {
      const target = task?.suggestion?.location;
      if (target && task.overrideReason === null) return `Scan bin ${target.code}`;
      return 'Scan the bin you are putting the units in';
    }
  }
}

// ---- The machine ----

export function startPutaway(view: PutawayView): PutawayState {
  return { step: 'choose', view, fromLocationId: null, task: null, pending: null, message: null };
}

const WAIT = 'Wait: the last move is still being saved';

function unknownText(lookup: Extract<PutawayLookup, { kind: 'unknown' }>, next: string): string {
  return lookup.error ? `${lookup.error}: ${next}` : `Unknown barcode ${abbreviate(lookup.text)}: ${next}`;
}

const ok = (state: PutawayState, tone: PutawayMessage['tone'], text: string, changes: Partial<PutawayState> = {}): PutawayResult => ({
  state: { ...state, ...changes, message: { tone, text } },
  intent: null,
  feedback: 'success',
});

const quiet = (state: PutawayState, changes: Partial<PutawayState> = {}): PutawayResult => ({
  state: { ...state, ...changes },
  intent: null,
  feedback: null,
});

/** Where the user goes back to after a task: the dock list, or the next bin of a move. */
function restingStep(task: PutawayTask | null, fromLocationId: string | null): PutawayStep {
  if (task?.mode === 'move' || (!task && fromLocationId !== null)) return 'move-from';
  return 'choose';
}

export function putawayReducer(state: PutawayState, event: PutawayEvent): PutawayResult {
  switch (event.type) {
    case 'scan':
      return onScan(state, event.lookup);
    case 'choose':
      return onChoose(state, event.source);
    case 'start-move':
      if (state.pending) return error(state, WAIT);
      return quiet(state, { step: 'move-from', task: null, fromLocationId: null, message: { tone: 'info', text: 'Move stock: scan the bin to move stock from' } });
    case 'open-quantity':
      return onOpenQuantity(state);
    case 'quantity':
      return onQuantity(state, event.qty);
    case 'open-other-bin':
      return onOpenOtherBin(state);
    case 'override':
      return onOverride(state, event.reason);
    case 'cancel':
      return onCancel(state);
    case 'submitted':
      return onSubmitted(state, event.view);
    case 'rejected':
      return onRejected(state, event.message, event.done);
    case 'view-updated':
      return onViewUpdated(state, event.view);
  }
}

function onScan(state: PutawayState, lookup: PutawayLookup): PutawayResult {
  if (state.pending) return error(state, WAIT);
  switch (state.step) {
    case 'choose':
      return scanAtDock(state, lookup);
    case 'move-from':
      return scanSourceBin(state, lookup);
    case 'move-item':
      return scanAtSourceBin(state, lookup);
    case 'scan-dest':
      return scanDestination(state, lookup);
    case 'enter-quantity':
      return error(state, 'Enter the quantity or press Cancel, then scan');
    case 'override-reason':
      return error(state, 'Choose a reason or press Cancel, then scan');
  }
}

/** Finds what a product or LPN scan names among `groups`; an error text when it names nothing there. */
function findSource(
  state: PutawayState,
  lookup: Extract<PutawayLookup, { kind: 'product' | 'lpn' }>,
  groups: readonly PutawaySource[],
  where: string,
): PutawaySource | string {
  const { view } = state;
  if (lookup.kind === 'lpn') {
    const found = groups.find((group) => group.kind === 'lpn' && group.lpn === lookup.lpn);
    if (found) return found;
    const elsewhere = view.stock.find((row) => row.lpn === lookup.lpn && visible(view, row));
    return elsewhere
      ? `LPN ${lookup.lpn} is in ${binCode(view, elsewhere.locationId)}, not ${where}`
      : `LPN ${lookup.lpn} is not ${where} on this device: sync, or scan another`;
  }
  const { product } = lookup;
  const lot = lookup.lot ?? null;
  const loose = groups.filter((group): group is Extract<PutawaySource, { kind: 'loose' }> => group.kind === 'loose' && group.row.productId === product.id);
  const match = loose.find((group) => lot === null || group.row.lot === lot);
  if (match) return match;
  if (loose.length > 0) {
    return `No ${product.sku} lot ${lot} ${where}: the lots here are ${loose.map((group) => group.row.lot ?? 'none').join(', ')}`;
  }
  const onLpn = groups.find((group) => group.kind === 'lpn' && group.rows.some((row) => row.productId === product.id));
  if (onLpn?.kind === 'lpn') return `${product.sku} ${where} is on LPN ${onLpn.lpn}: scan the LPN label`;
  return `No ${product.sku} ${product.name} waiting ${where}: scan an item or LPN from the list`;
}

function scanAtDock(state: PutawayState, lookup: PutawayLookup): PutawayResult {
  const { view } = state;
  switch (lookup.kind) {
    case 'location': {
      const location = locationOf(view, lookup.location.id);
      if (location?.type === 'dock') return error(state, `${location.code} is a dock: scan an LPN or item waiting there`);
      return error(state, `To move stock out of ${lookup.location.code}, press Move stock. Here, scan an LPN or item at the dock`);
    }
    case 'unknown':
      return error(state, unknownText(lookup, 'scan the LPN or item label again'));
    case 'product':
    case 'lpn': {
      const found = findSource(state, lookup, dockGroups(view), 'at a dock');
      if (typeof found === 'string') return error(state, found);
      return select(state, found, 'putaway', true);
    }
  }
}

function scanSourceBin(state: PutawayState, lookup: PutawayLookup): PutawayResult {
  const { view } = state;
  if (lookup.kind === 'unknown') return error(state, unknownText(lookup, 'scan the bin label again or type its code'));
  if (lookup.kind !== 'location') return error(state, 'Scan the bin you are taking the stock from first');
  const groups = groupsAt(view, new Set([lookup.location.id]));
  if (groups.length === 0) return error(state, `${lookup.location.code} holds nothing you can move: scan another bin`);
  return ok(state, 'success', `${lookup.location.code}: scan the item or LPN to move`, { step: 'move-item', fromLocationId: lookup.location.id, task: null });
}

function scanAtSourceBin(state: PutawayState, lookup: PutawayLookup): PutawayResult {
  const { view } = state;
  const from = state.fromLocationId ?? '';
  switch (lookup.kind) {
    case 'location':
      if (lookup.location.id === from) return ok(state, 'info', `Already at ${lookup.location.code}: scan the item or LPN to move`);
      return scanSourceBin(state, lookup);
    case 'unknown':
      return error(state, unknownText(lookup, 'scan the item or LPN label again'));
    case 'product':
    case 'lpn': {
      const found = findSource(state, lookup, groupsAt(view, new Set([from])), `in ${binCode(view, from)}`);
      if (typeof found === 'string') return error(state, found);
      return select(state, found, 'move', true);
    }
  }
}

function select(state: PutawayState, source: PutawaySource, mode: PutawayTask['mode'], scanned: boolean): PutawayResult {
  const { view } = state;
  const from = sourceLocationId(source);
  let suggestion: Suggestion | null = null;
  if (mode === 'putaway') {
    const productIds = new Set(source.kind === 'lpn' ? source.rows.map((row) => row.productId) : [source.row.productId]);
    const product = productIds.size === 1 ? (view.products[[...productIds][0]!] ?? null) : null;
    const ownerId = source.kind === 'lpn' ? source.rows[0]?.ownerId : source.row.ownerId;
    suggestion = suggestPutaway({ product, ownerId, qty: sourceUnits(source), locations: view.locations, stock: view.stock, exclude: [from] });
  }
  const task: PutawayTask = { mode, source, count: null, scannedOnSelect: scanned, suggestion, overrideReason: null };
  const what = `${sourceText(view, source)} ×${sourceUnits(source)} at ${binCode(view, from)}`;
  const next = suggestion?.location ? `go to ${suggestion.location.code} (${suggestion.reason})` : suggestion ? `${suggestion.reason}, then scan it` : 'scan the bin to move them to';
  return ok(state, 'success', `${what}: ${next}`, { step: 'scan-dest', task, fromLocationId: mode === 'move' ? from : null });
}

function onChoose(state: PutawayState, source: PutawaySource): PutawayResult {
  if (state.pending) return error(state, WAIT);
  if (state.step !== 'choose' && state.step !== 'move-item' && state.step !== 'scan-dest') return unchanged(state);
  const mode = state.step === 'move-item' || state.task?.mode === 'move' ? 'move' : 'putaway';
  const fresh = refreshSource(state.view, source);
  if (!fresh) return error(state, 'Those units are no longer there: choose from the list again');
  return select(state, fresh, mode, false);
}

function scanDestination(state: PutawayState, lookup: PutawayLookup): PutawayResult {
  const { view } = state;
  const task = state.task;
  if (!task) return unchanged(state);
  const from = sourceLocationId(task.source);
  const target = task.suggestion?.location ?? null;

  switch (lookup.kind) {
    case 'unknown':
      return error(state, unknownText(lookup, 'scan the bin label again or type its code'));
    case 'lpn':
      if (task.source.kind === 'lpn' && task.source.lpn === lookup.lpn) {
        return ok(state, 'info', `LPN ${lookup.lpn} already chosen: ${destinationHint(task)}`);
      }
      return error(state, `You are moving ${sourceText(view, task.source)}: ${destinationHint(task)}, or press Cancel to choose other units`);
    case 'product': {
      const { product } = lookup;
      if (task.source.kind === 'lpn') {
        if (task.source.rows.some((row) => row.productId === product.id)) {
          return ok(state, 'info', `${product.sku} is on LPN ${task.source.lpn}: the whole LPN moves. ${capitalise(destinationHint(task))}`);
        }
        return error(state, `Wrong item: ${product.sku} is not on LPN ${task.source.lpn}. ${capitalise(destinationHint(task))}`);
      }
      const row = task.source.row;
      if (product.id !== row.productId) {
        return error(state, `Wrong item: that is ${product.sku} ${product.name}. You are moving ${productText(view, row.productId)}: ${destinationHint(task)}`);
      }
      const counted = (task.count ?? (task.scannedOnSelect ? 1 : 0)) + 1;
      if (counted > row.qty) {
        return error(state, `Only ${row.qty} × ${product.sku} at ${binCode(view, from)}, all counted: ${destinationHint(task)}`);
      }
      return ok(state, 'success', `Counted ${counted} of ${row.qty} × ${product.sku}: scan more, or ${destinationHint(task)}`, {
        task: { ...task, count: counted },
      });
    }
    case 'location': {
      const location = locationOf(view, lookup.location.id);
      const code = lookup.location.code;
      if (lookup.location.id === from) return error(state, `The units are already in ${code}: ${destinationHint(task)}`);
      if (task.mode === 'putaway' && location && NOT_PUTAWAY.has(location.type)) {
        return error(state, `${code} is a ${location.type} location: ${target && task.overrideReason === null ? `go to ${target.code}` : 'put away into a storage or pick-face bin'}`);
      }
      if (target && task.overrideReason === null && lookup.location.id !== target.id) {
        return error(state, `Wrong bin: go to ${target.code}`);
      }
      const moves = movesOf(task, lookup.location.id);
      const submission: PutawaySubmission = { moves, toLocationId: lookup.location.id };
      return { state: { ...state, pending: submission, message: null }, intent: { submit: submission }, feedback: null };
    }
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function destinationHint(task: PutawayTask): string {
  const target = task.suggestion?.location;
  return target && task.overrideReason === null ? `scan bin ${target.code}` : 'scan the bin you are putting them in';
}

/** The `move` mutations that carry out a task into `toLocationId`: one per row of an LPN. */
function movesOf(task: PutawayTask, toLocationId: string): ArgsOf<'move'>[] {
  const suggestedLocationId = task.suggestion?.location?.id ?? null;
  const overrideReason = suggestedLocationId !== null && suggestedLocationId !== toLocationId ? task.overrideReason : null;
  const base = { toLocationId, suggestedLocationId, overrideReason };
  if (task.source.kind === 'lpn') {
    return task.source.rows.map((row) => ({ ...base, productId: row.productId, fromLocationId: row.locationId, lot: row.lot, lpn: row.lpn, qty: row.qty }));
  }
  const { row } = task.source;
  return [{ ...base, productId: row.productId, fromLocationId: row.locationId, lot: row.lot, lpn: null, qty: taskQty(task) }];
}

function onOpenQuantity(state: PutawayState): PutawayResult {
  if (state.pending) return error(state, WAIT);
  const task = state.task;
  if (state.step !== 'scan-dest' || !task) return error(state, 'Choose an item first');
  if (task.source.kind === 'lpn') return error(state, `LPN ${task.source.lpn} moves whole: ${destinationHint(task)}`);
  return quiet(state, { step: 'enter-quantity', message: null });
}

function onQuantity(state: PutawayState, qty: number): PutawayResult {
  const task = state.task;
  if (state.step !== 'enter-quantity' || task?.source.kind !== 'loose') return unchanged(state);
  const max = task.source.row.qty;
  if (!Number.isInteger(qty) || qty < 1) return error(state, `Enter a whole number from 1 to ${max}`);
  if (qty > max) return error(state, `Only ${max} here: enter at most ${max}`);
  return ok(state, 'info', `${qty} of ${max} × ${skuOf(state.view, task.source.row.productId)}: ${destinationHint(task)}`, {
    step: 'scan-dest',
    task: { ...task, count: qty },
  });
}

function onOpenOtherBin(state: PutawayState): PutawayResult {
  if (state.pending) return error(state, WAIT);
  const task = state.task;
  if (state.step !== 'scan-dest' || !task) return error(state, 'Choose an LPN or item first');
  if (!task.suggestion?.location) return ok(state, 'info', 'No bin was suggested: scan any bin');
  return quiet(state, { step: 'override-reason', message: null });
}

function onOverride(state: PutawayState, reason: string): PutawayResult {
  const task = state.task;
  if (state.step !== 'override-reason' || !task) return unchanged(state);
  const text = reason.trim();
  if (text === '') return error(state, 'Choose a reason or type one');
  return ok(state, 'info', `Other bin (${text}): scan the bin you are using`, { step: 'scan-dest', task: { ...task, overrideReason: text } });
}

function onCancel(state: PutawayState): PutawayResult {
  if (state.pending) return error(state, WAIT);
  switch (state.step) {
    case 'enter-quantity':
    case 'override-reason':
      return quiet(state, { step: 'scan-dest', message: null });
    case 'scan-dest':
      if (state.task?.mode === 'move') return quiet(state, { step: 'move-item', task: null, message: null });
      return quiet(state, { step: 'choose', task: null, message: null });
    case 'move-from':
    case 'move-item':
      return quiet(state, { step: 'choose', task: null, fromLocationId: null, message: null });
    case 'choose':
      return unchanged(state);
  }
}

function unchanged(state: PutawayState): PutawayResult {
  return { state, intent: null, feedback: null };
}

function onSubmitted(state: PutawayState, view: PutawayView): PutawayResult {
  const pending = state.pending;
  const task = state.task;
  if (!pending || !task) return onViewUpdated(state, view);
  const to = binCode(view, pending.toLocationId);
  const units = totalQty(pending.moves);
  const what = task.source.kind === 'lpn' ? `LPN ${task.source.lpn} (${units} units)` : `${units} × ${skuOf(view, task.source.row.productId)}`;
  const text =
    task.mode === 'putaway'
      ? `Put away ${what} into ${to}`
      : `Moved ${what} from ${binCode(view, sourceLocationId(task.source))} to ${to}`;
  return {
    state: { ...state, view, pending: null, task: null, fromLocationId: null, step: restingStep(task, null), message: { tone: 'success', text } },
    intent: null,
    feedback: 'success',
  };
}

function onRejected(state: PutawayState, message: string, done: number): PutawayResult {
  const pending = state.pending;
  if (!pending) return unchanged(state);
  if (done === 0) return error(state, message, { pending: null });
  // Part of an LPN moved: what is left shows in the list; the user starts again from there.
  const moved = pending.moves.slice(0, done);
  const text = `Moved ${totalQty(moved)} units to ${binCode(state.view, pending.toLocationId)}, then: ${message}`;
  return error(state, text, { pending: null, task: null, fromLocationId: null, step: restingStep(state.task, null) });
}

function onViewUpdated(state: PutawayState, view: PutawayView): PutawayResult {
  const task = state.task;
  if (!task || state.pending) return quiet(state, { view });
  const source = refreshSource(view, task.source);
  if (!source) {
    const text = `${sourceText(state.view, task.source)} was moved elsewhere: choose again`;
    return quiet(state, { view, task: null, step: restingStep(task, null), message: { tone: 'info', text } });
  }
  let count = task.count;
  if (source.kind === 'loose' && count !== null && count > source.row.qty) count = source.row.qty;
  const refreshed: PutawayTask = sameSource(source, task.source) ? { ...task, source, count } : task;
  return quiet(state, { view, task: refreshed });
}
