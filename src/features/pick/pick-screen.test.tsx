// @vitest-environment jsdom
// The pick screens on a fresh device database with the real commands (scans resolved from
// IndexedDB, mutations through the outbox): the list with progress, and a list picked end to end
// by typing into the Scan field and pressing Enter, as a wedge scanner does.
import 'fake-indexeddb/auto';
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { location, orderLine, pickLine, product, stock } from '../../../test/factories/warehouse';
import { expectAlert, scan, settle } from '../../../test/support/floor-screen';
import { renderInRouter, type RouterProbe } from '../../../test/support/render-in-router';
import { DockhandDb } from '../../storage/db';
import { initialSyncStatus, useSyncStatus } from '../../sync/status-store';
import { createPickCommands, type PickCommands } from './commands';
import { PickProvider } from './pick-context';
import PickListsScreen from './pick-lists-screen';
import PickScreen from './pick-screen';

let db: DockhandDb;
let dbCount = 0;

const WEDGE = { duplicateWindowMs: 0 };

/**
 * Pick list PL-1 (acme): Widget ×3 at A-01-01, Gizmo ×2 at A-01-02, Gadget ×1 at B-01-01, in that
 * walk order, staged at PACK-01. PL-2 is acme's too, half done; PL-G is globex's.
 */
async function seed(ownerIds: string[] | null = ['acme']) {
  const order = { ownerId: 'acme', source: 'demo', status: 'allocated', customerName: 'C', createdAt: '2026-01-15T09:00:00Z' } as const;
  const list = { ownerId: 'acme', status: 'open', stagingLocationId: 'loc-pack' } as const;
  await Promise.all([
    db.products.bulkPut([
      product({ id: 'p-wid', ownerId: 'acme', sku: 'WID-1', name: 'Widget', barcodes: ['00036000291452', 'WID-1'] }),
      product({ id: 'p-giz', ownerId: 'acme', sku: 'GIZ-1', name: 'Gizmo' }),
      product({ id: 'p-gad', ownerId: 'acme', sku: 'GAD-1', name: 'Gadget' }),
    ]),
    db.owners.bulkPut([{ id: 'acme', code: 'ACME', name: 'Acme Coffee', overReceiptTolerancePct: 0, allowUnexpectedItems: false, packQuantityTyped: false }]),
    db.locations.bulkPut([
      location({ id: 'loc-a1', code: 'A-01-01', walkSeq: 10 }),
      location({ id: 'loc-a2', code: 'A-01-02', walkSeq: 20 }),
      location({ id: 'loc-b1', code: 'B-01-01', walkSeq: 30 }),
      location({ id: 'loc-pack', code: 'PACK-01', type: 'pack', walkSeq: 900 }),
    ]),
    db.stock.bulkPut([stock('loc-a1', 'p-wid', 10), stock('loc-a2', 'p-giz', 10), stock('loc-b1', 'p-gad', 10)]),
    db.orders.bulkPut([
      { ...order, id: 'o-1', number: '#1001' },
      { ...order, id: 'o-2', number: '#1002' },
    ]),
    db.orderLines.bulkPut([
      orderLine({ id: 'ol-wid', orderId: 'o-1', productId: 'p-wid', qty: 3 }),
      orderLine({ id: 'ol-giz', orderId: 'o-1', productId: 'p-giz', qty: 2 }),
      orderLine({ id: 'ol-gad', orderId: 'o-1', productId: 'p-gad', qty: 1 }),
      orderLine({ id: 'ol-2', orderId: 'o-2', productId: 'p-giz', qty: 4, pickedQty: 2 }),
    ]),
    db.pickLists.bulkPut([
      { ...list, id: 'pl-1', number: 'PL-1', createdAt: '2026-01-15T09:00:00Z' },
      { ...list, id: 'pl-2', number: 'PL-2', status: 'in_progress', createdAt: '2026-01-15T09:30:00Z' },
      { ...list, id: 'pl-g', number: 'PL-G', ownerId: 'globex', createdAt: '2026-01-15T08:00:00Z' },
      { ...list, id: 'pl-done', number: 'PL-DONE', status: 'done', createdAt: '2026-01-15T07:00:00Z' },
    ]),
    db.pickLines.bulkPut([
      pickLine({ id: 'pk-wid', orderLineId: 'ol-wid', productId: 'p-wid', locationId: 'loc-a1', qty: 3, walkSeq: 10 }),
      pickLine({ id: 'pk-giz', orderLineId: 'ol-giz', productId: 'p-giz', locationId: 'loc-a2', qty: 2, walkSeq: 20 }),
      pickLine({ id: 'pk-gad', orderLineId: 'ol-gad', productId: 'p-gad', locationId: 'loc-b1', qty: 1, walkSeq: 30 }),
      pickLine({ id: 'pk-2a', pickListId: 'pl-2', orderId: 'o-2', orderLineId: 'ol-2', productId: 'p-giz', locationId: 'loc-a2', qty: 2, pickedQty: 2, status: 'done', walkSeq: 20 }),
      pickLine({ id: 'pk-2b', pickListId: 'pl-2', orderId: 'o-2', orderLineId: 'ol-2', productId: 'p-giz', locationId: 'loc-a2', qty: 2, walkSeq: 20 }),
    ]),
    db.meta.bulkPut([
      { key: 'deviceId', value: 'dev-1' },
      {
        key: 'session',
        value: { token: 't', signedInAt: 0, user: { id: 'u1', username: 'sam', displayName: 'Sam', role: 'operator', ownerIds } },
      },
    ]),
  ]);
}

