// The pick workflow's state machine: every step, what a scan does there, and the messages.
import { describe, expect, it } from 'vitest';
import { pickLine } from '../../../test/factories/warehouse';
import type { PickLine } from '../entities';
import { advanceLine } from '../rules/pick';
import {
  currentLine,
  pickProgress,
  pickReducer,
  pickSummary,
  scanPrompt,
  startPick,
} from './pick';
import type { PickEvent, PickResult, PickState, PickView, ScanLookup } from './pick';

const BINS = { 'loc-a': 'A-01-03', 'loc-b': 'B-02-01', 'loc-c': 'C-01-01' };
const PRODUCTS = {
  'p-wid': { sku: 'WID-1', name: 'Widget' },
  'p-giz': { sku: 'GIZ-1', name: 'Gizmo' },
  'p-ser': { sku: 'SER-1', name: 'Serum' },
};

/** Widget ×3 at A-01-03, Gizmo ×2 at A-01-03, Serum lot L1 ×1 at B-02-01. */
function lines(): PickLine[] {
  return [
    pickLine({ id: 'l1', orderLineId: 'ol1', productId: 'p-wid', locationId: 'loc-a', qty: 3, walkSeq: 1 }),
    pickLine({ id: 'l2', orderLineId: 'ol2', productId: 'p-giz', locationId: 'loc-a', qty: 2, walkSeq: 1 }),
    pickLine({ id: 'l3', orderLineId: 'ol3', productId: 'p-ser', locationId: 'loc-b', lot: 'L1', qty: 1, walkSeq: 2 }),
  ];
}

function view(pickLines: PickLine[] = lines()): PickView {
  return { pickListId: 'pl-1', number: 'PL-1', lines: pickLines, binCodes: BINS, products: PRODUCTS };
}

const bin = (id: keyof typeof BINS): ScanLookup => ({ kind: 'location', location: { id, code: BINS[id] } });
const item = (id: keyof typeof PRODUCTS, lot?: string): ScanLookup => ({
  kind: 'product',
  product: { id, ...PRODUCTS[id] },
  lot,
});
const scan = (lookup: ScanLookup): PickEvent => ({ type: 'scan', lookup });

/** The view after the command layer committed `state.pending` (what `readPickView` would return). */
function committed(state: PickState): PickView {
  const pending = state.pending;
  if (!pending) throw new Error('nothing pending');
  const updated = state.view.lines.map((line) => {
    if (line.id !== pending.args.pickLineId) return line;
    if (pending.type === 'pick') return advanceLine(line, pending.args.qty, 0);
    if (pending.type === 'unpick') return advanceLine(line, -pending.args.qty, 0);
    return { ...advanceLine(line, 0, pending.args.qty), shortReason: pending.args.reason };
  });
  return { ...state.view, lines: updated };
}

/** Runs events in order, committing every submission as the command layer would. */
function run(state: PickState, ...events: PickEvent[]): PickResult {
  let result: PickResult = { state, intent: null, feedback: null };
  for (const event of events) {
    result = pickReducer(result.state, event);
    if (result.intent && 'submit' in result.intent) {
      result = pickReducer(result.state, { type: 'submitted', view: committed(result.state) });
    }
  }
  return result;
}

const atItem = () => run(startPick(view()), scan(bin('loc-a'))).state;

describe('scan-bin', () => {
  it('starts on the first open line in the device order, asking for its bin', () => {
    const state = startPick(view());
    expect(state.step).toBe('scan-bin');
    expect(currentLine(state.view)?.id).toBe('l1');
    expect(scanPrompt(state)).toBe('Scan bin A-01-03');
  });

  it("confirms the line's bin and asks for the item", () => {
    const result = pickReducer(startPick(view()), scan(bin('loc-a')));
    expect(result.state.step).toBe('scan-item');
    expect(result.state.confirmedBinId).toBe('loc-a');
    expect(result.feedback).toBe('success');
    expect(result.intent).toBeNull();
    expect(result.state.message).toEqual({ tone: 'success', text: 'Bin A-01-03 confirmed: scan WID-1 Widget' });
    expect(scanPrompt(result.state)).toBe('Scan WID-1 Widget');
  });

  it('refuses another bin, naming the right one', () => {
    const result = pickReducer(startPick(view()), scan(bin('loc-b')));
    expect(result.state.step).toBe('scan-bin');
    expect(result.feedback).toBe('error');
    expect(result.state.message).toEqual({ tone: 'error', text: 'Wrong bin: go to A-01-03' });
  });

  it('refuses an item before the bin', () => {
    const result = pickReducer(startPick(view()), scan(item('p-wid')));
    expect(result.state.step).toBe('scan-bin');
    expect(result.intent).toBeNull();
    expect(result.state.message?.text).toBe('Scan the bin first: go to A-01-03');
  });

  it('says an unknown barcode is unknown, shortened and without control characters', () => {
    const result = pickReducer(startPick(view()), scan({ kind: 'unknown', text: '0109506000134352\x1d10LOT-ABCDEFGHIJ' }));
    expect(result.feedback).toBe('error');
    expect(result.state.message?.text).toBe('Unknown barcode 0109506000134352 10L…: scan the bin label again or type its code');
  });

  it('refuses a typed quantity before the bin', () => {
    const result = pickReducer(startPick(view()), { type: 'open-quantity' });
    expect(result.state.step).toBe('scan-bin');
    expect(result.state.message?.text).toBe('Scan the bin first: go to A-01-03');
  });
});

