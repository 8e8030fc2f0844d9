// The pack station's state machine without a browser: open an order or a pick list, pack item by
// item, refuse what does not belong, sort a batch into slots, ship by the carrier's label.
import { describe, expect, it } from 'vitest';
import { initialPackState, packPrompt, packReducer, type PackEvent, type PackLine, type PackOrder, type PackState, type PackView } from './pack';

const line = (productId: string, sku: string, ordered: number, picked = ordered, packed = 0): PackLine => ({
  orderLineId: `${productId}-line`, productId, sku, name: sku.toLowerCase(), ordered, picked, packed,
});
const order = (orderId: string, number: string, lines: PackLine[], status = 'allocated'): PackOrder => ({ orderId, number, status, lines });
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

/** The view after the pending pack of one unit of `productId` committed. */
function packedOne(view: PackView, orderId: string, productId: string): PackView {
  return {
    ...view,
    orders: view.orders.map((o) => (o.orderId !== orderId ? o : { ...o, lines: o.lines.map((l) => (l.productId === productId ? { ...l, packed: l.packed + 1 } : l)) })),
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
      expect(scanned.intent).toEqual({ submit: { type: 'pack', args: { orderId: 'o1', productId: id, qty: 1, cartonId: '1', lot: null } } });
      view = packedOne(view, 'o1', id);
      ({ state } = packReducer(scanned.state, { type: 'submitted', view }));
    }
    expect(state.step).toBe('scan-label');
    expect(state.message?.text).toBe('Order #1041 is packed: scan the carrier label.');

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
    expect(first.intent).toEqual({ submit: { type: 'pack', args: { orderId: 'o1', productId: 'p-mug', qty: 1, cartonId: 'slot-1', lot: null } } });
    view = packedOne(view, 'o1', 'p-mug');
    ({ state } = packReducer(first.state, { type: 'submitted', view }));
    expect(state.message?.text).toBe('Slot 1, order #1041: complete.');
    const second = packReducer(state, { type: 'scan', lookup: product('p-mug', 'MUG-1') });
    expect(second.intent).toMatchObject({ submit: { args: { orderId: 'o2', cartonId: 'slot-2' } } });
    view = packedOne(view, 'o2', 'p-mug');
    ({ state } = packReducer(second.state, { type: 'submitted', view }));
    expect(state.message?.text).toBe('Slot 2, order #1042: MUG-1: 1 of 1.');
    expect(packReducer(state, { type: 'scan', lookup: product('p-mug', 'MUG-1') }).state.message?.text).toBe('No order of pick list PL-000007 needs MUG-1 any more. Take it out and tell a supervisor.');
    // To ship, the packer scans one order: it opens alone, complete, waiting for its label.
    const one = packReducer(state, { type: 'scan', lookup: { kind: 'order', view: single(view.orders[0]!) } });
    expect(one.state.step).toBe('scan-label');
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
    expect(open.carton).toBe(2);
    expect(packReducer(open, { type: 'scan', lookup: product('p-tee', 'TEE-M') }).intent).toMatchObject({ submit: { args: { cartonId: '2' } } });
  });
});
