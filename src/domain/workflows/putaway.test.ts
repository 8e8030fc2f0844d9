// The putaway workflow's state machine: choosing dock stock, the suggested bin, wrong bins,
// Other bin with a reason, counting units, LPNs moving whole, and bin-to-bin moves.
import { describe, expect, it } from 'vitest';
import { location, stock } from '../../../test/factories/warehouse';
import type { StockRow } from '../entities';
import { dockGroups, putawayReducer, scanPrompt, startPutaway, taskQty } from './putaway';
import type { PutawayEvent, PutawayLookup, PutawayResult, PutawayState, PutawayView } from './putaway';

const LOCATIONS = [
  location({ id: 'dock', code: 'DOCK-01', type: 'dock', walkSeq: 0 }),
  location({ id: 'pf', code: 'A-01-1', type: 'pick_face', walkSeq: 10, capacity: 20 }),
  location({ id: 'a2', code: 'A-02-1', walkSeq: 20 }),
  location({ id: 'a3', code: 'A-03-1', walkSeq: 30 }),
  location({ id: 'pack', code: 'PACK-01', type: 'pack', walkSeq: 900 }),
];

const PRODUCTS = {
  'p-wid': { id: 'p-wid', sku: 'WID-1', name: 'Widget', zone: 'A', pickFaceLocationId: 'pf' },
  'p-giz': { id: 'p-giz', sku: 'GIZ-1', name: 'Gizmo', zone: 'A', pickFaceLocationId: null },
};

/** At the dock: 12 loose widgets, LPN-7 (8 widgets, 4 gizmos), 3 gizmos of globex; 5 gizmos in A-02-1. */
function view(extra: StockRow[] = []): PutawayView {
  return {
    ownerIds: ['acme'],
    locations: LOCATIONS,
    stock: [
      stock('dock', 'p-wid', 12),
      stock('dock', 'p-wid', 8, { lpn: 'LPN-7' }),
      stock('dock', 'p-giz', 4, { lpn: 'LPN-7' }),
      stock('dock', 'p-giz', 3, { ownerId: 'globex' }),
      stock('a2', 'p-giz', 5),
      ...extra,
    ],
    products: PRODUCTS,
  };
}

const bin = (id: string): PutawayLookup => ({ kind: 'location', location: { id, code: LOCATIONS.find((l) => l.id === id)!.code } });
const item = (id: keyof typeof PRODUCTS, lot?: string): PutawayLookup => ({ kind: 'product', product: PRODUCTS[id], lot });
const lpn = (id: string): PutawayLookup => ({ kind: 'lpn', lpn: id });
const scan = (lookup: PutawayLookup): PutawayEvent => ({ type: 'scan', lookup });

function run(state: PutawayState, ...events: PutawayEvent[]): PutawayResult {
  let result: PutawayResult = { state, intent: null, feedback: null };
  for (const event of events) result = putawayReducer(result.state, event);
  return result;
}

describe('choose', () => {
  it("lists the user's dock stock as LPNs and loose items", () => {
    const groups = dockGroups(view());
    expect(groups.map((g) => (g.kind === 'lpn' ? `LPN ${g.lpn} ×${g.rows.length}` : `${g.row.productId} ×${g.row.qty}`))).toEqual([
      'LPN LPN-7 ×2',
      'p-wid ×12',
    ]);
    expect(scanPrompt(startPutaway(view()))).toBe('Scan an LPN or item at the dock');
  });

  it('selects a loose item and suggests its pick face, saying why', () => {
    const { state, feedback } = run(startPutaway(view()), scan(item('p-wid')));
    expect(feedback).toBe('success');
    expect(state.step).toBe('scan-dest');
    expect(state.task?.suggestion).toMatchObject({ kind: 'pick-face', location: { code: 'A-01-1' }, reason: 'Pick face of WID-1' });
    expect(state.message?.text).toBe('WID-1 Widget ×12 at DOCK-01: go to A-01-1 (Pick face of WID-1)');
    expect(scanPrompt(state)).toBe('Scan bin A-01-1');
  });

  it('asks for the LPN label when the item is only on an LPN', () => {
    const start = startPutaway({ ...view(), stock: view().stock.filter((row) => row.lpn !== null) });
    expect(run(start, scan(item('p-wid'))).state.message?.text).toBe('WID-1 at a dock is on LPN LPN-7: scan the LPN label');
  });

  it('refuses a bin, an unknown LPN and an item not at the dock', () => {
    const start = startPutaway(view());
    expect(run(start, scan(bin('a2'))).state.message?.text).toBe('To move stock out of A-02-1, press Move stock. Here, scan an LPN or item at the dock');
    expect(run(start, scan(lpn('LPN-9'))).state.message?.text).toBe('LPN LPN-9 is not at a dock on this device: sync, or scan another');
    const noGizmo = startPutaway({ ...view(), stock: [stock('dock', 'p-wid', 1)] });
    expect(run(noGizmo, scan(item('p-giz'))).state.message?.text).toBe('No GIZ-1 Gizmo waiting at a dock: scan an item or LPN from the list');
  });
});

