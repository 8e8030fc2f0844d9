// @vitest-environment jsdom
// The supervisor screen: devices with unsent work listed, stuck ones flagged, the rest counted;
// override codes got on request, shown large with when they stop working, and not offline.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceHealth } from '../../domain/device-health';
import { resetSyncStatus, useSyncStatus } from '../../sync/status-store';
import { clockTime } from '../../ui/sync-status';
import type { DevicesResult, OverrideCodesResult, SupervisorCommands } from './commands';
import { SupervisorProvider } from './supervisor-context';
import SupervisorScreen from './supervisor-screen';

afterEach(() => {
  cleanup();
  resetSyncStatus();
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const device = (patch: Partial<DeviceHealth>): DeviceHealth => ({
  id: 'dev-x', userId: 'usr-x', userName: 'X', nextSeq: 1, lastSeenAt: minutesAgo(1), pendingCount: 0, oldestPendingAt: null,
  reportedAt: minutesAgo(1), pushFailingSince: null, pushFailures: 0, lastPushError: null, stuck: false, ...patch,
});

const noCodes = async (): Promise<OverrideCodesResult> => ({ ok: false, message: 'not asked for in this test' });

function renderWith(results: DevicesResult[], getOverrideCodes: SupervisorCommands['getOverrideCodes'] = noCodes) {
  const commands: SupervisorCommands = { loadDevices: async () => results.shift() ?? results[0]!, getOverrideCodes };
  render(
    <MemoryRouter>
      <SupervisorProvider commands={commands}>
        <SupervisorScreen title="Supervisor" />
      </SupervisorProvider>
    </MemoryRouter>,
  );
}

describe('SupervisorScreen', () => {
  it('lists devices holding unsent work, flags the stuck one, and counts the rest', async () => {
    renderWith([{
      ok: true,
      devices: [
        device({ id: 'dev-1', userName: 'Olivia Operator', pendingCount: 4, oldestPendingAt: minutesAgo(40), pushFailingSince: minutesAgo(38), pushFailures: 9, lastPushError: { status: 503, code: 'UNAVAILABLE' }, stuck: true }),
        device({ id: 'dev-2', userName: 'Ben Beta', pendingCount: 1, oldestPendingAt: minutesAgo(1) }),
        device({ id: 'dev-3', userName: 'Sam Supervisor' }),
      ],
    }]);
    const list = await screen.findByRole('list', { name: 'Devices with unsent work' });
    const [stuck, busy] = within(list).getAllByRole('listitem');
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(stuck!.textContent).toContain('Olivia Operator');
    expect(stuck!.textContent).toContain('Stuck');
    expect(stuck!.textContent).toMatch(/4 unsent, the oldest from \d\d:\d\d \(40 min ago\)/);
    expect(stuck!.textContent).toContain('(9 tries): last answer HTTP 503 UNAVAILABLE');
    expect(busy!.textContent).toContain('Ben Beta');
    expect(busy!.textContent).not.toContain('Stuck');
    expect(screen.getByText('1 other device has nothing unsent.')).toBeTruthy();
  });

  it('says when every device has sent everything, and shows a refusal; Refresh asks again', async () => {
    renderWith([
      { ok: true, devices: [device({})] },
      { ok: false, message: 'Devices are shown to supervisors and admins only.' },
    ]);
    expect(await screen.findByText('Every device has sent all its scans.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Devices are shown to supervisors and admins only.');
  });

  it('gets five override codes on request and shows them large, with when they stop working', async () => {
    const expiresAt = '2026-12-06T20:15:00.000Z';
    const asked: (number | undefined)[] = [];
    renderWith([{ ok: true, devices: [] }], async (count) => {
      asked.push(count);
      return { ok: true, codes: ['K7QM-4XPT', 'HR2W-9CNV', 'TZ6B-3MEY', 'PA8D-7GQS', 'VX5J-2KFU'], expiresAt };
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Get 5 override codes' }));
    const codes = await screen.findByRole('list', { name: 'Override codes' });
    expect(within(codes).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['K7QM-4XPT', 'HR2W-9CNV', 'TZ6B-3MEY', 'PA8D-7GQS', 'VX5J-2KFU']);
    expect(asked).toEqual([5]);
    expect(screen.getByText(`Valid until ${clockTime(Date.parse(expiresAt))}, each works once: give one to a packer closing a carton short.`)).toBeTruthy();
  });

  it('says override codes need the server when offline, and shows a refusal', async () => {
    useSyncStatus.setState({ online: false });
    renderWith([{ ok: true, devices: [] }], async () => ({ ok: false, message: 'Override codes are for supervisors and admins only.' }));
    const button = await screen.findByRole('button', { name: 'Get 5 override codes' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Override codes come from the server: connect this device to the network to get them.')).toBeTruthy();

    act(() => useSyncStatus.setState({ online: true }));
    expect((button as HTMLButtonElement).disabled).toBe(false);
    await userEvent.click(button);
    expect((await screen.findByRole('alert')).textContent).toBe('Override codes are for supervisors and admins only.');
    expect(screen.queryByRole('list', { name: 'Override codes' })).toBeNull();
  });
});