describe('scan-item', () => {
  it('submits a pick of 1 for the right item and confirms only once committed', () => {
    const before = atItem();
    const result = pickReducer(before, scan(item('p-wid')));
    expect(result.intent).toEqual({
      submit: { type: 'pick', args: { pickLineId: 'l1', locationId: 'loc-a', productId: 'p-wid', lot: null, qty: 1 } },
    });
    expect(result.feedback).toBeNull();
    expect(result.state.pending).not.toBeNull();
    // The last message stays up until the outcome replaces it: the screen does not jump per scan.
    expect(result.state.message).not.toBeNull();
    expect(result.state.message).toBe(before.message);

    const done = pickReducer(result.state, { type: 'submitted', view: committed(result.state) });
    expect(done.feedback).toBe('success');
    expect(done.state.pending).toBeNull();
    expect(done.state.step).toBe('scan-item');
    expect(done.state.message).toEqual({ tone: 'success', text: 'Picked 1 × WID-1: 1 of 3' });
    expect(done.state.undo).toEqual([{ lineId: 'l1', qty: 1 }]);
  });

  it('counts +1 per scan and moves to the next line at the same bin without a bin scan', () => {
    const result = run(atItem(), scan(item('p-wid')), scan(item('p-wid')), scan(item('p-wid')));
    expect(result.state.message?.text).toBe('Picked 1 × WID-1: 3 of 3. Line done. Next: scan GIZ-1 Gizmo');
    expect(currentLine(result.state.view)?.id).toBe('l2');
    expect(result.state.step).toBe('scan-item');
    expect(pickProgress(result.state.view.lines)).toMatchObject({ linesDone: 1, position: 2, unitsDone: 3, unitsTotal: 6 });
  });

  it('asks for the bin again when the next line is at another bin', () => {
    const state = run(atItem(), { type: 'open-quantity' }, { type: 'quantity', qty: 3 }).state;
    const result = run(state, scan(item('p-giz')), scan(item('p-giz')));
    expect(result.state.message?.text).toBe('Picked 1 × GIZ-1: 2 of 2. Line done. Next: go to B-02-01');
    expect(result.state.step).toBe('scan-bin');
    expect(scanPrompt(result.state)).toBe('Scan bin B-02-01');
  });

  it('refuses another item, naming the one the line wants', () => {
    const result = pickReducer(atItem(), scan(item('p-giz')));
    expect(result.intent).toBeNull();
    expect(result.feedback).toBe('error');
    expect(result.state.message?.text).toBe('Wrong item: that is GIZ-1 Gizmo. This line wants WID-1 Widget');
  });

  it("refuses a lot other than the line's and picks the line's lot", () => {
    const atSerum = run(startPick(view(lines().slice(2))), scan(bin('loc-b'))).state;
    expect(pickReducer(atSerum, scan(item('p-ser', 'L9'))).state.message?.text).toBe('Wrong lot L9: this line wants lot L1');
    const ok = pickReducer(atSerum, scan(item('p-ser', 'L1')));
    expect(ok.intent).toMatchObject({ submit: { type: 'pick', args: { lot: 'L1' } } });
    const noLot = pickReducer(atSerum, scan(item('p-ser')));
    expect(noLot.intent).toMatchObject({ submit: { type: 'pick', args: { lot: 'L1' } } });
  });

  it('passes a scanned lot on when the line does not fix one', () => {
    const result = pickReducer(atItem(), scan(item('p-wid', 'B7')));
    expect(result.intent).toMatchObject({ submit: { type: 'pick', args: { lot: 'B7' } } });
  });

  it('says an unknown barcode is unknown and what to do', () => {
    const result = pickReducer(atItem(), scan({ kind: 'unknown', text: '123456' }));
    expect(result.state.step).toBe('scan-item');
    expect(result.state.message?.text).toBe("Unknown barcode 123456: scan the item's label again or type its SKU");
  });

  it('shows what is wrong with a GS1 label that could not be used', () => {
    const result = pickReducer(atItem(), scan({ kind: 'unknown', text: '0109506000134353', error: 'GTIN check digit is wrong (expected 2)' }));
    expect(result.feedback).toBe('error');
    expect(result.state.message?.text).toBe("GTIN check digit is wrong (expected 2): scan the item's label again");
  });

  it('takes the same bin again as harmless', () => {
    const result = pickReducer(atItem(), scan(bin('loc-a')));
    expect(result.state.step).toBe('scan-item');
    expect(result.feedback).toBe('success');
    expect(result.state.message).toEqual({ tone: 'info', text: 'Bin A-01-03 already confirmed: scan WID-1 Widget' });
  });

  it('withdraws the bin confirmation on another bin and names the right one', () => {
    const result = pickReducer(atItem(), scan(bin('loc-b')));
    expect(result.state.step).toBe('scan-bin');
    expect(result.state.confirmedBinId).toBeNull();
    expect(result.state.message?.text).toBe('Wrong bin: go to A-01-03');
  });

  it('shows a rejection from the command layer and stays on the item', () => {
    const pending = pickReducer(atItem(), scan(item('p-wid'))).state;
    const result = pickReducer(pending, { type: 'rejected', message: 'Bin holds only 0. Pick 0 and short-pick the rest.' });
    expect(result.state.pending).toBeNull();
    expect(result.state.step).toBe('scan-item');
    expect(result.feedback).toBe('error');
    expect(result.state.message).toEqual({ tone: 'error', text: 'Bin holds only 0. Pick 0 and short-pick the rest.' });
    expect(result.state.undo).toEqual([]);
  });

  it('refuses scans, undo and forms while a submission is pending', () => {
    const pending = pickReducer(atItem(), scan(item('p-wid'))).state;
    for (const event of [scan(item('p-wid')), { type: 'undo' }, { type: 'skip' }, { type: 'open-quantity' }] as PickEvent[]) {
      const result = pickReducer(pending, event);
      expect(result.intent).toBeNull();
      expect(result.state.message?.text).toBe('Wait: the last scan is still being saved');
    }
  });

  it('ignores a result with nothing pending', () => {
    const state = atItem();
    expect(pickReducer(state, { type: 'rejected', message: 'x' }).state).toBe(state);
  });
});

