// The receive workflow's state machine: choosing a receipt, every step, what a scan does there,
// and the messages. Submissions are "committed" by applying them to the lines as the rule would.
import { describe, expect, it } from 'vitest';
import { receiptLine } from '../../../test/factories/warehouse';
import type { ReceiptLine } from '../entities';
import {
  chooseReceipt,
  receiveProgress,
  receiveReducer,
  receiveSummary,
  scanPrompt,
  startReceive,
} from './receive';
import type { LpnInfo, ReceiveEvent, ReceiveLookup, ReceiveProduct, ReceiveResult, ReceiveState, ReceiveView } from './receive';

const TODAY = '2026-01-15';
const PRODUCTS: Record<string, ReceiveProduct> = {
  'p-wid': { id: 'p-wid', sku: 'WID-1', name: 'Widget', lotTracked: false, expiryTracked: false },
  'p-ser': { id: 'p-ser', sku: 'SER-1', name: 'Serum', lotTracked: true, expiryTracked: true },
  'p-giz': { id: 'p-giz', sku: 'GIZ-1', name: 'Gizmo', lotTracked: false, expiryTracked: false },
};

function lines(): ReceiptLine[] {
  return [
    receiptLine({ id: 'rl-wid', receiptId: 'r-1', productId: 'p-wid', expectedQty: 3 }),
    receiptLine({ id: 'rl-ser', receiptId: 'r-1', productId: 'p-ser', expectedQty: 2 }),
  ];
}

function view(receiptLines: ReceiptLine[] = lines(), status: 'open' | 'closed' = 'open'): ReceiveView {
  return {
    receiptId: 'r-1',
    number: 'ASN-1',
    ownerId: 'acme',
    supplier: 'Supplier Co',
    status,
    dockLocationId: 'loc-dock',
    dockCode: 'DOCK-01',
    lines: receiptLines,
    products: PRODUCTS,
  };
}

const item = (id: string, extra: { lot?: string | null; expiry?: string | null; count?: number | null } = {}): ReceiveLookup => ({
  kind: 'product',
  product: PRODUCTS[id]!,
  ...extra,
});
const scan = (lookup: ReceiveLookup): ReceiveEvent => ({ type: 'scan', lookup });

/** The view after the command layer committed `state.pending`, as the rule would leave it. */
function committed(state: ReceiveState): ReceiveView {
  const pending = state.pending;
  if (!pending) throw new Error('nothing pending');
  if (pending.type === 'close-receipt') return { ...state.view, status: 'closed' };
  const { args } = pending;
  const existing = state.view.lines.find((line) => line.productId === args.productId);
  const line = existing ?? receiptLine({ id: `r-1:${args.productId}`, receiptId: 'r-1', productId: args.productId, unexpected: true });
  const updated = { ...line, receivedQty: line.receivedQty + args.qty, damagedQty: line.damagedQty + args.damagedQty };
  const next = existing ? state.view.lines.map((l) => (l.id === line.id ? updated : l)) : [...state.view.lines, updated];
  return { ...state.view, lines: next };
}

/** Runs events in order, committing every submission as the command layer would. */
function run(state: ReceiveState, ...events: ReceiveEvent[]): ReceiveResult {
  let result: ReceiveResult = { state, intent: null, feedback: null };
  for (const event of events) {
    result = receiveReducer(result.state, event);
    if (result.intent && 'submit' in result.intent) {
      result = receiveReducer(result.state, { type: 'submitted', view: committed(result.state) });
    }
  }
  return result;
}

const start = () => startReceive(view(), TODAY);

