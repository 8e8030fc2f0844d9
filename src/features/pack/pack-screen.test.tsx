// @vitest-environment jsdom
// The pack station on a fresh device database with the real commands: an order opened by its
// number, packed item by item (a stranger refused, naming what is expected), its carton closed
// with a scanned box and a weight, shipped by scanning a UPS label; every scan a mutation in the
// outbox, as a wedge scanner and a wedge scale at a desk would make them.
import 'fake-indexeddb/auto';
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { location, orderLine, pickLine, product, stock } from '../../../test/factories/warehouse';
import { expectAlert, scan } from '../../../test/support/floor-screen';
import { renderInRouter } from '../../../test/support/render-in-router';
import { DockhandDb } from '../../storage/db';
import { initialSyncStatus, useSyncStatus } from '../../sync/status-store';
import { PackProvider } from './pack-context';
import PackScreen from './pack-screen';

let db: DockhandDb;
let dbCount = 0;

/** A UPS tracking number with a valid check digit (UPS's published example). */
const UPS = '1Z999AA10123456784';

/** Order #1001 (acme): Widget ×2 and Gizmo ×1, picked to PACK-01 on PL-1; order #1002 is another customer's. */
async function seed() {
  const order = { ownerId: 'acme', source: 'demo', status: 'allocated', customerName: 'C', createdAt: '2026-01-15T09:00:00Z' } as const;
  await Promise.all([
    db.products.bulkPut([
      product({ id: 'p-wid', ownerId: 'acme', sku: 'WID-1', name: 'Widget', barcodes: ['00036000291452', 'WID-1'] }),
      product({ id: 'p-giz', ownerId: 'acme', sku: 'GIZ-1', name: 'Gizmo', barcodes: ['GIZ-1'] }),
      product({ id: 'p-cap', ownerId: 'acme', sku: 'CAP-1', name: 'Cap', barcodes: ['CAP-1'] }),
    ]),
    db.locations.bulkPut([location({ id: 'loc-pack', code: 'PACK-01', type: 'pack', walkSeq: 900 }), location({ id: 'loc-a1', code: 'A-01-01', walkSeq: 10 })]),
    db.stock.bulkPut([stock('loc-pack', 'p-wid', 2), stock('loc-pack', 'p-giz', 1)]),
    db.orders.bulkPut([{ ...order, id: 'o-1', number: '#1001' }, { ...order, id: 'o-2', number: '#1002' }]),
    db.orderLines.bulkPut([
      orderLine({ id: 'ol-wid', orderId: 'o-1', productId: 'p-wid', qty: 2, pickedQty: 2 }),
      orderLine({ id: 'ol-giz', orderId: 'o-1', productId: 'p-giz', qty: 1, pickedQty: 1 }),
      orderLine({ id: 'ol-2', orderId: 'o-2', productId: 'p-cap', qty: 1, pickedQty: 0 }),
    ]),
    db.cartonTypes.bulkPut([
      { id: 'box-s', ownerId: 'acme', code: 'BOX-S', name: 'Small box', lengthMm: 250, widthMm: 200, heightMm: 100, maxWeightGrams: 5000 },
      { id: 'box-l', ownerId: 'acme', code: 'BOX-L', name: 'Large box', lengthMm: 500, widthMm: 400, heightMm: 300, maxWeightGrams: null },
    ]),
    db.pickLists.bulkPut([{ id: 'pl-1', ownerId: 'acme', number: 'PL-1', status: 'done', stagingLocationId: 'loc-pack', createdAt: '2026-01-15T09:00:00Z' }]),
    db.pickLines.bulkPut([
      pickLine({ id: 'pk-wid', orderLineId: 'ol-wid', productId: 'p-wid', locationId: 'loc-a1', qty: 2, pickedQty: 2, status: 'done', walkSeq: 10 }),
      pickLine({ id: 'pk-giz', orderLineId: 'ol-giz', productId: 'p-giz', locationId: 'loc-a1', qty: 1, pickedQty: 1, status: 'done', walkSeq: 10 }),
    ]),
    db.meta.bulkPut([
      { key: 'deviceId', value: 'dev-1' },
      { key: 'session', value: { token: 't', signedInAt: 0, user: { id: 'u1', username: 'pat', displayName: 'Pat', role: 'operator', ownerIds: null } } },
    ]),
  ]);
}

beforeEach(async () => {
  db = new DockhandDb(`pack-screen-${++dbCount}`);
  await seed();
});

afterEach(async () => {
  cleanup();
  useSyncStatus.setState(initialSyncStatus);
  db.close();
  await DockhandDb.delete(db.name);
});

