// Resolving a scan against the device's bins and products, GS1 labels by their GTIN and lot.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { location, product } from '../../../test/factories/warehouse';
import { DockhandDb } from '../../storage/db';
import { resolveScan, savePickOrder } from './commands';
import { readPickView } from './queries';

let db: DockhandDb;
let count = 0;
const NOW = new Date('2025-06-01T12:00:00Z');

beforeEach(async () => {
  db = new DockhandDb(`pick-commands-${++count}`);
  await db.locations.bulkPut([location({ id: 'loc-a', code: 'A-01-03' })]);
  await db.products.bulkPut([
    product({ id: 'p-acme', ownerId: 'acme', sku: 'WID-1', name: 'Widget', barcodes: ['09506000134352', 'WID-1'] }),
    product({ id: 'p-globex', ownerId: 'globex', sku: 'GX-WID', name: 'Widget (Globex)', barcodes: ['09506000134352'] }),
  ]);
});

afterEach(async () => {
  db.close();
  await DockhandDb.delete(db.name);
});

describe('resolveScan', () => {
  it('finds a bin by its code, trimmed and upper-cased', async () => {
    expect(await resolveScan(db, ' a-01-03 ')).toEqual({ kind: 'location', location: { id: 'loc-a', code: 'A-01-03' } });
  });

  it('finds a product by any form of its GTIN or by its SKU label', async () => {
    for (const text of ['9506000134352', '09506000134352', 'wid-1']) {
      expect(await resolveScan(db, text, { preferProductId: 'p-acme' })).toMatchObject({ kind: 'product', product: { id: 'p-acme' } });
    }
  });

  it("prefers the line's product when two owners share a GTIN", async () => {
    expect(await resolveScan(db, '9506000134352', { preferProductId: 'p-globex' })).toMatchObject({
      product: { id: 'p-globex', sku: 'GX-WID' },
    });
  });

  it('reads the GTIN, lot and expiry of a GS1 barcode', async () => {
    expect(await resolveScan(db, '0109506000134352\x1d10LOT7\x1d17261231', { preferProductId: 'p-acme', now: NOW })).toEqual({
      kind: 'product',
      product: { id: 'p-acme', sku: 'WID-1', name: 'Widget' },
      lot: 'LOT7',
      expiry: '2026-12-31',
    });
  });

  it('reads a GS1 DataMatrix with its AIM identifier, the GS as a wedge delivers Ctrl+]', async () => {
    expect(await resolveScan(db, ']d2010950600013435217260200\x1d10ABC123\x1d21SN1', { preferProductId: 'p-globex', now: NOW })).toEqual({
      kind: 'product',
      product: { id: 'p-globex', sku: 'GX-WID', name: 'Widget (Globex)' },
      lot: 'ABC123',
      expiry: '2026-02-28',
    });
  });

  it('reads the bracketed form and Digital Link URLs', async () => {
    for (const [text, lot] of [
      ['010950600013435217261231\x1d10AB-1', 'AB-1'],
      ['0109506000134352', null],
      ['(01)09506000134352(10)AB-1', 'AB-1'],
      ['https://id.gs1.org/01/09506000134352/10/AB%2F1?x=1', 'AB/1'],
    ] as const) {
      expect(await resolveScan(db, text, { preferProductId: 'p-acme', now: NOW })).toMatchObject({ kind: 'product', product: { id: 'p-acme' }, lot });
    }
  });

  it("answers a GS1 barcode it cannot use with the parser's error", async () => {
    const unknown = async (text: string) => resolveScan(db, text, { now: NOW });
    expect(await unknown('0109506000134353\x1d10LOT7')).toEqual({
      kind: 'unknown',
      text: '0109506000134353\x1d10LOT7',
      error: 'GTIN check digit is wrong (expected 2)',
    });
    expect(await unknown(']d2010950600013435217261331')).toMatchObject({ kind: 'unknown', error: 'Expiry 261331 is not a date: there is no month 13' });
    expect(await unknown('(00)106141411234567897')).toMatchObject({ kind: 'unknown', error: "This GS1 label carries no GTIN: scan the item's own barcode" });
    expect(await unknown('(01)10614141000415')).toMatchObject({ kind: 'unknown', error: 'No product on this device has GTIN 10614141000415' });
  });

  it('answers unknown for anything else', async () => {
    expect(await resolveScan(db, 'NOPE')).toEqual({ kind: 'unknown', text: 'NOPE' });
    expect(await resolveScan(db, '   ')).toEqual({ kind: 'unknown', text: '   ' });
  });

  it('does not take SKU labels or plain GTINs for GS1 element strings', async () => {
    expect(await resolveScan(db, 'WID-1')).toEqual({ kind: 'product', product: { id: 'p-acme', sku: 'WID-1', name: 'Widget' }, lot: null });
    expect(await resolveScan(db, '9506000134352', { preferProductId: 'p-acme' })).toMatchObject({ kind: 'product', lot: null });
  });
});

describe('readPickView', () => {
  it('orders lines by the stored device order, lines it does not name after in walk order', async () => {
    const line = (id: string, walkSeq: number) => ({
      id,
      pickListId: 'pl-1',
      ownerId: 'acme',
      orderId: 'o-1',
      orderLineId: `ol-${id}`,
      productId: 'p-acme',
      locationId: 'loc-a',
      lot: null,
      qty: 1,
      pickedQty: 0,
      shortQty: 0,
      shortReason: null,
      status: 'open' as const,
      walkSeq,
    });
    await db.pickLists.put({ id: 'pl-1', ownerId: 'acme', number: 'PL-1', status: 'open', stagingLocationId: 'loc-a', createdAt: '' });
    await db.pickLines.bulkPut([line('c', 3), line('a', 1), line('b', 2)]);
    expect((await readPickView(db, 'pl-1'))?.lines.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    await savePickOrder(db, 'pl-1', ['b', 'a']);
    const view = await readPickView(db, 'pl-1');
    expect(view?.lines.map((l) => l.id)).toEqual(['b', 'a', 'c']);
    expect(view?.binCodes).toEqual({ 'loc-a': 'A-01-03' });
    expect(view?.products).toEqual({ 'p-acme': { sku: 'WID-1', name: 'Widget' } });
    expect(await readPickView(db, 'nope')).toBeNull();
  });
});