describe('choosing a receipt', () => {
  it('opens an open receipt and refuses a closed one, an item or a bin', () => {
    expect(chooseReceipt({ kind: 'receipt', receipt: { id: 'r-1', number: 'ASN-1', status: 'open' } })).toEqual({ open: 'r-1', feedback: 'success' });
    expect(chooseReceipt({ kind: 'receipt', receipt: { id: 'r-2', number: 'PO-2', status: 'closed' } })).toEqual({
      error: 'Receipt PO-2 is closed: scan another receipt',
      feedback: 'error',
    });
    expect(chooseReceipt(item('p-wid'))).toMatchObject({ error: "That is an item (WID-1 Widget): scan the receipt's barcode first" });
    expect(chooseReceipt({ kind: 'location', location: { id: 'l', code: 'A-01-01' } })).toMatchObject({ error: "That is bin A-01-01: scan the receipt's barcode (ASN or PO number)" });
    expect(chooseReceipt({ kind: 'unknown', text: 'ASN-9' })).toMatchObject({ error: 'No open receipt ASN-9 on this device: check the number, or sync and try again' });
  });
});

describe('scan-item', () => {
  it('starts scanning, or on the summary for a closed receipt', () => {
    expect(start().step).toBe('scan-item');
    expect(scanPrompt(start())).toBe('Scan an item or an LPN');
    const closed = startReceive(view(lines(), 'closed'), TODAY);
    expect(closed.step).toBe('closed');
    expect(receiveReducer(closed, scan(item('p-wid'))).state.message?.text).toBe('Receipt ASN-1 is closed: go back to receipts');
  });

  it('submits a receive of 1 per scan at the dock, confirming only once committed', () => {
    const result = receiveReducer(start(), scan(item('p-wid')));
    expect(result.intent).toEqual({
      submit: {
        type: 'receive',
        args: { receiptId: 'r-1', productId: 'p-wid', qty: 1, damagedQty: 0, damageReason: null, lot: null, expiry: null, lpn: null },
      },
    });
    expect(result.feedback).toBeNull();
    expect(result.state.message).toBeNull();
    const done = receiveReducer(result.state, { type: 'submitted', view: committed(result.state) });
    expect(done.feedback).toBe('success');
    expect(done.state.message?.text).toBe('Received 1 × WID-1: 1 of 3');
    expect(done.state.current?.product.id).toBe('p-wid');
    expect(scanPrompt(done.state)).toBe('Scan the next item (now WID-1 Widget)');
  });

  it('says when a line is complete, and receives a GS1 count at once', () => {
    const result = run(start(), scan(item('p-wid', { count: 3 })));
    expect(result.state.message?.text).toBe('Received 3 × WID-1: 3 of 3. Line complete');
  });

  it('refuses a scan while one is being saved', () => {
    const first = receiveReducer(start(), scan(item('p-wid')));
    const second = receiveReducer(first.state, scan(item('p-wid')));
    expect(second.intent).toBeNull();
    expect(second.state.message?.text).toBe('Wait: the last scan is still being saved');
  });

  it("shows the rule's refusal with its numbers, and keeps the current item", () => {
    const before = run(start(), scan(item('p-wid'))).state;
    const pending = receiveReducer(before, scan(item('p-giz'))).state;
    const rejected = receiveReducer(pending, { type: 'rejected', message: 'GIZ-1 is not on receipt ASN-1. Set it aside and tell a supervisor.' });
    expect(rejected.feedback).toBe('error');
    expect(rejected.state.pending).toBeNull();
    expect(rejected.state.current?.product.id).toBe('p-wid');
  });

  it('marks an item added as unexpected', () => {
    expect(run(start(), scan(item('p-giz'))).state.message?.text).toBe('Received 1 × GIZ-1 as unexpected (not on the receipt)');
  });

  it('refuses bins, other receipts and unknown barcodes, saying what to do', () => {
    const s = start();
    expect(receiveReducer(s, scan({ kind: 'location', location: { id: 'x', code: 'A-01-01' } })).state.message?.text).toBe(
      'That is bin A-01-01: received units go to DOCK-01. Scan an item or an LPN',
    );
    expect(receiveReducer(s, scan({ kind: 'receipt', receipt: { id: 'r-2', number: 'PO-2', status: 'open' } })).state.message?.text).toBe(
      'That is receipt PO-2: go back to receipts to switch, or scan an item of ASN-1',
    );
    expect(receiveReducer(s, scan({ kind: 'unknown', text: '0109506000134352\x1d10LOT-ABCDEFGHIJ' })).state.message?.text).toBe(
      "Unknown barcode 0109506000134352 10L…: scan the item's label again or type its SKU",
    );
    expect(receiveReducer(s, scan({ kind: 'unknown', text: 'x', error: 'No product on this device has GTIN 1' })).state.message?.text).toBe(
      'No product on this device has GTIN 1',
    );
  });
});

