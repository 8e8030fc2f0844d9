// Picking, undoing a scan and short picks, on the test warehouse's pick list pl-1
// (widget ×3 from A-01-01, serum lot L1 ×2 from A-01-02, staged at PACK-01).
import { describe, expect, it } from 'vitest';
import { ACTORS, warehouse } from '../../../test/factories/warehouse';
import { effectsOf, putOf, putsOf, rejectionOf } from '../../../test/factories/outcome';
import { applyPick } from './pick';
import { applyShortPick } from './short-pick';
import { applyUnpick } from './unpick';
import type { ArgsOf } from '../mutations';

const pickWidget = (qty: number, overrides: Partial<ArgsOf<'pick'>> = {}): ArgsOf<'pick'> => ({
  pickLineId: 'pk-widget',
  locationId: 'loc-a0101',
  productId: 'p-widget',
  lot: null,
  qty,
  ...overrides,
});
const pickSerum = (qty: number): ArgsOf<'pick'> => ({ pickLineId: 'pk-serum', locationId: 'loc-a0102', productId: 'p-serum', lot: null, qty });

describe('pick', () => {
  it('moves units from the bin to staging and advances line, order line and list', async () => {
    const { reader, ctx } = warehouse();
    const outcome = await applyPick(pickWidget(2), ctx());

    expect(putOf(outcome, 'pickLines')).toMatchObject({ id: 'pk-widget', pickedQty: 2, status: 'open' });
    expect(putOf(outcome, 'orderLines')).toMatchObject({ id: 'ol-widget', pickedQty: 2 });
    expect(putOf(outcome, 'pickLists')).toMatchObject({ id: 'pl-1', status: 'in_progress' });
    reader.applyOutcome(outcome);
    expect(reader.qty('loc-a0101', 'p-widget')).toBe(18);
    expect(reader.qty('loc-pack', 'p-widget')).toBe(2);
  });

  it('closes the line at its quantity and the list when the last open line is done', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyPick(pickWidget(3), ctx()));
    expect(reader.row('pickLines', 'pk-widget').status).toBe('done');
    expect(reader.row('pickLists', 'pl-1').status).toBe('in_progress');

    const last = await applyPick(pickSerum(2), ctx());
    expect(putOf(last, 'pickLines')).toMatchObject({ status: 'done', pickedQty: 2 });
    expect(putOf(last, 'pickLists')).toMatchObject({ status: 'done' });
  });

  it('takes the allocated lot, not the earliest expiring one, when the line names a lot', async () => {
    const { reader, ctx } = warehouse();
    reader.put('pickLines', { ...reader.row('pickLines', 'pk-serum'), lot: 'L2' });
    reader.applyOutcome(await applyPick(pickSerum(2), ctx()));
    expect(reader.qty('loc-pack', 'p-serum', { lot: 'L2' })).toBe(2);
    expect(reader.qty('loc-pack', 'p-serum', { lot: 'L1' })).toBe(0);
  });

  it('consumes lots FEFO when the line has no lot, carrying each lot and expiry to staging', async () => {
    const { reader, ctx } = warehouse();
    reader.put('pickLines', { ...reader.row('pickLines', 'pk-serum'), lot: null, qty: 7 });
    reader.put('orderLines', { ...reader.row('orderLines', 'ol-serum'), qty: 7 });
    const outcome = await applyPick(pickSerum(7), ctx());
    reader.applyOutcome(outcome);
    expect(reader.all('stock').filter((row) => row.locationId === 'loc-pack')).toEqual([
      expect.objectContaining({ lot: 'L1', expiry: '2026-03-31', qty: 5 }),
      expect.objectContaining({ lot: 'L2', expiry: '2026-09-30', qty: 2 }),
    ]);
  });

  it('refuses a wrong bin, naming the right one', async () => {
    const { ctx } = warehouse();
    const rejection = rejectionOf(await applyPick(pickWidget(1, { locationId: 'loc-a0102' }), ctx()), 'WRONG_LOCATION');
    expect(rejection.message).toBe('Wrong bin: go to A-01-01.');
    expect(rejection.details).toMatchObject({ expectedLocationId: 'loc-a0101', expectedLocationCode: 'A-01-01' });
  });

  it('refuses a wrong item and a wrong lot', async () => {
    const { ctx } = warehouse();
    const item = rejectionOf(await applyPick(pickWidget(1, { productId: 'p-gizmo' }), ctx()), 'WRONG_PRODUCT');
    expect(item.message).toContain('WID-1');
    const lot = rejectionOf(await applyPick({ ...pickSerum(1), lot: 'L2' }, ctx()), 'WRONG_PRODUCT');
    expect(lot.message).toContain('lot L1');
  });

  it('refuses more than the line has left', async () => {
    const { ctx } = warehouse();
    const rejection = rejectionOf(await applyPick(pickWidget(4), ctx()), 'OVERPICK');
    expect(rejection.details).toMatchObject({ remaining: 3, requested: 4 });
  });

  it('refuses a pick past the order line even when the pick line would allow it', async () => {
    const { reader, ctx } = warehouse();
    reader.put('orderLines', { ...reader.row('orderLines', 'ol-widget'), pickedQty: 2 });
    rejectionOf(await applyPick(pickWidget(2), ctx()), 'OVERPICK');
  });

  it('refuses more than the bin holds rather than going negative', async () => {
    const { reader, ctx } = warehouse();
    reader.apply([{ kind: 'stock', ownerId: 'acme', locationId: 'loc-a0101', productId: 'p-widget', lot: null, expiry: null, lpn: null, delta: -19 }]);
    const rejection = rejectionOf(await applyPick(pickWidget(2), ctx()), 'INSUFFICIENT_STOCK');
    expect(rejection.details).toMatchObject({ available: 1, requested: 2 });
    expect(rejection.message).toContain('short-pick');
  });

  it('lets exactly one of two devices take the last unit', async () => {
    const { reader, ctx } = warehouse();
    reader.apply([{ kind: 'stock', ownerId: 'acme', locationId: 'loc-a0101', productId: 'p-widget', lot: null, expiry: null, lpn: null, delta: -19 }]);
    reader.applyOutcome(await applyPick(pickWidget(1), ctx(ACTORS.operator)));
    rejectionOf(await applyPick(pickWidget(1), ctx(ACTORS.supervisor)), 'INSUFFICIENT_STOCK');
    expect(reader.qty('loc-a0101', 'p-widget')).toBe(0);
  });

  it('refuses a line that is already done', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyPick(pickWidget(3), ctx()));
    rejectionOf(await applyPick(pickWidget(1), ctx()), 'LINE_CLOSED');
  });

  it('refuses an unknown line', async () => {
    const { ctx } = warehouse();
    rejectionOf(await applyPick(pickWidget(1, { pickLineId: 'nope' }), ctx()), 'NOT_FOUND');
  });
});