beforeEach(async () => {
  db = new DockhandDb(`pick-screen-${++dbCount}`);
  await seed();
});

afterEach(async () => {
  cleanup();
  useSyncStatus.setState(initialSyncStatus);
  db.close();
  await DockhandDb.delete(db.name);
});

let where: RouterProbe;

function renderAt(path: string, commands?: PickCommands) {
  where = renderInRouter(
    path,
    <PickProvider db={db} commands={commands} wedgeOptions={WEDGE}>
      <Routes>
        <Route path="/pick" element={<PickListsScreen title="Pick" />} />
        <Route path="/pick/:pickListId" element={<PickScreen />} />
      </Routes>
    </PickProvider>,
  );
  return userEvent.setup();
}


const header = () => screen.getByText(/^Line \d+ of \d+ · \d+\/\d+ units$/).textContent;
const currentLine = () => within(screen.getByRole('region', { name: 'Current line' }));
const line = (id: string) => db.pickLines.get(id);
/** Pick-screen scans in the outbox (opening the list also queues its claim). */
const scans = async () => (await db.outbox.toArray()).filter((entry) => entry.type !== 'claim-pick-list').length;

async function openList(path = '/pick/pl-1', commands?: PickCommands) {
  const user = renderAt(path, commands);
  await screen.findByRole('heading', { name: 'Pick list PL-1' });
  return user;
}