describe('LPNs', () => {
  const lpn = (code: string, existing: LpnInfo['existing'] = null): ReceiveLookup => ({
    kind: 'lpn',
    lpn: { code, existing },
  });

  it('receives onto a scanned LPN until cleared', () => {
    const onLpn = run(start(), scan(lpn('LPN0000012348')));
    expect(onLpn.state.message?.text).toBe('Receiving onto LPN LPN0000012348: scan items');
    const received = run(onLpn.state, scan(item('p-wid')));
    expect(received.state.message?.text).toBe('Received 1 × WID-1: 1 of 3 on LPN LPN0000012348');
    const loose = run(received.state, { type: 'clear-lpn' });
    expect(loose.state.lpn).toBeNull();
    expect(loose.state.message?.text).toBe('Receiving loose at DOCK-01, not on an LPN');
  });

  it('refuses an LPN that is closed, elsewhere or another client’s', () => {
    const at = { ownerId: 'acme', locationId: 'loc-dock', locationCode: 'DOCK-01', status: 'open' as const };
    expect(run(start(), scan(lpn('L1', { ...at, status: 'closed' }))).state.message?.text).toBe('LPN L1 is closed: use another LPN or press New LPN');
    expect(run(start(), scan(lpn('L1', { ...at, locationId: 'loc-b', locationCode: 'B-01-01' }))).state.message?.text).toBe(
      'LPN L1 is at B-01-01, not at DOCK-01: use another LPN or press New LPN',
    );
    expect(run(start(), scan(lpn('L1', { ...at, ownerId: 'globex' }))).feedback).toBe('error');
    expect(run(start(), scan(lpn('L1', at))).state.lpn).toBe('L1');
  });

  it('asks the command layer for a new LPN and shows it', () => {
    const asked = receiveReducer(start(), { type: 'new-lpn' });
    expect(asked.intent).toEqual({ drawLpn: true });
    const drawn = receiveReducer(asked.state, { type: 'lpn-drawn', code: 'LPN0000000017', remaining: 99 });
    expect(drawn.state.lpn).toBe('LPN0000000017');
    expect(drawn.state.message?.text).toBe('New LPN LPN0000000017: write it on the pallet or label it, then scan items onto it');
    const none = receiveReducer(asked.state, { type: 'lpn-unavailable', message: 'No LPN numbers left' });
    expect(none.state.message).toEqual({ tone: 'error', text: 'No LPN numbers left' });
    expect(none.state.drawingLpn).toBe(false);
  });
});

