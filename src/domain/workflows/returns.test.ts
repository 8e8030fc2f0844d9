// The returns workflow's state machine: receiving scanned units, the disposition of each, the
// restock bin with its suggestion (wrong bin, Other bin), lots, and the return finishing.
import { describe, expect, it } from 'vitest';
import { location, returnLine, stock } from '../../../test/factories/warehouse';
import type { ReturnLine } from '../entities';
import { returnsReducer, scanPrompt, startReturn, undecided } from './returns';
import type { ReturnView, ReturnsEvent, ReturnsResult, ReturnsState } from './returns';
import type { ScanLookup } from './pick';

const LOCATIONS = [
  location({ id: 'pf', code: 'A-01-1', type: 'pick_face', walkSeq: 10, capacity: 10 }),
  location({ id: 'a2', code: 'A-02-1', walkSeq: 20 }),
  location({ id: 'ret', code: 'RET-01', type: 'returns', walkSeq: 910 }),
  location({ id: 'dmg', code: 'DMG-01', type: 'damaged', walkSeq: 920 }),
  location({ id: 'qua', code: 'QUA-01', type: 'quarantine', walkSeq: 930 }),
];

const PRODUCTS = {
  'p-wid': { id: 'p-wid', sku: 'WID-1', name: 'Widget', zone: 'A', pickFaceLocationId: 'pf', lotTracked: false },
  'p-ser': { id: 'p-ser', sku: 'SER-1', name: 'Serum', zone: 'A', pickFaceLocationId: null, lotTracked: true },
  'p-giz': { id: 'p-giz', sku: 'GIZ-1', name: 'Gizmo', zone: 'A', pickFaceLocationId: null, lotTracked: false },
};

function lines(): ReturnLine[] {
  return [
    returnLine({ id: 'rl-wid', returnId: 'ret-1', productId: 'p-wid', authorisedQty: 2 }),
    returnLine({ id: 'rl-ser', returnId: 'ret-1', productId: 'p-ser', authorisedQty: 1 }),
  ];
}

function view(returnLines: ReturnLine[] = lines()): ReturnView {
  return {
    ret: { id: 'ret-1', ownerId: 'acme', rma: 'RMA-1', orderId: 'o-1', status: 'open', returnsLocationId: 'ret' },
    orderNumber: '#1001',
    lines: returnLines,
    products: PRODUCTS,
    locations: LOCATIONS,
    stock: [stock('pf', 'p-wid', 4)],
  };
}

const bin = (id: string): ScanLookup => ({ kind: 'location', location: { id, code: LOCATIONS.find((l) => l.id === id)!.code } });
const item = (id: keyof typeof PRODUCTS, lot?: string): ScanLookup => ({ kind: 'product', product: PRODUCTS[id], lot });
const scan = (lookup: ScanLookup): ReturnsEvent => ({ type: 'scan', lookup });

/** The view after the pending submission committed, as the command layer would read it. */
function committed(state: ReturnsState): ReturnView {
  const pending = state.pending!;
  const counter = pending.type === 'return-receive' ? 'receivedQty' : ({ restock: 'restockedQty', damaged: 'damagedQty', quarantine: 'quarantinedQty' } as const)[pending.args.disposition];
  return {
    ...state.view,
    lines: state.view.lines.map((line) => (line.productId === pending.args.productId ? { ...line, [counter]: line[counter] + pending.args.qty } : line)),
  };
}

function run(state: ReturnsState, ...events: ReturnsEvent[]): ReturnsResult {
  let result: ReturnsResult = { state, intent: null, feedback: null };
  for (const event of events) {
    result = returnsReducer(result.state, event);
    if (result.intent) result = returnsReducer(result.state, { type: 'submitted', view: committed(result.state) });
  }
  return result;
}

