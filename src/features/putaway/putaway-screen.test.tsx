// @vitest-environment jsdom
// The putaway screen on a fresh device database with the real commands (scans resolved from
// IndexedDB, moves through the outbox): following the suggestion, a wrong bin, Other bin with a
// reason, an LPN moving whole, and a bin-to-bin move, typed into the Scan field as a wedge does.
import 'fake-indexeddb/auto';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { location, product, stock } from '../../../test/factories/warehouse';
import { stockId } from '../../domain/entities';
import { expectAlert, scan } from '../../../test/support/floor-screen';
import { DockhandDb } from '../../storage/db';
import { PutawayProvider } from './putaway-context';
import PutawayScreen from './putaway-screen';

let db: DockhandDb;
let dbCount = 0;

const WEDGE = { duplicateWindowMs: 0 };

/**
 * DOCK-01 holds 12 loose widgets and LPN-7 (6 gizmos, 4 gadgets); globex's 3 sprockets too. The
 * widget's pick face is A-01-01 (holds 20, has 5); A-01-02 and A-01-03 are empty storage; B-01-01
 * holds 7 gizmos.
 */
async function seed() {
  await Promise.all([
    db.products.bulkPut([
      product({ id: 'p-wid', ownerId: 'acme', sku: 'WID-1', name: 'Widget', barcodes: ['00036000291452', 'WID-1'], pickFaceLocationId: 'loc-pf' }),
      product({ id: 'p-giz', ownerId: 'acme', sku: 'GIZ-1', name: 'Gizmo' }),
      product({ id: 'p-gad', ownerId: 'acme', sku: 'GAD-1', name: 'Gadget' }),
      product({ id: 'p-spr', ownerId: 'globex', sku: 'SPR-1', name: 'Sprocket' }),
    ]),
    db.locations.bulkPut([
      location({ id: 'loc-dock', code: 'DOCK-01', type: 'dock', walkSeq: 0 }),
      location({ id: 'loc-pf', code: 'A-01-01', type: 'pick_face', walkSeq: 10, capacity: 20 }),
      location({ id: 'loc-a2', code: 'A-01-02', walkSeq: 20 }),
      location({ id: 'loc-a3', code: 'A-01-03', walkSeq: 30 }),
      location({ id: 'loc-b1', code: 'B-01-01', zone: 'B', walkSeq: 40 }),
      location({ id: 'loc-pack', code: 'PACK-01', type: 'pack', walkSeq: 900 }),
    ]),
    db.stock.bulkPut([
      stock('loc-dock', 'p-wid', 12),
      stock('loc-dock', 'p-giz', 6, { lpn: 'LPN-7' }),
      stock('loc-dock', 'p-gad', 4, { lpn: 'LPN-7' }),
      stock('loc-dock', 'p-spr', 3, { ownerId: 'globex' }),
      stock('loc-pf', 'p-wid', 5),
      stock('loc-b1', 'p-giz', 7),
    ]),
    db.lpns.put({ id: 'LPN-7', ownerId: 'acme', locationId: 'loc-dock', status: 'open' }),
    db.meta.bulkPut([
      { key: 'deviceId', value: 'dev-1' },
      {
        key: 'session',
        value: { token: 't', signedInAt: 0, user: { id: 'u1', username: 'sam', displayName: 'Sam', role: 'operator', ownerIds: ['acme'] } },
      },
    ]),
  ]);
}

beforeEach(async () => {
  db = new DockhandDb(`putaway-screen-${++dbCount}`);
  await seed();
});

afterEach(async () => {
  cleanup();
  db.close();
  await DockhandDb.delete(db.name);
});

async function open() {
  render(
    <PutawayProvider db={db} wedgeOptions={WEDGE}>
      <MemoryRouter initialEntries={['/putaway']}>
        <PutawayScreen title="Put away" />
      </MemoryRouter>
    </PutawayProvider>,
  );
  await screen.findByRole('list', { name: 'Waiting at the dock' });
  return userEvent.setup();
}

const expectStatus = (text: string) => waitFor(() => expect(screen.getByText(text)).toBeTruthy());
const qty = async (locationId: string, productId: string, lpn: string | null = null) =>
  (await db.stock.get(stockId(locationId, productId, null, lpn)))?.qty ?? 0;
const moves = async () => (await db.outbox.toArray()).map((entry) => entry.args);
const inHand = () => within(screen.getByRole('region', { name: 'Units in hand' }));

