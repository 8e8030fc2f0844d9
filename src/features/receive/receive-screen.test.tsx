// @vitest-environment jsdom
// The receive screens on a fresh device database with the real commands (scans resolved from
// IndexedDB, mutations through the outbox, the domain's receive rule deciding): the receipts list,
// and a receipt worked by typing into the Scan field and pressing Enter, as a wedge scanner does.
import 'fake-indexeddb/auto';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { location, owner, product, receiptLine } from '../../../test/factories/warehouse';
import type { Receipt } from '../../domain/entities';
import { type User, expectAlert, scan, settle } from '../../../test/support/floor-screen';
import { renderInRouter, type RouterProbe } from '../../../test/support/render-in-router';
import { DockhandDb } from '../../storage/db';
import { createReceiveCommands } from './commands';
import type { LpnNetwork } from './lpn-numbers';
import ReceiptsScreen from './receipts-screen';
import { ReceiveProvider } from './receive-context';
import ReceiveScreen from './receive-screen';

let db: DockhandDb;
let dbCount = 0;

const WEDGE = { duplicateWindowMs: 0 };
const SERUM_GTIN = '09506000134352';

/** The LPN range server: hands out 1–100, then 101–200…; reachable while `online`. */
const lpnServer = { online: false, calls: 0 };
const network: LpnNetwork = {
  isOnline: () => lpnServer.online,
  fetch: async () => {
    const start = lpnServer.calls++ * 100 + 1;
    return new Response(JSON.stringify({ prefix: 'LPN', start, end: start + 99 }), { status: 200, headers: { 'content-type': 'application/json' } });
  },
};

/**
 * ASN-1001 (acme: 10% over-receipt tolerance, no unexpected items): Widget ×10, Serum ×4 (lot
 * and expiry tracked). PO-2001 (globex, unexpected items allowed): Gadget ×2. ASN-0999 is closed.
 */
async function seed() {
  const receipt = (overrides: Partial<Receipt> & Pick<Receipt, 'id' | 'number'>): Receipt => ({
    ownerId: 'acme',
    kind: 'asn',
    supplier: 'Roastery',
    status: 'open',
    dockLocationId: 'loc-dock',
    expectedAt: '2026-01-15',
    ...overrides,
  });
  await Promise.all([
    db.owners.bulkPut([owner({ id: 'acme', overReceiptTolerancePct: 10 }), owner({ id: 'globex', allowUnexpectedItems: true })]),
    db.products.bulkPut([
      product({ id: 'p-wid', ownerId: 'acme', sku: 'WID-1', name: 'Widget', barcodes: ['00036000291452', 'WID-1'] }),
      product({ id: 'p-ser', ownerId: 'acme', sku: 'SER-1', name: 'Serum', barcodes: [SERUM_GTIN, 'SER-1'], lotTracked: true, expiryTracked: true }),
      product({ id: 'p-giz', ownerId: 'acme', sku: 'GIZ-1', name: 'Gizmo' }),
      product({ id: 'p-gad', ownerId: 'globex', sku: 'GAD-1', name: 'Gadget' }),
      product({ id: 'p-glx', ownerId: 'globex', sku: 'GLX-2', name: 'Lantern' }),
    ]),
    db.locations.bulkPut([
      location({ id: 'loc-dock', code: 'DOCK-01', type: 'dock' }),
      location({ id: 'loc-a1', code: 'A-01-01', walkSeq: 10 }),
      location({ id: 'loc-dmg', code: 'DMG-01', type: 'damaged', walkSeq: 900 }),
    ]),
    db.receipts.bulkPut([
      receipt({ id: 'r-1', number: 'ASN-1001' }),
      receipt({ id: 'r-g', number: 'PO-2001', ownerId: 'globex', kind: 'po', supplier: 'Lamps Ltd' }),
      receipt({ id: 'r-old', number: 'ASN-0999', status: 'closed' }),
    ]),
    db.receiptLines.bulkPut([
      receiptLine({ id: 'rl-wid', receiptId: 'r-1', productId: 'p-wid', expectedQty: 10 }),
      receiptLine({ id: 'rl-ser', receiptId: 'r-1', productId: 'p-ser', expectedQty: 4 }),
      receiptLine({ id: 'rl-gad', receiptId: 'r-g', ownerId: 'globex', productId: 'p-gad', expectedQty: 2 }),
    ]),
    db.meta.bulkPut([
      { key: 'deviceId', value: 'dev-1' },
      {
        key: 'session',
        value: { token: 't', signedInAt: 0, user: { id: 'u1', username: 'sam', displayName: 'Sam', role: 'operator', ownerIds: null } },
      },
    ]),
  ]);
}