describe('scan-item', () => {
  it('receives one unit per scan and asks for its disposition', () => {
    const start = startReturn(view());
    expect(scanPrompt(start)).toBe('Scan an item of return RMA-1');
    const scanned = returnsReducer(start, scan(item('p-wid')));
    expect(scanned.intent?.submit).toEqual({ type: 'return-receive', args: { returnId: 'ret-1', productId: 'p-wid', lot: null, qty: 1 } });
    const done = returnsReducer(scanned.state, { type: 'submitted', view: committed(scanned.state) });
    expect(done.state).toMatchObject({ step: 'disposition', unit: { productId: 'p-wid' } });
    expect(done.state.message?.text).toBe('Received 1 × WID-1 (1 of 2): choose Restock, Damaged or Quarantine');
    expect(returnsReducer(done.state, scan(item('p-wid'))).state.message?.text).toBe('Choose Restock, Damaged or Quarantine for the WID-1 first');
  });

  it('refuses an item not on the return, and a bin', () => {
    expect(run(startReturn(view()), scan(item('p-giz'))).state.message?.text).toBe('GIZ-1 Gizmo is not on return RMA-1: set it aside and tell a supervisor');
    expect(run(startReturn(view()), scan(bin('a2'))).state.message?.text).toBe('Scan the returned item first; its bin comes after you choose Restock');
  });

  it('shows the rule’s over-return refusal and keeps scanning', () => {
    const pending = returnsReducer(startReturn(view()), scan(item('p-wid'))).state;
    const result = returnsReducer(pending, { type: 'rejected', message: 'RMA RMA-1 authorises 2 of WID-1, 2 already received' });
    expect(result.state).toMatchObject({ step: 'scan-item', unit: null, pending: null, message: { tone: 'error' } });
    expect(result.feedback).toBe('error');
  });

  it('asks for the lot of a lot-tracked item scanned without one, and uses a scanned lot', () => {
    const asked = run(startReturn(view()), scan(item('p-ser'))).state;
    expect(asked.step).toBe('enter-lot');
    const typed = returnsReducer(asked, { type: 'lot', lot: ' L7 ' });
    expect(typed.intent?.submit.args).toMatchObject({ productId: 'p-ser', lot: 'L7' });
    expect(returnsReducer(startReturn(view()), scan(item('p-ser', 'L8'))).intent?.submit.args).toMatchObject({ lot: 'L8' });
    // An untracked product's stock carries no lot: a lot on its label is not sent.
    expect(returnsReducer(startReturn(view()), scan(item('p-wid', 'X'))).intent?.submit.args).toMatchObject({ lot: null });
  });
});

