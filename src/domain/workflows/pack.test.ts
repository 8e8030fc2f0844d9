// The pack station's state machine without a browser: open an order or a pick list, pack item by
// item, refuse what does not belong, sort a batch into slots, ship by the carrier's label.
import { describe, expect, it } from 'vitest';
import { initialPackState, packPrompt, packReducer, type PackBox, type PackCarton, type PackEvent, type PackLine, type PackOrder, type PackState, type PackView } from './pack';

const line = (productId: string, sku: string, ordered: number, picked = ordered, packed = 0): PackLine => ({
  orderLineId: `${productId}-line`, productId, sku, name: sku.toLowerCase(), ordered, picked, packed,
});
const BOXES: PackBox[] = [
  { id: 'box-s', code: 'BOX-S', name: 'Small box', size: '25 × 20 × 10 cm', maxWeightGrams: 5000 },
  { id: 'box-l', code: 'BOX-L', name: 'Large box', size: '50 × 40 × 30 cm', maxWeightGrams: null },
];
const order = (orderId: string, number: string, lines: PackLine[], status = 'allocated', cartons: PackCarton[] = []): PackOrder => ({ orderId, number, status, lines, cartons, boxes: BOXES });
const single = (o: PackOrder): PackView => ({ pickList: null, orders: [o] });
const product = (id: string, sku: string) => ({ kind: 'product' as const, product: { id, sku, name: sku.toLowerCase() } });

function run(events: PackEvent[], from: PackState = initialPackState) {
  let state = from;
  const results = [];
  for (const event of events) {
    const result = packReducer(state, event);
    results.push(result);
    state = result.state;
  }
  return { state, results, last: results.at(-1)! };
}

/** The view after the pending pack of one unit of `productId` into carton `label` committed. */
function packedOne(view: PackView, orderId: string, productId: string, label = '1', serial: string | null = null): PackView {
  return {
    ...view,
    orders: view.orders.map((o) => {
      if (o.orderId !== orderId) return o;
      const sku = o.lines.find((l) => l.productId === productId)!.sku;
      const carton = o.cartons?.find((c) => c.label === label) ?? { label, status: 'open' as const, cartonTypeId: null, weightGrams: null, lines: [] };
      const filled = { ...carton, lines: [...carton.lines, { productId, sku, lot: null, serial, qty: 1 }] };
      return {
        ...o,
        lines: o.lines.map((l) => (l.productId === productId ? { ...l, packed: l.packed + 1 } : l)),
        cartons: [...(o.cartons ?? []).filter((c) => c.label !== label), filled],
      };
    }),
  };
}

/** The view after carton `label` closed; `status`: the order's, as the rule left it. */
function closed(view: PackView, orderId: string, label: string, status: string): PackView {
  return {
    ...view,
    orders: view.orders.map((o) => (o.orderId !== orderId ? o : {
      ...o,
      status,
      cartons: o.cartons!.map((c) => (c.label === label ? { ...c, status: 'closed' as const, cartonTypeId: 'box-s', weightGrams: 1250 } : c)),
    })),
  };
}

