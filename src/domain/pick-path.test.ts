// Walk order of a pick list and skipping a line to the end.
import { describe, expect, it } from 'vitest';
import { pickLine } from '../../test/factories/warehouse';
import { nextOpenLine, skipToEnd, sortPickPath } from './pick-path';

const line = (id: string, walkSeq: number, locationId: string, productId: string) =>
  pickLine({ id, orderLineId: `ol-${id}`, productId, locationId, qty: 1, walkSeq });

const codes: Record<string, string> = { l1: 'A-01-02', l2: 'A-01-01', l3: 'C-09-09' };

describe('sortPickPath', () => {
  it('orders by walk sequence, then bin code, then product', () => {
    const lines = [line('d', 5, 'l3', 'p1'), line('c', 1, 'l1', 'p1'), line('b', 1, 'l2', 'p2'), line('a', 1, 'l2', 'p1')];
    expect(sortPickPath(lines, { locationCode: (id) => codes[id] }).map((l) => l.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('sorts products by the key given, e.g. the SKU', () => {
    const skus: Record<string, string> = { p1: 'ZZZ', p2: 'AAA' };
    const lines = [line('x', 1, 'l1', 'p1'), line('y', 1, 'l1', 'p2')];
    expect(sortPickPath(lines, { productKey: (id) => skus[id] }).map((l) => l.id)).toEqual(['y', 'x']);
  });

  it('gives the same order whatever order the lines arrive in, and leaves the input alone', () => {
    const lines = [line('b', 1, 'l1', 'p1'), line('a', 1, 'l1', 'p1')];
    expect(sortPickPath(lines).map((l) => l.id)).toEqual(['a', 'b']);
    expect(sortPickPath([...lines].reverse()).map((l) => l.id)).toEqual(['a', 'b']);
    expect(lines.map((l) => l.id)).toEqual(['b', 'a']);
  });
});

describe('skipToEnd', () => {
  const path = [line('a', 1, 'l1', 'p'), line('b', 2, 'l1', 'p'), line('c', 3, 'l1', 'p')];

  it('moves the skipped line to the end, so the next open line is the one after it', () => {
    const skipped = skipToEnd(path, 'a');
    expect(skipped.map((l) => l.id)).toEqual(['b', 'c', 'a']);
    expect(nextOpenLine(skipped)?.id).toBe('b');
  });

  it('leaves the order alone for an unknown line', () => {
    expect(skipToEnd(path, 'zz').map((l) => l.id)).toEqual(['a', 'b', 'c']);
  });

  it('finds no next line once all are done', () => {
    expect(nextOpenLine(path.map((l) => ({ ...l, status: 'done' as const })))).toBeUndefined();
  });
});