describe('disposition', () => {
  const received = () => run(startReturn(view()), scan(item('p-wid'))).state;

  it('restocks to the suggested bin after scanning it', () => {
    const restock = run(received(), { type: 'disposition', disposition: 'restock' }).state;
    expect(restock.step).toBe('scan-bin');
    expect(restock.message?.text).toBe('Restock WID-1: go to A-01-1 (Pick face of WID-1)');
    expect(scanPrompt(restock)).toBe('Scan bin A-01-1');
    const scanned = returnsReducer(restock, scan(bin('pf')));
    expect(scanned.intent?.submit).toEqual({
      type: 'restock',
      args: { returnId: 'ret-1', productId: 'p-wid', lot: null, qty: 1, disposition: 'restock', toLocationId: 'pf', overrideReason: null, damageReason: null },
    });
    const done = returnsReducer(scanned.state, { type: 'submitted', view: committed(scanned.state) });
    expect(done.state).toMatchObject({ step: 'scan-item', unit: null, message: { text: 'Restocked 1 × WID-1 into A-01-1. Scan the next item' } });
  });

  it('refuses another bin naming the suggested one; takes it after Other bin with a reason', () => {
    const restock = run(received(), { type: 'disposition', disposition: 'restock' }).state;
    expect(returnsReducer(restock, scan(bin('a2'))).state.message?.text).toBe('Wrong bin: go to A-01-1');
    expect(returnsReducer(restock, scan(bin('ret'))).state.message?.text).toBe('RET-01 is a returns location: go to A-01-1');
    const other = run(restock, { type: 'open-other-bin' }, { type: 'override', reason: 'Suggested bin is full' });
    expect(other.state.step).toBe('scan-bin');
    expect(returnsReducer(other.state, scan(bin('a2'))).intent?.submit.args).toMatchObject({ toLocationId: 'a2', disposition: 'restock', overrideReason: 'Suggested bin is full' });
    // After Other bin, the suggested bin itself is no override.
    expect(returnsReducer(other.state, scan(bin('pf'))).intent?.submit.args).toMatchObject({ toLocationId: 'pf', overrideReason: null });
  });

  it('sends quarantine units to their location with no bin scan', () => {
    const chosen = returnsReducer(received(), { type: 'disposition', disposition: 'quarantine' });
    expect(chosen.intent?.submit).toEqual({
      type: 'restock',
      args: { returnId: 'ret-1', productId: 'p-wid', lot: null, qty: 1, disposition: 'quarantine', toLocationId: null, overrideReason: null, damageReason: null },
    });
    const done = returnsReducer(chosen.state, { type: 'submitted', view: committed(chosen.state) });
    expect(done.state.message?.text).toBe('1 × WID-1 to quarantine (QUA-01). Scan the next item');
  });

  it('asks what is wrong with a damaged unit, then sends it to the damaged location with the reason', () => {
    const asking = returnsReducer(received(), { type: 'disposition', disposition: 'damaged' });
    expect(asking).toMatchObject({ intent: null, state: { step: 'damage-reason', message: { text: 'What is wrong with the WID-1?' } } });
    expect(returnsReducer(asking.state, { type: 'damage-reason', reason: '  ' }).state.message?.text).toBe('Choose what is wrong with it, or type it');
    expect(returnsReducer(asking.state, { type: 'cancel' }).state.step).toBe('disposition');
    const chosen = returnsReducer(asking.state, { type: 'damage-reason', reason: 'Crushed' });
    expect(chosen.intent?.submit).toEqual({
      type: 'restock',
      args: { returnId: 'ret-1', productId: 'p-wid', lot: null, qty: 1, disposition: 'damaged', toLocationId: null, overrideReason: null, damageReason: 'Crushed' },
    });
    const done = returnsReducer(chosen.state, { type: 'submitted', view: committed(chosen.state) });
    expect(done.state.message?.text).toBe('1 × WID-1 to damaged (DMG-01). Scan the next item');
  });

  it('lets a received unit wait (Cancel) and be decided later from its line', () => {
    const waiting = run(received(), { type: 'cancel' }).state;
    expect(waiting).toMatchObject({ step: 'scan-item', unit: null, message: { text: 'WID-1 waits at RET-01 for a disposition' } });
    expect(undecided(waiting.view.lines[0]!)).toBe(1);
    const deciding = run(waiting, { type: 'decide', productId: 'p-wid' });
    expect(deciding.state).toMatchObject({ step: 'disposition', unit: { productId: 'p-wid', lot: null } });
    expect(run(waiting, { type: 'decide', productId: 'p-ser' }).state.message?.text).toBe('No received SER-1 is waiting for a disposition');
  });

  it('finishes when every authorised unit arrived and has a disposition', () => {
    const small = view([returnLine({ id: 'rl-wid', returnId: 'ret-1', productId: 'p-wid', authorisedQty: 1 })]);
    const result = run(startReturn(small), scan(item('p-wid')), { type: 'disposition', disposition: 'damaged' }, { type: 'damage-reason', reason: 'Leaking' });
    expect(result.state.step).toBe('return-done');
    expect(result.state.message?.text).toBe('1 × WID-1 to damaged (DMG-01). Return RMA-1 is done');
    expect(returnsReducer(result.state, scan(item('p-wid'))).state.message?.text).toBe('Return RMA-1 is done: go back to returns');
  });
});
