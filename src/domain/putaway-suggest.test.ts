// The putaway suggestion: pick face with room, then an empty bin nearest the pick face in the
// product's zone, then in the client's zones, then in zones no other client uses, another client's
// zone only when nothing else is free (saying so), then none; never a dock, pack, returns,
// quarantine or damaged location.
import { describe, expect, it } from 'vitest';
import { location, stock } from '../../test/factories/warehouse';
import type { Location } from './entities';
import { suggestPutaway } from './putaway-suggest';
import type { SuggestInput, SuggestProduct } from './putaway-suggest';

const ESPRESSO: SuggestProduct = { sku: 'NWC-ESP-250', zone: 'A', pickFaceLocationId: 'pf' };

/** A pick face at walk 50 holding at most 20, storage bins either side in zone A, one in zone B. */
function bins(): Location[] {
  return [
    location({ id: 'dock', code: 'DOCK-01', type: 'dock', walkSeq: 0 }),
    location({ id: 'a1', code: 'A-01-1', walkSeq: 10 }),
    location({ id: 'pf', code: 'A-05-1', type: 'pick_face', walkSeq: 50, capacity: 20 }),
    location({ id: 'a6', code: 'A-06-1', walkSeq: 60 }),
    location({ id: 'a9', code: 'A-09-1', walkSeq: 90, capacity: 5 }),
    location({ id: 'b1', code: 'B-01-1', zone: 'B', walkSeq: 200 }),
    location({ id: 'pack', code: 'PACK-01', type: 'pack', walkSeq: 900 }),
    location({ id: 'ret', code: 'RET-01', type: 'returns', walkSeq: 910 }),
    location({ id: 'qua', code: 'QUA-01', type: 'quarantine', walkSeq: 920 }),
    location({ id: 'dmg', code: 'DMG-01', type: 'damaged', walkSeq: 930 }),
  ];
}

function suggest(overrides: Partial<SuggestInput> = {}) {
  return suggestPutaway({ product: ESPRESSO, qty: 5, locations: bins(), stock: [], ...overrides });
}

describe('suggestPutaway', () => {
  it("suggests the product's pick face while it has room", () => {
    const result = suggest({ stock: [stock('pf', 'p', 15)] });
    expect(result).toMatchObject({ kind: 'pick-face', location: { code: 'A-05-1' }, reason: 'Pick face of NWC-ESP-250' });
  });

  it('takes a pick face without a capacity as always having room', () => {
    const locations = bins().map((l) => (l.id === 'pf' ? { ...l, capacity: null } : l));
    expect(suggest({ locations, qty: 500, stock: [stock('pf', 'p', 400)] }).location?.code).toBe('A-05-1');
  });

  it('passes over a full pick face for the empty bin in the zone nearest it in walk order', () => {
    const result = suggest({ stock: [stock('pf', 'p', 16)] });
    expect(result).toMatchObject({ kind: 'zone', location: { code: 'A-06-1' }, reason: 'Empty bin in zone A, nearest the pick face' });
  });

  it('skips bins that hold anything, and bins too small for the units', () => {
    const result = suggest({ qty: 8, stock: [stock('pf', 'p', 20), stock('a6', 'q', 1)] });
    // A-09-1 is empty but holds only 5; A-01-1 is next nearest the pick face.
    expect(result.location?.code).toBe('A-01-1');
  });

  it('without a pick face, takes the first empty bin of the zone in walk order', () => {
    const result = suggest({ product: { ...ESPRESSO, pickFaceLocationId: null } });
    expect(result).toMatchObject({ kind: 'zone', location: { code: 'A-01-1' }, reason: 'Empty bin in zone A, first in walk order' });
  });

  it('goes outside the zone when it has no empty bin, saying so', () => {
    const result = suggest({ stock: ['pf', 'a1', 'a6', 'a9'].map((id) => stock(id, 'p', 20)) });
    expect(result).toMatchObject({
      kind: 'any',
      location: { code: 'B-01-1' },
      reason: 'Empty bin in zone B, nearest the pick face (zone A has none free)',
    });
  });

  it('suggests any empty bin for units of several products', () => {
    expect(suggest({ product: null })).toMatchObject({ kind: 'any', location: { code: 'A-01-1' }, reason: 'Empty bin in zone A, first in walk order' });
  });

  describe("a client's zones", () => {
    /** Zone A is globex's (its stock is in A-06-1), zone B acme's (B-01-1 holds its goods), C-01-1 is nobody's. */
    const zoned = () => [...bins(), location({ id: 'b2', code: 'B-02-1', zone: 'B', walkSeq: 210 }), location({ id: 'c1', code: 'C-01-1', zone: 'C', walkSeq: 300 })];
    const held = [stock('a6', 'p-g', 3, { ownerId: 'globex' }), stock('b1', 'p-a', 3, { ownerId: 'acme' })];

    it("puts a client's mixed pallet in its own zone, not in the aisle of another client that comes first", () => {
      expect(suggest({ product: null, ownerId: 'acme', locations: zoned(), stock: held })).toMatchObject({
        kind: 'zone',
        location: { code: 'B-02-1' },
        reason: "Empty bin in zone B, where this client's goods are, first in walk order",
      });
    });

    it("puts a product without a zone in its client's zone before a free zone", () => {
      const loose = { sku: 'ACME-TEE', zone: null, pickFaceLocationId: null };
      expect(suggest({ product: loose, ownerId: 'acme', locations: zoned(), stock: held }).location?.code).toBe('B-02-1');
    });

    it("goes to a zone nobody uses before another client's, and says when only another client's is left", () => {
      const full = [...held, stock('b2', 'p-a', 3, { ownerId: 'acme' })];
      expect(suggest({ product: null, ownerId: 'acme', locations: zoned(), stock: full })).toMatchObject({ location: { code: 'C-01-1' }, reason: "Empty bin in zone C, first in walk order (this client's zones have none free)" });
      const crowded = [...full, stock('c1', 'p-a', 1, { ownerId: 'acme' })];
      expect(suggest({ product: null, ownerId: 'acme', locations: zoned().filter((l) => l.id !== 'c1'), stock: crowded })).toMatchObject({
        location: { code: 'A-01-1' },
        reason: "Empty bin in zone A, another client's zone: no bin of this client's is free",
      });
    });
  });

  it('says so when no bin has room', () => {
    const result = suggest({ stock: ['pf', 'a1', 'a6', 'a9', 'b1'].map((id) => stock(id, 'p', 20)) });
    expect(result).toEqual({ kind: 'none', location: null, reason: 'No bin has room for 5 NWC-ESP-250: choose a bin' });
  });

  it('never suggests a dock, pack, returns, quarantine or damaged location, even as a pick face', () => {
    const only = bins().filter((l) => l.type !== 'storage' && l.type !== 'pick_face');
    for (const pickFace of only) {
      const result = suggest({ locations: only, product: { ...ESPRESSO, pickFaceLocationId: pickFace.id } });
      expect(result.kind).toBe('none');
    }
  });

  it('never suggests an excluded location (the one the units leave)', () => {
    expect(suggest({ exclude: ['pf'] }).location?.code).toBe('A-06-1');
  });
});