describe('pick lists screen', () => {
  it("lists the user's open pick lists with their progress, linking to each", async () => {
    const user = renderAt('/pick');
    const lists = await screen.findByRole('list', { name: 'Pick lists' });
    const links = within(lists).getAllByRole('link');
    expect(links.map((link) => link.textContent)).toEqual(['PL-1', 'PL-2']);
    // Whose goods, how many orders and units, which zones.
    expect(screen.getByText(/^Acme Coffee · \d+ orders? · 0\/6 units · 0 of 3 lines · zone A$/)).toBeTruthy();
    expect(screen.getByText(/· 2\/4 units · 1 of 2 lines/)).toBeTruthy();
    const bar = screen.getByRole('progressbar', { name: 'PL-2 progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('2');
    expect(bar.getAttribute('aria-valuemax')).toBe('4');

    await user.click(screen.getByRole('link', { name: 'PL-1' }));
    expect(await screen.findByRole('heading', { name: 'Pick list PL-1' })).toBeTruthy();
    expect(where.location.pathname).toBe('/pick/pl-1');
  });

  it('says who holds each list: another picker by name, or you', async () => {
    await db.pickLists.update('pl-2', { claimedBy: 'u-hugo', claimedByName: 'Hugo', claimedAt: '2026-01-15T09:41:00.000Z' });
    await db.pickLists.update('pl-1', { claimedBy: 'u1', claimedByName: 'Sam', claimedAt: '2026-01-15T09:40:00.000Z' });
    renderAt('/pick');
    expect(await screen.findByText(/· 2\/4 units · 1 of 2 lines · zone [A-Z, ]+ · held by Hugo$/)).toBeTruthy();
    expect(screen.getByText(/0\/6 units · 0 of 3 lines · zone [A-Z, ]+ · held by you$/)).toBeTruthy();
  });

  it('follows progress live', async () => {
    renderAt('/pick');
    await screen.findByText(/0\/6 units · 0 of 3 lines/);
    await act(() => db.pickLines.update('pk-gad', { pickedQty: 1, status: 'done' }));
    expect(await screen.findByText(/1\/6 units · 1 of 3 lines/)).toBeTruthy();
  });

  it('opens a list by its scanned barcode, and says so when the device has no such list', async () => {
    const user = renderAt('/pick');
    await screen.findByRole('list', { name: 'Pick lists' });
    await scan(user, 'PL-404');
    await expectAlert('PL-404 is no open pick list on this device. Scan the list\'s barcode (PL-…) or choose it below.');
    await scan(user, 'pl-1');
    expect(await screen.findByRole('heading', { name: 'Pick list PL-1' })).toBeTruthy();
  });

  it('shows every owner to an unrestricted user', async () => {
    await db.meta.update('session', (row) => {
      if (row.key === 'session') row.value.user.ownerIds = null;
    });
    renderAt('/pick');
    const lists = await screen.findByRole('list', { name: 'Pick lists' });
    expect(within(lists).getAllByRole('link').map((link) => link.textContent)).toEqual(['PL-G', 'PL-1', 'PL-2']);
  });
});

describe('pick screen', () => {
  it('shows the first line in walk order and asks for its bin', async () => {
    await openList();
    expect(header()).toBe('Line 1 of 3 · 0/6 units');
    expect(currentLine().getByText('A-01-01')).toBeTruthy();
    expect(currentLine().getByText('Widget')).toBeTruthy();
    expect(currentLine().getByText('SKU WID-1')).toBeTruthy();
    expect(currentLine().getByText('3')).toBeTruthy();
    expect(screen.getByText('Scan bin A-01-01')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Scan' }));
    for (const name of ['Enter quantity', 'Short pick', 'Skip', 'Undo last scan']) {
      expect(screen.getByRole('button', { name })).toBeTruthy();
    }
  });

  it('reads ahead for the item once the bin is confirmed, and again after every sync', async () => {
    const anticipate = vi.fn();
    const user = await openList('/pick/pl-1', { ...createPickCommands(db), anticipate });
    expect(anticipate).not.toHaveBeenCalled();
    await scan(user, 'A-01-01');
    await screen.findByText('Bin A-01-01 confirmed: scan WID-1 Widget');
    expect(anticipate).toHaveBeenCalledTimes(1);
    expect(anticipate.mock.calls[0]![0]).toMatchObject({ type: 'pick', args: { pickLineId: 'pk-wid', locationId: 'loc-a1', productId: 'p-wid' } });
    // A sync wrote the view: what the worker read for this line may be stale.
    act(() => useSyncStatus.setState({ lastSyncAt: Date.now() }));
    expect(anticipate).toHaveBeenCalledTimes(2);
  });

  it('refuses the wrong bin, naming the right one', async () => {
    const user = await openList();
    await scan(user, 'B-01-01');
    await expectAlert('Wrong bin: go to A-01-01');
    await scan(user, 'WID-1');
    await expectAlert('Scan the bin first: go to A-01-01');
    expect((await line('pk-wid'))?.pickedQty).toBe(0);
  });

  it('picks one per item scan once the bin is scanned, and the progress moves', async () => {
    const user = await openList();
    await scan(user, 'a-01-01 ');
    expect(await screen.findByText('Bin A-01-01 confirmed: scan WID-1 Widget')).toBeTruthy();
    // The UPC-A on the widget's packaging: the same GTIN as its stored GTIN-14.
    await scan(user, '036000291452');
    expect(await screen.findByText('Picked 1 × WID-1: 1 of 3')).toBeTruthy();
    expect(header()).toBe('Line 1 of 3 · 1/6 units');
    await scan(user, 'WID-1');
    expect(await screen.findByText('Picked 1 × WID-1: 2 of 3')).toBeTruthy();
    expect(currentLine().getByText('(2 of 3 picked)')).toBeTruthy();
    expect(header()).toBe('Line 1 of 3 · 2/6 units');

    expect(await line('pk-wid')).toMatchObject({ pickedQty: 2, status: 'open' });
    expect(await scans()).toBe(2);
    expect((await db.stock.get('loc-a1|p-wid||'))?.qty).toBe(8);
  });

  it('refuses the wrong item and an unknown barcode, saying what to do', async () => {
    const user = await openList();
    await scan(user, 'A-01-01');
    await scan(user, 'GIZ-1');
    await expectAlert('Wrong item: that is GIZ-1 Gizmo. This line wants WID-1 Widget');
    await scan(user, '123456789');
    await expectAlert("Unknown barcode 123456789: scan the item's label again or type its SKU");
    expect(await scans()).toBe(0);
  });

  it('takes a typed quantity, refusing more than remains, then shows the next line', async () => {
    const user = await openList();
    await scan(user, 'A-01-01');
    await user.click(screen.getByRole('button', { name: 'Enter quantity' }));
    const quantity = screen.getByRole('textbox', { name: 'Quantity' });
    expect(document.activeElement).toBe(quantity);
    await user.type(quantity, '4{Enter}');
    await settle();
    await expectAlert('Only 3 left on this line: enter at most 3');

    await user.clear(quantity);
    await user.type(quantity, '3');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    await settle();
    expect(await screen.findByText('Picked 3 × WID-1: 3 of 3. Line done. Next: go to A-01-02')).toBeTruthy();
    expect(header()).toBe('Line 2 of 3 · 3/6 units');
    expect(currentLine().getByText('A-01-02')).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Quantity' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Scan' }));
    expect(await line('pk-wid')).toMatchObject({ pickedQty: 3, status: 'done' });
  });

  it('short-picks the units left with a reason', async () => {
    const user = await openList();
    await scan(user, 'A-01-01');
    await scan(user, 'WID-1');
    await user.click(screen.getByRole('button', { name: 'Short pick' }));
    expect(screen.getByRole('group', { name: 'Short pick 2 × WID-1 Widget: why?' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Damaged' }));
    await settle();
    expect(await screen.findByText('Reported 2 × WID-1 short: Damaged. Next: go to A-01-02')).toBeTruthy();
    expect(await line('pk-wid')).toMatchObject({ pickedQty: 1, shortQty: 2, shortReason: 'damaged', status: 'done' });
    expect(header()).toBe('Line 2 of 3 · 3/6 units');
  });

  it('skips a line to the end of this device’s order', async () => {
    const user = await openList();
    await user.click(screen.getByRole('button', { name: 'Skip' }));
    await settle();
    expect(await screen.findByText('Skipped WID-1 at A-01-01: it is now last. Next: go to A-01-02')).toBeTruthy();
    expect(currentLine().getByText('A-01-02')).toBeTruthy();
    expect(await db.pickOrder.get('pl-1')).toEqual({ pickListId: 'pl-1', lineIds: ['pk-giz', 'pk-gad', 'pk-wid'] });

    // The order survives leaving and coming back.
    cleanup();
    await openList();
    expect(currentLine().getByText('A-01-02')).toBeTruthy();
  });

  it('undoes the last scan', async () => {
    const user = await openList();
    await user.click(screen.getByRole('button', { name: 'Undo last scan' }));
    await settle();
    await expectAlert('Nothing to undo');

    await scan(user, 'A-01-01');
    await scan(user, 'WID-1');
    await scan(user, 'WID-1');
    await user.click(screen.getByRole('button', { name: 'Undo last scan' }));
    await settle();
    expect(await screen.findByText('Undone: put 1 × WID-1 back in A-01-01')).toBeTruthy();
    expect(header()).toBe('Line 1 of 3 · 1/6 units');
    expect((await line('pk-wid'))?.pickedQty).toBe(1);
    expect((await db.stock.get('loc-a1|p-wid||'))?.qty).toBe(9);
    // Opening the list claimed it first.
    expect((await db.outbox.toArray()).map((entry) => entry.type)).toEqual(['claim-pick-list', 'pick', 'pick', 'unpick']);
  });

  it('shows a rejection from the local rules', async () => {
    await db.stock.update('loc-a1|p-wid||', { qty: 0 });
    const user = await openList();
    await scan(user, 'A-01-01');
    await scan(user, 'WID-1');
    await expectAlert('Bin holds only 0. Pick 0 and short-pick the rest.');
    expect(await scans()).toBe(0);
  });

  it('ends on a summary with a way back to the pick lists', async () => {
    const user = await openList();
    await scan(user, 'A-01-01');
    await user.click(screen.getByRole('button', { name: 'Enter quantity' }));
    await user.type(screen.getByRole('textbox', { name: 'Quantity' }), '3{Enter}');
    await settle();
    await scan(user, 'A-01-02');
    await scan(user, 'GIZ-1');
    await user.click(screen.getByRole('button', { name: 'Short pick' }));
    await user.click(screen.getByRole('button', { name: 'Out of stock' }));
    await settle();
    await scan(user, 'B-01-01');
    await scan(user, 'GAD-1');

    expect(await screen.findByRole('heading', { name: 'Pick list done' })).toBeTruthy();
    expect(header()).toBe('Line 3 of 3 · 6/6 units');
    expect(screen.queryByRole('textbox', { name: 'Scan' })).toBeNull();
    const figures = screen.getByText('Lines picked').parentElement!;
    expect(within(figures).getByText('2 of 3')).toBeTruthy();
    expect(within(screen.getByText('Units picked').parentElement!).getByText('5 of 6')).toBeTruthy();
    const shorts = screen.getByRole('list', { name: 'Short lines' });
    expect(shorts.textContent).toBe('GIZ-1 Gizmo at A-01-02: 1 short · Out of stock');
    expect((await db.pickLists.get('pl-1'))?.status).toBe('done');

    await user.click(screen.getByRole('link', { name: 'Back to pick lists' }));
    await screen.findByRole('list', { name: 'Pick lists' });
    expect(where.location.pathname).toBe('/pick');
    expect(screen.queryByRole('link', { name: 'PL-1' })).toBeNull();
  });

  it('follows a line finished by sync to the next line', async () => {
    const user = await openList();
    await scan(user, 'A-01-01');
    await act(() => db.pickLines.update('pk-wid', { pickedQty: 3, status: 'done' }));
    await waitFor(() => expect(currentLine().getByText('A-01-02')).toBeTruthy());
    expect(await screen.findByText('WID-1 at A-01-01 was updated elsewhere. Next: go to A-01-02')).toBeTruthy();
  });

  it('says when the device has no such list', async () => {
    renderAt('/pick/nope');
    expect(await screen.findByRole('heading', { name: 'Pick list not found' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to pick lists' })).toBeTruthy();
  });
});

describe('one picker per list', () => {
  it('claims a list nobody holds when it opens, as a mutation', async () => {
    await openList();
    await waitFor(async () => expect((await db.outbox.toArray()).map((entry) => [entry.type, entry.args])).toEqual([['claim-pick-list', { pickListId: 'pl-1', takeOver: false }]]));
    expect((await db.pickLists.get('pl-1'))?.claimedBy).toBe('u1');
  });

  it("says who holds another picker's list and since when, and takes it over only on purpose", async () => {
    await db.pickLists.update('pl-1', { claimedBy: 'u-hugo', claimedByName: 'Hugo', claimedAt: '2026-01-15T09:41:00.000Z' });
    const user = renderAt('/pick/pl-1');
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Held by Hugo since .+\. Take it over only if they have stopped picking it\.$/);
    expect(screen.queryByRole('textbox', { name: 'Scan' })).toBeNull();
    expect(await db.outbox.count()).toBe(0);
    await user.click(screen.getByRole('button', { name: 'Take it over' }));
    expect(await screen.findByRole('region', { name: 'Current line' })).toBeTruthy();
    expect((await db.outbox.toArray()).map((entry) => entry.args)).toEqual([{ pickListId: 'pl-1', takeOver: true }]);
  });
});