describe('enter-quantity', () => {
  const inForm = () => pickReducer(atItem(), { type: 'open-quantity' }).state;

  it('opens from scan-item and refuses scans until sent or cancelled', () => {
    const state = inForm();
    expect(state.step).toBe('enter-quantity');
    expect(scanPrompt(state)).toBe('Enter the quantity picked');
    const scanned = pickReducer(state, scan(item('p-wid')));
    expect(scanned.intent).toBeNull();
    expect(scanned.state.message?.text).toBe('Enter the quantity or press Cancel, then scan');
    expect(pickReducer(state, { type: 'open-quantity' }).state).toBe(state);
  });

  it('picks N at once', () => {
    const result = pickReducer(inForm(), { type: 'quantity', qty: 2 });
    expect(result.intent).toEqual({
      submit: { type: 'pick', args: { pickLineId: 'l1', locationId: 'loc-a', productId: 'p-wid', lot: null, qty: 2 } },
    });
    expect(result.state.step).toBe('scan-item');
    const done = pickReducer(result.state, { type: 'submitted', view: committed(result.state) });
    expect(done.state.message?.text).toBe('Picked 2 × WID-1: 2 of 3');
    expect(done.state.undo).toEqual([{ lineId: 'l1', qty: 2 }]);
  });

  it('refuses more than remains, and nonsense', () => {
    const state = run(atItem(), scan(item('p-wid')), { type: 'open-quantity' }).state;
    const over = pickReducer(state, { type: 'quantity', qty: 3 });
    expect(over.intent).toBeNull();
    expect(over.state.step).toBe('enter-quantity');
    expect(over.state.message?.text).toBe('Only 2 left on this line: enter at most 2');
    for (const qty of [0, -1, 1.5, Number.NaN]) {
      expect(pickReducer(state, { type: 'quantity', qty }).state.message?.text).toBe('Enter a whole number from 1 to 2');
    }
  });

  it('cancels back to the item scan', () => {
    const result = pickReducer(inForm(), { type: 'cancel' });
    expect(result.state.step).toBe('scan-item');
    expect(result.state.message).toBeNull();
  });

  it('ignores a quantity outside the form', () => {
    const state = atItem();
    expect(pickReducer(state, { type: 'quantity', qty: 1 }).state).toBe(state);
    expect(pickReducer(state, { type: 'cancel' }).state).toBe(state);
  });
});