describe('lot and expiry', () => {
  it('asks for them when a tracked item is scanned without, then submits the scanned unit', () => {
    const asked = run(start(), scan(item('p-ser')));
    expect(asked.state.step).toBe('lot-expiry');
    expect(asked.intent).toBeNull();
    expect(asked.state.message?.text).toBe('SER-1 Serum is tracked: enter the lot and expiry (or scan its GS1 label)');
    expect(receiveReducer(asked.state, scan(item('p-wid'))).state.message?.text).toBe('Enter the lot and expiry or press Cancel, then scan');

    const typed = receiveReducer(asked.state, { type: 'lot-expiry', lot: ' L9 ', expiry: '2027-02-28' });
    expect(typed.intent).toEqual({
      submit: { type: 'receive', args: expect.objectContaining({ productId: 'p-ser', qty: 1, lot: 'L9', expiry: '2027-02-28' }) },
    });
    const done = receiveReducer(typed.state, { type: 'submitted', view: committed(typed.state) });
    expect(done.state.step).toBe('scan-item');
    expect(done.state.current).toMatchObject({ lot: 'L9', expiry: '2027-02-28' });

    // The next plain scan of the serum keeps the batch.
    const again = receiveReducer(done.state, scan(item('p-ser')));
    expect(again.intent).toEqual({ submit: { type: 'receive', args: expect.objectContaining({ lot: 'L9', expiry: '2027-02-28' }) } });
  });

  it('refuses an expired or unreadable date with the reason, keeping the form', () => {
    const asked = run(start(), scan(item('p-ser'))).state;
    const expired = receiveReducer(asked, { type: 'lot-expiry', lot: 'L9', expiry: '2026-01-14' });
    expect(expired.intent).toBeNull();
    expect(expired.state.step).toBe('lot-expiry');
    expect(expired.state.message?.text).toBe('These units expired on 2026-01-14. Do not receive them: set them aside for a supervisor.');
    const bad = receiveReducer(asked, { type: 'lot-expiry', lot: 'L9', expiry: '2026-02-30' });
    expect(bad.state.message?.text).toBe('"2026-02-30" is not a date. Type the expiry as YYYY-MM-DD.');
    const noLot = receiveReducer(asked, { type: 'lot-expiry', lot: '', expiry: '2027-01-01' });
    expect(noLot.state.message?.text).toBe('Enter the lot of SER-1');
  });

  it('takes lot and expiry from a GS1 label, in the form or straight away', () => {
    const asked = run(start(), scan(item('p-ser'))).state;
    const filled = receiveReducer(asked, scan(item('p-ser', { lot: 'G7', expiry: '2027-05-31' })));
    expect(filled.intent).toEqual({ submit: { type: 'receive', args: expect.objectContaining({ qty: 1, lot: 'G7', expiry: '2027-05-31' }) } });

    const direct = receiveReducer(start(), scan(item('p-ser', { lot: 'G7', expiry: '2027-05-31' })));
    expect(direct.intent).toEqual({ submit: { type: 'receive', args: expect.objectContaining({ lot: 'G7', expiry: '2027-05-31' }) } });
    const expired = receiveReducer(start(), scan(item('p-ser', { lot: 'G7', expiry: '2025-12-31' })));
    expect(expired.intent).toBeNull();
    expect(expired.state.message?.text).toBe('These units expired on 2025-12-31. Do not receive them: set them aside for a supervisor.');
  });

  it('changes the batch from the button without receiving a unit', () => {
    const s = run(start(), scan(item('p-ser', { lot: 'G7', expiry: '2027-05-31' }))).state;
    const opened = receiveReducer(s, { type: 'open-lot-expiry' });
    expect(opened.state.step).toBe('lot-expiry');
    const changed = receiveReducer(opened.state, { type: 'lot-expiry', lot: 'G8', expiry: '270630' });
    expect(changed.intent).toBeNull();
    expect(changed.state.current).toMatchObject({ lot: 'G8', expiry: '2027-06-30' });
    expect(changed.state.message?.text).toBe('SER-1: lot G8, expiry 2027-06-30. Scan the items');
    expect(receiveReducer(start(), { type: 'open-lot-expiry' }).state.message?.text).toBe('Scan the item first, then enter its lot and expiry');
  });
});

