// The registry: every mutation type reaches its rule through `applyMutation`, and random
// sequences of floor work keep the warehouse's invariants.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ACTORS, warehouse } from '../../../test/factories/warehouse';
import { effectsOf } from '../../../test/factories/outcome';
import { MUTATION_TYPES, parseMutation, type ParsedMutation } from '../mutations';
import { applyMutation } from './index';

function parsed(type: string, args: Record<string, unknown>): ParsedMutation {
  const result = parseMutation(type, 1, args);
  if (!result.ok) throw new Error(result.message);
  return result.mutation;
}

/** One valid mutation of each type against the test warehouse, in an order that lets each apply. */
const ONE_OF_EACH: [string, Record<string, unknown>][] = [
  ['claim-pick-list', { pickListId: 'pl-1' }],
  ['receive', { receiptId: 'r-1', productId: 'p-widget', qty: 2 }],
  ['move', { productId: 'p-widget', fromLocationId: 'loc-dock', toLocationId: 'loc-a0102', qty: 2 }],
  ['pick', { pickLineId: 'pk-widget', locationId: 'loc-a0101', productId: 'p-widget', qty: 3 }],
  ['unpick', { pickLineId: 'pk-widget', qty: 1 }],
  ['pick', { pickLineId: 'pk-widget', locationId: 'loc-a0101', productId: 'p-widget', qty: 1 }],
  ['short-pick', { pickLineId: 'pk-serum', qty: 2, reason: 'out_of_stock' }],
  ['pack', { orderId: 'o-1', productId: 'p-widget', qty: 1, cartonId: '1' }],
  ['pack', { orderId: 'o-1', productId: 'p-widget', qty: 1, cartonId: '1' }],
  ['pack', { orderId: 'o-1', productId: 'p-widget', qty: 1, cartonId: '1' }],
  ['repack', { orderId: 'o-1', fromCarton: '1', toCarton: '2', productId: 'p-widget', qty: 1 }],
  ['close-carton', { orderId: 'o-1', carton: '1', cartonTypeId: 'box-s', weightGrams: 800 }],
  // The serum was short-picked: the last carton leaves short, and the supervisor releases the order.
  ['close-carton', { orderId: 'o-1', carton: '2', cartonTypeId: 'box-s', weightGrams: 400, short: { reason: 'Serum out of stock', overrideCode: 'K7QM-4XPT' } }],
  ['ship', { orderId: 'o-1', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' }],
  ['return-receive', { returnId: 'ret-1', productId: 'p-widget', qty: 1 }],
  ['restock', { returnId: 'ret-1', productId: 'p-widget', qty: 1, disposition: 'restock', toLocationId: 'loc-a0101' }],
  ['close-receipt', { receiptId: 'r-1' }],
];

describe('applyMutation', () => {
  it('has a rule for every mutation type', () => {
    expect(new Set(ONE_OF_EACH.map(([type]) => type))).toEqual(new Set(MUTATION_TYPES));
  });

  it('runs a whole floor day through the registry', async () => {
    const { reader, ctx } = warehouse();
    for (const [type, args] of ONE_OF_EACH) {
      if (type === 'ship') {
        expect(reader.row('orders', 'o-1').status).toBe('on_hold');
        reader.put('orders', { ...reader.row('orders', 'o-1'), status: 'packed' });
      }
      reader.apply(effectsOf(await applyMutation(parsed(type, args), ctx())));
    }
    expect(reader.row('orders', 'o-1').status).toBe('shipped');
    expect(reader.qty('loc-pack', 'p-widget')).toBe(0);
    expect(reader.qty('loc-a0101', 'p-widget')).toBe(18);
  });

  it("answers another owner's document as not found for every type", async () => {
    const { ctx } = warehouse();
    for (const [type, args] of ONE_OF_EACH) {
      const outcome = await applyMutation(parsed(type, args), ctx(ACTORS.globexOnly));
      expect(outcome.ok ? 'ok' : outcome.rejection.code, type).toBe('NOT_FOUND');
    }
  });
});

const pickLines = ['pk-widget', 'pk-serum'] as const;
const step = fc.oneof(
  fc.record({ kind: fc.constant('pick' as const), line: fc.constantFrom(...pickLines), qty: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('unpick' as const), line: fc.constantFrom(...pickLines), qty: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('short' as const), line: fc.constantFrom(...pickLines), qty: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ kind: fc.constant('drain' as const), qty: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('pack' as const), product: fc.constantFrom('p-widget', 'p-serum'), qty: fc.integer({ min: 1, max: 3 }) }),
);

describe('invariants under any sequence of floor work', () => {
  it('never makes stock negative, never picks past a line, never packs past picked, and conserves units', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        const { reader, ctx } = warehouse();
        const totalOf = (productId: string) => reader.all('stock').filter((row) => row.productId === productId).reduce((sum, row) => sum + row.qty, 0);
        const before = { widget: totalOf('p-widget'), serum: totalOf('p-serum') };
        let drained = 0;
        for (const s of steps) {
          let mutation: ParsedMutation;
          if (s.kind === 'pick') {
            const line = reader.row('pickLines', s.line);
            mutation = parsed('pick', { pickLineId: line.id, locationId: line.locationId, productId: line.productId, qty: s.qty });
          } else if (s.kind === 'unpick') {
            mutation = parsed('unpick', { pickLineId: s.line, qty: s.qty });
          } else if (s.kind === 'short') {
            mutation = parsed('short-pick', { pickLineId: s.line, qty: s.qty, reason: 'damaged' });
          } else if (s.kind === 'pack') {
            mutation = parsed('pack', { orderId: 'o-1', productId: s.product, qty: s.qty });
          } else {
            // Another device moves widgets out of the pick face (refused once it is empty).
            mutation = parsed('move', { productId: 'p-widget', fromLocationId: 'loc-a0101', toLocationId: 'loc-a0102', qty: s.qty });
          }
          // applyEffects throws on a negative balance, so applying is itself the stock check.
          const outcome = reader.applyOutcome(await applyMutation(mutation, ctx()));
          if (outcome.ok && s.kind === 'drain') drained += s.qty;
        }
        for (const line of reader.all('pickLines')) expect(line.pickedQty + line.shortQty).toBeLessThanOrEqual(line.qty);
        for (const line of reader.all('orderLines')) {
          expect(line.pickedQty).toBeLessThanOrEqual(line.qty);
          expect(line.packedQty).toBeLessThanOrEqual(line.pickedQty);
        }
        expect(reader.all('stock').every((row) => row.qty > 0)).toBe(true);
        expect({ widget: totalOf('p-widget'), serum: totalOf('p-serum') }).toEqual(before);
        expect(reader.qty('loc-a0102', 'p-widget')).toBe(drained);
        const picked = reader.row('orderLines', 'ol-widget').pickedQty;
        expect(reader.qty('loc-pack', 'p-widget')).toBe(picked);
      }),
      { numRuns: 200 },
    );
  });
});