describe('short-reason', () => {
  it('opens from scan-bin or scan-item and refuses scans', () => {
    const fromBin = pickReducer(startPick(view()), { type: 'open-short' }).state;
    expect(fromBin.step).toBe('short-reason');
    expect(scanPrompt(fromBin)).toBe('Choose why the units are short');
    expect(pickReducer(fromBin, scan(bin('loc-a'))).state.message?.text).toBe('Choose a reason or press Cancel, then scan');
    expect(pickReducer(atItem(), { type: 'open-short' }).state.step).toBe('short-reason');
  });

  it('reports the units left short with the reason and moves on', () => {
    const state = run(atItem(), scan(item('p-wid')), { type: 'open-short' }).state;
    const result = pickReducer(state, { type: 'short-reason', reason: 'damaged' });
    expect(result.intent).toEqual({ submit: { type: 'short-pick', args: { pickLineId: 'l1', qty: 2, reason: 'damaged' } } });
    const done = pickReducer(result.state, { type: 'submitted', view: committed(result.state) });
    expect(done.state.message?.text).toBe('Reported 2 × WID-1 short: Damaged. Next: scan GIZ-1 Gizmo');
    expect(currentLine(done.state.view)?.id).toBe('l2');
    expect(done.state.step).toBe('scan-item');
  });

  it('cancels back to where the picker was', () => {
    const fromBin = pickReducer(startPick(view()), { type: 'open-short' }).state;
    expect(pickReducer(fromBin, { type: 'cancel' }).state.step).toBe('scan-bin');
  });

  it('ignores a reason outside the form', () => {
    const state = atItem();
    expect(pickReducer(state, { type: 'short-reason', reason: 'out_of_stock' }).state).toBe(state);
  });
});

describe('skip', () => {
  it('moves the line to the end, saves the order and goes to the next line', () => {
    const result = pickReducer(startPick(view()), { type: 'skip' });
    expect(result.state.view.lines.map((l) => l.id)).toEqual(['l2', 'l3', 'l1']);
    expect(result.intent).toEqual({ saveOrder: { pickListId: 'pl-1', lineIds: ['l2', 'l3', 'l1'] } });
    expect(currentLine(result.state.view)?.id).toBe('l2');
    expect(result.state.step).toBe('scan-bin');
    expect(result.state.message).toEqual({ tone: 'info', text: 'Skipped WID-1 at A-01-03: it is now last. Next: go to A-01-03' });
  });

  it('keeps the bin confirmed when the next line is at the same bin', () => {
    const result = pickReducer(atItem(), { type: 'skip' });
    expect(result.state.step).toBe('scan-item');
    expect(result.state.message?.text).toBe('Skipped WID-1 at A-01-03: it is now last. Next: scan GIZ-1 Gizmo');
  });

  it('refuses to skip the last open line', () => {
    const only = view([lines()[0]!, { ...lines()[1]!, pickedQty: 2, status: 'done' }]);
    const result = pickReducer(startPick(only), { type: 'skip' });
    expect(result.intent).toBeNull();
    expect(result.state.message?.text).toBe('This is the last open line: pick it or short-pick it');
  });
});

describe('undo', () => {
  it('unpicks the last picked quantity, newest first', () => {
    const state = run(atItem(), { type: 'open-quantity' }, { type: 'quantity', qty: 2 }, scan(item('p-wid'))).state;
    expect(state.undo).toEqual([{ lineId: 'l1', qty: 2 }, { lineId: 'l1', qty: 1 }]);
    expect(state.step).toBe('scan-item');
    expect(currentLine(state.view)?.id).toBe('l2');

    const result = pickReducer(state, { type: 'undo' });
    expect(result.intent).toEqual({ submit: { type: 'unpick', args: { pickLineId: 'l1', qty: 1 } } });
    const undone = pickReducer(result.state, { type: 'submitted', view: committed(result.state) });
    expect(undone.state.message?.text).toBe('Undone: put 1 × WID-1 back in A-01-03');
    expect(undone.state.undo).toEqual([{ lineId: 'l1', qty: 2 }]);
    // The line is open again and first in order: the picker is back on it, at the same bin.
    expect(currentLine(undone.state.view)?.id).toBe('l1');
    expect(undone.state.step).toBe('scan-item');

    const again = run(undone.state, { type: 'undo' });
    expect(again.state.undo).toEqual([]);
    expect(again.state.view.lines[0]?.pickedQty).toBe(0);
  });

  it('says when there is nothing to undo', () => {
    const result = pickReducer(startPick(view()), { type: 'undo' });
    expect(result.intent).toBeNull();
    expect(result.state.message?.text).toBe('Nothing to undo');
  });

  it('closes an open form to undo', () => {
    const state = run(atItem(), scan(item('p-wid')), { type: 'open-quantity' }).state;
    const result = pickReducer(state, { type: 'undo' });
    expect(result.state.step).toBe('scan-item');
    expect(result.intent).toMatchObject({ submit: { type: 'unpick' } });
  });
});