describe('scan-dest', () => {
  const atDest = () => run(startPutaway(view()), scan(item('p-wid'))).state;

  it('moves all of the row into the suggested bin', () => {
    const result = putawayReducer(atDest(), scan(bin('pf')));
    expect(result.intent?.submit).toEqual({
      toLocationId: 'pf',
      moves: [{ productId: 'p-wid', fromLocationId: 'dock', toLocationId: 'pf', lot: null, lpn: null, qty: 12, suggestedLocationId: 'pf', overrideReason: null }],
    });
    const done = putawayReducer(result.state, { type: 'submitted', view: view() });
    expect(done.state).toMatchObject({ step: 'choose', task: null, pending: null, message: { tone: 'success', text: 'Put away 12 × WID-1 into A-01-1' } });
    expect(done.feedback).toBe('success');
  });

  it('refuses another bin naming the suggested one, and the bin the units are in', () => {
    expect(putawayReducer(atDest(), scan(bin('a3'))).state.message?.text).toBe('Wrong bin: go to A-01-1');
    expect(putawayReducer(atDest(), scan(bin('dock'))).state.message?.text).toBe('The units are already in DOCK-01: scan bin A-01-1');
    expect(putawayReducer(atDest(), scan(bin('pack'))).state.message?.text).toBe('PACK-01 is a pack location: go to A-01-1');
  });

  it('takes another bin after Other bin and a reason, sending the reason', () => {
    const other = run(atDest(), { type: 'open-other-bin' });
    expect(other.state.step).toBe('override-reason');
    expect(putawayReducer(other.state, scan(bin('a3'))).state.message?.text).toBe('Choose a reason or press Cancel, then scan');
    expect(putawayReducer(other.state, { type: 'override', reason: '  ' }).state.message?.text).toBe('Choose a reason or type one');
    const reasoned = run(other.state, { type: 'override', reason: 'Suggested bin is full' }, scan(bin('a3')));
    expect(reasoned.intent?.submit.moves[0]).toMatchObject({ toLocationId: 'a3', suggestedLocationId: 'pf', overrideReason: 'Suggested bin is full' });
  });

  it('counts units from the second scan of the item, up to the row', () => {
    let state = atDest();
    expect(taskQty(state.task!)).toBe(12);
    state = putawayReducer(state, scan(item('p-wid'))).state;
    expect(state.message?.text).toBe('Counted 2 of 12 × WID-1: scan more, or scan bin A-01-1');
    state = putawayReducer(state, scan(item('p-wid'))).state;
    expect(putawayReducer(state, scan(bin('pf'))).intent?.submit.moves[0]?.qty).toBe(3);
    expect(putawayReducer(state, scan(item('p-giz'))).state.message?.text).toBe(
      'Wrong item: that is GIZ-1 Gizmo. You are moving WID-1 Widget: scan bin A-01-1',
    );
  });

  it('takes a typed quantity from 1 to what the row holds', () => {
    const form = run(atDest(), { type: 'open-quantity' }).state;
    expect(form.step).toBe('enter-quantity');
    expect(putawayReducer(form, { type: 'quantity', qty: 13 }).state.message?.text).toBe('Only 12 here: enter at most 12');
    const typed = run(form, { type: 'quantity', qty: 5 }, scan(bin('pf')));
    expect(typed.intent?.submit.moves[0]?.qty).toBe(5);
  });

  it('moves a whole LPN, one move per row, to a suggestion for all its units', () => {
    const chosen = run(startPutaway(view()), scan(lpn('LPN-7'))).state;
    // Mixed LPN (12 units): the pick face is the widget's only, so an empty bin of the client's zone in walk order.
    expect(chosen.task?.suggestion).toMatchObject({ kind: 'zone', location: { code: 'A-03-1' } });
    expect(putawayReducer(chosen, { type: 'open-quantity' }).state.message?.text).toBe('LPN LPN-7 moves whole: scan bin A-03-1');
    const result = putawayReducer(chosen, scan(bin('a3')));
    expect(result.intent?.submit.moves.map((m) => [m.productId, m.lpn, m.qty, m.toLocationId])).toEqual([
      ['p-giz', 'LPN-7', 4, 'a3'],
      ['p-wid', 'LPN-7', 8, 'a3'],
    ]);
    expect(putawayReducer(result.state, { type: 'submitted', view: view() }).state.message?.text).toBe('Put away LPN LPN-7 (12 units) into A-03-1');
  });

  it('reports a refusal part way through an LPN with what moved', () => {
    const pending = run(startPutaway(view()), scan(lpn('LPN-7')), scan(bin('a3'))).state;
    const result = putawayReducer(pending, { type: 'rejected', message: 'A-03-1 has room for only 0 more', done: 1 });
    expect(result.state).toMatchObject({ step: 'choose', task: null, pending: null });
    expect(result.state.message?.text).toBe('Moved 4 units to A-03-1, then: A-03-1 has room for only 0 more');
  });

  it('keeps the units in hand after a refusal, and refuses scans while a move is saving', () => {
    const pending = putawayReducer(run(startPutaway(view()), scan(item('p-wid'))).state, scan(bin('pf'))).state;
    expect(putawayReducer(pending, scan(bin('pf'))).state.message?.text).toBe('Wait: the last move is still being saved');
    const refused = putawayReducer(pending, { type: 'rejected', message: 'A-01-1 has room for only 3 more', done: 0 });
    expect(refused.state).toMatchObject({ step: 'scan-dest', pending: null, message: { tone: 'error' } });
  });
});