describe('unpick', () => {
  it('returns units from staging to the bin and steps line, order line and list back', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyPick(pickWidget(3), ctx()));
    reader.applyOutcome(await applyPick(pickSerum(2), ctx()));
    expect(reader.row('pickLists', 'pl-1').status).toBe('done');

    const outcome = await applyUnpick({ pickLineId: 'pk-widget', qty: 1 }, ctx());
    expect(putOf(outcome, 'pickLines')).toMatchObject({ pickedQty: 2, status: 'open' });
    expect(putOf(outcome, 'orderLines')).toMatchObject({ id: 'ol-widget', pickedQty: 2 });
    expect(putOf(outcome, 'pickLists')).toMatchObject({ status: 'in_progress' });
    reader.applyOutcome(outcome);
    expect(reader.qty('loc-pack', 'p-widget')).toBe(2);
    expect(reader.qty('loc-a0101', 'p-widget')).toBe(18);
  });

  it('returns the line’s own lot to its bin', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyPick(pickSerum(2), ctx()));
    reader.applyOutcome(await applyUnpick({ pickLineId: 'pk-serum', qty: 2 }, ctx()));
    expect(reader.qty('loc-a0102', 'p-serum', { lot: 'L1' })).toBe(5);
    expect(reader.qty('loc-pack', 'p-serum')).toBe(0);
  });

  it('refuses undoing more than was picked', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyPick(pickWidget(1), ctx()));
    const rejection = rejectionOf(await applyUnpick({ pickLineId: 'pk-widget', qty: 2 }, ctx()), 'INVALID_QUANTITY');
    expect(rejection.details).toMatchObject({ picked: 1, requested: 2 });
  });

  it('refuses when the staged units are gone', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyPick(pickWidget(2), ctx()));
    reader.apply([{ kind: 'stock', ownerId: 'acme', locationId: 'loc-pack', productId: 'p-widget', lot: null, expiry: null, lpn: null, delta: -2 }]);
    rejectionOf(await applyUnpick({ pickLineId: 'pk-widget', qty: 1 }, ctx()), 'INSUFFICIENT_STOCK');
  });

  it('refuses taking packed units back, and any unit of a shipped order', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyPick(pickWidget(2), ctx()));
    reader.put('orderLines', { ...reader.row('orderLines', 'ol-widget'), packedQty: 2 });
    rejectionOf(await applyUnpick({ pickLineId: 'pk-widget', qty: 1 }, ctx()), 'INVALID_QUANTITY');
    reader.put('orders', { ...reader.row('orders', 'o-1'), status: 'shipped' });
    rejectionOf(await applyUnpick({ pickLineId: 'pk-widget', qty: 1 }, ctx()), 'ALREADY_SHIPPED');
  });
});