beforeEach(async () => {
  db = new DockhandDb(`receive-screen-${++dbCount}`);
  // Offline unless a test is about reserving LPN numbers.
  lpnServer.online = false;
  lpnServer.calls = 0;
  await seed();
});

afterEach(async () => {
  cleanup();
  db.close();
  await DockhandDb.delete(db.name);
});

let where: RouterProbe;

function renderAt(path: string) {
  where = renderInRouter(
    path,
    <ReceiveProvider db={db} commands={createReceiveCommands(db, { network })} wedgeOptions={WEDGE}>
      <Routes>
        <Route path="/receive" element={<ReceiptsScreen title="Receive" />} />
        <Route path="/receive/:receiptId" element={<ReceiveScreen />} />
      </Routes>
    </ReceiveProvider>,
  );
  return userEvent.setup();
}

async function click(user: User, name: string) {
  await user.click(screen.getByRole('button', { name }));
  await settle();
}

const expectMessage = async (text: string) => expect(await screen.findByText(text)).toBeTruthy();
const line = (id: string) => db.receiptLines.get(id);
const row = (name: string) => within(screen.getByRole('table', { name: 'Receipt lines' })).getByRole('row', { name: new RegExp(`^${name}`) });
const cells = (name: string) => within(row(name)).getAllByRole('cell').map((cell) => cell.textContent);

async function openReceipt(path = '/receive/r-1', number = 'ASN-1001') {
  const user = renderAt(path);
  await screen.findByRole('heading', { name: `Receipt ${number}` });
  return user;
}

describe('receipts screen', () => {
  it('lists open receipts with progress, links to each, and opens one by its scanned number', async () => {
    await db.receiptLines.update('rl-wid', { receivedQty: 4 });
    const user = renderAt('/receive');
    const list = await screen.findByRole('list', { name: 'Receipts' });
    expect(within(list).getAllByRole('link').map((link) => link.textContent)).toEqual(['ASN-1001', 'PO-2001']);
    expect(screen.getByText('Roastery · 4/14 units · 0 of 2 lines')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'ASN-1001 progress' }).getAttribute('aria-valuenow')).toBe('4');
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Scan' }));

    await scan(user, 'ASN-0999');
    await expectAlert('Receipt ASN-0999 is closed: scan another receipt');
    await scan(user, 'WID-1');
    await expectAlert("That is an item (WID-1 Widget): scan the receipt's barcode first");
    await scan(user, 'asn-1001');
    expect(await screen.findByRole('heading', { name: 'Receipt ASN-1001' })).toBeTruthy();
    expect(where.location.pathname).toBe('/receive/r-1');
  });
});

