// FEFO order and taking units across lots: the order every rule consumes stock in.
import { describe, expect, it } from 'vitest';
import { stock } from '../../../test/factories/warehouse';
import { compareFefo, sortFefo, takeFefo } from './stock';

const late = stock('b', 'p', 2, { lot: 'A', expiry: '2027-01-01' });
const early = stock('b', 'p', 3, { lot: 'Z', expiry: '2026-06-01' });
const noExpiry = stock('b', 'p', 4, { lot: 'B' });
const noLot = stock('b', 'p', 5);

describe('FEFO', () => {
  it('puts the earliest expiry first, no expiry last, then orders by lot with no lot last', () => {
    expect(sortFefo([noLot, noExpiry, late, early]).map((row) => row.id)).toEqual([early.id, late.id, noExpiry.id, noLot.id]);
    expect(compareFefo(early, early)).toBe(0);
  });

  it('takes across rows in FEFO order, and nothing when the rows hold too few', () => {
    expect(takeFefo([late, early, noExpiry], 6)?.map((take) => [take.row.lot, take.qty])).toEqual([['Z', 3], ['A', 2], ['B', 1]]);
    expect(takeFefo([late, early], 6)).toBeNull();
    expect(takeFefo([], 0)).toEqual([]);
  });
});
