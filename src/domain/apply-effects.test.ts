// Building a view from effects: stock balances keyed by stockId, zero rows removed, documents
// replaced, and the input state left untouched.
import { describe, expect, it } from 'vitest';
import { applyEffects, stateFromRows } from './apply-effects';
import { stockId } from './entities';
import type { StockEffect } from './rules/types';
import { stock } from '../../test/factories/warehouse';

const delta = (locationId: string, qty: number, extra: Partial<StockEffect> = {}): StockEffect => ({
  kind: 'stock',
  ownerId: 'acme',
  locationId,
  productId: 'p',
  lot: null,
  expiry: null,
  lpn: null,
  delta: qty,
  ...extra,
});

describe('applyEffects', () => {
  it('creates, adds to and removes stock rows by their stock id', () => {
    const start = stateFromRows({ stock: [stock('a', 'p', 5)] });
    const { state, changes } = applyEffects(start, [delta('a', -5), delta('b', 3), delta('b', 2)]);
    expect([...(state.stock?.values() ?? [])]).toEqual([expect.objectContaining({ id: stockId('b', 'p', null, null), qty: 5 })]);
    expect(changes).toEqual([
      { table: 'stock', id: stockId('a', 'p', null, null), row: null },
      { table: 'stock', id: stockId('b', 'p', null, null), row: expect.objectContaining({ qty: 5 }) },
    ]);
  });

  it('keeps lots and LPNs apart', () => {
    const { state } = applyEffects({}, [delta('a', 1, { lot: 'L1' }), delta('a', 2, { lot: 'L2' }), delta('a', 4, { lot: 'L1', lpn: 'X' })]);
    expect(state.stock?.size).toBe(3);
    expect(state.stock?.get(stockId('a', 'p', 'L1', 'X'))?.qty).toBe(4);
  });

  it('keeps the earlier expiry when a row receives units with another one', () => {
    const { state } = applyEffects({}, [delta('a', 1, { expiry: '2027-01-01' }), delta('a', 1, { expiry: '2026-06-01' }), delta('a', 1, { expiry: '2028-01-01' })]);
    expect(state.stock?.get(stockId('a', 'p', null, null))).toMatchObject({ qty: 3, expiry: '2026-06-01' });
  });

  it('refuses to take a balance below zero', () => {
    expect(() => applyEffects(stateFromRows({ stock: [stock('a', 'p', 1)] }), [delta('a', -2)])).toThrow(RangeError);
    expect(() => applyEffects({}, [delta('a', -1)])).toThrow(/negative/);
  });

  it('replaces document rows and reports each changed row once, with its final value', () => {
    const line = { id: 'ol', orderId: 'o', ownerId: 'acme', productId: 'p', qty: 3, pickedQty: 0, packedQty: 0 };
    const { state, changes } = applyEffects(stateFromRows({ orderLines: [line] }), [
      { kind: 'put', table: 'orderLines', row: { ...line, pickedQty: 1 } },
      { kind: 'put', table: 'orderLines', row: { ...line, pickedQty: 2 } },
    ]);
    expect(state.orderLines?.get('ol')?.pickedQty).toBe(2);
    expect(changes).toEqual([{ table: 'orderLines', id: 'ol', row: { ...line, pickedQty: 2 } }]);
  });

  it('leaves the state it was given unchanged', () => {
    const start = stateFromRows({ stock: [stock('a', 'p', 5)] });
    applyEffects(start, [delta('a', -5)]);
    expect(start.stock?.get(stockId('a', 'p', null, null))?.qty).toBe(5);
  });
});