describe('receive screen', () => {
  it('shows the lines, the Scan field focused and the actions', async () => {
    await openReceipt();
    expect(cells('WID-1 Widget')).toEqual(['10', '0', '0']);
    expect(cells('SER-1 Serum')).toEqual(['4', '0', '0']);
    expect(screen.getByText('Scan an item or an LPN')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Scan' }));
    for (const name of ['Enter quantity', 'Damaged', 'New LPN', 'Close receipt']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Lot and expiry' })).toBeNull();
  });

  it('receives one unit per scan at the dock', async () => {
    const user = await openReceipt();
    await scan(user, '036000291452');
    await expectMessage('Received 1 × WID-1: 1 of 10');
    await scan(user, 'WID-1');
    await expectMessage('Received 1 × WID-1: 2 of 10');
    expect(cells('WID-1 Widget')).toEqual(['10', '2', '0']);
    expect(screen.getByText('2/14 units · 0 of 2 lines complete')).toBeTruthy();
    expect(await line('rl-wid')).toMatchObject({ receivedQty: 2 });
    expect((await db.stock.get('loc-dock|p-wid||'))?.qty).toBe(2);
    expect((await db.outbox.toArray()).map((entry) => entry.type)).toEqual(['receive', 'receive']);
  });

  it('takes a typed quantity, and refuses an over-receipt showing the numbers', async () => {
    const user = await openReceipt();
    await scan(user, 'WID-1');
    await click(user, 'Enter quantity');
    const quantity = screen.getByRole('textbox', { name: 'Quantity' });
    expect(document.activeElement).toBe(quantity);
    await user.type(quantity, '11{Enter}');
    await settle();
    await expectAlert('Too many: 10 expected, 1 received, 11 more would pass the limit of 11. Receive at most 10 and set the rest aside.');
    expect(await line('rl-wid')).toMatchObject({ receivedQty: 1 });

    await click(user, 'Enter quantity');
    await user.type(screen.getByRole('textbox', { name: 'Quantity' }), '9{Enter}');
    await settle();
    await expectMessage('Received 9 × WID-1: 10 of 10. Line complete');
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Scan' }));
    expect(await line('rl-wid')).toMatchObject({ receivedQty: 10 });
  });

  it('asks a lot-tracked item for its lot and expiry, refusing an expired date', async () => {
    const user = await openReceipt();
    await scan(user, 'SER-1');
    await expectMessage('SER-1 Serum is tracked: enter the lot and expiry (or scan its GS1 label)');
    const form = screen.getByRole('form', { name: 'Lot and expiry of SER-1 Serum' });
    await user.type(within(form).getByRole('textbox', { name: 'Lot' }), 'L42');
    await user.type(within(form).getByRole('textbox', { name: 'Expiry' }), '2024-01-31{Enter}');
    await settle();
    await expectAlert('These units expired on 2024-01-31. Do not receive them: set them aside for a supervisor.');
    expect(await db.outbox.count()).toBe(0);

    const expiry = within(form).getByRole('textbox', { name: 'Expiry' });
    await user.clear(expiry);
    await user.type(expiry, '2030-02-3O{Enter}');
    await settle();
    await expectAlert('"2030-02-3O" is not a date. Type the expiry as YYYY-MM-DD.');
    await user.clear(expiry);
    await user.type(expiry, '2030-12-31{Enter}');
    await settle();
    await expectMessage('Received 1 × SER-1: 1 of 4');
    expect(screen.getByText('SKU SER-1 · Lot L42 · Expires 2030-12-31')).toBeTruthy();
    expect((await db.stock.get('loc-dock|p-ser|L42|'))?.expiry).toBe('2030-12-31');

    // The next plain scan keeps the lot; the button changes it.
    await scan(user, SERUM_GTIN);
    await expectMessage('Received 1 × SER-1: 2 of 4');
    expect(screen.getByRole('button', { name: 'Lot and expiry' })).toBeTruthy();
  });

  it('fills lot and expiry from a GS1 label by itself', async () => {
    const user = await openReceipt();
    await scan(user, `(01)${SERUM_GTIN}(17)301231(10)ABC123`);
    await expectMessage('Received 1 × SER-1: 1 of 4');
    expect(screen.queryByRole('form')).toBeNull();
    expect(await db.stock.get('loc-dock|p-ser|ABC123|')).toMatchObject({ qty: 1, expiry: '2030-12-31' });
    await scan(user, `01${SERUM_GTIN}17240131\x1d10ABC124`);
    await expectAlert('These units expired on 2024-01-31. Do not receive them: set them aside for a supervisor.');
  });

  it('refuses an item not on the receipt where the owner does not allow it', async () => {
    const user = await openReceipt();
    await scan(user, 'GIZ-1');
    await expectAlert('GIZ-1 is not on receipt ASN-1001. Set it aside and tell a supervisor.');
    expect(await db.receiptLines.where('receiptId').equals('r-1').count()).toBe(2);
  });

  it('adds an unexpected item where the owner allows it', async () => {
    const user = await openReceipt('/receive/r-g', 'PO-2001');
    await scan(user, 'GLX-2');
    await expectMessage('Received 1 × GLX-2 as unexpected (not on the receipt)');
    expect(cells('GLX-2 Lantern')).toEqual(['0', '1', '0']);
    expect(screen.getByText('(unexpected)')).toBeTruthy();
    expect(await line('r-g:p-glx')).toMatchObject({ unexpected: true, receivedQty: 1 });
  });

  it('records damaged units with a reason and keeps the photo for upload', async () => {
    const user = await openReceipt();
    await click(user, 'Damaged');
    await expectAlert('Scan the damaged item first, then record the damage');
    await scan(user, 'WID-1');
    await click(user, 'Damaged');
    const form = screen.getByRole('form', { name: 'Damaged WID-1 Widget' });
    const qty = within(form).getByRole('textbox', { name: 'Damaged units' });
    await user.clear(qty);
    await user.type(qty, '2');
    await user.click(within(form).getByRole('radio', { name: 'Crushed' }));
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], 'box.jpg', { type: 'image/jpeg' });
    const input = within(form).getByLabelText('Photo (optional)');
    expect(input.getAttribute('capture')).toBe('environment');
    await user.upload(input, photo);
    await user.click(within(form).getByRole('button', { name: 'Record damage' }));
    await settle();
    await expectMessage('Recorded 2 × WID-1 damaged (Crushed): sent to the damaged area');
    expect(screen.getByText('Photo kept: it uploads when the device is online')).toBeTruthy();
    expect(cells('WID-1 Widget')).toEqual(['10', '1', '2']);
    expect((await db.stock.get('loc-dmg|p-wid||'))?.qty).toBe(2);

    const entry = (await db.outbox.toArray()).at(-1)!;
    expect(entry.args).toMatchObject({ qty: 0, damagedQty: 2, damageReason: 'Crushed' });
    expect(await db.photos.get(entry.id)).toMatchObject({ receiptId: 'r-1', type: 'image/jpeg', size: 7, uploaded: 0 });
    expect(await screen.findByText('1 photo waiting to upload')).toBeTruthy();
  });

  it('draws a new LPN from the device range, shows it big, and receives onto it', async () => {
    lpnServer.online = true;
    const user = await openReceipt();
    await waitFor(async () => expect(await db.lpnRanges.count()).toBe(1));
    await click(user, 'New LPN');
    await expectMessage('New LPN LPN0000000017: write it on the pallet or label it, then scan items onto it');
    expect(screen.getByLabelText('Current LPN').textContent).toBe('LPN0000000017');
    await scan(user, 'WID-1');
    await expectMessage('Received 1 × WID-1: 1 of 10 on LPN LPN0000000017');
    expect((await db.stock.get('loc-dock|p-wid||LPN0000000017'))?.qty).toBe(1);
    expect(await db.lpns.get('LPN0000000017')).toMatchObject({ ownerId: 'acme', locationId: 'loc-dock', status: 'open' });
    expect(await db.lpnRanges.toArray()).toEqual([{ start: 1, end: 100, prefix: 'LPN', next: 2 }]);
    expect(lpnServer.calls).toBe(1);

    await click(user, 'Receive loose');
    await scan(user, 'LPN0000000018');
    await expectAlert('LPN0000000018 is not a valid LPN (check digit): scan the label again or type it carefully');
    await scan(user, 'LPN0000000017');
    await expectMessage('Receiving onto LPN LPN0000000017: scan items');
  });

  it('says when no LPN number is left offline, and takes a pre-printed label', async () => {
    const user = await openReceipt();
    await click(user, 'New LPN');
    await expectAlert('No LPN numbers left on this device: connect to the network to get more, or scan a pre-printed LPN label');
    await scan(user, '(00)106141411234567897');
    await expectMessage('Receiving onto LPN 106141411234567897: scan items');
  });

  it('closes the receipt with a short-receipt summary', async () => {
    const user = await openReceipt();
    await scan(user, 'WID-1');
    await click(user, 'Enter quantity');
    await user.type(screen.getByRole('textbox', { name: 'Quantity' }), '7{Enter}');
    await settle();
    await click(user, 'Close receipt');
    const summary = screen.getByRole('region', { name: 'Summary before closing' });
    expect(within(summary).getByRole('list', { name: 'Summary per line' }).textContent).toBe(
      'SER-1 Serum: expected 4, received 0, damaged 0 (4 short)WID-1 Widget: expected 10, received 8, damaged 0 (2 short)',
    );
    expect(within(within(summary).getByText('Short').parentElement!).getByText('6')).toBeTruthy();
    await click(user, 'Close receipt');
    expect(await screen.findByRole('heading', { name: 'Receipt ASN-1001 closed' })).toBeTruthy();
    await expectMessage('Receipt ASN-1001 closed: 6 units short on 2 lines');
    expect(screen.queryByRole('textbox', { name: 'Scan' })).toBeNull();
    expect((await db.receipts.get('r-1'))?.status).toBe('closed');
    expect((await db.outbox.toArray()).map((entry) => entry.type)).toEqual(['receive', 'receive', 'close-receipt']);
  });

  it('says when the device has no such receipt', async () => {
    renderAt('/receive/nope');
    expect(await screen.findByRole('heading', { name: 'Receipt not found' })).toBeTruthy();
  });
});
