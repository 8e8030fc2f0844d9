// @vitest-environment jsdom
// The admin console's screens against fake commands: each section lists what the server answered
// and sends what the admin typed; a refused CSV file's rows show in a table; an API key is shown
// once; a device is revoked only after a confirmation; offline, nothing is asked of the server.
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderInRouter } from '../../../test/support/render-in-router';
import type { AdminDevice, AdminUser, Integration } from '../../domain/admin';
import type { CartonType, Owner } from '../../domain/entities';
import { resetSyncStatus, useSyncStatus } from '../../sync/status-store';
import { AdminProvider } from './admin-context';
import AdminScreen from './admin-screen';
import { ADMIN_OFFLINE, type AdminCommands } from './commands';

afterEach(() => {
  cleanup();
  resetSyncStatus();
});

const ACME: Owner = { id: 'own-a', code: 'ACME', name: 'Acme Coffee', overReceiptTolerancePct: 10, allowUnexpectedItems: false, packQuantityTyped: false };
const BETA: Owner = { id: 'own-b', code: 'BETA', name: 'Beta Outdoor', overReceiptTolerancePct: 0, allowUnexpectedItems: true, packQuantityTyped: true };
const BOX: CartonType = { id: 'box-a', ownerId: 'own-a', code: 'BOX-A', name: 'Acme mailer', lengthMm: 300, widthMm: 200, heightMm: 150, maxWeightGrams: 10_000 };

const ok = <T,>(value: T) => Promise.resolve({ ok: true as const, value });

function fakeCommands(patch: Partial<AdminCommands> = {}): AdminCommands {
  return {
    listOwners: vi.fn(() => ok([ACME, BETA])),
    addOwner: vi.fn((owner) => ok({ id: 'own-new', ...owner, code: owner.code.toUpperCase() })),
    editOwner: vi.fn((id, settings) => ok({ ...ACME, id, ...settings })),
    listIntegrations: vi.fn(() => ok([] as Integration[])),
    addIntegration: vi.fn(),
    rotateIntegration: vi.fn(),
    revokeIntegration: vi.fn(),
    setFulfillmentCallback: vi.fn(),
    listUsers: vi.fn(() => ok([] as AdminUser[])),
    addUser: vi.fn(),
    resetPin: vi.fn(),
    setActive: vi.fn(),
    setOwners: vi.fn(),
    listDevices: vi.fn(() => ok([] as AdminDevice[])),
    thisDeviceId: vi.fn(() => Promise.resolve('dev-this')),
    revokeDevice: vi.fn(),
    listCartonTypes: vi.fn((ownerId: string) => ok(ownerId === 'own-a' ? [BOX] : [])),
    saveCartonType: vi.fn((id, request) => ok({ id: id ?? 'ctn-new', ...request, code: request.code.toUpperCase() })),
    removeCartonType: vi.fn(() => ok(null)),
    importCsv: vi.fn(),
    exportCsv: vi.fn(),
    ...patch,
  } as AdminCommands;
}

function renderAdmin(commands: AdminCommands, section = 'owners') {
  renderInRouter(
    `/admin?section=${section}`,
    <AdminProvider commands={commands}>
      <AdminScreen title="Admin" />
    </AdminProvider>,
  );
}