describe('list-done', () => {
  function finished(): PickState {
    return run(
      startPick(view()),
      scan(bin('loc-a')),
      { type: 'open-quantity' },
      { type: 'quantity', qty: 3 },
      scan(item('p-giz')),
      { type: 'open-short' },
      { type: 'short-reason', reason: 'out_of_stock' },
      scan(bin('loc-b')),
      scan(item('p-ser', 'L1')),
    ).state;
  }

  it('ends on a summary after the last line', () => {
    const state = finished();
    expect(state.step).toBe('list-done');
    expect(state.message?.text).toBe('Picked 1 × SER-1: 1 of 1. Line done. Pick list complete');
    expect(scanPrompt(state)).toBe('Pick list done');
    expect(pickSummary(state.view.lines)).toEqual({
      lineCount: 3,
      linesPicked: 2,
      unitsPicked: 5,
      unitsTotal: 6,
      shortLines: [{ lineId: 'l2', productId: 'p-giz', locationId: 'loc-a', shortQty: 1, reason: 'out_of_stock' }],
    });
    expect(pickProgress(state.view.lines)).toEqual({ lineCount: 3, linesDone: 3, position: 3, unitsDone: 6, unitsTotal: 6 });
  });

  it('refuses scans, forms and skip, but still undoes', () => {
    const state = finished();
    expect(pickReducer(state, scan(item('p-ser'))).state.message?.text).toBe('This pick list is done: go back to pick lists');
    expect(pickReducer(state, { type: 'open-short' }).state.step).toBe('list-done');
    expect(pickReducer(state, { type: 'skip' }).intent).toBeNull();
    const undone = run(state, { type: 'undo' });
    expect(undone.state.step).toBe('scan-item');
    expect(currentLine(undone.state.view)?.id).toBe('l3');
  });

  it('starts there for a list with nothing open', () => {
    const state = startPick(view(lines().map((line) => ({ ...line, pickedQty: line.qty, status: 'done' as const }))));
    expect(state.step).toBe('list-done');
  });
});

describe('view updates', () => {
  it('follows a line finished elsewhere to the next line and says so', () => {
    const state = atItem();
    const synced = view(lines().map((line) => (line.id === 'l1' ? advanceLine(line, 3, 0) : line)));
    const result = pickReducer(state, { type: 'view-updated', view: synced });
    expect(currentLine(result.state.view)?.id).toBe('l2');
    expect(result.state.step).toBe('scan-item');
    expect(result.state.message).toEqual({ tone: 'info', text: 'WID-1 at A-01-03 was updated elsewhere. Next: scan GIZ-1 Gizmo' });
  });

  it('keeps an open form while its line stays current, and closes it otherwise', () => {
    const inForm = pickReducer(atItem(), { type: 'open-quantity' }).state;
    const same = pickReducer(inForm, { type: 'view-updated', view: view() });
    expect(same.state.step).toBe('enter-quantity');
    const gone = pickReducer(inForm, { type: 'view-updated', view: view(lines().slice(1)) });
    expect(gone.state.step).toBe('scan-item');
    expect(currentLine(gone.state.view)?.id).toBe('l2');
  });

  it('returns to a line reopened by sync (a rejected pick rolled back) and drops undo for removed lines', () => {
    const state = run(atItem(), { type: 'open-quantity' }, { type: 'quantity', qty: 3 }).state;
    expect(currentLine(state.view)?.id).toBe('l2');
    const reopened = pickReducer(state, { type: 'view-updated', view: view() });
    expect(currentLine(reopened.state.view)?.id).toBe('l1');
    expect(reopened.state.undo).toHaveLength(1);
    const removed = pickReducer(state, { type: 'view-updated', view: view(lines().slice(1)) });
    expect(removed.state.undo).toEqual([]);
  });

  it('treats a commit report with nothing pending as a view update', () => {
    const state = atItem();
    const result = pickReducer(state, { type: 'submitted', view: view(lines().slice(1)) });
    expect(result.feedback).toBeNull();
    expect(currentLine(result.state.view)?.id).toBe('l2');
  });
});