describe('putaway screen', () => {
  it("lists the user's dock stock by LPN and loose item, with the Scan field focused", async () => {
    await open();
    const list = screen.getByRole('list', { name: 'Waiting at the dock' });
    expect(within(list).getAllByRole('button').map((b) => b.textContent)).toEqual([
      'LPN LPN-7 (GAD-1 ×4, GIZ-1 ×6)DOCK-01',
      'WID-1 Widget×12 · DOCK-01',
    ]);
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Scan' }));
    expect(screen.getByText('Scan an LPN or item at the dock')).toBeTruthy();
  });

  it('puts an item away into the suggested bin, all of the row by default', async () => {
    const user = await open();
    await scan(user, '036000291452');
    expect(inHand().getByText('A-01-01')).toBeTruthy();
    expect(inHand().getByText('Pick face of WID-1')).toBeTruthy();
    expect(screen.getByText('Scan bin A-01-01')).toBeTruthy();
    await scan(user, 'A-01-01');
    await expectStatus('Put away 12 × WID-1 into A-01-01');
    expect(await qty('loc-pf', 'p-wid')).toBe(17);
    expect(await qty('loc-dock', 'p-wid')).toBe(0);
    expect(await moves()).toEqual([
      { productId: 'p-wid', fromLocationId: 'loc-dock', toLocationId: 'loc-pf', lot: null, lpn: null, qty: 12, suggestedLocationId: 'loc-pf', overrideReason: null },
    ]);
    await waitFor(() => expect(screen.queryByRole('button', { name: /WID-1 Widget/ })).toBeNull());
  });

  it('counts units by scanning the item again', async () => {
    const user = await open();
    await scan(user, 'WID-1');
    await scan(user, 'WID-1');
    await scan(user, 'WID-1');
    await expectStatus('Counted 3 of 12 × WID-1: scan more, or scan bin A-01-01');
    await scan(user, 'A-01-01');
    await expectStatus('Put away 3 × WID-1 into A-01-01');
    expect(await qty('loc-dock', 'p-wid')).toBe(9);
  });

  it('refuses a wrong bin naming the suggested one', async () => {
    const user = await open();
    await scan(user, 'WID-1');
    await scan(user, 'A-01-03');
    await expectAlert('Wrong bin: go to A-01-01');
    expect(await db.outbox.count()).toBe(0);
  });

  it('takes another bin after Other bin and a reason', async () => {
    const user = await open();
    await user.click(screen.getByRole('button', { name: /WID-1 Widget/ }));
    await user.click(await screen.findByRole('button', { name: 'Other bin' }));
    await user.click(screen.getByRole('button', { name: 'Suggested bin is full' }));
    await expectStatus('Other bin (Suggested bin is full): scan the bin you are using');
    await scan(user, 'A-01-03');
    await expectStatus('Put away 12 × WID-1 into A-01-03');
    expect(await qty('loc-a3', 'p-wid')).toBe(12);
    expect((await moves())[0]).toMatchObject({ toLocationId: 'loc-a3', suggestedLocationId: 'loc-pf', overrideReason: 'Suggested bin is full' });
  });

  it('takes a typed reason and quantity', async () => {
    const user = await open();
    await scan(user, 'WID-1');
    await user.click(screen.getByRole('button', { name: 'Enter quantity' }));
    await user.type(screen.getByRole('textbox', { name: 'Quantity' }), '4{Enter}');
    await user.click(await screen.findByRole('button', { name: 'Other bin' }));
    await user.type(screen.getByRole('textbox', { name: 'Other reason' }), 'Pick face blocked by a pallet{Enter}');
    await scan(user, 'A-01-02');
    await expectStatus('Put away 4 × WID-1 into A-01-02');
    expect((await moves())[0]).toMatchObject({ qty: 4, toLocationId: 'loc-a2', overrideReason: 'Pick face blocked by a pallet' });
  });

  it('puts a whole LPN away: every row on it, and the LPN with them', async () => {
    const user = await open();
    await scan(user, 'lpn-7');
    expect(inHand().getByText('LPN LPN-7 (GAD-1 ×4, GIZ-1 ×6)')).toBeTruthy();
    expect(inHand().getByText('A-01-02')).toBeTruthy();
    await scan(user, 'A-01-02');
    await expectStatus('Put away LPN LPN-7 (10 units) into A-01-02');
    expect(await qty('loc-a2', 'p-giz', 'LPN-7')).toBe(6);
    expect(await qty('loc-a2', 'p-gad', 'LPN-7')).toBe(4);
    expect(await qty('loc-dock', 'p-giz', 'LPN-7')).toBe(0);
    expect((await db.lpns.get('LPN-7'))?.locationId).toBe('loc-a2');
    expect((await moves()).map((m) => [m.productId, m.lpn, m.qty])).toEqual([
      ['p-gad', 'LPN-7', 4],
      ['p-giz', 'LPN-7', 6],
    ]);
  });

  it('moves stock bin to bin to any bin, without a reason', async () => {
    const user = await open();
    await user.click(screen.getByRole('button', { name: 'Move stock' }));
    expect(await screen.findByRole('heading', { name: 'Move stock' })).toBeTruthy();
    await scan(user, 'B-01-01');
    await scan(user, 'GIZ-1');
    await user.click(screen.getByRole('button', { name: 'Enter quantity' }));
    await user.type(screen.getByRole('textbox', { name: 'Quantity' }), '2{Enter}');
    await scan(user, 'A-01-03');
    await expectStatus('Moved 2 × GIZ-1 from B-01-01 to A-01-03');
    expect(await qty('loc-b1', 'p-giz')).toBe(5);
    expect(await qty('loc-a3', 'p-giz')).toBe(2);
    expect((await moves())[0]).toMatchObject({ fromLocationId: 'loc-b1', toLocationId: 'loc-a3', qty: 2, suggestedLocationId: null, overrideReason: null });
    expect(screen.getByText('Scan the bin to move stock from')).toBeTruthy();
  });

  it("shows the rule's refusal when the bin is full", async () => {
    await db.locations.update('loc-a3', { capacity: 5 });
    const user = await open();
    await scan(user, 'WID-1');
    await user.click(screen.getByRole('button', { name: 'Other bin' }));
    await user.click(screen.getByRole('button', { name: 'Suggested bin is full' }));
    await scan(user, 'A-01-03');
    await expectAlert('A-01-03 has room for only 5 more (holds 0 of 5). Choose another bin or move 5.');
    expect(await db.outbox.count()).toBe(0);
  });
});
