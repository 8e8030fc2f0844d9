// @vitest-environment jsdom
// The pack station's printing controls on a fresh device database with the real print commands
// and print queue, over a scripted server: a printer chosen from the server's list (and from the
// kept list offline), a label queued and then printed or refused, the packing slip opened in a
// new tab online and refused with the reason offline.
import 'fake-indexeddb/auto';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DockhandDb } from '../../storage/db';
import { getMeta } from '../../storage/meta';
import { PrintQueue } from '../../printing/print-queue';
import { createSyncStatusStore, initialSyncStatus, useSyncStatus } from '../../sync/status-store';
import { createPrintCommands } from './print-commands';
import { PrintProvider } from './print-context';
import { PrintControls } from './print-controls';

const JSON_TYPE = 'application/json; charset=utf-8';
const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]);

let db: DockhandDb;
let dbCount = 0;
let requests: { method: string; url: string; authorization: string | undefined; body: unknown }[] = [];

/** The server as the controls meet it: two printers, labels printed on PACK-1 only, a slip for o-1. */
const server: typeof fetch = async (input, init) => {
  const url = String(input);
  const method = init?.method ?? 'GET';
  const headers = (init?.headers ?? {}) as Record<string, string>;
  const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
  requests.push({ method, url, authorization: headers.authorization, body });
  const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status, headers: { 'content-type': JSON_TYPE } });
  if (url === '/api/printers') return json(200, { printers: [{ code: 'PACK-1', name: 'Pack station 1' }, { code: 'PACK-2', name: 'Pack station 2' }] });
  if (url === '/api/print-jobs' && body?.printer === 'PACK-1') return json(200, { ...body, status: 'printed', printedAt: '2026-12-06T10:00:00.000Z' });
  if (url === '/api/print-jobs') return json(404, { error: 'PRINTER_NOT_FOUND', message: `No printer ${String(body?.printer)} is registered.` });
  if (url === '/api/orders/o-1/packing-slip.pdf') return new Response(PDF, { status: 200, headers: { 'content-type': 'application/pdf' } });
  return json(404, { error: 'NOT_FOUND', message: 'Order not found.' });
};

function renderControls(cartons: readonly string[] = ['1', '2']) {
  const commands = createPrintCommands(db, { fetch: server });
  render(
    <PrintProvider db={db} commands={commands}>
      <PrintControls orderId="o-1" orderNumber="#1001" cartons={cartons} />
    </PrintProvider>,
  );
}

/** The print queue the app binds to the session, run once as after a sync. */
async function drainQueue() {
  const queue = new PrintQueue({ db, token: 't', fetch: server, status: createSyncStatusStore(), online: { isOnline: () => true, subscribe: () => () => undefined } });
  await act(async () => {
    await queue.drain();
  });
  queue.stop();
}

beforeEach(async () => {
  db = new DockhandDb(`print-controls-${++dbCount}`);
  requests = [];
  await db.meta.put({ key: 'session', value: { token: 't', signedInAt: 0, user: { id: 'u1', username: 'pat', displayName: 'Pat', role: 'operator', ownerIds: null } } });
});

afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  useSyncStatus.setState(initialSyncStatus, true);
  db.close();
  await DockhandDb.delete(db.name);
});

