// @vitest-environment jsdom
// "Needs attention": a rejection shows what was attempted and why, and Retry / Discard resolve it.
import 'fake-indexeddb/auto';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureWarehouse } from '../../../test/server/fixture';
import { db } from '../../storage/db';
import type { Problem } from '../../storage/db';
import { saveSession } from '../../storage/session-repo';
import { getOrCreateDeviceId } from '../../storage/session-repo';
import AttentionScreen from './attention-screen';

const problem = (mutationId: string, seq: number, args: Record<string, unknown>): Problem => ({
  mutationId,
  seq,
  type: 'pick',
  args,
  rejection: { code: 'INSUFFICIENT_STOCK', message: 'Bin holds only 0. Pick 0 and short-pick the rest.', details: {} },
  clientTime: '2026-11-25T14:02:00.000Z',
  at: 0,
  status: 'open',
});

beforeEach(async () => {
  const { rows } = fixtureWarehouse();
  await db.transaction('rw', [db.products, db.locations, db.stock, db.pickLists, db.pickLines, db.orderLines], async () => {
    await db.products.bulkPut(rows.products!);
    await db.locations.bulkPut(rows.locations!);
    await db.stock.bulkPut(rows.stock!);
    await db.pickLists.bulkPut(rows.pickLists!);
    await db.pickLines.bulkPut(rows.pickLines!);
    await db.orderLines.bulkPut(rows.orderLines!);
  });
  await getOrCreateDeviceId(db);
  await saveSession(db, { token: 't', user: { id: 'u1', username: 'op', displayName: 'Op', role: 'operator', ownerIds: null }, signedInAt: 0 });
});

afterEach(async () => {
  cleanup();
  db.close();
  await db.delete();
  await db.open();
});

function show() {
  render(
    <MemoryRouter>
      <AttentionScreen />
    </MemoryRouter>,
  );
}

describe('AttentionScreen', () => {
  it('shows what was attempted with codes from the view and the server’s reason; Discard resolves it', async () => {
    await db.problems.add(problem('00000000-0000-4000-8000-000000000001', 1, { pickLineId: 'pln-3', locationId: 'loc-a02', productId: 'prd-a2', lot: null, qty: 1 }));
    show();
    const item = await screen.findByRole('listitem');
    expect(within(item).getByRole('heading').textContent).toBe('Pick 1 × ACME-GRN Grinder bin A-02-1 (PL-000002)');
    expect(item.textContent).toContain('Bin holds only 0');
    expect(item.textContent).toContain('INSUFFICIENT_STOCK');
    await userEvent.click(within(item).getByRole('button', { name: 'Discard' }));
    expect(await screen.findByText('Nothing needs attention.')).toBeTruthy();
    expect(await db.problems.get('00000000-0000-4000-8000-000000000001')).toMatchObject({ status: 'resolved' });
  });

  it('Retry re-submits the pick as a new mutation when the view allows it', async () => {
    await db.problems.add(problem('00000000-0000-4000-8000-000000000002', 4, { pickLineId: 'pln-1', locationId: 'loc-a01', productId: 'prd-a1', lot: null, qty: 2 }));
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Nothing needs attention.')).toBeTruthy();
    const outbox = await db.outbox.toArray();
    expect(outbox).toEqual([expect.objectContaining({ seq: 1, type: 'pick', status: 'pending', args: expect.objectContaining({ pickLineId: 'pln-1', qty: 2 }) })]);
    expect(outbox[0]!.id).not.toBe('00000000-0000-4000-8000-000000000002');
  });

  it('Retry keeps the problem and says why when the view still refuses', async () => {
    await db.stock.clear();
    await db.problems.add(problem('00000000-0000-4000-8000-000000000003', 1, { pickLineId: 'pln-3', locationId: 'loc-a02', productId: 'prd-a2', lot: null, qty: 1 }));
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Retry' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Bin holds only 0');
    expect(await db.outbox.count()).toBe(0);
  });

  it.each([
    ['MALFORMED_MUTATION', 'This scan cannot be processed: args /lot contains a NUL character. Discard it and scan again.', false],
    ['DUPLICATE_MUTATION_ID', 'This scan carries the id of another scan already received, so nothing of it was applied. Discard it and scan again.', true],
    ['INTERNAL_ERROR', 'The server failed on this scan and has logged it. Discard it and do it again, or tell a supervisor.', true],
  ] as const)('lists a pick refused as %s with its reason and Discard; Retry only when resending can help', async (code, message, retry) => {
    const id = '00000000-0000-4000-8000-000000000004';
    await db.problems.add({ ...problem(id, 1, { pickLineId: 'pln-1', locationId: 'loc-a01', productId: 'prd-a1', lot: null, qty: 1 }), rejection: { code, message, details: {} } });
    show();
    const item = await screen.findByRole('listitem');
    expect(item.textContent).toContain(message);
    expect(item.textContent).toContain(code);
    expect(within(item).queryByRole('button', { name: 'Retry' }) !== null).toBe(retry);
    await userEvent.click(within(item).getByRole('button', { name: 'Discard' }));
    expect(await screen.findByText('Nothing needs attention.')).toBeTruthy();
    expect(await db.problems.get(id)).toMatchObject({ status: 'resolved' });
  });

  it('shows 23 picks refused alike as one group with one action, saying what to do with the units', async () => {
    const refused = { code: 'OVERPICK' as const, message: 'Line already picked in full by another device.', details: {} };
    for (let i = 1; i <= 23; i++) {
      const id = `00000000-0000-4000-8000-${String(100 + i).padStart(12, '0')}`;
      await db.problems.add({ ...problem(id, i, { pickLineId: 'pln-1', locationId: 'loc-a01', productId: 'prd-a1', lot: null, qty: 1 }), rejection: refused });
    }
    // Another kind of refusal stays its own card.
    await db.problems.add(problem('00000000-0000-4000-8000-000000000999', 24, { pickLineId: 'pln-3', locationId: 'loc-a02', productId: 'prd-a2', lot: null, qty: 1 }));
    show();
    const items = await screen.findAllByRole('listitem');
    expect(items).toHaveLength(2);
    const group = items[0]!;
    expect(within(group).getByRole('heading').textContent).toBe('23 scans refused alike: Pick 23 × ACME-ESP Espresso beans 1 kg bin A-01-1 (PL-000001)');
    expect(group.textContent).toContain('23 units of ACME-ESP picked twice: put them back in A-01-1.');
    await userEvent.click(within(group).getByRole('button', { name: 'Done: put back, clear all 23' }));
    // 23 discards, one after another: on a loaded machine that takes more than waitFor's second.
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(1), { timeout: 10_000 });
    expect(within(screen.getByRole('listitem')).getByRole('heading').textContent).toMatch(/^Pick 1 × ACME-GRN/);
    expect(await db.problems.where('status').equals('open').count()).toBe(1);
  });
});
