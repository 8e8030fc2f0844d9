// @vitest-environment jsdom
// The supervisor screen: pick lists by wave with their progress, a list opened to its lines and
// scans and reassigned; pickers' rates; exceptions resolved with who did it; devices holding unsent
// work, stuck and silent ones flagged; override codes; and a plain offline state.
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceHealth } from '../../domain/device-health';
import type { FloorException, PickersAnswer, PickListDetail, PickListSummary } from '../../domain/supervisor-floor';
import { resetSyncStatus, useSyncStatus } from '../../sync/status-store';
import { clockTime } from '../../ui/sync-status';
import { createStore } from 'zustand';
import type { DevicesResult, OverrideCodesResult, SupervisorCommands } from './commands';
import { FloorFeedProvider } from './floor-data';
import type { LiveEvent, LiveFeedConnection, LiveHandler, LiveState } from './live-feed';
import { SupervisorProvider } from './supervisor-context';
import SupervisorScreen from './supervisor-screen';

// The chart draws on a canvas jsdom has not got; its numbers are in the table and the key.
vi.mock('./picker-chart', () => ({ default: () => <div data-testid="chart" /> }));

afterEach(() => {
  cleanup();
  resetSyncStatus();
});

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const device = (patch: Partial<DeviceHealth>): DeviceHealth => ({
  id: 'dev-x', userId: 'usr-x', userName: 'X', nextSeq: 1, lastSeenAt: minutesAgo(1), pendingCount: 0, oldestPendingAt: null,
  reportedAt: minutesAgo(1), pushFailingSince: null, pushFailures: 0, lastPushError: null, stuck: false, ...patch,
});

const list = (patch: Partial<PickListSummary>): PickListSummary => ({
  id: 'pl-1', number: 'PL-000001', ownerId: 'own-a', ownerCode: 'ACME', status: 'in_progress', wave: { id: 'w-1', number: 'W-000001', status: 'released' },
  zones: ['A'], lines: 4, linesDone: 1, units: 10, unitsPicked: 3, unitsShort: 1, assignedUserId: null, assignedUserName: null,
  lastScan: { userId: 'u-o', userName: 'Olivia Operator', at: minutesAgo(2) }, createdAt: minutesAgo(65), ...patch,
});

const exception = (patch: Partial<FloorException>): FloorException => ({
  id: 'short_pick:pln-1', kind: 'short_pick', ref: 'pln-1', ownerId: 'own-a', at: minutesAgo(5), orderId: 'o-1', orderNumber: '#1001', pickListId: 'pl-1',
  pickListNumber: 'PL-000001', sku: 'ACME-ESP', binCode: 'A-01-1', qty: 2, reason: 'out_of_stock', message: null, userName: 'Olivia Operator',
  deviceId: 'HH-07', actions: ['mark-counted'], resolved: null, ...patch,
});

const fail = async () => ({ ok: false as const, message: 'not asked for in this test', offline: false });

function fakeCommands(patch: Partial<SupervisorCommands> = {}): SupervisorCommands {
  return {
    loadDevices: async () => ({ ok: true, devices: [] }),
    getOverrideCodes: async () => ({ ok: false, message: 'not asked for in this test' }),
    loadPickLists: async () => ({ ok: true, data: { lists: [] } }),
    loadPickList: fail,
    loadPickers: fail,
    loadExceptions: async () => ({ ok: true, data: { exceptions: [] } }),
    loadAssignableUsers: async () => ({ ok: true, data: { users: [] } }),
    resolveException: fail,
    retryNotice: fail,
    releaseOrder: fail,
    assignPickList: fail,
    ...patch,
  };
}

/** A live feed the test drives: its state, and the events it hands the subscribers. */
function fakeFeed(state: LiveState = 'live') {
  const handlers = new Set<{ kinds: ReadonlySet<string>; handler: LiveHandler }>();
  const status = createStore<{ state: LiveState; lastEventAt: number | null }>()(() => ({ state, lastEventAt: null }));
  const feed: LiveFeedConnection = {
    status,
    get state() {
      return status.getState().state;
    },
    get lastEventAt() {
      return status.getState().lastEventAt;
    },
    subscribe(kinds, handler) {
      const entry = { kinds: new Set<string>(kinds), handler };
      handlers.add(entry);
      return () => handlers.delete(entry);
    },
  };
  const emit = (event: LiveEvent) => {
    for (const entry of [...handlers]) if (event.kind === 'reset' || entry.kinds.has(event.kind)) entry.handler(event);
  };
  return { feed, emit, status };
}