function renderPack() {
  renderInRouter(
    '/pack',
    <PackProvider db={db} wedgeOptions={{ duplicateWindowMs: 0 }}>
      <Routes>
        <Route path="/pack" element={<PackScreen />} />
      </Routes>
    </PackProvider>,
  );
  return userEvent.setup();
}

const lines = () => within(screen.getByRole('table', { name: 'Lines of order #1001' }));
const row = (sku: string) => lines().getByRole('row', { name: new RegExp(`^${sku}`) });

describe('pack station', () => {
  it('packs an order scan by scan, refuses what does not belong, and ships it by its UPS label', async () => {
    const user = renderPack();
    await screen.findByRole('heading', { name: 'Pack' });
    await scan(user, '1001');
    expect(await screen.findByRole('heading', { name: 'Pack order #1001' })).toBeTruthy();
    expect(screen.getByText('Order #1001: 3 units to pack.')).toBeTruthy();

    await scan(user, '00036000291452');
    expect(within(row('WID-1')).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['2', '1']);
    await scan(user, 'CAP-1');
    await expectAlert('CAP-1 is not on order #1001. Take it out; still expected 1 × GIZ-1, 1 × WID-1.');
    await scan(user, 'WID-1');
    await scan(user, 'WID-1');
    await expectAlert('All 2 × WID-1 are packed. Take this one out; still expected 1 × GIZ-1.');
    await scan(user, 'GIZ-1');
    expect(await screen.findByText('GIZ-1: 1 of 1. Order #1001 is all in: close carton 1.')).toBeTruthy();

    // The box's shelf code is scanned; the scale types the weight into the field that then has the focus.
    await scan(user, 'BOX-S');
    const form = within(screen.getByRole('form', { name: 'Close carton 1' }));
    expect((form.getByRole('radio', { name: /BOX-S Small box/ }) as HTMLInputElement).checked).toBe(true);
    const weight = form.getByRole('textbox', { name: /Weight/ });
    expect(document.activeElement).toBe(weight);
    await user.type(weight, '1.4 kg');
    await user.click(form.getByRole('button', { name: 'Close carton 1' }));
    expect(await screen.findByText('Carton 1 closed (BOX-S, 1.40 kg). Order #1001 is packed: scan the carrier label.')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Scan' })).toBeTruthy();

    await scan(user, UPS);
    expect(await screen.findByText(`Order #1001 shipped with UPS ${UPS}. Scan the next order.`)).toBeTruthy();
    const sent = (await db.outbox.toArray()).map((entry) => [entry.type, entry.args]);
    expect(sent).toEqual([
      ['pack', { orderId: 'o-1', productId: 'p-wid', qty: 1, cartonId: '1', lot: null, serial: null }],
      ['pack', { orderId: 'o-1', productId: 'p-wid', qty: 1, cartonId: '1', lot: null, serial: null }],
      ['pack', { orderId: 'o-1', productId: 'p-giz', qty: 1, cartonId: '1', lot: null, serial: null }],
      ['close-carton', { orderId: 'o-1', carton: '1', cartonTypeId: 'box-s', weightGrams: 1400, short: null }],
      ['ship', { orderId: 'o-1', carrier: 'UPS', trackingNumber: UPS }],
    ]);
  });

  it('refuses an order nothing of which is picked, and an item before any order', async () => {
    const user = renderPack();
    await screen.findByRole('heading', { name: 'Pack' });
    await scan(user, 'WID-1');
    await expectAlert('Scan the order first: WID-1 has no order open.');
    await scan(user, '#1002');
    await expectAlert('Nothing of order #1002 has been picked yet. Pick it first.');
  });

  it('asks for the carrier of a label it does not know, and ships with the carrier chosen', async () => {
    const user = renderPack();
    await scan(user, '#1001');
    for (const code of ['WID-1', 'WID-1', 'GIZ-1']) await scan(user, code);
    const form = within(await screen.findByRole('form', { name: 'Close carton 1' }));
    await user.click(form.getByRole('radio', { name: /BOX-L/ }));
    await user.type(form.getByRole('textbox', { name: /Weight/ }), '850 g');
    await user.click(form.getByRole('button', { name: 'Close carton 1' }));
    await screen.findByText('Carton 1 closed (BOX-L, 0.85 kg). Order #1001 is packed: scan the carrier label.');
    await scan(user, 'LOCALCOURIER778');
    await user.click(await screen.findByRole('button', { name: 'DHL' }));
    expect(await screen.findByText('Order #1001 shipped with DHL LOCALCOURIER778. Scan the next order.')).toBeTruthy();
  });
});