describe('print controls', () => {
  it('chooses a printer from the server’s list, queues a carton’s label and shows it printed', async () => {
    const user = userEvent.setup();
    renderControls();
    const select = await screen.findByRole('combobox', { name: 'Label printer' });
    await waitFor(() => expect(screen.getByRole('option', { name: 'PACK-2: Pack station 2' })).toBeTruthy());
    const print = screen.getByRole('button', { name: 'Print label (carton 2)' }) as HTMLButtonElement;
    expect(print.disabled).toBe(true);

    await user.selectOptions(select, 'PACK-1');
    await waitFor(() => expect(print.disabled).toBe(false));
    expect(await getMeta(db, 'printer')).toBe('PACK-1');
    await user.click(print);
    await waitFor(() => expect(print.getAttribute('aria-describedby') && document.getElementById(print.getAttribute('aria-describedby')!)?.textContent).toBe('Queued for PACK-1'));
    const [job] = await db.printJobs.toArray();
    expect(job).toMatchObject({ printer: 'PACK-1', orderId: 'o-1', carton: '2', copies: 1, status: 'queued' });

    await drainQueue();
    await screen.findByText('Printed on PACK-1');
    expect(requests.find((r) => r.url === '/api/print-jobs')).toMatchObject({ method: 'POST', authorization: 'Bearer t', body: { id: job!.id, printer: 'PACK-1', carton: '2' } });
  });

  it('offline: chooses from the kept list, queues the label to print when online, and says why the slip waits', async () => {
    useSyncStatus.setState({ online: false });
    await db.meta.bulkPut([
      { key: 'printers', value: [{ code: 'PACK-9', name: 'Old station' }] },
      { key: 'printer', value: 'PACK-9' },
    ]);
    const user = userEvent.setup();
    renderControls(['A']);
    const print = await screen.findByRole('button', { name: 'Print label (carton A)' });
    await waitFor(() => expect((print as HTMLButtonElement).disabled).toBe(false));
    await user.click(print);
    await screen.findByText('Queued: prints when online');
    await user.click(screen.getByRole('button', { name: 'Cancel label (carton A)' }));
    await waitFor(() => expect(screen.queryByText('Queued: prints when online')).toBeNull());
    expect(await db.printJobs.count()).toBe(0);

    await user.click(print);
    const slip = screen.getByRole('button', { name: 'Packing slip (PDF)' }) as HTMLButtonElement;
    expect(slip.disabled).toBe(true);
    expect(screen.getByText('Offline: the packing slip opens once the device is back online.').id).toBe(slip.getAttribute('aria-describedby'));
    expect(requests).toEqual([]);

    // Back online: the list is asked for again, and a printer the server no longer has refuses the label.
    act(() => useSyncStatus.setState({ online: true }));
    await waitFor(() => expect(requests.some((r) => r.url === '/api/printers')).toBe(true));
    await drainQueue();
    await screen.findByText('Not printed: No printer PACK-9 is registered.');
  });

  it('opens the packing slip in a new tab from the server’s PDF, and names what went wrong', async () => {
    const tab = { location: { href: '' }, close: vi.fn() };
    const open = vi.spyOn(window, 'open').mockReturnValue(tab as unknown as Window);
    // jsdom has no object URLs: these stand in, and go again after the test.
    const objectUrls: Blob[] = [];
    vi.stubGlobal('URL', Object.assign(class extends URL {}, {
      createObjectURL: (blob: Blob) => objectUrls.push(blob) && 'blob:slip-1',
      revokeObjectURL: () => undefined,
    }));
    const user = userEvent.setup();
    renderControls();
    await user.click(screen.getByRole('button', { name: 'Packing slip (PDF)' }));
    await waitFor(() => expect(tab.location.href).toBe('blob:slip-1'));
    expect(open).toHaveBeenCalledWith('', '_blank');
    expect(new Uint8Array(await objectUrls[0]!.arrayBuffer())).toEqual(PDF);
    expect(requests.find((r) => r.url.endsWith('packing-slip.pdf'))).toMatchObject({ method: 'GET', url: '/api/orders/o-1/packing-slip.pdf', authorization: 'Bearer t' });

    cleanup();
    const other = createPrintCommands(db, { fetch: server });
    render(
      <PrintProvider db={db} commands={other}>
        <PrintControls orderId="o-404" orderNumber="#404" cartons={[]} />
      </PrintProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Packing slip (PDF)' }));
    await screen.findByText('Order not found.');
    expect(tab.close).toHaveBeenCalled();
  });
});