describe('move stock', () => {
  it('moves units from one bin to any other, with no suggestion and no reason', () => {
    let result = run(startPutaway(view()), { type: 'start-move' });
    expect(scanPrompt(result.state)).toBe('Scan the bin to move stock from');
    expect(putawayReducer(result.state, scan(item('p-giz'))).state.message?.text).toBe('Scan the bin you are taking the stock from first');
    expect(putawayReducer(result.state, scan(bin('a3'))).state.message?.text).toBe('A-03-1 holds nothing you can move: scan another bin');
    result = run(result.state, scan(bin('a2')), scan(item('p-wid')));
    expect(result.state.message?.text).toBe('No WID-1 Widget waiting in A-02-1: scan an item or LPN from the list');
    result = run(result.state, scan(item('p-giz')));
    expect(result.state).toMatchObject({ step: 'scan-dest', task: { mode: 'move', suggestion: null } });
    result = run(result.state, { type: 'open-quantity' }, { type: 'quantity', qty: 2 }, scan(bin('pack')));
    expect(result.intent?.submit.moves).toEqual([
      { productId: 'p-giz', fromLocationId: 'a2', toLocationId: 'pack', lot: null, lpn: null, qty: 2, suggestedLocationId: null, overrideReason: null },
    ]);
    const done = putawayReducer(result.state, { type: 'submitted', view: view() });
    expect(done.state).toMatchObject({ step: 'move-from', message: { text: 'Moved 2 × GIZ-1 from A-02-1 to PACK-01' } });
  });

  it('steps back with Cancel', () => {
    const at = run(startPutaway(view()), { type: 'start-move' }, scan(bin('a2')), scan(item('p-giz'))).state;
    expect(run(at, { type: 'cancel' }).state.step).toBe('move-item');
    expect(run(at, { type: 'cancel' }, { type: 'cancel' }).state.step).toBe('choose');
  });
});

describe('view updates', () => {
  it('drops the units in hand when they left the dock meanwhile', () => {
    const chosen = run(startPutaway(view()), scan(item('p-wid'))).state;
    const moved = { ...view(), stock: view().stock.filter((row) => !(row.productId === 'p-wid' && row.lpn === null)) };
    const result = putawayReducer(chosen, { type: 'view-updated', view: moved });
    expect(result.state).toMatchObject({ step: 'choose', task: null, message: { text: 'WID-1 Widget was moved elsewhere: choose again' } });
  });
});
