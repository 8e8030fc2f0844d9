// @vitest-environment jsdom
// The supervisor screen: devices with unsent work listed, stuck ones flagged, the rest counted.
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceHealth } from '../../domain/device-health';
import type { DevicesResult, SupervisorCommands } from './commands';
import { SupervisorProvider } from './supervisor-context';
import SupervisorScreen from './supervisor-screen';

afterEach(cleanup);

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const device = (patch: Partial<DeviceHealth>): DeviceHealth => ({
  id: 'dev-x', userId: 'usr-x', userName: 'X', nextSeq: 1, lastSeenAt: minutesAgo(1), pendingCount: 0, oldestPendingAt: null,
  reportedAt: minutesAgo(1), pushFailingSince: null, pushFailures: 0, lastPushError: null, stuck: false, ...patch,
});

function renderWith(results: DevicesResult[]) {
  const commands: SupervisorCommands = { loadDevices: async () => results.shift() ?? results[0]! };
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
});