describe('AdminScreen', () => {
  it('lists owners and adds one with its rules', async () => {
    const commands = fakeCommands();
    renderAdmin(commands);
    const user = userEvent.setup();
    expect(screen.getByRole('link', { name: 'Owners' }).getAttribute('aria-current')).toBe('page');
    const table = await screen.findByRole('table', { name: 'Owners' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByText('Acme Coffee')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Add owner' }));
    const form = screen.getByRole('form', { name: 'Add owner' });
    await user.type(within(form).getByLabelText('Code'), 'gamma');
    await user.type(within(form).getByLabelText('Name'), 'Gamma Games');
    await user.clear(within(form).getByLabelText('Over-receipt tolerance (%)'));
    await user.type(within(form).getByLabelText('Over-receipt tolerance (%)'), '5');
    await user.click(within(form).getByLabelText('Packers may type a quantity'));
    await user.click(within(form).getByRole('button', { name: 'Save owner' }));
    expect(commands.addOwner).toHaveBeenCalledWith({ code: 'gamma', name: 'Gamma Games', overReceiptTolerancePct: 5, allowUnexpectedItems: false, packQuantityTyped: true });
    expect(await screen.findByText('GAMMA saved. Devices have it at their next sync.')).toBeTruthy();
  });

  it('adds a carton type for the chosen owner, and says why one cannot be removed', async () => {
    const commands = fakeCommands({
      removeCartonType: vi.fn(() => Promise.resolve({ ok: false as const, message: 'Cartons were packed in this box: it cannot be removed.' })),
    });
    renderAdmin(commands, 'carton-types');
    const user = userEvent.setup();
    expect(await screen.findByRole('table', { name: 'Carton types of ACME' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Remove BOX-A' }));
    expect((await screen.findByRole('alert')).textContent).toBe('BOX-A: Cartons were packed in this box: it cannot be removed.');

    await user.selectOptions(screen.getByLabelText('Owner'), 'own-b');
    expect(await screen.findByText(/BETA has no carton types yet/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add carton type' }));
    const form = screen.getByRole('form', { name: 'Add carton type' });
    await user.type(within(form).getByLabelText('Code'), 'tent-l');
    await user.type(within(form).getByLabelText('Name'), 'Large tent box');
    await user.type(within(form).getByLabelText('Length (mm)'), '800');
    await user.type(within(form).getByLabelText('Width (mm)'), '400');
    await user.type(within(form).getByLabelText('Height (mm)'), '300');
    await user.click(within(form).getByRole('button', { name: 'Save carton type' }));
    expect(commands.saveCartonType).toHaveBeenCalledWith(null, { ownerId: 'own-b', code: 'tent-l', name: 'Large tent box', lengthMm: 800, widthMm: 400, heightMm: 300, maxWeightGrams: null });
    expect(await screen.findByText('TENT-L saved. Pack stations have it at their next sync.')).toBeTruthy();
  });

  it('uploads a CSV file and shows each refused row by line and column', async () => {
    const commands = fakeCommands({
      importCsv: vi.fn(() => Promise.resolve({
        ok: false as const,
        message: 'The file has 2 rows with errors: nothing was imported.',
        problems: [
          { line: 3, column: 'barcodes', message: 'barcodes: 00012345678906 has a wrong check digit.' },
          { line: 5, column: null, message: 'The row has 3 cells; the header has 5.' },
        ],
        problemCount: 2,
      })),
    });
    renderAdmin(commands, 'csv');
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByLabelText('Owner'), 'own-b');
    const file = new File(['sku,name\nA,B\n'], 'products.csv', { type: 'text/csv' });
    await user.upload(screen.getByLabelText('CSV file'), file);
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    expect(commands.importCsv).toHaveBeenCalledWith('products', 'BETA', file);
    const table = await screen.findByRole('table', { name: /Rows refused: 2/ });
    const [, first, second] = within(table).getAllByRole('row');
    expect(within(first!).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['3', 'barcodes', 'barcodes: 00012345678906 has a wrong check digit.']);
    expect(within(second!).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['5', '—', 'The row has 3 cells; the header has 5.']);
    expect(screen.getByRole('alert').textContent).toBe('The file has 2 rows with errors: nothing was imported.');
  });

  it('shows a new API key once, until the admin has copied it', async () => {
    const integration: Integration = { id: 'int-1', ownerId: 'own-a', name: 'ERP', type: 'api', shopDomain: null, createdAt: '2026-12-06T10:00:00.000Z', revokedAt: null, credentials: [{ id: 'k1', createdAt: '2026-12-06T10:00:00.000Z', expiresAt: null }] };
    const listIntegrations = vi.fn().mockReturnValueOnce(ok([])).mockReturnValue(ok([integration]));
    const commands = fakeCommands({ listIntegrations, addIntegration: vi.fn(() => ok({ integration, apiKey: 'dhk_secret_once' })) });
    renderAdmin(commands, 'integrations');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Add integration' }));
    const form = screen.getByRole('form', { name: 'Add integration' });
    await user.type(within(form).getByLabelText('Name'), 'ERP');
    await user.click(within(form).getByRole('button', { name: 'Create integration' }));
    expect(commands.addIntegration).toHaveBeenCalledWith({ owner: 'own-a', name: 'ERP', type: 'api' });
    const shown = await screen.findByRole('group', { name: 'API key for ERP' });
    expect(within(shown).getByText('dhk_secret_once')).toBeTruthy();
    expect(await screen.findByRole('table', { name: 'Integrations' })).toBeTruthy();
    await user.click(within(shown).getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByText('dhk_secret_once')).toBeNull();
  });

  it('revokes a device only once confirmed, and says its unsent scans must be redone', async () => {
    const device: AdminDevice = {
      id: 'HH-07', userId: 'usr-o', userName: 'Olivia', nextSeq: 9, lastSeenAt: new Date(Date.now() - 50 * 60_000).toISOString(), pendingCount: 3,
      oldestPendingAt: new Date(Date.now() - 47 * 60_000).toISOString(), reportedAt: null, pushFailingSince: null, pushFailures: 0, lastPushError: null, stuck: true,
      revokedAt: null, revokedBy: null,
    };
    const commands = fakeCommands({
      listDevices: vi.fn().mockReturnValueOnce(ok([device])).mockReturnValue(ok([{ ...device, revokedAt: new Date().toISOString(), revokedBy: 'Ada Admin' }])),
      revokeDevice: vi.fn(() => ok({ ...device, revokedAt: new Date().toISOString(), revokedBy: 'Ada Admin' })),
    });
    renderAdmin(commands, 'devices');
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Devices' });
    expect(within(table).getByText('3 unsent, oldest 47 min old')).toBeTruthy();
    await user.click(within(table).getByRole('button', { name: 'Revoke HH-07' }));
    expect(commands.revokeDevice).not.toHaveBeenCalled();
    const confirm = screen.getByRole('group', { name: 'Revoke HH-07' });
    expect(confirm.textContent).toContain('Its 3 unsent scans will never reach the server.');
    await user.click(within(confirm).getByRole('button', { name: 'Revoke device' }));
    expect(commands.revokeDevice).toHaveBeenCalledWith('HH-07');
    expect(await screen.findByText(/HH-07 is revoked: signed out, and it cannot sign in again. It held 3 unsent scans/)).toBeTruthy();
    expect(await screen.findByText(/Revoked .* by Ada Admin/)).toBeTruthy();
  });

  it('resets a PIN and deactivates a user', async () => {
    const nia: AdminUser = { id: 'usr-n', username: 'nia', displayName: 'Nia North', role: 'operator', ownerIds: ['own-a'], active: true, createdAt: '2026-12-01T00:00:00.000Z' };
    const commands = fakeCommands({
      listUsers: vi.fn(() => ok([nia])),
      resetPin: vi.fn(() => ok(nia)),
      setActive: vi.fn(() => ok({ ...nia, active: false })),
    });
    renderAdmin(commands, 'users');
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Users' });
    expect(await within(table).findByText('ACME')).toBeTruthy();
    await user.click(within(table).getByRole('button', { name: 'Reset PIN of nia' }));
    await user.type(screen.getByLabelText('New PIN (4 to 8 digits)'), '2468');
    await user.click(screen.getByRole('button', { name: 'Set PIN' }));
    expect(commands.resetPin).toHaveBeenCalledWith('usr-n', '2468');
    expect(await screen.findByText('nia has a new PIN. Tell them in person; it is not shown again.')).toBeTruthy();
    await user.click(within(table).getByRole('button', { name: 'Deactivate nia' }));
    expect(commands.setActive).toHaveBeenCalledWith('usr-n', false);
    expect(await screen.findByText('nia is deactivated: signed out everywhere, and cannot sign in.')).toBeTruthy();
  });

  it('says it works online only, and asks the server nothing while offline', async () => {
    const commands = fakeCommands();
    act(() => useSyncStatus.setState({ online: false }));
    renderAdmin(commands);
    expect(screen.getByRole('alert').textContent).toBe(ADMIN_OFFLINE);
    expect(commands.listOwners).not.toHaveBeenCalled();
    act(() => useSyncStatus.setState({ online: true }));
    expect(await screen.findByRole('table', { name: 'Owners' })).toBeTruthy();
  });
});