function renderAt(path: string, commands: SupervisorCommands, live = fakeFeed()) {
  render(
    <MemoryRouter initialEntries={[path]}>
      <FloorFeedProvider value={live.feed}>
        <SupervisorProvider commands={commands}>
          <SupervisorScreen title="Supervisor" />
        </SupervisorProvider>
      </FloorFeedProvider>
    </MemoryRouter>,
  );
  return live;
}

function renderDevices(results: DevicesResult[], getOverrideCodes?: SupervisorCommands['getOverrideCodes'], tab = 'devices') {
  renderAt(`/supervisor?tab=${tab}`, fakeCommands({ loadDevices: async () => results.shift() ?? results[0]!, ...(getOverrideCodes ? { getOverrideCodes } : {}) }));
}

describe('SupervisorScreen', () => {
  it('shows pick lists by wave with progress in lines and units, filters them, and opens one to its lines and scans', async () => {
    const filters: unknown[] = [];
    const detail: PickListDetail = {
      list: list({}),
      lines: [{ id: 'pln-1', binCode: 'A-01-1', zone: 'A', sku: 'ACME-ESP', productName: 'Espresso', qty: 3, pickedQty: 2, shortQty: 1, shortReason: 'damaged', status: 'done' }],
      scans: [
        { mutationId: 'm1', type: 'pick', pickLineId: 'pln-1', qty: 2, userId: 'u-o', userName: 'Olivia Operator', deviceId: 'HH-07', at: minutesAgo(3), status: 'applied', code: null, message: null },
        { mutationId: 'm2', type: 'pick', pickLineId: 'pln-1', qty: 5, userId: 'u-o', userName: 'Olivia Operator', deviceId: 'HH-07', at: minutesAgo(2), status: 'rejected', code: 'OVER_PICK', message: 'More than the line asks for.' },
      ],
    };
    const assigned: unknown[] = [];
    renderAt('/supervisor', fakeCommands({
      loadPickLists: async (filter) => {
        filters.push(filter);
        return { ok: true, data: { lists: [list({}), list({ id: 'pl-9', number: 'PL-000009', ownerCode: 'BETA', wave: null, linesDone: 4, unitsPicked: 10, unitsShort: 0, status: 'done' })] } };
      },
      loadPickList: async () => ({ ok: true, data: detail }),
      loadAssignableUsers: async () => ({ ok: true, data: { users: [{ id: 'u-b', displayName: 'Ben Beta', ownerIds: null }] } }),
      assignPickList: async (id, userId) => {
        assigned.push([id, userId]);
        return { ok: true, data: {} };
      },
    }));
    const wave = await screen.findByRole('region', { name: 'Wave W-000001' });
    const lines = within(wave).getByRole('progressbar', { name: 'PL-000001 lines' });
    expect(lines.getAttribute('aria-valuenow')).toBe('1');
    expect(lines.getAttribute('aria-valuetext')).toBe('1 of 4 lines');
    expect(within(wave).getByRole('progressbar', { name: 'PL-000001 units' }).getAttribute('aria-valuetext')).toBe('3 of 10 units, 1 short');
    expect(wave.textContent).toContain('Picker: anyone · last scan Olivia Operator');
    expect(wave.textContent).toContain('1 h 5 min old');
    expect(screen.getByRole('region', { name: 'Not in a wave' }).textContent).toContain('PL-000009');

    await userEvent.selectOptions(screen.getByLabelText('Owner'), 'BETA');
    await waitFor(() => expect(filters.at(-1)).toEqual({ status: 'active', owner: 'BETA' }));

    await userEvent.click(screen.getByRole('button', { name: 'Open PL-000001' }));
    const lineTable = await screen.findByRole('region', { name: 'Lines of PL-000001' });
    expect(within(lineTable).getAllByRole('row')[1]!.textContent).toBe('A-01-1ACME-ESP Espresso321 (damaged)done');
    const scans = within(screen.getByRole('region', { name: 'Scans on PL-000001' })).getAllByRole('row');
    expect(scans[2]!.textContent).toContain('Rejected: OVER_PICK – More than the line asks for.');
    await userEvent.selectOptions(await screen.findByLabelText('Assign to'), 'u-b');
    await userEvent.click(screen.getByRole('button', { name: 'Assign' }));
    expect(assigned).toEqual([['pl-1', 'u-b']]);
    expect(await screen.findByText('Assigned.')).toBeTruthy();
  });

  it('shows each picker’s rates, current list, last bin and idle time, and says which shift it counts', async () => {
    const answer: PickersAnswer = {
      shift: { startedAt: minutesAgo(120), basis: 'since-06:00', bucketMinutes: 15, now: minutesAgo(0) },
      pickers: [{
        userId: 'u-o', userName: 'Olivia Operator', lastHour: { units: 42, lines: 17 }, shift: { units: 80, lines: 30, unitsPerHour: 40, linesPerHour: 15, firstScanAt: minutesAgo(120) },
        currentList: { id: 'pl-1', number: 'PL-000001' }, lastBin: 'A-01-1', lastScanAt: minutesAgo(7), idleSeconds: 420, series: [10, 12, 8, 10, 10, 10, 10, 10],
      }],
    };
    renderAt('/supervisor?tab=pickers', fakeCommands({ loadPickers: async () => ({ ok: true, data: answer }) }));
    const table = await screen.findByRole('region', { name: 'Pickers' });
    expect(within(table).getAllByRole('row')[1]!.textContent).toBe(' Olivia Operator42174015' + '80PL-000001A-01-17 min');
    expect(screen.getByText(/Shift: since 06:00/)).toBeTruthy();
    expect(await screen.findByTestId('chart')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Shift totals' })).getByRole('listitem').textContent).toContain('Olivia Operator: 80 units');
  });

  it('resolves an exception with its action and shows who resolved it', async () => {
    let resolved = false;
    const asked: unknown[] = [];
    renderAt('/supervisor?tab=exceptions', fakeCommands({
      loadExceptions: async () => ({
        ok: true,
        data: {
          exceptions: [
            resolved ? exception({ actions: [], resolved: { by: 'Sam Supervisor', at: minutesAgo(0) } }) : exception({}),
            exception({ id: 'order:o-2', kind: 'order_on_hold', ref: 'o-2', orderId: 'o-2', orderNumber: '#2001', reason: 'UNKNOWN_SKU', actions: ['release'], sku: null, binCode: null, userName: null, deviceId: null }),
          ],
        },
      }),
      resolveException: async (request) => {
        asked.push(request);
        resolved = true;
        return { ok: true, data: { id: 'short_pick:pln-1', resolved: { by: 'Sam Supervisor', at: minutesAgo(0) } } };
      },
    }));
    const list = await screen.findByRole('list', { name: 'Exceptions' });
    const [short, held] = within(list).getAllByRole('listitem');
    expect(short!.textContent).toContain('Short pick: ACME-ESP at A-01-1');
    expect(short!.textContent).toContain('2 short (out of stock) on PL-000001, order #1001');
    expect(held!.textContent).toContain('Order on hold: order #2001');
    expect(within(held!).getByRole('button', { name: 'Release order #2001' })).toBeTruthy();
    await userEvent.click(within(short!).getByRole('button', { name: 'Mark counted ACME-ESP at A-01-1' }));
    expect(asked).toEqual([{ kind: 'short_pick', ref: 'pln-1' }]);
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Exceptions' })).getAllByRole('listitem')[0]!.textContent).toContain('Resolved by Sam Supervisor'));
  });

  it('lists devices holding unsent work, flags the stuck one and the silent one in red, and counts the rest', async () => {
    renderDevices([{
      ok: true,
      devices: [
        device({ id: 'dev-1', userName: 'Olivia Operator', pendingCount: 4, oldestPendingAt: minutesAgo(40), pushFailingSince: minutesAgo(38), pushFailures: 9, lastPushError: { status: 503, code: 'UNAVAILABLE' }, stuck: true, lastSeenAt: minutesAgo(1) }),
        device({ id: 'HH-07', userName: 'Olivia', pendingCount: 3, oldestPendingAt: minutesAgo(47), lastSeenAt: minutesAgo(45) }),
        device({ id: 'dev-2', userName: 'Ben Beta', pendingCount: 1, oldestPendingAt: minutesAgo(1) }),
        device({ id: 'dev-3', userName: 'Sam Supervisor' }),
      ],
    }]);
    const list = await screen.findByRole('list', { name: 'Devices with unsent work' });
    const [stuck, silent, busy] = within(list).getAllByRole('listitem');
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    expect(stuck!.textContent).toContain('Olivia Operator');
    expect(stuck!.textContent).toContain('Stuck');
    expect(stuck!.textContent).toMatch(/4 unsent, the oldest from \d\d:\d\d \(40 min ago\)/);
    expect(stuck!.textContent).toContain('(9 tries): last answer HTTP 503 UNAVAILABLE');
    expect(silent!.textContent).toContain('3 scans unsent for 47 min on HH-07, last user Olivia');
    expect(silent!.className).toContain('device-stuck');
    expect(busy!.textContent).toContain('Ben Beta');
    expect(busy!.textContent).not.toContain('Stuck');
    expect(screen.getByText('1 other device has nothing unsent.')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'All devices' })).getAllByRole('row')).toHaveLength(5);
  });

  it('says when every device has sent everything, and shows a refusal; Refresh asks again', async () => {
    renderDevices([
      { ok: true, devices: [device({})] },
      { ok: false, message: 'Devices are shown to supervisors and admins only.' },
    ]);
    expect(await screen.findByText('Every device has sent all its scans.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Devices are shown to supervisors and admins only.');
  });

  it('reloads the pick lists when the live feed says a scan was applied, and says when live updates pause', async () => {
    let loads = 0;
    const live = renderAt('/supervisor', fakeCommands({
      loadPickLists: async () => {
        loads += 1;
        return { ok: true, data: { lists: [list({ unitsPicked: 2 + loads })] } };
      },
    }));
    expect(await screen.findByText('Live')).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'PL-000001 units' }).getAttribute('aria-valuenow')).toBe('4'));
    act(() => live.emit({ kind: 'mutation-applied', id: '7', at: minutesAgo(0), type: 'pick', deviceId: 'HH-07', userId: 'u-o', seq: 3, pickListId: 'pl-1', qty: 1 }));
    await waitFor(() => expect(screen.getByRole('progressbar', { name: 'PL-000001 units' }).getAttribute('aria-valuenow')).toBe('5'));
    // A device's health is not the lists' business.
    act(() => live.emit({ kind: 'device-health', id: '8', at: minutesAgo(0), deviceId: 'HH-07', userId: null, pendingCount: 1, pushFailing: false }));
    act(() => live.status.setState({ state: 'reconnecting' }));
    expect(await screen.findByText('Live updates paused — reconnecting')).toBeTruthy();
    expect(loads).toBe(2);
  });

  it('moves between tabs by click and by arrow keys', async () => {
    renderAt('/supervisor', fakeCommands());
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((tab) => tab.textContent)).toEqual(['Waves & pick lists', 'Pickers', 'Exceptions', 'Devices']);
    expect(tabs[0]!.getAttribute('aria-selected')).toBe('true');
    await userEvent.click(tabs[3]!);
    expect(await screen.findByText('Devices with unsent work')).toBeTruthy();
    await userEvent.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Waves & pick lists' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Waves & pick lists' }));
  });

  it('says plainly when offline that the figures are not current', async () => {
    useSyncStatus.setState({ online: false });
    renderAt('/supervisor', fakeCommands({ loadPickLists: async () => ({ ok: false, message: 'Offline: the floor’s figures come from the server.', offline: true }) }));
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent).join(' ')).toContain('what is shown below is not current');
  });

  it('gets five override codes on request and shows them large, with when they stop working', async () => {
    const expiresAt = '2026-12-06T20:15:00.000Z';
    const asked: (number | undefined)[] = [];
    renderDevices([{ ok: true, devices: [] }], async (count) => {
      asked.push(count);
      return { ok: true, codes: ['K7QM-4XPT', 'HR2W-9CNV', 'TZ6B-3MEY', 'PA8D-7GQS', 'VX5J-2KFU'], expiresAt };
    }, 'exceptions');
    await userEvent.click(await screen.findByRole('button', { name: 'Get 5 override codes' }));
    const codes = await screen.findByRole('list', { name: 'Override codes' });
    expect(within(codes).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['K7QM-4XPT', 'HR2W-9CNV', 'TZ6B-3MEY', 'PA8D-7GQS', 'VX5J-2KFU']);
    expect(asked).toEqual([5]);
    expect(screen.getByText(`Valid until ${clockTime(Date.parse(expiresAt))}, each works once: give one to a packer closing a carton short.`)).toBeTruthy();
  });

  it('says override codes need the server when offline, and shows a refusal', async () => {
    useSyncStatus.setState({ online: false });
    renderDevices([{ ok: true, devices: [] }], async (): Promise<OverrideCodesResult> => ({ ok: false, message: 'Override codes are for supervisors and admins only.' }), 'exceptions');
    const button = await screen.findByRole('button', { name: 'Get 5 override codes' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Override codes come from the server: connect this device to the network to get them.')).toBeTruthy();

    act(() => useSyncStatus.setState({ online: true }));
    expect((button as HTMLButtonElement).disabled).toBe(false);
    await userEvent.click(button);
    await waitFor(() => expect(screen.getAllByRole('alert').map((a) => a.textContent)).toContain('Override codes are for supervisors and admins only.'));
    expect(screen.queryByRole('list', { name: 'Override codes' })).toBeNull();
  });
});
