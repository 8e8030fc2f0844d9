// @vitest-environment jsdom
// The returns screens on a fresh device database with the real commands (scans resolved from
// IndexedDB, mutations through the outbox): finding a return by RMA and by order number,
// receiving units, the over-return refusal, restocking to the suggested bin, damaged, quarantine.
import 'fake-indexeddb/auto';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { location, product, returnLine, stock } from '../../../test/factories/warehouse';
import { stockId } from '../../domain/entities';
import { expectAlert, scan } from '../../../test/support/floor-screen';
import { DockhandDb } from '../../storage/db';
import ReturnScreen from './return-screen';
import { ReturnsProvider } from './returns-context';
import ReturnsListScreen from './returns-list-screen';

let db: DockhandDb;
let dbCount = 0;

const WEDGE = { duplicateWindowMs: 0 };

/**
 * RMA-1 (acme, order #1001) authorises 2 widgets and 1 gizmo, back to RET-01. The widget's pick
 * face is A-01-01 (has 5 of 20). RMA-G is globex's; RMA-OLD is closed.
 */
async function seed() {
  const ret = { ownerId: 'acme', orderId: null, status: 'open', returnsLocationId: 'loc-ret' } as const;
  await Promise.all([
    db.products.bulkPut([
      product({ id: 'p-wid', ownerId: 'acme', sku: 'WID-1', name: 'Widget', barcodes: ['00036000291452', 'WID-1'], pickFaceLocationId: 'loc-pf' }),
      product({ id: 'p-giz', ownerId: 'acme', sku: 'GIZ-1', name: 'Gizmo' }),
      product({ id: 'p-gad', ownerId: 'acme', sku: 'GAD-1', name: 'Gadget' }),
    ]),
    db.locations.bulkPut([
      location({ id: 'loc-pf', code: 'A-01-01', type: 'pick_face', walkSeq: 10, capacity: 20 }),
      location({ id: 'loc-a2', code: 'A-01-02', walkSeq: 20 }),
      location({ id: 'loc-ret', code: 'RET-01', type: 'returns', walkSeq: 910 }),
      location({ id: 'loc-dmg', code: 'DMG-01', type: 'damaged', walkSeq: 920 }),
      location({ id: 'loc-qua', code: 'QUA-01', type: 'quarantine', walkSeq: 930 }),
    ]),
    db.stock.bulkPut([stock('loc-pf', 'p-wid', 5)]),
    db.orders.bulkPut([
      { id: 'o-1', ownerId: 'acme', number: '#1001', source: 'demo', status: 'shipped', customerName: 'C', createdAt: '2026-01-10T09:00:00Z' },
    ]),
    db.returns.bulkPut([
      { ...ret, id: 'ret-1', rma: 'RMA-1', orderId: 'o-1' },
      { ...ret, id: 'ret-g', rma: 'RMA-G', ownerId: 'globex' },
      { ...ret, id: 'ret-old', rma: 'RMA-OLD', status: 'closed' },
    ]),
    db.returnLines.bulkPut([
      returnLine({ id: 'rl-wid', returnId: 'ret-1', productId: 'p-wid', authorisedQty: 2 }),
      returnLine({ id: 'rl-giz', returnId: 'ret-1', productId: 'p-giz', authorisedQty: 1 }),
    ]),
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
  db = new DockhandDb(`returns-screen-${++dbCount}`);
  await seed();
});

afterEach(async () => {
  cleanup();
  db.close();
  await DockhandDb.delete(db.name);
});

function renderAt(path: string) {
  render(
    <ReturnsProvider db={db} wedgeOptions={WEDGE}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/returns" element={<ReturnsListScreen title="Returns" />} />
          <Route path="/returns/:returnId" element={<ReturnScreen />} />
        </Routes>
      </MemoryRouter>
    </ReturnsProvider>,
  );
  return userEvent.setup();
}

const expectStatus = (text: string) => waitFor(() => expect(screen.getByText(text)).toBeTruthy());
const qty = async (locationId: string, productId: string) => (await db.stock.get(stockId(locationId, productId, null, null)))?.qty ?? 0;
/** A line's counts as the table shows them: authorised, received, restocked, damaged, quarantined. */
function row(name: RegExp) {
  const table = screen.getByRole('table', { name: 'Return lines' });
  const cells = within(table).getByRole('rowheader', { name }).closest('tr')!.querySelectorAll('td');
  return [...cells].map((cell) => Number(cell.textContent));
}

async function openReturn() {
  const user = renderAt('/returns/ret-1');
  await screen.findByRole('heading', { name: 'Return RMA-1' });
  return user;
}

describe('returns list', () => {
  it("lists the user's open returns and opens one by its RMA", async () => {
    const user = renderAt('/returns');
    const list = await screen.findByRole('list', { name: 'Open returns' });
    expect(within(list).getAllByRole('link').map((l) => l.textContent)).toEqual(['RMA-1']);
    expect(screen.getByText('Order #1001 · 0 of 3 units received')).toBeTruthy();
    await scan(user, 'rma-1');
    expect(await screen.findByRole('heading', { name: 'Return RMA-1' })).toBeTruthy();
  });

  it('opens a return by its original order number', async () => {
    const user = renderAt('/returns');
    await screen.findByRole('list', { name: 'Open returns' });
    await scan(user, '1001');
    expect(await screen.findByRole('heading', { name: 'Return RMA-1' })).toBeTruthy();
    expect(screen.getByText('Order #1001')).toBeTruthy();
  });

  it("refuses a closed return, another owner's and an unknown one", async () => {
    const user = renderAt('/returns');
    await screen.findByRole('list', { name: 'Open returns' });
    await scan(user, 'RMA-OLD');
    await expectAlert('Return RMA-OLD is closed: scan another return');
    await scan(user, 'RMA-G');
    await expectAlert('No return or order RMA-G on this device: scan the RMA label again, or sync');
  });
});

describe('return screen', () => {
  it('receives a scanned unit and restocks it to the suggested bin', async () => {
    const user = await openReturn();
    expect(row(/WID-1/)).toEqual([2, 0, 0, 0, 0]);
    await scan(user, 'WID-1');
    await expectStatus('Received 1 × WID-1 (1 of 2): choose Restock, Damaged or Quarantine');
    expect(row(/WID-1/)).toEqual([2, 1, 0, 0, 0]);
    expect(await qty('loc-ret', 'p-wid')).toBe(1);

    await user.click(screen.getByRole('button', { name: 'Restock' }));
    const unit = within(screen.getByRole('region', { name: 'Unit in hand' }));
    expect(unit.getByText('A-01-01')).toBeTruthy();
    expect(unit.getByText('Pick face of WID-1')).toBeTruthy();
    await scan(user, 'A-01-02');
    await expectAlert('Wrong bin: go to A-01-01');
    await scan(user, 'A-01-01');
    await expectStatus('Restocked 1 × WID-1 into A-01-01. Scan the next item');
    expect(row(/WID-1/)).toEqual([2, 1, 1, 0, 0]);
    expect(await qty('loc-pf', 'p-wid')).toBe(6);
    expect(await qty('loc-ret', 'p-wid')).toBe(0);
    expect((await db.outbox.toArray()).map((entry) => [entry.type, entry.args.toLocationId ?? null])).toEqual([
      ['return-receive', null],
      ['restock', 'loc-pf'],
    ]);
  });

  it('restocks to another bin after Other bin and a reason', async () => {
    const user = await openReturn();
    await scan(user, 'WID-1');
    await user.click(await screen.findByRole('button', { name: 'Restock' }));
    await user.click(screen.getByRole('button', { name: 'Other bin' }));
    await user.click(screen.getByRole('button', { name: 'Suggested bin is full' }));
    await scan(user, 'A-01-02');
    await expectStatus('Restocked 1 × WID-1 into A-01-02. Scan the next item');
    expect(await qty('loc-a2', 'p-wid')).toBe(1);
  });

  it('refuses an item not on the return', async () => {
    const user = await openReturn();
    await scan(user, 'GAD-1');
    await expectAlert('GAD-1 Gadget is not on return RMA-1: set it aside and tell a supervisor');
    expect(await db.outbox.count()).toBe(0);
  });

  it('refuses receiving more than authorised, with the numbers', async () => {
    const user = await openReturn();
    await scan(user, 'GIZ-1');
    await user.click(await screen.findByRole('button', { name: 'Damaged' }));
    await user.click(await screen.findByRole('button', { name: 'Crushed' }));
    await expectStatus('1 × GIZ-1 to damaged (DMG-01). Scan the next item');
    await scan(user, 'GIZ-1');
    await expectAlert('RMA RMA-1 authorises 1 of GIZ-1, 1 already received: accept at most 0 and set the rest aside.');
    expect(row(/GIZ-1/)).toEqual([1, 1, 0, 1, 0]);
  });

  it('sends damaged and quarantined units to their locations, and finishes the return', async () => {
    const user = await openReturn();
    await scan(user, 'WID-1');
    await user.click(await screen.findByRole('button', { name: 'Damaged' }));
    await user.click(await screen.findByRole('button', { name: 'Crushed' }));
    await expectStatus('1 × WID-1 to damaged (DMG-01). Scan the next item');
    await scan(user, 'WID-1');
    await user.click(await screen.findByRole('button', { name: 'Quarantine' }));
    await expectStatus('1 × WID-1 to quarantine (QUA-01). Scan the next item');
    expect(row(/WID-1/)).toEqual([2, 2, 0, 1, 1]);
    expect(await qty('loc-dmg', 'p-wid')).toBe(1);
    expect(await qty('loc-qua', 'p-wid')).toBe(1);

    await scan(user, 'GIZ-1');
    await user.click(await screen.findByRole('button', { name: 'Quarantine' }));
    await expectStatus('1 × GIZ-1 to quarantine (QUA-01). Return RMA-1 is done');
    expect(screen.getByRole('heading', { name: 'Return done' })).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Scan' })).toBeNull();
    expect((await db.returns.get('ret-1'))?.status).toBe('closed');
  });

  it('lets a received unit wait and be decided from its line', async () => {
    const user = await openReturn();
    await scan(user, 'WID-1');
    await user.click(await screen.findByRole('button', { name: 'Later' }));
    await expectStatus('WID-1 waits at RET-01 for a disposition');
    await user.click(screen.getByRole('button', { name: 'Choose disposition for WID-1 (1 waiting)' }));
    await user.click(await screen.findByRole('button', { name: 'Quarantine' }));
    await expectStatus('1 × WID-1 to quarantine (QUA-01). Scan the next item');
  });
});