describe('pack station', () => {
  const mugAndTee = order('o1', '#1041', [line('p-mug', 'MUG-1', 2), line('p-tee', 'TEE-M', 1)]);

  it('opens an order, packs each scanned item into the open carton, and asks for the label once complete', () => {
    const opened = run([{ type: 'scan', lookup: { kind: 'order', view: single(mugAndTee) } }]);
    let { state } = opened;
    const { last } = opened;
    expect(state.step).toBe('pack-items');
    expect(last.state.message?.text).toBe('Order #1041: 3 units to pack.');
    expect(packPrompt(state)).toBe('Scan the items of order #1041 into carton 1');

    let view = single(mugAndTee);
    for (const [id, sku] of [['p-mug', 'MUG-1'], ['p-tee', 'TEE-M'], ['p-mug', 'MUG-1']] as const) {
      const scanned = packReducer(state, { type: 'scan', lookup: product(id, sku) });
      expect(scanned.intent).toEqual({ submit: { type: 'pack', args: { orderId: 'o1', productId: id, qty: 1, cartonId: '1', lot: null, serial: null } } });
      view = packedOne(view, 'o1', id);
      ({ state } = packReducer(scanned.state, { type: 'submitted', view }));
    }
    expect(state.step).toBe('close-carton');
    expect(state.message?.text).toBe('MUG-1: 2 of 2. Order #1041 is all in: close carton 1.');
    expect(packPrompt(state)).toBe('Close carton 1: scan or choose its box, then weigh it');

    // The box is scanned from the shelf, the scale types the weight.
    ({ state } = packReducer(state, { type: 'scan', lookup: { kind: 'box', code: 'BOX-S' } }));
    expect(state.boxId).toBe('box-s');
    const closing = packReducer(state, { type: 'submit-close', boxId: 'box-s', weightGrams: 1250, short: null });
    expect(closing.intent).toEqual({ submit: { type: 'close-carton', args: { orderId: 'o1', carton: '1', cartonTypeId: 'box-s', weightGrams: 1250, short: null } } });
    view = closed(view, 'o1', '1', 'packed');
    ({ state } = packReducer(closing.state, { type: 'submitted', view }));
    expect(state).toMatchObject({ step: 'scan-label', carton: '1' });
    expect(state.message?.text).toBe('Carton 1 closed (BOX-S, 1.25 kg). Order #1041 is packed: scan the carrier label.');

    const shipped = run([{ type: 'scan', lookup: { kind: 'tracking', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' } }], state);
    expect(shipped.last.intent).toEqual({ submit: { type: 'ship', args: { orderId: 'o1', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' } } });
    const done = packReducer(shipped.state, { type: 'submitted', view: { pickList: null, orders: [{ ...view.orders[0]!, status: 'shipped' }] } });
    expect(done.state.step).toBe('shipped');
    expect(done.state.message?.text).toBe('Order #1041 shipped with UPS 1Z999AA10123456784. Scan the next order.');
  });

  it('refuses an item not on the order or already complete, naming what is still expected', () => {
    const open = run([{ type: 'scan', lookup: { kind: 'order', view: single(order('o1', '#1041', [line('p-mug', 'MUG-1', 2, 2, 2), line('p-tee', 'TEE-M', 1)])) } }]).state;
    const stranger = packReducer(open, { type: 'scan', lookup: product('p-cap', 'CAP-1') });
    expect(stranger).toMatchObject({ intent: null, feedback: 'error' });
    expect(stranger.state.message?.text).toBe('CAP-1 is not on order #1041. Take it out; still expected 1 × TEE-M.');
    const extra = packReducer(open, { type: 'scan', lookup: product('p-mug', 'MUG-1') });
    expect(extra.state.message?.text).toBe('All 2 × MUG-1 are packed. Take this one out; still expected 1 × TEE-M.');
    // A label before the order is complete.
    const early = packReducer(open, { type: 'scan', lookup: { kind: 'tracking', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' } });
    expect(early.state.message?.text).toBe('Order #1041 is not packed yet: still expected 1 × TEE-M.');
  });

  it('refuses an item whose picked units are all packed when the order wants more (a short pick)', () => {
    const open = run([{ type: 'scan', lookup: { kind: 'order', view: single(order('o1', '#1041', [line('p-mug', 'MUG-1', 3, 1, 1)])) } }]).state;
    expect(packReducer(open, { type: 'scan', lookup: product('p-mug', 'MUG-1') }).state.message?.text)
      .toBe('No more picked MUG-1 to pack for order #1041 (1 of 3). Find the rest from picking, or tell a supervisor.');
  });

  it('refuses an order that shipped, was cancelled or has nothing picked', () => {
    expect(run([{ type: 'scan', lookup: { kind: 'order', view: single({ ...mugAndTee, status: 'shipped' }) } }]).last.state.message?.text).toBe('Order #1041 has already shipped. Scan the next order.');
    expect(run([{ type: 'scan', lookup: { kind: 'order', view: single({ ...mugAndTee, status: 'cancelled' }) } }]).last.state.message?.text).toContain('was cancelled');
    expect(run([{ type: 'scan', lookup: { kind: 'order', view: single(order('o1', '#1041', [line('p-mug', 'MUG-1', 2, 0)])) } }]).last.state.message?.text).toBe('Nothing of order #1041 has been picked yet. Pick it first.');
  });

  it('sorts a pick list of several orders: each item goes to the first order with room, named by its slot', () => {
    const batch: PackView = {
      pickList: { id: 'pkl-7', number: 'PL-000007' },
      orders: [order('o1', '#1041', [line('p-mug', 'MUG-1', 1)]), order('o2', '#1042', [line('p-mug', 'MUG-1', 1), line('p-tee', 'TEE-M', 1)])],
    };
    const opened = run([{ type: 'scan', lookup: { kind: 'order', view: batch } }]);
    let { state } = opened;
    const { last } = opened;
    expect(state.step).toBe('sort-items');
    expect(last.state.message?.text).toBe('Pick list PL-000007: slot 1: #1041, slot 2: #1042.');

    let view = batch;
    const first = packReducer(state, { type: 'scan', lookup: product('p-mug', 'MUG-1') });
    expect(first.intent).toEqual({ submit: { type: 'pack', args: { orderId: 'o1', productId: 'p-mug', qty: 1, cartonId: 'slot-1', lot: null, serial: null } } });
    view = packedOne(view, 'o1', 'p-mug', 'slot-1');
    ({ state } = packReducer(first.state, { type: 'submitted', view }));
    expect(state.message?.text).toBe('Slot 1, order #1041: complete.');
    const second = packReducer(state, { type: 'scan', lookup: product('p-mug', 'MUG-1') });
    expect(second.intent).toMatchObject({ submit: { args: { orderId: 'o2', cartonId: 'slot-2' } } });
    view = packedOne(view, 'o2', 'p-mug', 'slot-2');
    ({ state } = packReducer(second.state, { type: 'submitted', view }));
    expect(state.message?.text).toBe('Slot 2, order #1042: MUG-1: 1 of 1.');
    expect(packReducer(state, { type: 'scan', lookup: product('p-mug', 'MUG-1') }).state.message?.text).toBe('No order of pick list PL-000007 needs MUG-1 any more. Take it out and tell a supervisor.');
    // To ship, the packer scans one order: it opens alone, complete, its slot's carton to close.
    const one = packReducer(state, { type: 'scan', lookup: { kind: 'order', view: single(view.orders[0]!) } });
    expect(one.state).toMatchObject({ step: 'close-carton', carton: 'slot-1', message: { text: 'Order #1041 is all in: close carton slot-1.' } });
  });

  it('asks for the carrier of a label it does not recognise, and ships with the one chosen', () => {
    const packed = run([{ type: 'scan', lookup: { kind: 'order', view: single(order('o1', '#1041', [line('p-mug', 'MUG-1', 1, 1, 1)])) } }]).state;
    expect(packed.step).toBe('scan-label');
    const unknown = packReducer(packed, { type: 'scan', lookup: { kind: 'unknown', text: 'LOCALCOURIER778' } });
    expect(unknown.state.step).toBe('choose-carrier');
    const chosen = packReducer(unknown.state, { type: 'choose-carrier', carrier: 'DHL' });
    expect(chosen.intent).toEqual({ submit: { type: 'ship', args: { orderId: 'o1', carrier: 'DHL', trackingNumber: 'LOCALCOURIER778' } } });
    // A number one carrier alone has a pattern for keeps that carrier's check digit, whatever is chosen.
    const ups = packReducer(packed, { type: 'scan', lookup: { kind: 'unknown', text: '1Z999AA10123456785' } });
    expect(packReducer(ups.state, { type: 'choose-carrier', carrier: 'FedEx' })).toMatchObject({ intent: null, feedback: 'error', state: { step: 'scan-label' } });
    // A label whose check digit is wrong is not offered the hand-picked way out.
    const bad = packReducer(packed, { type: 'scan', lookup: { kind: 'unknown', text: '1Z999AA10123456785', error: 'UPS tracking number with a wrong check digit: scan the label again.' } });
    expect(bad).toMatchObject({ feedback: 'error', state: { step: 'scan-label', message: { text: 'UPS tracking number with a wrong check digit: scan the label again.' } } });
  });

  it('refuses a second scan while one is being saved, and shows the rule’s refusal', () => {
    const open = run([{ type: 'scan', lookup: { kind: 'order', view: single(mugAndTee) } }]).state;
    const pending = packReducer(open, { type: 'scan', lookup: product('p-mug', 'MUG-1') }).state;
    expect(packReducer(pending, { type: 'scan', lookup: product('p-mug', 'MUG-1') })).toMatchObject({ intent: null, feedback: 'error' });
    const refused = packReducer(pending, { type: 'rejected', message: 'Order #1041 was cancelled. Put its units aside for a supervisor.' });
    expect(refused.state).toMatchObject({ pending: null, message: { tone: 'error', text: 'Order #1041 was cancelled. Put its units aside for a supervisor.' } });
  });

  it('opens the next carton and packs into it', () => {
    const open = run([{ type: 'scan', lookup: { kind: 'order', view: single(mugAndTee) } }, { type: 'new-carton' }]).state;
    expect(open.carton).toBe('2');
    expect(packReducer(open, { type: 'scan', lookup: product('p-tee', 'TEE-M') }).intent).toMatchObject({ submit: { args: { cartonId: '2' } } });
  });

  it('closes a carton early and keeps packing into the next; the last one of an incomplete order needs an override', () => {
    let view = single(mugAndTee);
    let { state } = run([{ type: 'scan', lookup: { kind: 'order', view } }]);
    expect(packReducer(state, { type: 'close-carton' }).state.message?.text).toBe('Carton 1 is empty: scan items into it first.');
    ({ state } = packReducer(state, { type: 'scan', lookup: product('p-mug', 'MUG-1') }));
    view = packedOne(view, 'o1', 'p-mug');
    ({ state } = packReducer(state, { type: 'submitted', view }));
    ({ state } = packReducer(state, { type: 'close-carton' }));
    expect(state.step).toBe('close-carton');
    // Carton 1 is the only one with units: closing it now would ship the order short.
    const refused = packReducer(state, { type: 'submit-close', boxId: 'box-s', weightGrams: 900, short: null });
    expect(refused).toMatchObject({ intent: null, feedback: 'error' });
    expect(refused.state.message?.text).toBe("Order #1041 is not complete: still missing 1 × MUG-1, 1 × TEE-M. Pack them, or close short with a supervisor's code and a reason.");
    const short = packReducer(state, { type: 'submit-close', boxId: 'box-s', weightGrams: 900, short: { reason: 'Tee damaged', overrideCode: 'K7QM-4XPT' } });
    expect(short.intent).toMatchObject({ submit: { type: 'close-carton', args: { short: { reason: 'Tee damaged', overrideCode: 'K7QM-4XPT' } } } });
    const held = packReducer(short.state, { type: 'submitted', view: closed(view, 'o1', '1', 'on_hold') });
    expect(held.state).toMatchObject({ step: 'scan-order', orderId: null });
    expect(held.state.message?.text).toBe('Carton 1 closed (BOX-S, 0.90 kg) short. Order #1041 waits for a supervisor; the code is checked when this syncs. Scan the next order.');

    // With a second carton holding units, carton 1 closes without a supervisor and packing goes on.
    view = packedOne(view, 'o1', 'p-mug', '2');
    const two = packReducer({ ...state, view }, { type: 'submit-close', boxId: 'box-s', weightGrams: 900, short: null });
    expect(two.intent).toMatchObject({ submit: { args: { carton: '1', short: null } } });
    const next = packReducer(two.state, { type: 'submitted', view: closed(view, 'o1', '1', 'allocated') });
    expect(next.state).toMatchObject({ step: 'pack-items', carton: '2', message: { text: 'Carton 1 closed (BOX-S, 0.90 kg). Carton 2 is open.' } });
  });

  it('refuses a box over its rated weight and a close without a box', () => {
    let view = single(order('o1', '#1041', [line('p-mug', 'MUG-1', 1)]));
    let { state } = run([{ type: 'scan', lookup: { kind: 'order', view } }, { type: 'scan', lookup: product('p-mug', 'MUG-1') }]);
    view = packedOne(view, 'o1', 'p-mug');
    ({ state } = packReducer(state, { type: 'submitted', view }));
    expect(packReducer(state, { type: 'submit-close', boxId: 'box-x', weightGrams: 900, short: null }).state.message?.text).toBe('Choose the box first: scan its code or pick it from the list.');
    expect(packReducer(state, { type: 'submit-close', boxId: 'box-s', weightGrams: 6200, short: null }).state.message?.text)
      .toBe('Small box holds up to 5 kg; this carton weighs 6.20 kg. Use a stronger box or move units to another carton.');
    expect(packReducer(state, { type: 'scan', lookup: { kind: 'box', code: 'BOX-Q' } }).state.message?.text).toBe('BOX-Q is not one of this merchant’s boxes. Choose one from the list.');
  });

  it('needs each serial-tracked unit’s serial, once', () => {
    const radio = order('o1', '#1041', [{ ...line('p-radio', 'RAD-1', 2), serialTracked: true }]);
    let view = single(radio);
    let { state } = run([{ type: 'scan', lookup: { kind: 'order', view } }]);
    expect(packReducer(state, { type: 'scan', lookup: product('p-radio', 'RAD-1') }).state.message?.text).toBe('RAD-1 is serial-tracked: scan the barcode with its serial number (S/N), one unit at a time.');
    const first = packReducer(state, { type: 'scan', lookup: { ...product('p-radio', 'RAD-1'), serial: 'SN-1' } });
    expect(first.intent).toMatchObject({ submit: { args: { serial: 'SN-1' } } });
    view = packedOne(view, 'o1', 'p-radio', '1', 'SN-1');
    ({ state } = packReducer(first.state, { type: 'submitted', view }));
    expect(packReducer(state, { type: 'scan', lookup: { ...product('p-radio', 'RAD-1'), serial: 'SN-1' } }).state.message?.text).toBe('Serial SN-1 of RAD-1 is already packed in carton 1. Scan another unit.');
  });

  it('packs a typed count where the owner allows it, then goes back to 1', () => {
    const counted = { ...order('o1', '#1041', [line('p-cup', 'CUP-1', 12)]), quantityTyped: true };
    let { state } = run([{ type: 'scan', lookup: { kind: 'order', view: single(counted) } }, { type: 'set-count', count: 12 }]);
    expect(state.count).toBe(12);
    expect(packReducer(state, { type: 'set-count', count: 0 }).state.message?.text).toBe('Type a count from 1 to 10,000.');
    const scanned = packReducer(state, { type: 'scan', lookup: product('p-cup', 'CUP-1') });
    expect(scanned.intent).toMatchObject({ submit: { args: { qty: 12 } } });
    expect(scanned.state.count).toBe(1);
    ({ state } = run([{ type: 'scan', lookup: { kind: 'order', view: single(mugAndTee) } }]));
    expect(packReducer(state, { type: 'set-count', count: 2 }).state.message?.text).toBe('This merchant’s items are scanned one by one.');
  });

  it('moves units between open cartons and goes on packing into the one they went to', () => {
    let view = single(mugAndTee);
    let { state } = run([{ type: 'scan', lookup: { kind: 'order', view } }, { type: 'scan', lookup: product('p-mug', 'MUG-1') }]);
    view = packedOne(view, 'o1', 'p-mug');
    ({ state } = packReducer(state, { type: 'submitted', view }));
    ({ state } = packReducer(state, { type: 'move-units' }));
    expect(state.step).toBe('move-units');
    expect(packReducer(state, { type: 'submit-move', productId: 'p-mug', lot: null, serial: null, fromCarton: '1', toCarton: '2', qty: 2 }).state.message?.text).toBe('Carton 1 holds 1 of these: move 1 to 1.');
    const moving = packReducer(state, { type: 'submit-move', productId: 'p-mug', lot: null, serial: null, fromCarton: '1', toCarton: '2', qty: 1 });
    expect(moving.intent).toEqual({ submit: { type: 'repack', args: { orderId: 'o1', fromCarton: '1', toCarton: '2', productId: 'p-mug', lot: null, serial: null, qty: 1 } } });
    const moved = packReducer(moving.state, { type: 'submitted', view });
    expect(moved.state).toMatchObject({ step: 'pack-items', carton: '2', message: { text: 'Moved 1 × MUG-1 from carton 1 to carton 2.' } });
  });

  it('says so when the order is cancelled while being packed, and lets it go', () => {
    const view = single(mugAndTee);
    const { state } = run([{ type: 'scan', lookup: { kind: 'order', view } }]);
    const cancelled = packReducer(state, { type: 'view-updated', view: single({ ...mugAndTee, status: 'cancelled' }) });
    expect(cancelled).toMatchObject({ feedback: 'error', state: { step: 'scan-order', orderId: null } });
    expect(cancelled.state.message?.text).toBe('Order #1041 was cancelled while you packed it. Put its units aside for a supervisor and scan the next order.');
  });

  it('ignores a late read of the orders open before the one just scanned', () => {
    const other = order('o2', '#1042', [line('p-cup', 'CUP-1', 1)]);
    const { state } = run([{ type: 'scan', lookup: { kind: 'order', view: single(mugAndTee) } }, { type: 'scan', lookup: { kind: 'order', view: single(other) } }]);
    const late = packReducer(state, { type: 'view-updated', view: single(mugAndTee) });
    expect(late.state).toEqual(state);
  });
});