describe('short-pick', () => {
  it('records the shortage and reason without moving stock; the line is done at picked + short', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyPick(pickWidget(1), ctx()));
    const outcome = await applyShortPick({ pickLineId: 'pk-widget', qty: 2, reason: 'damaged' }, ctx());
    expect(effectsOf(outcome).some((effect) => effect.kind === 'stock')).toBe(false);
    expect(putOf(outcome, 'pickLines')).toMatchObject({ pickedQty: 1, shortQty: 2, shortReason: 'damaged', status: 'done' });
    expect(putsOf(outcome, 'pickLists')).toEqual([]);
  });

  it('completes the list when the last open line is shorted', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyPick(pickWidget(3), ctx()));
    const outcome = await applyShortPick({ pickLineId: 'pk-serum', qty: 2, reason: 'out_of_stock' }, ctx());
    expect(putOf(outcome, 'pickLists')).toMatchObject({ status: 'done' });
  });

  it('keeps a partly shorted line open', async () => {
    const { ctx } = warehouse();
    const outcome = await applyShortPick({ pickLineId: 'pk-widget', qty: 1, reason: 'wrong_bin' }, ctx());
    expect(putOf(outcome, 'pickLines')).toMatchObject({ shortQty: 1, status: 'open' });
    expect(putOf(outcome, 'pickLists')).toMatchObject({ status: 'in_progress' });
  });

  it('refuses more than remains, a done line, and another client', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyPick(pickWidget(2), ctx()));
    const rejection = rejectionOf(await applyShortPick({ pickLineId: 'pk-widget', qty: 2, reason: 'damaged' }, ctx()), 'OVERPICK');
    expect(rejection.details).toMatchObject({ remaining: 1, requested: 2 });
    reader.applyOutcome(await applyShortPick({ pickLineId: 'pk-widget', qty: 1, reason: 'damaged' }, ctx()));
    rejectionOf(await applyShortPick({ pickLineId: 'pk-widget', qty: 1, reason: 'damaged' }, ctx()), 'LINE_CLOSED');
  });
});