describe('quantity and damage', () => {
  it('takes a typed quantity for the current item', () => {
    const s = run(start(), scan(item('p-wid'))).state;
    const form = receiveReducer(s, { type: 'open-quantity' });
    expect(form.state.step).toBe('enter-quantity');
    expect(receiveReducer(form.state, { type: 'quantity', qty: 0 }).state.message?.text).toBe('Enter a whole number from 1 to 100000');
    const done = run(form.state, { type: 'quantity', qty: 2 });
    expect(done.state.message?.text).toBe('Received 2 × WID-1: 3 of 3. Line complete');
    expect(done.state.step).toBe('scan-item');
    expect(receiveReducer(start(), { type: 'open-quantity' }).state.message?.text).toBe('Scan the item first, then enter the quantity');
  });

  it('records damaged units with a reason, never on the LPN', () => {
    const s = run(start(), scan({ kind: 'lpn', lpn: { code: 'LPN0000012348', existing: null } }), scan(item('p-wid'))).state;
    const form = receiveReducer(s, { type: 'open-damaged' });
    expect(form.state.step).toBe('damaged');
    expect(receiveReducer(form.state, { type: 'damaged', qty: 1, reason: ' ' }).state.message?.text).toBe('Choose what is wrong with the units');
    const sent = receiveReducer(form.state, { type: 'damaged', qty: 2, reason: 'Crushed' });
    expect(sent.intent).toEqual({
      submit: { type: 'receive', args: expect.objectContaining({ qty: 0, damagedQty: 2, damageReason: 'Crushed', lpn: null }) },
    });
    const done = receiveReducer(sent.state, { type: 'submitted', view: committed(sent.state) });
    expect(done.state.message?.text).toBe('Recorded 2 × WID-1 damaged (Crushed): sent to the damaged area');
    expect(done.state.lpn).toBe('LPN0000012348');
  });
});

describe('closing', () => {
  it('shows the summary, closes, and refuses scans afterwards', () => {
    const s = run(start(), scan(item('p-wid')), scan(item('p-wid'))).state;
    const summary = receiveSummary(s.view.lines);
    expect(summary).toMatchObject({ expected: 5, received: 2, damaged: 0, short: 3, shortLines: 2 });
    const confirm = receiveReducer(s, { type: 'open-close' });
    expect(confirm.state.step).toBe('confirm-close');
    const closing = receiveReducer(confirm.state, { type: 'confirm-close' });
    expect(closing.intent).toEqual({ submit: { type: 'close-receipt', args: { receiptId: 'r-1' } } });
    const closed = receiveReducer(closing.state, { type: 'submitted', view: committed(closing.state) });
    expect(closed.state.step).toBe('closed');
    // Short is a warning (amber), not a success.
    expect(closed.state.message).toEqual({ tone: 'warning', text: 'Receipt ASN-1 closed: 3 units short on 2 lines' });
    expect(receiveReducer(closed.state, scan(item('p-wid'))).feedback).toBe('error');
  });

  it('follows a receipt closed elsewhere', () => {
    const result = receiveReducer(start(), { type: 'view-updated', view: view(lines(), 'closed') });
    expect(result.state.step).toBe('closed');
    expect(result.state.message?.text).toBe('Receipt ASN-1 was closed');
  });

  it('counts progress on expected lines only', () => {
    const s = run(start(), scan(item('p-wid')), scan(item('p-giz'))).state;
    expect(receiveProgress(s.view.lines)).toEqual({ unitsDone: 1, unitsExpected: 5, linesComplete: 0, lineCount: 2 });
  });
});

describe('items that do not belong on the receipt', () => {
  const serumOf = (ownerId: string): ReceiveLookup => ({ kind: 'product', product: { ...PRODUCTS['p-ser']!, ownerId } });

  it("refuses another client's item at once, before asking for its lot and expiry", () => {
    const refused = run(start(), scan(serumOf('globex')));
    expect(refused).toMatchObject({ intent: null, feedback: 'error', state: { step: 'scan-item' } });
    expect(refused.state.message?.text).toBe("SER-1 is another client's item, not on receipt ASN-1. Set it aside and tell a supervisor.");
    // The client's own serum still asks for its lot and expiry.
    expect(run(start(), scan(serumOf('acme'))).state.step).toBe('lot-expiry');
  });

  it('refuses an item not on the receipt where the client takes no unexpected items, and takes it where it does', () => {
    const strict = run(startReceive({ ...view(), allowUnexpected: false }, TODAY), scan(item('p-giz')));
    expect(strict.state.message).toEqual({ tone: 'error', text: 'GIZ-1 is not on receipt ASN-1. Set it aside and tell a supervisor.' });
    expect(run(startReceive({ ...view(), allowUnexpected: true }, TODAY), scan(item('p-giz'))).state.message?.text).toBe('Received 1 × GIZ-1 as unexpected (not on the receipt)');
  });
});
